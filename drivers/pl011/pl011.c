/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PL011 register logic (ARM PrimeCell UART PL011 TRM, DDI 0183): data register, flag register
 * for FIFO state, interrupt mask and clear registers, and the line settings: the baud rate
 * divisor is UARTCLK / (16 * baud) as a 16.6 fixed-point number (IBRD, FBRD), written with the
 * UART disabled and followed by a write of LCR_H, which latches both.
 */
#include <neptune/dev.h>

#include "pl011.h"

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_IBRD 0x24
#define PL011_FBRD 0x28
#define PL011_LCRH 0x2c
#define PL011_CR 0x30
#define PL011_IMSC 0x38
#define PL011_ICR 0x44

#define PL011_FR_BUSY (1u << 3) /* still sending */
#define PL011_FR_RXFE (1u << 4) /* receive FIFO empty */
#define PL011_FR_TXFF (1u << 5) /* transmit FIFO full */
#define PL011_INT_RX (1u << 4)  /* receive interrupt */
#define PL011_INT_RT (1u << 6)  /* receive timeout interrupt */
#define PL011_INT_ALL 0x7ffu
#define PL011_LCRH_FEN (1u << 4)  /* FIFOs on */
#define PL011_LCRH_STP2 (1u << 3) /* two stop bits */
#define PL011_LCRH_EPS (1u << 2)  /* even parity */
#define PL011_LCRH_PEN (1u << 1)  /* parity on */
#define PL011_CR_ON 0x301u        /* UARTEN | TXE | RXE */

void pl011_init(pl011_t *u, uintptr_t base, uint32_t clock_hz)
{
    u->base = base;
    u->clock_hz = clock_hz;
    if (clock_hz) pl011_configure(u, 115200, 8, 1, 0);
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

bool pl011_configure(pl011_t *u, uint32_t baud, unsigned data_bits, unsigned stop_bits, unsigned parity)
{
    if (data_bits < 5 || data_bits > 8 || stop_bits < 1 || stop_bits > 2 || parity > 2) return false;
    if (baud == 0 || u->clock_hz == 0) return false;
    /* UARTCLK / (16 * baud) in 1/64ths, rounded: the integer part must fit IBRD's 16 bits. */
    uint64_t div64 = ((uint64_t)u->clock_hz * 4u + baud / 2u) / baud;
    if (div64 < 64u || (div64 >> 6) > 0xffffu) return false;
    uint32_t lcrh = PL011_LCRH_FEN | (uint32_t)(data_bits - 5) << 5;
    if (stop_bits == 2) lcrh |= PL011_LCRH_STP2;
    if (parity) lcrh |= PL011_LCRH_PEN | (parity == 2 ? PL011_LCRH_EPS : 0);
    while (ng_reg_read32(u->base + PL011_FR) & PL011_FR_BUSY) {
    }
    uint32_t cr = ng_reg_read32(u->base + PL011_CR);
    ng_reg_write32(u->base + PL011_CR, 0);
    ng_reg_write32(u->base + PL011_IBRD, (uint32_t)(div64 >> 6));
    ng_reg_write32(u->base + PL011_FBRD, (uint32_t)(div64 & 63u));
    ng_reg_write32(u->base + PL011_LCRH, lcrh);
    ng_reg_write32(u->base + PL011_CR, cr ? cr : PL011_CR_ON);
    return true;
}
