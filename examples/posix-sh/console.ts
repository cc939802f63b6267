// SPDX-License-Identifier: BSD-2-Clause
/**
 * The shell at the console: init (personality-posix/init) starts /bin/sh on the serial console
 * and another when it ends. Typing works as on a terminal: echo, backspace, ^U, ^C (ends the
 * foreground job), ^D (ends the shell: init starts a new one). `neptune-gen run --input FILE`
 * types the lines of FILE (a line `^C` is Ctrl-C) whenever the console is quiet.
 *
 *   neptune-gen run -s examples/posix-sh/console.ts            (then type; Ctrl-A X quits)
 *   neptune-gen run -s examples/posix-sh/console.ts --input typed.txt --expect "status 130"
 */

import { defineSystem, server, driver, program } from "neptune-gen";

/** Each test program: the pathname manager (files, pipes) and buffers for its connections. */
const tool = (name: string) => program({ name, uses: ["pathmgr"], priority: 90, sharedMemory: "512K" });

export default defineSystem({
  name: "posix_sh_console",
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
    driver({
      name: "rtc",
      src: "../../drivers/pl031",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "pl031", compatible: "arm,pl031", size: "4K", irq: 34 }],
    }),
    server({ name: "pathmgr", src: "../../personality-posix/pathmgr", serves: ["pathmgr", "pathreg"], priority: 180, cnodeBits: 8 }),
    server({ name: "tmpfs", src: "../../personality-posix/tmpfs", serves: ["fs"], uses: ["pathreg"], priority: 150, connections: 16 }),
    server({ name: "devfs", src: "../../personality-posix/devfs", serves: ["fs"], uses: ["pathreg", "serial"], priority: 150, connections: 16, deferredReplies: 8 }),
    server({ name: "binfs", src: "../../personality-posix/binfs", serves: ["fs"], uses: ["pathreg"], priority: 150, connections: 4 }),
    server({ name: "pipe", src: "../../personality-posix/pipe", serves: ["pipe"], uses: ["pathreg"], priority: 150, connections: 16, deferredReplies: 16 }),
    // The first POSIX process: the shell on the console, again whenever it ends. It holds the
    // timer only to hand it to the shell (a child gets the caps its parent has).
    server({ name: "init", src: "../../personality-posix/init", uses: ["pathmgr", "timer"], priority: 100, heap: "128K", sharedMemory: "256K", spawn: { maxProcesses: 1, memory: "8M" } }),
  ],
  programs: [
    // The shell; the timer paces its look at the console while a foreground job runs (^C).
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
    tool("t_pause"),
  ],
});
