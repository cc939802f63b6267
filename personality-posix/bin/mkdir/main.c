/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mkdir [-p] dir...: makes each directory; with -p also its missing parents, and a directory
 * that is already there is no error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int make_parents(const char *path)
{
    char buf[UTIL_PATH];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return util_fail(path);
    }
    /* Each prefix ending before a '/', then the whole path. */
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && !(errno == EEXIST && is_dir(buf))) {
            if (errno == EEXIST) errno = ENOTDIR;
            return util_fail(buf);
        }
        *p = c;
        while (*p == '/') p++;
        if (*p == '\0') return 0;
    }
}

int main(int argc, char **argv)
{
    char seen[128];
    int first = util_flags(argc, argv, "p", seen);
    if (first < 0 || first == argc) return util_usage("mkdir [-p] dir...");
    int bad = 0;
    for (int i = first; i < argc; i++) {
        if (seen['p']) bad |= make_parents(argv[i]);
        else if (mkdir(argv[i], 0755) != 0) bad |= util_fail(argv[i]);
    }
    return bad;
}
