/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PL011 register logic (ARM PrimeCell UART PL011 TRM, DDI 0183): data register, flag register
 * for FIFO state, interrupt mask and clear registers.
 */
#include <neptune/dev.h>

#include "pl011.h"

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_IMSC 0x38
#define PL011_ICR 0x44

#define PL011_FR_RXFE (1u << 4) /* receive FIFO empty */
#define PL011_FR_TXFF (1u << 5) /* transmit FIFO full */
#define PL011_INT_RX (1u << 4)  /* receive interrupt */
#define PL011_INT_RT (1u << 6)  /* receive timeout interrupt */
#define PL011_INT_ALL 0x7ffu

void pl011_init(pl011_t *u, uintptr_t base)
{
    u->base = base;
    ng_reg_write32(base + PL011_ICR, PL011_INT_ALL);
    ng_reg_write32(base + PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
}

void pl011_putc(pl011_t *u, uint8_t c)
{
    while (ng_reg_read32(u->base + PL011_FR) & PL011_FR_TXFF) {
    }
    ng_reg_write32(u->base + PL011_DR, c);
}

int pl011_getc(pl011_t *u)
{
    if (ng_reg_read32(u->base + PL011_FR) & PL011_FR_RXFE) return -1;
    return (int)(ng_reg_read32(u->base + PL011_DR) & 0xffu);
}

void pl011_irq_clear(pl011_t *u)
{
    ng_reg_write32(u->base + PL011_ICR, PL011_INT_RX | PL011_INT_RT);
}
