/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Spawned by ptest as `pchild FILE STATUS` with GREETING in its environment: writes who it is
 * and the greeting into FILE and exits with STATUS.
 * Plain POSIX C.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "pchild: usage: pchild FILE STATUS\n");
        return 2;
    }
    char line[96];
    const char *greeting = getenv("GREETING");
    int n = snprintf(line, sizeof line, "pchild pid %d parent %d: %s\n", (int)getpid(), (int)getppid(),
                     greeting ? greeting : "(no GREETING)");
    int fd = open(argv[1], O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0 || write(fd, line, (size_t)n) != n || close(fd) != 0) {
        perror("pchild");
        return 3;
    }
    printf("pchild: wrote %s", line);
    exit(atoi(argv[2]));
}
