/* SPDX-License-Identifier: BSD-2-Clause */
/* Sizes and dump lines of the command prompt (format.h). */
#include <stdio.h>
#include <string.h>

#include "format.h"

void cmd_fmt_thousands(uint64_t v, char *out, size_t cap)
{
    char digits[32], tmp[40];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) tmp[k++] = ',';
        tmp[k++] = digits[i];
    }
    tmp[k] = 0;
    snprintf(out, cap, "%s", tmp);
}

void cmd_fmt_hex_line(uint64_t off, const uint8_t *p, size_t n, char *out, size_t cap)
{
    char line[CMD_HEX_LINE_MAX + 1];
    size_t k = (size_t)snprintf(line, sizeof line, "%08llx ", (unsigned long long)off);
    if (n > 16) n = 16;
    for (size_t i = 0; i < 16; i++) {
        if (i == 8) line[k++] = ' ';
        if (i < n) k += (size_t)snprintf(line + k, sizeof line - k, " %02x", p[i]);
        else k += (size_t)snprintf(line + k, sizeof line - k, "   ");
    }
    k += (size_t)snprintf(line + k, sizeof line - k, "  |");
    for (size_t i = 0; i < n; i++) line[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
    line[k++] = '|';
    line[k] = 0;
    snprintf(out, cap, "%s", line);
}
