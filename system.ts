// SPDX-License-Identifier: BSD-2-Clause
/**
 * The default system: what `neptune-gen build` and `neptune-gen run` use when no --system is
 * given. It is the hello example (examples/hello) seen from the top of the tree: an echo server,
 * a client calling it through generated stubs, an intruder granted nothing, the PL011 serial
 * driver and the PL031 real-time clock driver. `neptune-gen new server NAME` adds servers here
 * (sources in servers/NAME, interface in idl/NAME.idl).
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "default",
  platform: "qemu-arm-virt",
  idl: ["idl"],
  servers: [
    server({ name: "echo", src: "examples/hello/servers/echo", serves: ["echo"], priority: 150 }),
    server({ name: "client", src: "examples/hello/servers/client", uses: ["echo", "serial", "timer"], priority: 100 }),
    server({ name: "intruder", src: "examples/hello/servers/intruder", priority: 90 }),
    driver({
      name: "uart",
      src: "drivers/pl011",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "pl011", compatible: "arm,pl011", size: "4K", irq: 33 }],
    }),
    driver({
      name: "rtc",
      src: "drivers/pl031",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "pl031", compatible: "arm,pl031", size: "4K", irq: 34 }],
    }),
  ],
});
