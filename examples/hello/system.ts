// SPDX-License-Identifier: BSD-2-Clause
/**
 * The smallest useful system: an echo server, a client that calls it, an intruder that is given
 * nothing (so it holds no cap that reaches echo: the least-privilege test boots it and checks that
 * its call fails), and a PL011 serial driver for the console.
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "hello",
  platform: "qemu-arm-virt",
  idl: ["../../idl"],
  servers: [
    server({ name: "echo", serves: ["echo"], priority: 150 }),
    server({ name: "client", uses: ["echo"], priority: 100 }),
    // Given no caps at all: the least-privilege test checks it cannot reach echo.
    server({ name: "intruder", priority: 100 }),
    driver({
      name: "uart",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "pl011", compatible: "arm,pl011", size: "4K", irq: 33 }],
    }),
  ],
});
