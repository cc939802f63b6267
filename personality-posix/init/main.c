/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * init: the POSIX personality's first process, a boot server. It starts /bin/sh on the console
 * (its own descriptors 0-2) with a small environment and starts another when that one ends, as a
 * terminal's getty would. Plain POSIX C.
 */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    char *argv[] = {"sh", NULL};
    char *envp[] = {"PATH=/bin", "HOME=/tmp", "PWD=/", NULL};
    for (int round = 1;; round++) {
        pid_t pid;
        int rc = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, envp);
        if (rc != 0) {
            fprintf(stderr, "init: cannot start /bin/sh: %s\n", strerror(rc));
            return 1;
        }
        int status = 0;
        if (waitpid(pid, &status, 0) != pid) {
            perror("init: waitpid");
            return 1;
        }
        if (WIFEXITED(status)) printf("init: sh exited with status %d; starting another\n", WEXITSTATUS(status));
        else printf("init: sh ended by signal %d; starting another\n", WTERMSIG(status));
        if (round == 1000) return 1; /* a shell that cannot stay up: give up rather than spin */
    }
}
