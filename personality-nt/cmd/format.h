/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command prompt's number and dump formats (pure: the host unit test compiles format.c
 * alone): sizes with thousands separators as `dir` prints them, and `dump`'s lines in the
 * layout of `hexdump -C` (offset, 16 bytes in two groups of 8, the printable characters).
 */
#ifndef CMD_FORMAT_H
#define CMD_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* 1234567 -> "1,234,567". */
void cmd_fmt_thousands(uint64_t v, char *out, size_t cap);

/* One dump line of n (1..16) bytes at offset `off`, without a newline. */
void cmd_fmt_hex_line(uint64_t off, const uint8_t *p, size_t n, char *out, size_t cap);

#define CMD_HEX_LINE_MAX 80

#endif
