// SPDX-License-Identifier: BSD-2-Clause
/**
 * The NT personality's benchmark (npm run bench:nt): examples/nt's executive and drivers and,
 * on the same virtio disk, the POSIX personality's FAT server (drivers/fat, a mount of ntbench's
 * layout at /disk). ntbench measures under QEMU -icount, in one boot and on the same files,
 * what an NtReadFile of 4 KiB that hits the executive's cache, one that misses it, and an
 * NtCreateFile of a path that is already open cost — instructions retired (PMU event 0x08),
 * round trips to the executive, IRPs the executive sent to drivers — beside the POSIX layer's
 * open + close and 4 KiB reads (hit and miss) of the same files, and a plain round trip.
 * Both file systems only read here (the volume is mounted by each, as two hosts would).
 *
 *   npm run bench:nt [-- --build-dir DIR]      (needs NEPTUNE_SEL4_WORKSPACE)
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "nt_bench",
  platform: "qemu-arm-virt",
  untyped: "128M",
  idl: ["../../idl"],
  servers: [
    driver({
      name: "rtc",
      src: "../../drivers/pl031",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "pl031", compatible: "arm,pl031", size: "4K", irq: 34 }],
    }),
    driver({
      name: "uart",
      src: "../../drivers/pl011",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "pl011", compatible: "arm,pl011", size: "4K", irq: 33 }],
    }),
    driver({
      name: "virtio_blk",
      src: "../../drivers/virtio-blk",
      serves: ["blockdev"],
      priority: 200,
      deferredReplies: 8,
      dma: "512K",
      devices: [{ name: "disk", compatible: "virtio,mmio", count: 32 }],
    }),
    server({
      name: "ntexec",
      src: "../../personality-nt/executive",
      serves: ["ntexec", "ntdrv"],
      uses: ["serial", "timer"],
      priority: 160,
      heap: "16M",
      deferredReplies: 32,
      connections: 16,
      sharedMemory: "1M",
      spawn: { maxProcesses: 8, memory: "16M" },
    }),
    server({ name: "ntdisk", src: "../../personality-nt/drivers/disk", uses: ["ntdrv", "blockdev"], priority: 150, heap: "1M", restart: "always" }),
    server({ name: "fastfat", src: "../../personality-nt/drivers/fastfat", uses: ["ntdrv", "timer"], priority: 150, heap: "4M", restart: "always" }),
    // The POSIX personality's FAT server on the same disk (a 4M cache like examples/posix-libc's).
    server({ name: "fat", src: "../../drivers/fat", serves: ["fs"], uses: ["blockdev", "timer"], priority: 150, heap: "4M" }),
    server({
      name: "ntbench",
      uses: ["ntexec", { interface: "fs", server: "fat" }],
      priority: 100,
      heap: "256K",
      sharedMemory: "512K",
      spawn: { maxProcesses: 1, memory: "1M" },
    }),
  ],
});
