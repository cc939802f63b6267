/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mini UART register logic (BCM2835 ARM Peripherals, section 2.2, with its errata: IER bit 0
 * enables the receive interrupt, bit 1 the transmit one). Offsets are from the mini UART's first
 * register, AUX_MU_IO_REG (0x40 into the AUX page). The baud rate is core_clock / (8 * (BAUD + 1));
 * the receive interrupt clears itself once the FIFO is read empty.
 */
#include <neptune/dev.h>

#include "miniuart.h"

#define MU_IO 0x00   /* data */
#define MU_IER 0x04  /* interrupt enable */
#define MU_LCR 0x0c  /* line control: bits 1:0 = 3 for 8 data bits, 0 for 7 */
#define MU_LSR 0x14  /* line status */
#define MU_CNTL 0x20 /* extra control: receiver and transmitter enable */
#define MU_BAUD 0x28 /* baud rate divisor, 16 bits */

#define MU_IER_RX (1u << 0)
#define MU_LSR_DATA_READY (1u << 0)
#define MU_LSR_TX_EMPTY (1u << 5) /* room for at least one byte */
#define MU_LCR_8BIT 0x3u
#define MU_CNTL_RX_TX 0x3u

void miniuart_init(miniuart_t *u, uintptr_t regs, uint32_t clock_hz)
{
    u->base = regs;
    u->clock_hz = clock_hz;
    if (clock_hz) miniuart_configure(u, 115200, 8, 1, false);
    ng_reg_write32(regs + MU_IER, MU_IER_RX);
}

bool miniuart_configure(miniuart_t *u, uint32_t baud, unsigned data_bits, unsigned stop_bits, bool parity)
{
    if (parity || stop_bits != 1 || (data_bits != 7 && data_bits != 8)) return false;
    if (baud == 0 || u->clock_hz == 0) return false;
    uint32_t div = u->clock_hz / (8u * baud);
    if (div == 0 || div - 1 > 0xffffu) return false;
    /* Let the transmitter drain first: a divisor change mid-byte garbles it. */
    while (!(ng_reg_read32(u->base + MU_LSR) & (1u << 6))) {
    }
    ng_reg_write32(u->base + MU_CNTL, 0);
    ng_reg_write32(u->base + MU_LCR, data_bits == 8 ? MU_LCR_8BIT : 0);
    ng_reg_write32(u->base + MU_BAUD, div - 1);
    ng_reg_write32(u->base + MU_CNTL, MU_CNTL_RX_TX);
    return true;
}

void miniuart_putc(miniuart_t *u, uint8_t c)
{
    while (!(ng_reg_read32(u->base + MU_LSR) & MU_LSR_TX_EMPTY)) {
    }
    ng_reg_write32(u->base + MU_IO, c);
}

int miniuart_getc(miniuart_t *u)
{
    if (!(ng_reg_read32(u->base + MU_LSR) & MU_LSR_DATA_READY)) return -1;
    return (int)(ng_reg_read32(u->base + MU_IO) & 0xffu);
}
