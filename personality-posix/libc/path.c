/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path arithmetic of the POSIX layer, with no seL4 or IPC in it (host-tested): joining a path
 * to the working directory and normalising it ('.', '..', repeated '/'), and matching a
 * normalised path against a mount prefix on component boundaries.
 */
#include <string.h>

#include "vfs.h"

int ng_path_normalize(const char *cwd, const char *path, char *out, size_t size)
{
    char tmp[NG_POSIX_PATH_MAX * 2 + 2];
    size_t n = 0;
    if (path == NULL || size < 2) return -1;
    if (path[0] != '/') {
        size_t c = strlen(cwd);
        if (c + 1 >= sizeof tmp) return -1;
        memcpy(tmp, cwd, c);
        tmp[c] = '/';
        n = c + 1;
    }
    size_t p = strlen(path);
    if (n + p >= sizeof tmp) return -1;
    memcpy(tmp + n, path, p + 1);

    /* Walk components, keeping a stack of where each kept one starts in out. */
    size_t o = 0;
    const char *s = tmp;
    while (*s) {
        while (*s == '/') s++;
        if (!*s) break;
        const char *e = s;
        while (*e && *e != '/') e++;
        size_t len = (size_t)(e - s);
        if (len == 1 && s[0] == '.') {
            /* nothing */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--; /* the '/' before it */
        } else {
            if (o + 1 + len + 1 > size) return -1;
            out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
        }
        s = e;
    }
    if (o == 0) out[o++] = '/';
    out[o] = '\0';
    return 0;
}

const char *ng_path_below(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 1 && prefix[0] == '/') return path + 1;
    if (strncmp(path, prefix, n) != 0) return NULL;
    if (path[n] == '\0') return path + n;
    if (path[n] == '/') return path + n + 1;
    return NULL;
}
