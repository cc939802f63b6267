/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sleep seconds: waits that long (a decimal number; fractions are allowed) through nanosleep.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "util.h"

int main(int argc, char **argv)
{
    util_prog = "sleep";
    char *end;
    double s = argc == 2 ? strtod(argv[1], &end) : -1;
    if (argc != 2 || *argv[1] == '\0' || *end != '\0' || !(s >= 0) || s > 1e9) {
        if (argc == 2) fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[1]);
        return util_usage("sleep seconds");
    }
    struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)}, left;
    while (nanosleep(&t, &left) != 0) {
        if (errno != EINTR) return util_fail("nanosleep");
        t = left;
    }
    return 0;
}
