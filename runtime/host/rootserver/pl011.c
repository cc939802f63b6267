/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A PL011 UART model (ARM PrimeCell UART PL011 TRM, DDI 0183): what a driver written against the
 * registers sees on the host. Bytes written to DR go to stdout, a line at a time (so they do not
 * interleave mid-line with other servers' printf); bytes read from stdin fill the receive FIFO,
 * and the receive and receive-timeout interrupts follow it as a level-triggered line. The
 * transmit FIFO never fills and raises no interrupt; line settings are kept but mean nothing.
 * The first PL011 made is the console: it alone reads stdin.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "models.h"

#define DR 0x00
#define RSR 0x04
#define FR 0x18
#define IBRD 0x24
#define FBRD 0x28
#define LCR_H 0x2c
#define CR 0x30
#define IFLS 0x34
#define IMSC 0x38
#define RIS 0x3c
#define MIS 0x40
#define ICR 0x44
#define PERIPH_ID 0xfe0

#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)

#define RX_FIFO 256
#define LINE_MAX 256

typedef struct pl011_model {
    pthread_mutex_t lock;
    pthread_cond_t room;
    ng_host_object_t *irq;
    uint8_t rx[RX_FIFO];
    unsigned rx_head, rx_len;
    uint32_t imsc, ibrd, fbrd, lcr_h, cr, ifls;
    char line[LINE_MAX];
    size_t line_len;
    unsigned line_idle; /* flusher ticks since the last byte of an unfinished line */
} pl011_model_t;

static const uint8_t periph_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

/* Lock held. */
static uint32_t raw_status(const pl011_model_t *u)
{
    return u->rx_len ? (INT_RX | INT_RT) : 0;
}

/* Lock held: the interrupt line is the masked status. */
static void irq_update(pl011_model_t *u)
{
    if (u->irq) {
        ng_host_irq_set_level(u->irq, (raw_status(u) & u->imsc) != 0);
    }
}

/* Lock held. */
static void flush_line(pl011_model_t *u)
{
    if (u->line_len == 0) {
        return;
    }
    flockfile(stdout);
    fwrite(u->line, 1, u->line_len, stdout);
    fflush(stdout);
    funlockfile(stdout);
    u->line_len = 0;
}

static uint32_t pl011_read32(void *dev, uintptr_t off)
{
    pl011_model_t *u = dev;
    uint32_t v = 0;
    pthread_mutex_lock(&u->lock);
    switch (off) {
    case DR:
        if (u->rx_len) {
            v = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % RX_FIFO;
            u->rx_len--;
            pthread_cond_signal(&u->room);
            irq_update(u);
        }
        break;
    case FR:
        v = FR_TXFE | (u->rx_len ? 0 : FR_RXFE);
        break;
    case IBRD:
        v = u->ibrd;
        break;
    case FBRD:
        v = u->fbrd;
        break;
    case LCR_H:
        v = u->lcr_h;
        break;
    case CR:
        v = u->cr;
        break;
    case IFLS:
        v = u->ifls;
        break;
    case IMSC:
        v = u->imsc;
        break;
    case RIS:
        v = raw_status(u);
        break;
    case MIS:
        v = raw_status(u) & u->imsc;
        break;
    default:
        if (off >= PERIPH_ID && off < PERIPH_ID + 4 * sizeof periph_id) {
            v = periph_id[(off - PERIPH_ID) / 4];
        }
        break;
    }
    pthread_mutex_unlock(&u->lock);
    return v;
}

static void pl011_write32(void *dev, uintptr_t off, uint32_t value)
{
    pl011_model_t *u = dev;
    pthread_mutex_lock(&u->lock);
    switch (off) {
    case DR:
        u->line[u->line_len++] = (char)(value & 0xff);
        u->line_idle = 0;
        if ((value & 0xff) == '\n' || u->line_len == LINE_MAX) {
            flush_line(u);
        }
        break;
    case IBRD:
        u->ibrd = value & 0xffff;
        break;
    case FBRD:
        u->fbrd = value & 0x3f;
        break;
    case LCR_H:
        u->lcr_h = value & 0xff;
        break;
    case CR:
        u->cr = value & 0xffff;
        break;
    case IFLS:
        u->ifls = value & 0x3f;
        break;
    case IMSC:
        u->imsc = value & 0x7ff;
        irq_update(u);
        break;
    case ICR:
        /* Receive interrupts follow the FIFO: they clear when it is drained. */
        irq_update(u);
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&u->lock);
}

const ng_host_dev_ops_t hr_pl011_ops = { .read32 = pl011_read32, .write32 = pl011_write32 };

/* A terminal on stdin is put in raw mode while the system runs, as QEMU does with its serial
 * console: every key goes to the UART as typed (^C included), and the system echoes. */
static struct termios saved_tty;

static void restore_tty(void)
{
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

static void raw_tty(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty) != 0) {
        return;
    }
    struct termios raw = saved_tty;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0) {
        atexit(restore_tty);
    }
}

/* The console's receive side: stdin into the FIFO, waiting while it is full. Ends at EOF. */
static void *stdin_reader(void *arg)
{
    pl011_model_t *u = arg;
    uint8_t buf[64];
    ssize_t n;
    raw_tty();
    bool escape = false;
    while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) {
        pthread_mutex_lock(&u->lock);
        for (ssize_t i = 0; i < n; i++) {
            /* Ctrl-A X quits, as in QEMU (a raw terminal sends no SIGINT). */
            if (escape && (buf[i] == 'x' || buf[i] == 'X')) {
                printf("\nneptune host: Ctrl-A X: quitting\n");
                exit(0);
            }
            escape = buf[i] == 0x01;
            if (escape) {
                continue;
            }
            while (u->rx_len == RX_FIFO) {
                pthread_cond_wait(&u->room, &u->lock);
            }
            u->rx[(u->rx_head + u->rx_len) % RX_FIFO] = buf[i];
            u->rx_len++;
            irq_update(u);
        }
        pthread_mutex_unlock(&u->lock);
    }
    return NULL;
}

/* Whole lines go out at once (so other threads' output does not cut into them); an unfinished
 * one — a prompt waiting for input — goes out once nothing has been added to it for 200 ms. */
static void *line_flusher(void *arg)
{
    pl011_model_t *u = arg;
    const struct timespec tick = { 0, 25 * 1000 * 1000 };
    for (;;) {
        nanosleep(&tick, NULL);
        pthread_mutex_lock(&u->lock);
        if (u->line_len > 0 && ++u->line_idle >= 8) {
            flush_line(u);
        }
        pthread_mutex_unlock(&u->lock);
    }
    return NULL;
}

void *hr_pl011_create(ng_host_object_t *irq)
{
    static bool console_taken;
    pl011_model_t *u = calloc(1, sizeof *u);
    if (!u) {
        return NULL;
    }
    pthread_mutex_init(&u->lock, NULL);
    pthread_cond_init(&u->room, NULL);
    u->irq = irq;
    u->cr = 0x301; /* UARTEN, TXE, RXE: as firmware or QEMU leave it */
    u->lcr_h = 0x70;
    if (!console_taken) {
        console_taken = true;
        pthread_t t;
        if (pthread_create(&t, NULL, stdin_reader, u) == 0) {
            pthread_detach(t);
        }
        if (pthread_create(&t, NULL, line_flusher, u) == 0) {
            pthread_detach(t);
        }
    }
    return u;
}
