// SPDX-License-Identifier: BSD-2-Clause
/**
 * Both personalities on one seL4 system (qemu-arm-virt): the POSIX side (pathname manager,
 * process manager, tmpfs, a FAT file system on a virtio block device, a shell) and the NT
 * executive, over userspace drivers for the PL011 console, the PL031 real-time clock (used as
 * the timer) and the first virtio-mmio transport QEMU fills (-device virtio-blk-device).
 *
 * Resource managers (tmpfs, fat) register their prefixes with pathmgr through `pathreg` (only
 * they use it), passing their endpoint caps; clients resolve paths through pathmgr and get those
 * caps back, so the static layout only holds the caps every server needs at boot. (The working
 * resource managers are in personality-posix/, tested by examples/posix.)
 *
 * This one is a description only: it checks, generates and is golden-tested, but several of
 * its servers (procmgr, the shell, its ntexec's uses) have no sources, so `neptune-gen build`
 * reports each missing folder. The working systems: examples/nt (the NT personality),
 * examples/shell (the POSIX one), and examples/nt/bench.ts, both on one disk in one boot.
 */

import { defineSystem, server, driver, memoryRegion } from "neptune-gen";

export default defineSystem({
  name: "nt_posix",
  platform: "qemu-arm-virt",
  idl: ["../../idl"],
  untyped: "128M",
  memory: [
    // The console's log ring: the NT executive writes, the serial driver drains it.
    memoryRegion({ name: "klog", size: "64K" }),
  ],
  servers: [
    server({ name: "pathmgr", serves: ["pathmgr", "pathreg"], priority: 180, deferredReplies: 8 }),
    server({
      name: "procmgr",
      serves: ["procmgr"],
      uses: ["pathmgr"],
      priority: 170,
      spawn: { maxProcesses: 32, memory: "32M" },
      restart: { policy: "on-fault", maxRestarts: 3 },
    }),
    server({ name: "tmpfs", serves: ["fs"], uses: ["pathreg"], priority: 150, heap: "4M" }),
    server({
      name: "fat",
      serves: ["fs"],
      uses: ["pathreg", "blockdev"],
      priority: 150,
      heap: "1M",
      restart: "always",
    }),
    driver({
      name: "virtio_blk",
      src: "../../drivers/virtio-blk",
      serves: ["blockdev"],
      priority: 200,
      deferredReplies: 8,
      // Physically contiguous: the virtqueue and 7 request buffers of 64K.
      dma: "512K",
      devices: [{ name: "disk", compatible: "virtio,mmio" }],
    }),
    driver({
      name: "serial",
      serves: ["serial"],
      priority: 210,
      notifies: ["shell"],
      maps: [{ region: "klog", perms: "r" }],
      devices: [{ name: "pl011", compatible: "arm,pl011" }],
      restart: "always",
    }),
    driver({
      name: "timer",
      serves: ["timer"],
      priority: 220,
      notifies: ["ntexec"],
      devices: [{ name: "rtc", compatible: "arm,pl031" }],
    }),
    server({
      name: "ntexec",
      serves: ["ntexec"],
      uses: ["pathmgr", "serial", "timer", { interface: "fs", server: "fat", as: "fatfs" }],
      maps: [{ region: "klog", perms: "rw" }],
      priority: 160,
      heap: "2M",
      deferredReplies: 16,
      spawn: true,
    }),
    server({
      name: "shell",
      uses: ["pathmgr", "procmgr", "serial", "timer", { interface: "fs", server: "tmpfs", as: "tmp" }],
      priority: 100,
      args: ["-i"],
    }),
  ],
});
