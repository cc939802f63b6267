/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path resolution of the command prompt (path.h): the argument's components are pushed onto
 * the base's ("." skipped, ".." pops one), then joined with single backslashes.
 */
#include <string.h>

#include "path.h"

static int is_sep(char c)
{
    return c == '\\' || c == '/';
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static int is_letter(char c)
{
    c = upper(c);
    return c >= 'A' && c <= 'Z';
}

/* Appends the components of `s` to out (which holds "X:\..." with length *len). */
static int push(char *out, size_t cap, size_t *len, const char *s)
{
    while (*s) {
        while (is_sep(*s)) s++;
        if (!*s) break;
        const char *e = s;
        while (*e && !is_sep(*e)) e++;
        size_t n = (size_t)(e - s);
        if (n == 1 && s[0] == '.') {
            /* stays */
        } else if (n == 2 && s[0] == '.' && s[1] == '.') {
            while (*len > 3 && out[*len - 1] != '\\') (*len)--;
            if (*len > 3) (*len)--; /* the backslash before it, unless it is the root's */
            out[*len] = 0;
        } else {
            size_t sep = *len > 3 ? 1 : 0;
            if (*len + sep + n + 1 > cap) return -1;
            if (sep) out[(*len)++] = '\\';
            memcpy(out + *len, s, n);
            *len += n;
            out[*len] = 0;
        }
        s = e;
    }
    return 0;
}

int cmd_path_resolve(const char *cwd, const char *arg, char *out, size_t cap)
{
    size_t len;
    if (arg == NULL || *arg == 0 || cap < 4) return -1;
    if (is_letter(arg[0]) && arg[1] == ':') {
        out[0] = upper(arg[0]);
        arg += 2;
    } else if (arg[0] == ':' || cwd == NULL || !is_letter(cwd[0]) || cwd[1] != ':') {
        return -1;
    } else {
        out[0] = upper(cwd[0]);
    }
    out[1] = ':';
    out[2] = '\\';
    out[3] = 0;
    len = 3;
    /* Relative to the current directory when the argument does not start at a root and names
     * the current directory's drive (or none). */
    int same_drive = cwd != NULL && is_letter(cwd[0]) && cwd[1] == ':' && upper(cwd[0]) == out[0];
    if (!is_sep(arg[0]) && same_drive && push(out, cap, &len, cwd + 2) != 0) return -1;
    return push(out, cap, &len, arg);
}

int cmd_path_nt(const char *dos, char *out, size_t cap)
{
    size_t n = strlen(dos);
    if (n + 5 > cap) return -1;
    memcpy(out, "\\??\\", 4);
    memcpy(out + 4, dos, n + 1);
    return 0;
}

int cmd_path_volume(char drive, char *out, size_t cap)
{
    if (cap < 7 || !is_letter(drive)) return -1;
    memcpy(out, "\\??\\", 4);
    out[4] = upper(drive);
    out[5] = ':';
    out[6] = 0;
    return 0;
}

char cmd_path_drive_only(const char *arg)
{
    return arg != NULL && is_letter(arg[0]) && arg[1] == ':' && arg[2] == 0 ? upper(arg[0]) : 0;
}

const char *cmd_path_base(const char *dos)
{
    const char *slash = strrchr(dos, '\\');
    return slash ? slash + 1 : dos;
}

int cmd_path_join(const char *dir, const char *name, char *out, size_t cap)
{
    size_t d = strlen(dir), n = strlen(name);
    int sep = d > 0 && dir[d - 1] != '\\';
    if (d + (size_t)sep + n + 1 > cap) return -1;
    memcpy(out, dir, d);
    if (sep) out[d] = '\\';
    memcpy(out + d + (size_t)sep, name, n + 1);
    return 0;
}

int cmd_path_has_wildcard(const char *s)
{
    return strchr(s, '*') != NULL || strchr(s, '?') != NULL;
}
