/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shell test's echo: writes its arguments separated by spaces and a newline. With -a first,
 * writes each argument in brackets instead (`[a b] [c]`), to show where words begin and end.
 * Plain POSIX C.
 */
#include <string.h>
#include <unistd.h>

static int failed;

/* Keeps going after a failed write (a pipe whose reader is gone: EPIPE) but remembers it. */
static void put(const char *s)
{
    if (write(1, s, strlen(s)) < 0) failed = 1;
}

int main(int argc, char **argv)
{
    int brackets = argc > 1 && strcmp(argv[1], "-a") == 0;
    for (int i = 1 + brackets; i < argc; i++) {
        if (i > 1 + brackets) put(" ");
        put(brackets ? "[" : "");
        put(argv[i]);
        put(brackets ? "]" : "");
    }
    put("\n");
    return failed;
}
