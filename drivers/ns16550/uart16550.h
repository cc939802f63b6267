/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The 16550 UART (National Semiconductor NS16550A and compatibles): QEMU RISC-V virt's console,
 * memory-mapped with byte registers one byte apart; on a PC the same registers are I/O ports
 * (COM1 at 0x3f8), reached through an I/O port cap. Register access goes through
 * <neptune/dev.h>, so the driver runs unchanged on seL4 and on the host.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <neptune/msg.h>

typedef struct uart16550 {
    uintptr_t base;    /* where the layout mapped the registers, or the first I/O port */
    ng_cptr_t ioport;  /* x86: the I/O port cap (registers are ports base..base+7), else 0 */
    uint32_t clock_hz; /* the input clock the baud rate divides, 0 if unknown */
} uart16550_t;

/* FIFOs on; with a known clock 115200 8N1; unmasks the receive interrupt. `ioport`: 0 for
 * memory-mapped registers at `base`, else the cap to I/O ports `base`.. (x86). */
void uart16550_init(uart16550_t *u, uintptr_t base, ng_cptr_t ioport, uint32_t clock_hz);
/* Baud rate, data bits (5..8), stop bits (1, 2), parity (0 none, 1 odd, 2 even); false if the
 * clock is unknown or a value is out of range. */
bool uart16550_configure(uart16550_t *u, uint32_t baud, unsigned data_bits, unsigned stop_bits, unsigned parity);
void uart16550_putc(uart16550_t *u, uint8_t c);
/* A received byte, or -1. */
int uart16550_getc(uart16550_t *u);
