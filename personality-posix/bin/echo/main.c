/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * echo [-n] [string...]: the strings separated by single spaces, then a newline unless -n.
 * Only a first argument that is exactly "-n" is a flag (as in POSIX; no escapes).
 */
#include <stdio.h>
#include <string.h>

#include "util.h"

int main(int argc, char **argv)
{
    util_prog = "echo";
    int i = 1, newline = 1;
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = 0;
        i = 2;
    }
    for (int first = i; i < argc; i++) {
        if (i > first) putchar(' ');
        fputs(argv[i], stdout);
    }
    if (newline) putchar('\n');
    if (fflush(stdout) != 0) return util_fail("write error");
    return 0;
}
