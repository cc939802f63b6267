/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A model of the Raspberry Pi's mini UART (BCM2835 AUX, ARM Peripherals section 2.2): what a
 * driver written against its registers sees on the host. Offsets are from the AUX page, the mini
 * UART's registers starting at 0x40. Bytes written to IO go to stdout a line at a time; bytes from
 * stdin fill the receive FIFO, and the receive interrupt (IER bit 0) follows it as a level. The
 * transmitter is always ready; line control and baud divisor are kept but mean nothing.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "models.h"

#define MU_IO 0x40
#define MU_IER 0x44
#define MU_IIR 0x48
#define MU_LCR 0x4c
#define MU_LSR 0x54
#define MU_CNTL 0x60
#define MU_BAUD 0x68

#define LSR_DATA_READY 0x01u
#define LSR_TX_EMPTY 0x20u
#define LSR_TX_IDLE 0x40u

#define RX_FIFO 256
#define LINE_MAX 256

typedef struct miniuart_model {
    pthread_mutex_t lock;
    pthread_cond_t room;
    ng_host_object_t *irq;
    uint8_t rx[RX_FIFO];
    unsigned rx_head, rx_len;
    uint32_t ier, lcr, cntl, baud;
    char line[LINE_MAX];
    size_t line_len;
    unsigned line_idle; /* flusher ticks since the last byte of an unfinished line */
} miniuart_model_t;

/* Lock held. */
static void irq_update(miniuart_model_t *u)
{
    if (u->irq) ng_host_irq_set_level(u->irq, (u->ier & 1u) && u->rx_len);
}

static void flush_line(miniuart_model_t *u)
{
    fwrite(u->line, 1, u->line_len, stdout);
    fflush(stdout);
    u->line_len = 0;
}

static uint32_t mu_read32(void *dev, uintptr_t off)
{
    miniuart_model_t *u = dev;
    uint32_t v = 0;
    pthread_mutex_lock(&u->lock);
    switch (off) {
    case MU_IO:
        if (u->rx_len) {
            v = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % RX_FIFO;
            u->rx_len--;
            pthread_cond_signal(&u->room);
            irq_update(u);
        }
        break;
    case MU_IER:
        v = u->ier;
        break;
    case MU_IIR:
        v = u->rx_len ? 0xc4u : 0xc1u; /* receive pending, or none */
        break;
    case MU_LCR:
        v = u->lcr;
        break;
    case MU_LSR:
        v = LSR_TX_EMPTY | LSR_TX_IDLE | (u->rx_len ? LSR_DATA_READY : 0);
        break;
    case MU_CNTL:
        v = u->cntl;
        break;
    case MU_BAUD:
        v = u->baud;
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&u->lock);
    return v;
}

static void mu_write32(void *dev, uintptr_t off, uint32_t value)
{
    miniuart_model_t *u = dev;
    pthread_mutex_lock(&u->lock);
    switch (off) {
    case MU_IO:
        u->line[u->line_len++] = (char)(value & 0xff);
        u->line_idle = 0;
        if ((value & 0xff) == '\n' || u->line_len == LINE_MAX) flush_line(u);
        break;
    case MU_IER:
        u->ier = value & 3u;
        irq_update(u);
        break;
    case MU_LCR:
        u->lcr = value & 0xffu;
        break;
    case MU_CNTL:
        u->cntl = value & 0xffu;
        break;
    case MU_BAUD:
        u->baud = value & 0xffffu;
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&u->lock);
}

const ng_host_dev_ops_t hr_miniuart_ops = { .read32 = mu_read32, .write32 = mu_write32 };

/* The console's receive side: stdin into the FIFO, waiting while it is full. Ends at EOF. */
static void *stdin_reader(void *arg)
{
    miniuart_model_t *u = arg;
    uint8_t buf[64];
    ssize_t n;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) {
        pthread_mutex_lock(&u->lock);
        for (ssize_t i = 0; i < n; i++) {
            while (u->rx_len == RX_FIFO) pthread_cond_wait(&u->room, &u->lock);
            u->rx[(u->rx_head + u->rx_len) % RX_FIFO] = buf[i];
            u->rx_len++;
            irq_update(u);
        }
        pthread_mutex_unlock(&u->lock);
    }
    return NULL;
}

/* An unfinished line (a prompt) goes out once nothing has been added to it for 200 ms. */
static void *line_flusher(void *arg)
{
    miniuart_model_t *u = arg;
    const struct timespec tick = { 0, 25 * 1000 * 1000 };
    for (;;) {
        nanosleep(&tick, NULL);
        pthread_mutex_lock(&u->lock);
        if (u->line_len > 0 && ++u->line_idle >= 8) flush_line(u);
        pthread_mutex_unlock(&u->lock);
    }
    return NULL;
}

void *hr_miniuart_create(ng_host_object_t *irq)
{
    miniuart_model_t *u = calloc(1, sizeof *u);
    if (!u) return NULL;
    pthread_mutex_init(&u->lock, NULL);
    pthread_cond_init(&u->room, NULL);
    u->irq = irq;
    u->lcr = 3; /* 8 data bits, as the firmware leaves it */
    u->cntl = 3;
    pthread_t t;
    if (pthread_create(&t, NULL, stdin_reader, u) == 0) pthread_detach(t);
    if (pthread_create(&t, NULL, line_flusher, u) == 0) pthread_detach(t);
    return u;
}
