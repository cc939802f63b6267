// SPDX-License-Identifier: BSD-2-Clause
/**
 * A shell on the POSIX personality: init starts /bin/sh on the serial console; the core utilities
 * are in /bin; /tmp (tmpfs), /dev (devfs, pipes) and /disk (the FAT server on virtio-blk) are
 * found through the pathname manager. Type at it:
 *
 *   neptune-gen disk create disk.img --fat 32
 *   neptune-gen run -s examples/shell/system.ts --disk disk.img            (Ctrl-A X quits)
 *
 * or feed it a session: `neptune-gen run -s examples/shell/system.ts --disk disk.img --input
 * session.txt --expect ...` (codegen/test/shell.test.ts does, on both targets).
 */

import { defineSystem, server, driver, program } from "neptune-gen";

export default defineSystem({
  name: "shell",
  platform: "qemu-arm-virt",
  untyped: "128M",
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
    // Connections: every utility utest spawns opens one of its own to tmpfs (its output goes to
    // /tmp) and keeps it after it ends (the POSIX layer neither disconnects at exit nor connects
    // again when evicted), so the table holds one per spawn of the whole run, utest's included.
    server({ name: "tmpfs", src: "../../personality-posix/tmpfs", serves: ["fs"], uses: ["pathreg"], priority: 150, connections: 128 }),
    server({ name: "devfs", src: "../../personality-posix/devfs", serves: ["fs"], uses: ["pathreg", "serial"], priority: 150, connections: 16, deferredReplies: 4 }),
    // /bin: the system's programs, read-only (from the root server's boot archive).
    server({ name: "binfs", src: "../../personality-posix/binfs", serves: ["fs"], uses: ["pathreg"], priority: 150, connections: 4 }),
    // Anonymous pipes at /dev/pipe: a blocked read or write waits as a saved reply.
    server({ name: "pipe", src: "../../personality-posix/pipe", serves: ["pipe"], uses: ["pathreg"], priority: 150, connections: 32, deferredReplies: 8 }),
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
    server({ name: "fat", src: "../../drivers/fat", serves: ["fs"], uses: ["blockdev", "timer", "pathreg"], priority: 150, heap: "4M", connections: 64 }),
    // The first POSIX process: starts /bin/sh on the console and another when it ends. Its
    // timer goes on to the shell (which watches the console for ^C while a command runs).
    server({ name: "init", src: "../../personality-posix/init", uses: ["pathmgr", "timer"], priority: 70, heap: "256K", sharedMemory: "512K", spawn: { maxProcesses: 1, memory: "48M" } }),
  ],
  programs: [
    // The shell: below its commands' priority, so what they print comes before its prompt.
    program({ name: "sh", src: "../../personality-posix/bin/sh", uses: ["pathmgr", "timer"], sharedMemory: "512K", priority: 80, heap: "256K", spawn: { maxProcesses: 8, memory: "40M" } }),
    // Each a plain POSIX C program of personality-posix/bin. ps (root.query through the root cap
    // every program with shared memory has) and mount (pathmgr.list) are the two that speak an
    // IDL interface themselves.
    program({ name: "ls", src: "../../personality-posix/bin/ls", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "cat", src: "../../personality-posix/bin/cat", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "echo", src: "../../personality-posix/bin/echo", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "mkdir", src: "../../personality-posix/bin/mkdir", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "rm", src: "../../personality-posix/bin/rm", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "rmdir", src: "../../personality-posix/bin/rmdir", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "mv", src: "../../personality-posix/bin/mv", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "cp", src: "../../personality-posix/bin/cp", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "touch", src: "../../personality-posix/bin/touch", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "wc", src: "../../personality-posix/bin/wc", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "head", src: "../../personality-posix/bin/head", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "grep", src: "../../personality-posix/bin/grep", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "hexdump", src: "../../personality-posix/bin/hexdump", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "ps", src: "../../personality-posix/bin/ps", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    program({ name: "mount", src: "../../personality-posix/bin/mount", uses: ["pathmgr"], sharedMemory: "512K", priority: 90 }),
    // sleep waits on the timer service (pl031: whole seconds, rounded up).
    program({ name: "sleep", src: "../../personality-posix/bin/sleep", uses: ["pathmgr", "timer"], sharedMemory: "512K", priority: 90 }),
    // kill asks the root server's process service, which only a program with spawn rights reaches
    // (it spawns nothing itself).
    program({ name: "kill", src: "../../personality-posix/bin/kill", uses: ["pathmgr"], sharedMemory: "512K", priority: 90, spawn: { maxProcesses: 1, memory: "1M" } }),
  ],
});
