/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hexdump [-C] [file...]: the files (none: standard input) as one stream in the canonical form
 * (always; -C is accepted for habit): the offset, 16 bytes in hex in two groups of 8, the same
 * bytes as text between bars ('.' for the unprintable), and the length on a last line.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "util.h"

static unsigned char row[16];
static size_t have;
static unsigned long offset;

static void flush_row(void)
{
    if (have == 0) return;
    printf("%08lx ", offset);
    for (size_t i = 0; i < 16; i++) {
        if (i % 8 == 0) putchar(' ');
        if (i < have) printf("%02x ", row[i]);
        else fputs("   ", stdout);
    }
    fputs(" |", stdout);
    for (size_t i = 0; i < have; i++) putchar(row[i] >= 0x20 && row[i] < 0x7f ? row[i] : '.');
    fputs("|\n", stdout);
    offset += have;
    have = 0;
}

static int dump(int fd, const char *name)
{
    unsigned char buf[4096];
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < got; i++) {
            row[have++] = buf[i];
            if (have == 16) flush_row();
        }
    return got < 0 ? util_fail(name) : 0;
}

int main(int argc, char **argv)
{
    char seen[128];
    int first = util_flags(argc, argv, "C", seen);
    if (first < 0) return util_usage("hexdump [-C] [file...]");
    int bad = 0;
    if (first == argc) bad = dump(0, "-");
    for (int i = first; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            bad |= util_fail(argv[i]);
            continue;
        }
        bad |= dump(fd, argv[i]);
        close(fd);
    }
    flush_row();
    if (offset > 0) printf("%08lx\n", offset);
    return bad;
}
