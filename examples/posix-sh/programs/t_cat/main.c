/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shell test's cat: copies each file named (or its standard input) to its standard output;
 * a file it cannot open is reported on stderr (`t_cat: F: No such file or directory`) and makes
 * the status 1. Plain POSIX C.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int copy(int fd)
{
    char buf[512];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        if (write(1, buf, (size_t)n) != n) return -1;
    return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    int status = 0;
    if (argc == 1) return copy(0) ? 1 : 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "t_cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (copy(fd)) status = 1;
        close(fd);
    }
    return status;
}
