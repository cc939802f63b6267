/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ARM PL011 UART: the console of QEMU's virt machine and the Raspberry Pi's first UART. Register
 * access goes through <neptune/dev.h>, so the driver runs unchanged on seL4 and on the host.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pl011 {
    uintptr_t base;    /* where the layout mapped the registers */
    uint32_t clock_hz; /* UARTCLK, which the baud rate divides; 0 if unknown */
} pl011_t;

/* With a known clock sets 115200 baud, 8N1, FIFOs on; without one keeps the line settings the
 * firmware or QEMU chose. Unmasks the receive interrupt. */
void pl011_init(pl011_t *u, uintptr_t base, uint32_t clock_hz);
/* Sets baud rate, data bits (5..8), stop bits (1, 2) and parity (0 none, 1 odd, 2 even); false if
 * the clock is unknown or a value is out of range. */
bool pl011_configure(pl011_t *u, uint32_t baud, unsigned data_bits, unsigned stop_bits, unsigned parity);
/* Writes one byte, waiting while the transmit FIFO is full. */
void pl011_putc(pl011_t *u, uint8_t c);
/* Reads one byte if the receive FIFO has one: returns it, or -1. */
int pl011_getc(pl011_t *u);
/* Clears the interrupts that are pending (call before acknowledging the IRQ). */
void pl011_irq_clear(pl011_t *u);
