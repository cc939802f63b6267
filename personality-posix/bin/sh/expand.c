/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Word expansion, when a command runs: quote removal ('…' literal; "…" where \ escapes only
 * $ ` " \ and newline, and $ expands), backslash escapes outside quotes, and parameters: $NAME,
 * ${NAME}, $? (last status), $$ (the shell's pid), $! (the last background pid), $# and $0-$9
 * (the script's arguments). No field splitting or globbing: an expansion stays one word.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sh.h"

typedef struct {
    char *out;
    size_t size, len;
    int overflow;
} buf_t;

static void put(buf_t *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->size) {
        b->overflow = 1;
        return;
    }
    memcpy(b->out + b->len, s, n);
    b->len += n;
    b->out[b->len] = '\0';
}

/* The value of a special parameter (one character), NULL if c is not one. */
static const char *special(char c, char *tmp, size_t size)
{
    if (c == '?') snprintf(tmp, size, "%d", SH.status);
    else if (c == '$') snprintf(tmp, size, "%d", (int)SH.pid);
    else if (c == '!') snprintf(tmp, size, "%d", (int)SH.last_bg);
    else if (c == '#') snprintf(tmp, size, "%d", SH.argc > 0 ? SH.argc - 1 : 0);
    else if (c >= '0' && c <= '9') return c - '0' < SH.argc ? SH.argv[c - '0'] : "";
    else return NULL;
    return tmp;
}

/* Expands the parameter after a '$' at s; how many characters it took (0: a lone '$'). */
static size_t parameter(const char *s, buf_t *b)
{
    char tmp[24], name[64];
    const char *v;
    if ((v = special(s[0], tmp, sizeof tmp)) != NULL) {
        put(b, v, strlen(v));
        return 1;
    }
    size_t n, took;
    if (s[0] == '{') {
        const char *end = strchr(s, '}');
        if (end == NULL) return 0;
        n = (size_t)(end - s - 1);
        took = n + 2;
        if (n == 1 && (v = special(s[1], tmp, sizeof tmp)) != NULL) {
            put(b, v, strlen(v));
            return took;
        }
        if (!sh_var_name_ok(s + 1, n)) return 0;
        s++;
    } else {
        n = 0;
        while (isalnum((unsigned char)s[n]) || s[n] == '_') n++;
        if (n == 0 || isdigit((unsigned char)s[0])) return 0;
        took = n;
    }
    if (n >= sizeof name) return took;
    memcpy(name, s, n);
    name[n] = '\0';
    v = sh_var_get(name);
    if (v != NULL) put(b, v, strlen(v));
    return took;
}

int sh_expand(const char *raw, char *out, size_t size)
{
    buf_t b = {out, size, 0, 0};
    int quoted = 0;
    out[0] = '\0';
    for (const char *p = raw; *p;) {
        if (*p == '\\') {
            if (p[1]) put(&b, p + 1, 1);
            p += p[1] ? 2 : 1;
        } else if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            put(&b, p + 1, (size_t)(end - p - 1));
            p = end + 1;
            quoted = 1;
        } else if (*p == '"') {
            quoted = 1;
            for (p++; *p != '"';) {
                if (*p == '\\' && strchr("$`\"\\\n", p[1]) != NULL) {
                    put(&b, p + 1, 1);
                    p += 2;
                } else if (*p == '$') {
                    size_t took = parameter(p + 1, &b);
                    if (took == 0) put(&b, "$", 1);
                    p += 1 + took;
                } else {
                    put(&b, p++, 1);
                }
            }
            p++;
        } else if (*p == '$') {
            size_t took = parameter(p + 1, &b);
            if (took == 0) put(&b, "$", 1);
            p += 1 + took;
        } else {
            put(&b, p++, 1);
        }
    }
    if (b.overflow) return -1;
    return b.len > 0 || quoted;
}
