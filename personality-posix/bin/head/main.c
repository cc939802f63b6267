/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * head [-n N] [file...]: the first N lines (default 10) of each file (none: standard input);
 * "==> name <==" before each of several files.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define USAGE "head [-n N] [file...]"

static int head(int fd, long lines)
{
    static char buf[4096];
    ssize_t got;
    while (lines > 0 && (got = read(fd, buf, sizeof buf)) > 0) {
        size_t keep = 0;
        while (keep < (size_t)got && lines > 0)
            if (buf[keep++] == '\n') lines--;
        if (util_write_all(1, buf, keep) != 0) return -1;
    }
    return lines > 0 && got < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    util_prog = "head";
    long lines = 10;
    int i = 1;
    if (i < argc && strncmp(argv[i], "-n", 2) == 0) {
        const char *v = argv[i][2] ? argv[i] + 2 : argv[++i];
        char *end;
        if (v == NULL || *v == '\0' || (lines = strtol(v, &end, 10), *end != '\0') || lines < 0) {
            fprintf(stderr, "head: invalid number of lines: %s\n", v ? v : "(none)");
            return util_usage(USAGE);
        }
        i++;
    }
    if (i < argc && strcmp(argv[i], "--") == 0) i++;
    else if (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') return util_usage(USAGE);
    if (i == argc) return head(0, lines) == 0 ? 0 : util_fail("-");
    int bad = 0;
    for (int first = i; i < argc; i++) {
        int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
        if (fd < 0) {
            bad |= util_fail(argv[i]);
            continue;
        }
        if (argc - first > 1) {
            char title[300];
            int n = snprintf(title, sizeof title, "%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
            util_write_all(1, title, (size_t)n < sizeof title ? (size_t)n : sizeof title - 1);
        }
        if (head(fd, lines) != 0) bad |= util_fail(argv[i]);
        if (fd != 0) close(fd);
    }
    return bad;
}
