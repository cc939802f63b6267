// SPDX-License-Identifier: BSD-2-Clause
/**
 * The hello example on the Raspberry Pi 3 (BCM2837; QEMU raspi3b): the same servers as
 * system.ts, with the Pi's mini UART and system timer drivers instead of the PL011 and PL031.
 *
 *   neptune-gen run -s examples/hello/rpi3.ts --expect "client: done"
 */

import { defineSystem } from "neptune-gen";
import { helloServers, raspberryPiDrivers } from "./boards.ts";

export default defineSystem({
  name: "hello_rpi3",
  platform: "rpi3",
  idl: ["../../idl"],
  servers: [...helloServers(), ...raspberryPiDrivers()],
});
