// SPDX-License-Identifier: BSD-2-Clause
/**
 * The POSIX personality's shell (personality-posix/bin/sh) on seL4: shtest, a plain POSIX C
 * boot server, writes scripts into /tmp and runs `/bin/sh /tmp/case.sh` (and `sh -c`, and sh
 * reading commands from a pipe) with its stdout and stderr on a pipe, and compares the
 * transcript with the expected one line by line: quotes and escapes, variables, $?, $$, &&, ||,
 * ;, pipelines of three programs, redirections into /tmp and /disk, 2> and 2>&1, export into a
 * child's environment, cd/pwd, background jobs listed by `jobs`, killed by `kill %n` and
 * waited for, exit statuses and the usual one-line errors. The commands are the tiny programs
 * in programs/ (t_echo, t_cat, t_upper, t_exit, t_env, t_pause); the servers are those of
 * examples/posix-libc.
 *
 *   neptune-gen disk create disk.img --fat 32
 *   neptune-gen run -s examples/posix-sh/system.ts --disk disk.img --expect "shtest: done"
 */

import { defineSystem, server, driver, program } from "neptune-gen";

/** Each test program: the pathname manager (files, pipes) and buffers for its connections. */
const tool = (name: string) => program({ name, uses: ["pathmgr"], priority: 90, sharedMemory: "512K" });

export default defineSystem({
  name: "posix_sh",
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
    server({ name: "pathmgr", src: "../../personality-posix/pathmgr", serves: ["pathmgr", "pathreg"], priority: 180, cnodeBits: 8 }),
    server({ name: "tmpfs", src: "../../personality-posix/tmpfs", serves: ["fs"], uses: ["pathreg"], priority: 150, connections: 16 }),
    server({ name: "devfs", src: "../../personality-posix/devfs", serves: ["fs"], uses: ["pathreg", "serial"], priority: 150, connections: 16, deferredReplies: 8 }),
    server({ name: "binfs", src: "../../personality-posix/binfs", serves: ["fs"], uses: ["pathreg"], priority: 150, connections: 4 }),
    server({ name: "pipe", src: "../../personality-posix/pipe", serves: ["pipe"], uses: ["pathreg"], priority: 150, connections: 16, deferredReplies: 16 }),
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
    // Writes the scripts, spawns /bin/sh and checks what it prints (the timer is the shell's).
    server({ name: "shtest", uses: ["pathmgr", "timer"], priority: 100, heap: "256K", sharedMemory: "512K", spawn: { maxProcesses: 2, memory: "16M" } }),
  ],
  programs: [
    // The shell: spawns the commands of its scripts (every program is /bin/<name>).
    program({
      name: "sh",
      src: "../../personality-posix/bin/sh",
      uses: ["pathmgr", "timer"],
      priority: 80, // below its commands': while it looks for ^C, they run first
      heap: "128K",
      sharedMemory: "512K",
      spawn: { maxProcesses: 6, memory: "6M" },
    }),
    tool("t_echo"),
    tool("t_cat"),
    tool("t_upper"),
    tool("t_exit"),
    tool("t_env"),
    tool("t_pause"),
  ],
});
