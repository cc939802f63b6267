/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host test of the POSIX layer's path arithmetic (path.c): normalising against a working
 * directory and matching mount prefixes on component boundaries. Prints one line per failed
 * case and exits non-zero if any failed.
 */
#include <stdio.h>
#include <string.h>

#include "../vfs.h"

static int failures;

static void norm(const char *cwd, const char *in, const char *want)
{
    char out[NG_POSIX_PATH_MAX];
    int r = ng_path_normalize(cwd, in, out, sizeof out);
    if (want == NULL ? r == 0 : (r != 0 || strcmp(out, want) != 0)) {
        printf("normalize(%s, %s) = %s, want %s\n", cwd, in, r ? "(error)" : out, want ? want : "(error)");
        failures++;
    }
}

static void below(const char *path, const char *prefix, const char *want)
{
    const char *r = ng_path_below(path, prefix);
    if (want == NULL ? r != NULL : (r == NULL || strcmp(r, want) != 0)) {
        printf("below(%s, %s) = %s, want %s\n", path, prefix, r ? r : "(none)", want ? want : "(none)");
        failures++;
    }
}

int main(void)
{
    norm("/", "/", "/");
    norm("/", "", "/");
    norm("/", "a/b", "/a/b");
    norm("/x/y", "a", "/x/y/a");
    norm("/x/y", "../a", "/x/a");
    norm("/x/y", "../../../a", "/a");
    norm("/", "/a//b///c/", "/a/b/c");
    norm("/", "/a/./b/.", "/a/b");
    norm("/", "/a/b/..", "/a");
    norm("/", "/..", "/");
    norm("/", "/a/..b/c", "/a/..b/c");
    norm("/", "/a/.../c", "/a/.../c");
    norm("/disk", "..", "/");
    char longp[600];
    memset(longp, 'a', sizeof longp - 1);
    longp[0] = '/';
    longp[sizeof longp - 1] = '\0';
    norm("/", longp, NULL);

    below("/disk", "/disk", "");
    below("/disk/a/b", "/disk", "a/b");
    below("/diskette/a", "/disk", NULL);
    below("/dis", "/disk", NULL);
    below("/tmp/x", "/", "tmp/x");
    below("/", "/", "");
    below("/disk", "/", "disk");

    printf("path_test: %d failures\n", failures);
    return failures != 0;
}
