// SPDX-License-Identifier: BSD-2-Clause
/**
 * The hello example's servers and, per board, the drivers that give it a serial port and a timer.
 * The servers are the same everywhere: the client reaches the drivers through the `serial` and
 * `timer` interfaces, never by device, so each board's description (system.ts for QEMU virt,
 * rpi3.ts, rpi4.ts, ...) only picks its drivers here.
 */

import { server, driver, type Driver, type Server } from "neptune-gen";

/** echo, the client of echo, serial and timer, and the intruder that is granted nothing. */
export function helloServers(): Server[] {
  return [
    server({ name: "echo", serves: ["echo"], priority: 150 }),
    server({ name: "client", uses: ["echo", "serial", "timer"], priority: 100 }),
    // Granted nothing: it shows at run time that it cannot reach echo.
    server({ name: "intruder", priority: 90 }),
  ];
}

/**
 * The Raspberry Pi's drivers (Pi 3 and Pi 4 alike: the same mini UART and system timer, at each
 * SoC's address): the mini UART is the console (GPIO 14/15; the second UART under QEMU raspi3b),
 * the system timer's channel 1 the timer.
 */
export function raspberryPiDrivers(): Driver[] {
  return [
    driver({
      name: "uart",
      src: "../../drivers/bcm2835-aux",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "aux", compatible: "brcm,bcm2835-aux-uart" }],
    }),
    driver({
      name: "timer",
      src: "../../drivers/bcm2835-systimer",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "systimer", compatible: "brcm,bcm2835-system-timer" }],
    }),
  ];
}

/** A PC (x86_64): the 16550 UART at COM1 (I/O ports) and the 8254 PIT. */
export function pcDrivers(): Driver[] {
  return [
    driver({
      name: "uart",
      src: "../../drivers/ns16550",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "ns16550", compatible: "ns16550a" }],
    }),
    driver({
      name: "timer",
      src: "../../drivers/i8254-pit",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "pit", compatible: "intel,8254" }],
    }),
  ];
}

/** QEMU RISC-V virt: the 16550 UART (the console) and the Goldfish real-time clock. */
export function riscvVirtDrivers(): Driver[] {
  return [
    driver({
      name: "uart",
      src: "../../drivers/ns16550",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "ns16550", compatible: "ns16550a" }],
    }),
    driver({
      name: "timer",
      src: "../../drivers/goldfish-rtc",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "rtc", compatible: "google,goldfish-rtc" }],
    }),
  ];
}
