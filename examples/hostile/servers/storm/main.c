/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Exits as soon as it starts; its policy is restart "always". The root server restarts it at a
 * bounded rate and then gives up on it. `started` counts the runs of this copy of the program:
 * every restart loads a fresh one, so it always prints 1.
 */
#include <stdio.h>

static int started;

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    started++;
    printf("storm: started (%d in this copy), exiting at once\n", started);
    return 0;
}
