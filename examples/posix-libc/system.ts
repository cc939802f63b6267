// SPDX-License-Identifier: BSD-2-Clause
/**
 * The POSIX personality's C library layer on seL4 (personality-posix/libc): ptest is a plain
 * POSIX C program — open, read, write, lseek, fstat/stat, opendir/readdir, mkdir/rmdir,
 * unlink, rename, dup/dup2, chdir/getcwd, isatty, fopen/fprintf/fgets — with no neptune call
 * in it; musl's system calls reach the layer through sel4muslcsys, which serves them from the
 * FAT file system (drivers/fat over drivers/virtio-blk) mounted at /disk. ptest also spawns
 * programs with posix_spawn, waits for them with waitpid and kills one with kill.
 *
 *   neptune-gen disk create disk.img --fat 32
 *   neptune-gen run -s examples/posix-libc/system.ts --disk disk.img --expect "ptest: done"
 */

import { defineSystem, server, driver, program } from "neptune-gen";

export default defineSystem({
  name: "posix_libc",
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
    // A heap for musl's stdio (fopen's FILE and buffer) and opendir's DIR; shared memory for its
    // own connection to the file system; children through posix_spawn.
    server({
      name: "ptest",
      uses: ["fs"],
      priority: 100,
      heap: "256K",
      sharedMemory: "128K",
      spawn: { maxProcesses: 4, memory: "8M" },
    }),
  ],
  programs: [
    // Plain POSIX C programs ptest spawns as /bin/<name>: each gets /disk (the same use, fs).
    program({ name: "pchild", uses: ["fs"], priority: 90 }),
    program({ name: "pblock", priority: 90 }),
  ],
});
