// SPDX-License-Identifier: BSD-2-Clause
/**
 * The hello example on a PC (x86_64; QEMU pc): the same servers as system.ts, with the 16550 UART
 * at COM1 and the 8254 PIT, both reached through I/O port caps.
 *
 *   neptune-gen run -s examples/hello/x86_64.ts --expect "client: done"
 */

import { defineSystem } from "neptune-gen";
import { helloServers, pcDrivers } from "./boards.ts";

export default defineSystem({
  name: "hello_x86",
  platform: "x86_64",
  idl: ["../../idl"],
  servers: [...helloServers(), ...pcDrivers()],
});
