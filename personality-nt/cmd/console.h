/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command prompt's console: output through the serial driver (the same path as the
 * executive's NtDisplayString, so the two never overtake each other), and line input with
 * echo, backspace and ^U, woken by the driver's rx notification.
 */
#ifndef CMD_CONSOLE_H
#define CMD_CONSOLE_H

#include <stddef.h>

#include "server_gen.h"

void con_init(serial_client_t serial, ng_cptr_t rx_ntfn);
void con_write(const char *p, size_t n);
void con_puts(const char *s);
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* While a program runs: takes what has been typed so far without waiting (it stays for the
 * prompt's next lines) and says whether a Ctrl-C is among it (taken out, with what was typed
 * before it). */
int con_poll_interrupt(void);

/* Reads one line (without its end) into buf[cap], echoing what is typed. Its length, or -1
 * when the serial driver fails. */
int con_read_line(char *buf, size_t cap);

#endif
