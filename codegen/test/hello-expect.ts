// SPDX-License-Identifier: BSD-2-Clause
/**
 * What the hello example prints on seL4, shared by the boot tests of every board
 * (system-sel4-hello.test.ts for QEMU virt, sel4-boards.test.ts for the others).
 */

/**
 * Every line the example prints on seL4 whatever the board (its drivers print their own first
 * line: HELLO_VIRT_DRIVERS); the host target must print the same.
 */
export const HELLO_EXPECT = [
  /echo: serving echo on slot \d+/,
  /client: echo\.add\(40, 2\) = 42 \(ok\)/,
  /client: echo\.echo_str\("hello, seL4"\) = "hello, seL4" \(ok\)/,
  /client: echo\.echo_bytes\(64 bytes\) = 64 bytes, identical \(ok\)/,
  /echo: ping 3 from badge 1 \(3 so far\)/,
  /client: echo\.share_ntfn\(own notification\) = true \(ok\)/,
  /client: echo signalled our notification through the transferred cap/,
  /client: this line went through the uart driver/,
  /client: serial\.write: 47 bytes \(ok\)/,
  /client: timer\.now\(\) = \d+ s \(ok\)/,
  /client: slept 1 s on the timer \(ok\)/,
  /client: done/,
  /intruder: cannot reach echo: \d+ calls through slots \d+\.\.\d+ all failed with NG_EIPC \(no capability\)/,
];

/** What the PL011 and PL031 drivers print on QEMU virt. */
export const HELLO_VIRT_DRIVERS = [/uart: PL011 registers at 0x[0-9a-f]+, IRQ handler in slot \d+/, /rtc: PL031 registers at 0x[0-9a-f]+, IRQ handler in slot \d+/];

/** What the Raspberry Pi's mini UART and system timer drivers print. */
export const HELLO_PI_DRIVERS = [
  /uart: mini UART registers at 0x[0-9a-f]+, IRQ handler in slot \d+/,
  /timer: BCM2835 system timer at 0x[0-9a-f]+, IRQ handler in slot \d+/,
];

/** What the 16550 UART and Goldfish RTC drivers print on QEMU RISC-V virt. */
export const HELLO_RISCV_DRIVERS = [
  /uart: 16550 registers at 0x[0-9a-f]+, IRQ handler in slot \d+/,
  /timer: Goldfish RTC at 0x[0-9a-f]+, IRQ handler in slot \d+/,
];

/** What the 16550 (COM1) and 8254 PIT drivers print on a PC. */
export const HELLO_PC_DRIVERS = [
  /uart: 16550 registers at 0x3f8 \(I\/O ports\), IRQ handler in slot \d+/,
  /timer: 8254 PIT at I\/O port 0x40, 100 Hz, IRQ handler in slot \d+/,
];
