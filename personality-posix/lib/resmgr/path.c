/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path helpers of the resource-manager library: lexical normalisation ('//', '.', '..'), the
 * component walk, splitting off the last name, and the component-boundary prefix test the
 * pathname manager resolves with. Lexical only: there are no symbolic links to follow.
 */
#include <string.h>

#include <resmgr/resmgr.h>

int resmgr_path_normalise(const char *path, size_t len, int absolute, char *out, size_t cap)
{
    size_t n = 0, i = 0;
    if (cap < 2) return -1;
    if (memchr(path, 0, len) != NULL) return -1;
    if (absolute) {
        if (len == 0 || path[0] != '/') return -1;
        out[n++] = '/';
    }
    size_t root = n; /* out[0..root) is never taken away by '..' */
    while (i < len) {
        while (i < len && path[i] == '/') i++;
        size_t s = i;
        while (i < len && path[i] != '/') i++;
        size_t c = i - s;
        if (c == 0 || (c == 1 && path[s] == '.')) continue;
        if (c == 2 && path[s] == '.' && path[s + 1] == '.') {
            if (n == root) return -1; /* above the root */
            while (n > root && out[n - 1] != '/') n--;
            if (n > root) n--; /* the '/' before it */
            continue;
        }
        size_t sep = n > root ? 1 : 0;
        if (n + sep + c + 1 > cap) return -1;
        if (sep) out[n++] = '/';
        memcpy(out + n, path + s, c);
        n += c;
    }
    out[n] = 0;
    return 0;
}

int resmgr_path_is_normal(const char *path, size_t len, int absolute)
{
    char buf[RESMGR_PATH_MAX + 1];
    if (len > RESMGR_PATH_MAX) return 0;
    if (resmgr_path_normalise(path, len, absolute, buf, sizeof buf) != 0) return 0;
    return strlen(buf) == len && memcmp(buf, path, len) == 0;
}

const char *resmgr_path_next(const char **p, size_t *len)
{
    const char *s = *p;
    while (*s == '/') s++;
    if (*s == 0) {
        *p = s;
        return NULL;
    }
    const char *e = s;
    while (*e != 0 && *e != '/') e++;
    *len = (size_t)(e - s);
    *p = e;
    return s;
}

int resmgr_path_split(const char *path, char *parent, size_t cap, const char **name)
{
    if (path[0] == 0) return -1;
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (n + 1 > cap) return -1;
    memcpy(parent, path, n);
    parent[n] = 0;
    *name = slash ? slash + 1 : path;
    return 0;
}

int resmgr_path_under(const char *path, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (n == 1 && prefix[0] == '/') {
        *rest = path + 1;
        return path[0] == '/';
    }
    if (strncmp(path, prefix, n) != 0 || (path[n] != 0 && path[n] != '/')) return 0;
    *rest = path[n] == '/' ? path + n + 1 : path + n;
    return 1;
}
