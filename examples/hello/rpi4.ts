// SPDX-License-Identifier: BSD-2-Clause
/**
 * The hello example on the Raspberry Pi 4 (BCM2711): the same servers and the same drivers as on
 * the Pi 3 (rpi3.ts), at the BCM2711's addresses and GIC interrupts. Real boards only: QEMU 7.2
 * has no Pi 4 machine.
 *
 *   neptune-gen build -s examples/hello/rpi4.ts   # then copy build/rpi4/boot onto an SD card
 */

import { defineSystem } from "neptune-gen";
import { helloServers, raspberryPiDrivers } from "./boards.ts";

export default defineSystem({
  name: "hello_rpi4",
  platform: "rpi4",
  idl: ["../../idl"],
  servers: [...helloServers(), ...raspberryPiDrivers()],
});
