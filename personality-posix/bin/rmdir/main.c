/* SPDX-License-Identifier: BSD-2-Clause */
/* rmdir dir...: removes each empty directory. */
#include <unistd.h>

#include "util.h"

int main(int argc, char **argv)
{
    char seen[128];
    int first = util_flags(argc, argv, "", seen);
    if (first < 0 || first == argc) return util_usage("rmdir dir...");
    int bad = 0;
    for (int i = first; i < argc; i++)
        if (rmdir(argv[i]) != 0) bad |= util_fail(argv[i]);
    return bad;
}
