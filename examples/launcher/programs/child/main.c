/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A spawned child: prints its argv, calls echo through the one cap its spawner gave it (slot
 * CHILD_CAP_ECHO), and exits with the index it was given as argv[1].
 */
#include <stdio.h>
#include <stdlib.h>

#include "server_gen.h"

int main(int argc, char **argv)
{
    int index = argc > 1 ? atoi(argv[1]) : -1;
    echo_client_t echo = child_use_echo();
    uint64_t sum = 0;
    int err = echo_add(&echo, (uint64_t)index, 1, &sum);
    printf("child: argv = [%s, %s], echo.add(%d, 1) = %lu (%s)\n", argv[0], argc > 1 ? argv[1] : "",
           index, (unsigned long)sum, err == NG_OK && sum == (uint64_t)index + 1 ? "ok" : "FAILED");
    return index;
}
