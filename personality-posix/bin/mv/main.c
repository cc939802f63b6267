/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mv src dst, mv src... dir: renames; a target that is an existing directory receives the
 * sources under their own names. Across file systems (rename fails with EXDEV) the source is
 * copied (trees too) and then removed.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "tree.h"
#include "util.h"

static int move(const char *src, const char *dst)
{
    if (rename(src, dst) == 0) return 0;
    if (errno != EXDEV) return util_fail(src);
    if (tree_copy(src, dst, 1) != 0) return 1;
    return tree_remove(src, 1) != 0;
}

int main(int argc, char **argv)
{
    char seen[128];
    int first = util_flags(argc, argv, "", seen);
    if (first < 0 || argc - first < 2) return util_usage("mv src... dst");
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
        bad |= move(argv[i], into ? dst : target);
    }
    return bad;
}
