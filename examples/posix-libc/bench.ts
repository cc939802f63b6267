// SPDX-License-Identifier: BSD-2-Clause
/**
 * The POSIX layer's benchmark (npm run bench:posix): examples/posix-libc's drivers and FAT
 * server (a mount of pbench's layout, /disk), the pathname manager and tmpfs (/tmp, resolved), and
 * pbench, which measures under QEMU -icount what open+close (on both), stat, a 4 KiB read that
 * hits the FAT server's cache, and posix_spawn+waitpid of a program that exits at once cost, in
 * instructions and in round trips, next to a plain round trip (root.stats, 4 words back) of the
 * same boot.
 *
 *   neptune-gen disk create disk.img --fat 32
 *   neptune-gen run -s examples/posix-libc/bench.ts --icount --disk disk.img --expect "pbench: done"
 */

import { defineSystem, server, driver, program } from "neptune-gen";

export default defineSystem({
  name: "posix_bench",
  platform: "qemu-arm-virt",
  idl: ["../../idl"],
  servers: [
    driver({
      name: "virtio_blk",
      src: "../../drivers/virtio-blk",
      serves: ["blockdev"],
      priority: 200,
      deferredReplies: 8,
      dma: "512K",
      devices: [{ name: "disk", compatible: "virtio,mmio", count: 32 }],
    }),
    driver({
      name: "rtc",
      src: "../../drivers/pl031",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "pl031", compatible: "arm,pl031", size: "4K", irq: 34 }],
    }),
    server({ name: "fat", src: "../../drivers/fat", serves: ["fs"], uses: ["blockdev", "timer"], priority: 150, heap: "4M" }),
    // /tmp through the pathname manager: what an open costs when the path is resolved (QNX style).
    server({ name: "pathmgr", src: "../../personality-posix/pathmgr", serves: ["pathmgr", "pathreg"], priority: 180, cnodeBits: 8 }),
    server({ name: "tmpfs", src: "../../personality-posix/tmpfs", serves: ["fs"], uses: ["pathreg"], priority: 150, connections: 4 }),
    // A heap for musl's stdio (fopen's FILE and buffer) and opendir's DIR; shared memory for its
    // own connection to the file system; children through posix_spawn.
    server({
      name: "pbench",
      uses: [{ interface: "fs", server: "fat" }, "pathmgr"],
      priority: 100,
      heap: "256K",
      sharedMemory: "512K",
      spawn: { maxProcesses: 4, memory: "8M" },
    }),
  ],
  programs: [
    // Exits at once: posix_spawn + waitpid.
    program({ name: "ptrue", priority: 90 }),
  ],
});
