/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ls [-la] [path...]: each directory's entries sorted by name (without -a, not those whose name
 * starts with a dot), each other path as itself. -l: one per line as "<type><mode> <size>
 * <name>", e.g. "-rw-r--r--      12 notes.txt" (no owners or times: the layer has neither).
 * Several paths: files first, then each directory under a "path:" title.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static char seen[128];

static void show(const char *name, const struct stat *st)
{
    if (!seen['l']) {
        printf("%s\n", name);
        return;
    }
    char mode[11];
    mode[0] = S_ISDIR(st->st_mode) ? 'd' : S_ISFIFO(st->st_mode) ? 'p' : S_ISCHR(st->st_mode) ? 'c' : S_ISBLK(st->st_mode) ? 'b' : '-';
    for (int i = 0; i < 9; i++) mode[1 + i] = st->st_mode & (0400 >> i) ? "rwxrwxrwx"[i] : '-';
    mode[10] = '\0';
    printf("%s %8lld %s\n", mode, (long long)st->st_size, name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) return util_fail(path);
    char **names = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' && !seen['a']) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **more = realloc(names, cap * sizeof *names);
            if (more == NULL) break;
            names = more;
        }
        if ((names[n] = strdup(e->d_name)) == NULL) break;
        n++;
    }
    closedir(d);
    if (n > 0) qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char full[1024];
        struct stat st = {0};
        if (seen['l'] && (util_join(full, sizeof full, path, names[i]) != 0 || stat(full, &st) != 0)) bad |= util_fail(names[i]);
        else show(names[i], &st);
        free(names[i]);
    }
    free(names);
    return bad;
}

int main(int argc, char **argv)
{
    int first = util_flags(argc, argv, "la", seen);
    if (first < 0) return util_usage("ls [-la] [path...]");
    if (first == argc) return list_dir(".");
    int bad = 0, shown = 0;
    struct stat st;
    for (int i = first; i < argc; i++) {
        if (stat(argv[i], &st) != 0) bad |= util_fail(argv[i]);
        else if (!S_ISDIR(st.st_mode)) {
            show(argv[i], &st);
            shown++;
        }
    }
    int titled = argc - first > 1;
    for (int i = first; i < argc; i++) {
        if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        if (titled) printf("%s%s:\n", shown++ ? "\n" : "", argv[i]);
        bad |= list_dir(argv[i]);
    }
    return bad;
}
