/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rm [-rf] path...: removes files; -r also directories and everything below them; -f says
 * nothing about paths that do not exist (and allows no operands).
 */
#include <errno.h>
#include <sys/stat.h>

#include "tree.h"
#include "util.h"

int main(int argc, char **argv)
{
    char seen[128];
    int first = util_flags(argc, argv, "rRf", seen);
    if (first < 0 || (first == argc && !seen['f'])) return util_usage("rm [-rf] path...");
    int recursive = seen['r'] || seen['R'], bad = 0;
    for (int i = first; i < argc; i++) {
        struct stat st;
        if (seen['f'] && stat(argv[i], &st) != 0 && errno == ENOENT) continue;
        bad |= tree_remove(argv[i], recursive) != 0;
    }
    return bad;
}
