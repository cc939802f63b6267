/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console of the command prompt (console.h). serial.read never blocks: with nothing typed the
 * prompt waits on its notification, which the driver signals when bytes arrive (rx_notify).
 * Bytes typed ahead of a line's end stay here for the next line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "console.h"

#define CTRL(c) ((c) & 0x1f)

static serial_client_t con;
static ng_cptr_t ntfn;
static char in[SERIAL_MAX_CHUNK];
static size_t in_len, in_pos;
static int after_cr;
/* Echo of typed bytes, written in one piece per chunk of input rather than a call per byte. */
static char echo[SERIAL_MAX_CHUNK];
static size_t echo_len;

static void echo_flush(void)
{
    size_t n = echo_len;
    echo_len = 0;
    con_write(echo, n);
}

static void echo_add(const char *p, size_t n)
{
    if (echo_len + n > sizeof echo) echo_flush();
    memcpy(echo + echo_len, p, n);
    echo_len += n;
}

void con_init(serial_client_t serial, ng_cptr_t rx_ntfn)
{
    con = serial;
    ntfn = rx_ntfn;
    (void)serial_rx_notify(&con, ntfn);
}

void con_write(const char *p, size_t n)
{
    while (n > 0) {
        size_t k = n < SERIAL_MAX_CHUNK ? n : SERIAL_MAX_CHUNK;
        uint32_t w = 0;
        if (serial_write(&con, ng_bytes(p, k), &w) != NG_OK || w == 0) return;
        p += w;
        n -= w;
    }
}

void con_puts(const char *s)
{
    con_write(s, strlen(s));
}

void con_printf(const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    con_write(text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
}

/* The next typed byte, waiting for one; -1 when the driver fails. */
static int next_byte(void)
{
    while (in_pos == in_len) {
        echo_flush();
        ng_bytes_t got = { NULL, 0 };
        int err = serial_read(&con, (uint32_t)sizeof in, &got);
        if (err != NG_OK && err != SERIAL_ERR_OVERRUN) return -1;
        if (got.len == 0) {
            ng_wait(ntfn); /* read first: input may have come before the notification */
            continue;
        }
        in_len = got.len <= sizeof in ? got.len : sizeof in;
        memcpy(in, got.ptr, in_len);
        in_pos = 0;
    }
    return (unsigned char)in[in_pos++];
}

int con_poll_interrupt(void)
{
    /* Room at the end of the buffer for what has arrived. */
    if (in_pos > 0) {
        memmove(in, in + in_pos, in_len - in_pos);
        in_len -= in_pos;
        in_pos = 0;
    }
    if (in_len < sizeof in) {
        ng_bytes_t got = { NULL, 0 };
        int err = serial_read(&con, (uint32_t)(sizeof in - in_len), &got);
        if ((err == NG_OK || err == SERIAL_ERR_OVERRUN) && got.len > 0) {
            size_t n = got.len <= sizeof in - in_len ? got.len : sizeof in - in_len;
            memcpy(in + in_len, got.ptr, n);
            in_len += n;
        }
    }
    for (size_t i = 0; i < in_len; i++) {
        if (in[i] == CTRL('C')) {
            /* As a terminal does: what was typed before the interrupt goes with it. */
            memmove(in, in + i + 1, in_len - i - 1);
            in_len -= i + 1;
            return 1;
        }
    }
    return 0;
}

int con_read_line(char *buf, size_t cap)
{
    size_t len = 0;
    for (;;) {
        int c = next_byte();
        if (c < 0) {
            echo_flush();
            return -1;
        }
        if (c == '\n' && after_cr) { /* "\r\n" ends one line */
            after_cr = 0;
            continue;
        }
        after_cr = c == '\r';
        if (c == '\r' || c == '\n') {
            echo_add("\n", 1);
            echo_flush();
            buf[len] = 0;
            return (int)len;
        } else if (c == 0x7f || c == '\b') {
            if (len > 0) {
                len--;
                echo_add("\b \b", 3);
            }
        } else if (c == CTRL('U')) {
            while (len > 0) {
                len--;
                echo_add("\b \b", 3);
            }
        } else if (c == CTRL('C')) {
            echo_add("^C\n", 3);
            echo_flush();
            buf[0] = 0;
            return 0;
        } else if (c >= ' ' || c == '\t') {
            if (len + 1 < cap) {
                char ch = (char)c;
                buf[len++] = ch;
                echo_add(&ch, 1);
            }
        }
    }
}
