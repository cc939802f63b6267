// SPDX-License-Identifier: BSD-2-Clause
/**
 * The hello example on QEMU's RISC-V virt machine: the same servers as system.ts, with the 16550
 * UART and Goldfish RTC drivers.
 *
 *   neptune-gen run -s examples/hello/qemu-riscv-virt.ts --expect "client: done"
 */

import { defineSystem } from "neptune-gen";
import { helloServers, riscvVirtDrivers } from "./boards.ts";

export default defineSystem({
  name: "hello_riscv",
  platform: "qemu-riscv-virt",
  idl: ["../../idl"],
  servers: [...helloServers(), ...riscvVirtDrivers()],
});
