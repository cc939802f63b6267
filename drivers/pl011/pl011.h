/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ARM PL011 UART: the console of QEMU's virt machine and the Raspberry Pi's first UART. Register
 * access goes through <neptune/dev.h>, so the driver runs unchanged on seL4 and on the host.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct pl011 {
    uintptr_t base; /* where the layout mapped the registers */
} pl011_t;

/* Keeps the line settings the firmware or QEMU chose; unmasks the receive interrupt. */
void pl011_init(pl011_t *u, uintptr_t base);
/* Writes one byte, waiting while the transmit FIFO is full. */
void pl011_putc(pl011_t *u, uint8_t c);
/* Reads one byte if the receive FIFO has one: returns it, or -1. */
int pl011_getc(pl011_t *u);
/* Clears the interrupts that are pending (call before acknowledging the IRQ). */
void pl011_irq_clear(pl011_t *u);
