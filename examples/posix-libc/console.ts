// SPDX-License-Identifier: BSD-2-Clause
/**
 * Console input on the POSIX personality: pconsole reads its standard input (the console,
 * through devfs's /dev/console: a read waits until something is typed) byte by byte and says
 * what it got. `neptune-gen run --input FILE` types the lines of FILE (a line `^C` types Ctrl-C):
 *
 *   printf 'hello world\n^C\n' > typed.txt
 *   neptune-gen run -s examples/posix-libc/console.ts --input typed.txt --expect "pconsole: done"
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "posix_console",
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
    server({ name: "devfs", src: "../../personality-posix/devfs", serves: ["fs"], uses: ["pathreg", "serial"], priority: 150, connections: 4, deferredReplies: 4 }),
    server({ name: "pconsole", uses: ["pathmgr"], priority: 100, heap: "256K", sharedMemory: "256K" }),
  ],
});
