/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cp [-r] src dst, cp [-r] src... dir: copies files; -r copies directory trees. A target that
 * is an existing directory receives the sources under their own names.
 */
#include <sys/stat.h>

#include "tree.h"
#include "util.h"

int main(int argc, char **argv)
{
    char seen[128];
    int first = util_flags(argc, argv, "rR", seen);
    if (first < 0 || argc - first < 2) return util_usage("cp [-r] src... dst");
    const char *target = argv[argc - 1];
    struct stat st;
    int into = stat(target, &st) == 0 && S_ISDIR(st.st_mode);
    if (!into && argc - first > 2) return util_say("target is not a directory");
    int bad = 0;
    for (int i = first; i < argc - 1; i++) {
        char name[UTIL_NAME], dst[UTIL_PATH];
        util_basename(name, sizeof name, argv[i]);
        if (into && util_join(dst, sizeof dst, target, name) != 0) {
            bad |= util_fail(argv[i]);
            continue;
        }
        bad |= tree_copy(argv[i], into ? dst : target, seen['r'] || seen['R']) != 0;
    }
    return bad;
}
