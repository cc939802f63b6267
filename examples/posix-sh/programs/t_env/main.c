/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shell test's environment probe: for each NAME, writes `NAME=value` from its environment,
 * or `NAME unset`; `t_env -p` writes its parent's pid (`ppid=N`). Plain POSIX C.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *v = getenv(argv[i]);
        if (strcmp(argv[i], "-p") == 0) printf("ppid=%d\n", (int)getppid());
        else if (v != NULL) printf("%s=%s\n", argv[i], v);
        else printf("%s unset\n", argv[i]);
    }
    return 0;
}
