/* SPDX-License-Identifier: BSD-2-Clause */
/* Command-line words of the command prompt (line.h). */
#include <string.h>

#include "line.h"

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

int cmd_split(char *line, char **argv, int max)
{
    int argc = 0;
    char *r = line, *w = line;
    while (argc < max) {
        while (blank(*r)) r++;
        if (!*r) break;
        argv[argc++] = w;
        int quoted = 0;
        while (*r && (quoted || !blank(*r))) {
            if (*r == '"') quoted = !quoted;
            else *w++ = *r;
            r++;
        }
        if (*r) r++;
        *w++ = 0;
    }
    return argc;
}

const char *cmd_rest(const char *line)
{
    while (blank(*line)) line++;
    while (*line && !blank(*line)) line++;
    while (blank(*line)) line++;
    return line;
}

char *cmd_trim(char *line)
{
    while (blank(*line)) line++;
    size_t n = strlen(line);
    while (n > 0 && (blank(line[n - 1]) || line[n - 1] == '\r' || line[n - 1] == '\n')) line[--n] = 0;
    return line;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int cmd_word_is(const char *word, const char *name)
{
    while (*word && *name && lower(*word) == lower(*name)) {
        word++;
        name++;
    }
    return *word == 0 && *name == 0;
}
