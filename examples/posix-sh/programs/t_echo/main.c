/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shell test's echo: writes its arguments separated by spaces and a newline. With -a first,
 * writes each argument in brackets instead (`[a b] [c]`), to show where words begin and end.
 * The line goes out in one write, so that nothing printed meanwhile lands inside it. Plain
 * POSIX C.
 */
#include <string.h>
#include <unistd.h>

static char line[4096];
static size_t len;

static void put(const char *s)
{
    size_t n = strlen(s);
    if (n > sizeof line - 1 - len) n = sizeof line - 1 - len;
    memcpy(line + len, s, n);
    len += n;
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
    line[len++] = '\n';
    /* A pipe whose reader is gone (EPIPE) is status 1. */
    return write(1, line, len) == (ssize_t)len ? 0 : 1;
}
