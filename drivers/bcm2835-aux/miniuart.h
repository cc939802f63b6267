/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The BCM2835 auxiliary ("mini") UART: the Raspberry Pi 3's console (the second UART under QEMU
 * raspi3b, the one on GPIO 14/15 of a real Pi 3 when Bluetooth has the PL011). Register access
 * goes through <neptune/dev.h>, so the driver runs unchanged on seL4 and on the host.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct miniuart {
    uintptr_t base; /* the mini UART's registers: the AUX window plus its offset (0x40) */
    uint32_t clock_hz; /* the core clock the baud rate divides, 0 if unknown */
} miniuart_t;

/* Unmasks the receive interrupt; with a known clock, sets 115200 baud, 8 data bits. */
void miniuart_init(miniuart_t *u, uintptr_t regs, uint32_t clock_hz);
/* Sets the line: baud (needs the clock) and 7 or 8 data bits. Returns false for what this UART
 * cannot do (parity, two stop bits, 5 or 6 data bits, a baud rate out of the divisor's range). */
bool miniuart_configure(miniuart_t *u, uint32_t baud, unsigned data_bits, unsigned stop_bits, bool parity);
/* Writes one byte, waiting while the transmitter is full. */
void miniuart_putc(miniuart_t *u, uint8_t c);
/* Reads one byte if one is waiting: returns it, or -1. */
int miniuart_getc(miniuart_t *u);
