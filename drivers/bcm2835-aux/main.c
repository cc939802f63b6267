/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Raspberry Pi's mini UART driver (BCM2835 AUX): serves the `serial` interface like the PL011
 * driver. Output goes straight to the transmitter; input arrives by interrupt, is buffered, and
 * wakes a client that asked to be notified. The line is set to 115200 8N1 from the core clock the
 * platform table gives (UART_CLOCK_HZ_AUX; 0 keeps what the firmware set); `configure` changes
 * the baud rate and 7 or 8 data bits (the mini UART has no parity and one stop bit). The seL4
 * kernel prints its own messages on this UART too (it polls; they interleave by line at most).
 * The system must name this server `uart` and its device `aux` (constants UART_*_AUX).
 */
#include <stdbool.h>
#include <stdio.h>

#include <neptune/dev.h>

#include "server_gen.h"
#include "miniuart.h"

#define RX_BUF 256

typedef struct uart {
    miniuart_t dev;
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
    for (size_t i = 0; i < req->data.len; i++) miniuart_putc(&u->dev, req->data.ptr[i]);
    rep->written = (uint32_t)req->data.len;
    return NG_OK;
}

static void uart_write_nowait(void *ctx, ng_call_t *call, const serial_write_nowait_req_t *req)
{
    uart_t *u = ctx;
    (void)call;
    for (size_t i = 0; i < req->data.len; i++) miniuart_putc(&u->dev, req->data.ptr[i]);
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
    if (!miniuart_configure(&u->dev, c->baud, c->data_bits, c->stop_bits, c->parity != SERIAL_PARITY_NONE)) {
        return SERIAL_ERR_UNSUPPORTED;
    }
    return NG_OK;
}

/* An interrupt (the driver's only notification source): drain the receive FIFO into the
 * buffer, then acknowledge. */
static void uart_notify(void *ctx, ng_badge_t bits)
{
    uart_t *u = ctx;
    (void)bits;
    for (int c; (c = miniuart_getc(&u->dev)) >= 0;) {
        if (u->rx_len == RX_BUF) {
            u->overrun = true;
            continue;
        }
        u->rx[(u->rx_head + u->rx_len) % RX_BUF] = (uint8_t)c;
        u->rx_len++;
    }
    /* The receive interrupt clears itself with the FIFO drained. */
    ng_irq_ack(UART_CAP_IRQ_AUX);
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
    miniuart_init(&u.dev, UART_VADDR_AUX + UART_VADDR_AUX_OFFSET, UART_CLOCK_HZ_AUX);
    ng_irq_ack(UART_CAP_IRQ_AUX);
    printf("uart: mini UART registers at %#lx, IRQ handler in slot %u\n",
           (unsigned long)(UART_VADDR_AUX + UART_VADDR_AUX_OFFSET),
           (unsigned)UART_CAP_IRQ_AUX);
    uart_server_init(&u.srv);
    uart_serve(&u.srv, &ops, &u);
    return 0;
}
