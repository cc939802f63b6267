/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * 16550 register logic (NS16550A data sheet): RBR/THR data, IER interrupt enable, FCR FIFO
 * control, LCR line control (DLAB bit 7 exposes the divisor latch DLL/DLM at offsets 0 and 1),
 * LSR line status. The divisor is clock / (16 * baud). The registers are bytes in memory, or
 * I/O ports on x86. The receive interrupt clears itself once
 * RBR is read empty.
 */
#include <neptune/dev.h>

#include "uart16550.h"

#define U_RBR 0 /* receive buffer (read), transmit holding (write), DLL with DLAB */
#define U_IER 1 /* interrupt enable, DLM with DLAB */
#define U_FCR 2 /* FIFO control (write) */
#define U_LCR 3
#define U_LSR 5

#define U_IER_RX 0x01u
#define U_FCR_ENABLE_CLEAR 0x07u /* FIFOs on, both cleared */
#define U_LCR_DLAB 0x80u
#define U_LCR_STOP2 0x04u
#define U_LCR_PARITY 0x08u
#define U_LCR_EVEN 0x10u
#define U_LSR_DATA 0x01u
#define U_LSR_THRE 0x20u /* transmit holding register empty */
#define U_LSR_TEMT 0x40u /* transmitter idle */

static uint8_t rd(uart16550_t *u, unsigned reg)
{
#if defined(CONFIG_ARCH_X86)
    if (u->ioport) return ng_port_in8(u->ioport, (uint16_t)(u->base + reg));
#endif
    return ng_reg_read8(u->base + reg);
}

static void wr(uart16550_t *u, unsigned reg, uint8_t v)
{
#if defined(CONFIG_ARCH_X86)
    if (u->ioport) {
        ng_port_out8(u->ioport, (uint16_t)(u->base + reg), v);
        return;
    }
#endif
    ng_reg_write8(u->base + reg, v);
}

void uart16550_init(uart16550_t *u, uintptr_t base, ng_cptr_t ioport, uint32_t clock_hz)
{
    u->base = base;
    u->ioport = ioport;
    u->clock_hz = clock_hz;
    wr(u, U_FCR, U_FCR_ENABLE_CLEAR);
    if (clock_hz) uart16550_configure(u, 115200, 8, 1, 0);
    wr(u, U_IER, U_IER_RX);
}

bool uart16550_configure(uart16550_t *u, uint32_t baud, unsigned data_bits, unsigned stop_bits, unsigned parity)
{
    if (data_bits < 5 || data_bits > 8 || stop_bits < 1 || stop_bits > 2 || parity > 2) return false;
    if (baud == 0 || u->clock_hz == 0) return false;
    uint32_t div = (u->clock_hz + 8u * baud) / (16u * baud);
    if (div == 0 || div > 0xffffu) return false;
    uint8_t lcr = (uint8_t)(data_bits - 5);
    if (stop_bits == 2) lcr |= U_LCR_STOP2;
    if (parity) lcr |= U_LCR_PARITY | (parity == 2 ? U_LCR_EVEN : 0);
    while (!(rd(u, U_LSR) & U_LSR_TEMT)) {
    }
    uint8_t ier = rd(u, U_IER);
    wr(u, U_LCR, U_LCR_DLAB);
    wr(u, U_RBR, (uint8_t)(div & 0xffu));
    wr(u, U_IER, (uint8_t)(div >> 8));
    wr(u, U_LCR, lcr);
    wr(u, U_IER, ier);
    return true;
}

void uart16550_putc(uart16550_t *u, uint8_t c)
{
    while (!(rd(u, U_LSR) & U_LSR_THRE)) {
    }
    wr(u, U_RBR, c);
}

int uart16550_getc(uart16550_t *u)
{
    if (!(rd(u, U_LSR) & U_LSR_DATA)) return -1;
    return rd(u, U_RBR);
}
