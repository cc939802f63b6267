// SPDX-License-Identifier: BSD-2-Clause
/**
 * The POSIX personality's C library layer on seL4 (personality-posix/libc): ptest is a plain
 * POSIX C program — open, read, write, lseek, fstat/stat, opendir/readdir, mkdir/rmdir,
 * unlink, rename, dup/dup2, chdir/getcwd, isatty, fopen/fprintf/fgets — with no neptune call
 * in it; musl's system calls reach the layer through sel4muslcsys, which serves them from the
 * file systems of the POSIX personality: the FAT server (drivers/fat over drivers/virtio-blk) at
 * /disk, tmpfs at /tmp, devfs at /dev, found through the pathname manager (personality-posix/).
 * ptest also spawns programs with posix_spawn, waits for them with waitpid and kills one.
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
      name: "uart",
      src: "../../drivers/pl011",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "pl011", compatible: "arm,pl011", size: "4K", irq: 33 }],
    }),
    // The pathname manager; tmpfs at /tmp, devfs at /dev and the FAT server at /disk register
    // with it (pathreg: only they may).
    server({ name: "pathmgr", src: "../../personality-posix/pathmgr", serves: ["pathmgr", "pathreg"], priority: 180, cnodeBits: 8 }),
    server({ name: "tmpfs", src: "../../personality-posix/tmpfs", serves: ["fs"], uses: ["pathreg"], priority: 150, connections: 4 }),
    server({ name: "devfs", src: "../../personality-posix/devfs", serves: ["fs"], uses: ["pathreg", "serial"], priority: 150, connections: 4, deferredReplies: 4 }),
    // /bin: the system's programs, read-only (from the root server's boot archive).
    server({ name: "binfs", src: "../../personality-posix/binfs", serves: ["fs"], uses: ["pathreg"], priority: 150, connections: 4 }),
    // Anonymous pipes at /dev/pipe: a blocked read or write waits as a saved reply.
    server({ name: "pipe", src: "../../personality-posix/pipe", serves: ["pipe"], uses: ["pathreg"], priority: 150, connections: 8, deferredReplies: 8 }),
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
    server({ name: "fat", src: "../../drivers/fat", serves: ["fs"], uses: ["blockdev", "timer", "pathreg"], priority: 150, heap: "4M" }),
    // A heap for musl's stdio (fopen's FILE and buffer) and opendir's DIR; shared memory for its
    // own connections to the file systems; children through posix_spawn. /disk is a mount of
    // its layout (fs on fat); every other path is resolved through pathmgr.
    server({
      name: "ptest",
      uses: [{ interface: "fs", server: "fat" }, "pathmgr", "timer"],
      priority: 100,
      heap: "256K",
      sharedMemory: "512K",
      spawn: { maxProcesses: 4, memory: "8M" },
    }),
  ],
  programs: [
    // Plain POSIX C programs ptest spawns as /bin/<name>: each gets the pathname manager.
    program({ name: "pchild", uses: ["pathmgr"], priority: 90, sharedMemory: "256K" }),
    program({ name: "pblock", priority: 90 }),
    // Upper-cases its standard input onto its standard output (pipes and redirections).
    program({ name: "pupper", uses: ["pathmgr"], priority: 90, sharedMemory: "512K" }),
  ],
});
