/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The 16550 UART driver: serves the `serial` interface like the PL011 driver (QEMU RISC-V virt's
 * console). Output goes to the transmitter; input arrives by interrupt, is buffered, and wakes a
 * client that asked to be notified. The line is set to 115200 8N1 from the input clock the
 * platform table gives (UART_CLOCK_HZ_NS16550; 0 keeps what the firmware set) and can be changed
 * with `configure`. The system must name this server `uart` and its device `ns16550` (constants
 * UART_*_NS16550).
 */
#include <stdbool.h>
#include <stdio.h>

#include <neptune/dev.h>

#include "server_gen.h"
#include "uart16550.h"

#define RX_BUF 256

/* Memory-mapped registers (the layout defines an offset only for registers that do not start
 * the window), or, on x86, I/O ports through a cap. */
#if defined(UART_CAP_IOPORT_NS16550)
#define UART_REGS UART_IOPORT_NS16550
#define UART_IOPORT_CAP UART_CAP_IOPORT_NS16550
#else
#ifndef UART_VADDR_NS16550_OFFSET
#define UART_VADDR_NS16550_OFFSET 0
#endif
#define UART_REGS (UART_VADDR_NS16550 + UART_VADDR_NS16550_OFFSET)
#define UART_IOPORT_CAP 0
#endif

typedef struct uart {
    uart16550_t dev;
    uint8_t rx[RX_BUF];
    unsigned rx_head, rx_len;
    bool overrun;
    ng_cptr_t rx_ntfn; /* a client's notification to signal on input, or 0 */
    ng_server_t srv;
} uart_t;

static int uart_write(void *ctx, ng_call_t *call, const serial_write_req_t *req, serial_write_rep_t *rep)
{
    uart_t *u = ctx;
    (void)call;
    for (size_t i = 0; i < req->data.len; i++) uart16550_putc(&u->dev, req->data.ptr[i]);
    rep->written = (uint32_t)req->data.len;
    return NG_OK;
}

static void uart_write_nowait(void *ctx, ng_call_t *call, const serial_write_nowait_req_t *req)
{
    uart_t *u = ctx;
    (void)call;
    for (size_t i = 0; i < req->data.len; i++) uart16550_putc(&u->dev, req->data.ptr[i]);
}

static int uart_read(void *ctx, ng_call_t *call, const serial_read_req_t *req, serial_read_rep_t *rep)
{
    static uint8_t out[SERIAL_MAX_CHUNK];
    uart_t *u = ctx;
    (void)call;
    if (u->overrun) {
        u->overrun = false;
        return SERIAL_ERR_OVERRUN;
    }
    size_t n = req->max < u->rx_len ? req->max : u->rx_len;
    if (n > sizeof(out)) n = sizeof(out);
    for (size_t i = 0; i < n; i++) out[i] = u->rx[(u->rx_head + i) % RX_BUF];
    u->rx_head = (u->rx_head + (unsigned)n) % RX_BUF;
    u->rx_len -= (unsigned)n;
    rep->data = ng_bytes(out, n);
    return NG_OK;
}

static void uart_rx_notify(void *ctx, ng_call_t *call, const serial_rx_notify_req_t *req)
{
    uart_t *u = ctx;
    /* Keep the cap: it arrived in the receive slot, which the loop empties after dispatch. */
    if (u->rx_ntfn) ng_cap_delete(u->rx_ntfn);
    u->rx_ntfn = 0;
    if (ng_cap_move(call->server, req->n, UART_SLOT_FREE_FIRST) == NG_OK) u->rx_ntfn = UART_SLOT_FREE_FIRST;
    /* Input that arrived before the client asked would otherwise wait for the next interrupt. */
    if (u->rx_ntfn && u->rx_len) ng_signal(u->rx_ntfn);
}

static int uart_configure(void *ctx, ng_call_t *call, const serial_configure_req_t *req)
{
    uart_t *u = ctx;
    (void)call;
    const serial_line_config_t *c = &req->cfg;
    unsigned parity = c->parity == SERIAL_PARITY_ODD ? 1u : c->parity == SERIAL_PARITY_EVEN ? 2u : 0u;
    if (!uart16550_configure(&u->dev, c->baud, c->data_bits, c->stop_bits, parity)) return SERIAL_ERR_UNSUPPORTED;
    return NG_OK;
}

/* An interrupt (the driver's only notification source): drain the receive FIFO into the
 * buffer, then acknowledge. */
static void uart_notify(void *ctx, ng_badge_t bits)
{
    uart_t *u = ctx;
    (void)bits;
    for (int c; (c = uart16550_getc(&u->dev)) >= 0;) {
        if (u->rx_len == RX_BUF) {
            u->overrun = true;
            continue;
        }
        u->rx[(u->rx_head + u->rx_len) % RX_BUF] = (uint8_t)c;
        u->rx_len++;
    }
    /* The receive interrupt clears itself with the FIFO drained. */
    ng_irq_ack(UART_CAP_IRQ_NS16550);
    if (u->rx_ntfn && u->rx_len) ng_signal(u->rx_ntfn);
}

static const serial_ops_t serial_ops = {
    .write = uart_write,
    .write_nowait = uart_write_nowait,
    .read = uart_read,
    .rx_notify = uart_rx_notify,
    .configure = uart_configure,
};

static const uart_server_ops_t ops = { .serial = &serial_ops, .notify = uart_notify };

int main(void)
{
    static uart_t u;
    uart16550_init(&u.dev, UART_REGS, UART_IOPORT_CAP, UART_CLOCK_HZ_NS16550);
    ng_irq_ack(UART_CAP_IRQ_NS16550);
    printf("uart: 16550 registers at %#lx%s, IRQ handler in slot %u\n", (unsigned long)UART_REGS,
           UART_IOPORT_CAP ? " (I/O ports)" : "",
           (unsigned)UART_CAP_IRQ_NS16550);
    uart_server_init(&u.srv);
    uart_serve(&u.srv, &ops, &u);
    return 0;
}
