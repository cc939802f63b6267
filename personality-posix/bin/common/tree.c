/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whole trees (tree.h). A directory is walked by opening it afresh for each entry removed, so
 * no readdir runs over a directory that is changing; copies read the source directory once per
 * entry index for the same reason (the target may be below the source: cp -r a a/b).
 */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int dots(const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

static int copy_file(const char *src, const char *dst)
{
    int in = open(src, O_RDONLY);
    if (in < 0) return util_fail(src);
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        close(in);
        return util_fail(dst);
    }
    int bad = util_copy_fd(in, out) != 0 ? util_fail(dst) : 0;
    close(in);
    if (close(out) != 0 && !bad) bad = util_fail(dst);
    return bad;
}

/* The index-th entry of dir other than . and .. into name; 1 found, 0 past the end, -1 error. */
static int nth_entry(const char *dir, long index, char *name, size_t size)
{
    DIR *d = opendir(dir);
    if (d == NULL) return -1;
    struct dirent *e;
    long i = 0;
    int found = 0;
    while ((e = readdir(d)) != NULL) {
        if (dots(e->d_name)) continue;
        if (i++ == index) {
            snprintf(name, size, "%s", e->d_name);
            found = 1;
            break;
        }
    }
    closedir(d);
    return found;
}

int tree_copy(const char *src, const char *dst, int recursive)
{
    struct stat st;
    if (stat(src, &st) != 0) return util_fail(src);
    if (!S_ISDIR(st.st_mode)) return copy_file(src, dst);
    if (!recursive) {
        errno = EISDIR;
        return util_fail(src);
    }
    if (mkdir(dst, 0755) != 0 && !(errno == EEXIST && stat(dst, &st) == 0 && S_ISDIR(st.st_mode))) return util_fail(dst);
    int bad = 0;
    char name[UTIL_NAME], from[UTIL_PATH], to[UTIL_PATH];
    for (long i = 0;; i++) {
        int r = nth_entry(src, i, name, sizeof name);
        if (r < 0) return bad + util_fail(src);
        if (r == 0) break;
        if (util_join(from, sizeof from, src, name) != 0 || util_join(to, sizeof to, dst, name) != 0) {
            bad += util_fail(name);
            continue;
        }
        bad += tree_copy(from, to, 1);
    }
    return bad;
}

int tree_remove(const char *path, int recursive)
{
    struct stat st;
    if (stat(path, &st) != 0) return util_fail(path);
    if (!S_ISDIR(st.st_mode)) return unlink(path) == 0 ? 0 : util_fail(path);
    if (!recursive) {
        errno = EISDIR;
        return util_fail(path);
    }
    char name[UTIL_NAME], child[UTIL_PATH];
    for (;;) {
        int r = nth_entry(path, 0, name, sizeof name);
        if (r < 0) return util_fail(path);
        if (r == 0) break;
        if (util_join(child, sizeof child, path, name) != 0) return util_fail(name);
        if (tree_remove(child, 1) != 0) return 1; /* it said why; do not loop on it */
    }
    return rmdir(path) == 0 ? 0 : util_fail(path);
}
