// SPDX-License-Identifier: BSD-2-Clause
/**
 * The smallest useful system: an echo server, a client that calls it through generated stubs
 * (scalars, a string, bytes, a oneway, a capability) and writes through the serial driver, an
 * intruder that is granted nothing (so it holds no cap that reaches echo, and its calls fail),
 * the PL011 serial driver, and the PL031 real-time clock driver (the client reads the time and
 * sleeps a second on it).
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "hello",
  platform: "qemu-arm-virt",
  idl: ["../../idl"],
  servers: [
    server({ name: "echo", serves: ["echo"], priority: 150 }),
    server({ name: "client", uses: ["echo", "serial", "timer"], priority: 100 }),
    // Granted nothing: it shows at run time that it cannot reach echo.
    server({ name: "intruder", priority: 90 }),
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
  ],
});
