/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The lexer: a line becomes words and operators. A word keeps its quotes, backslashes and $
 * (expansion happens when the command runs, so `false; echo $?` sees the new status); the lexer
 * only finds where it ends: at an unquoted blank or operator character. A redirection operator
 * takes the digits just before it as its descriptor (`2>`, `2>&1`). `#` at the start of a word
 * begins a comment.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sh.h"

static int is_op_char(char c)
{
    return c == '|' || c == '&' || c == ';' || c == '<' || c == '>';
}

/* Length of the word starting at s, quotes included; -1 if a quote is not closed. */
static int word_length(const char *s)
{
    const char *p = s;
    while (*p && !isspace((unsigned char)*p) && !is_op_char(*p)) {
        if (*p == '\\') {
            p += p[1] ? 2 : 1;
        } else if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (end == NULL) return -1;
            p = end + 1;
        } else if (*p == '"') {
            p++;
            while (*p && *p != '"') p += (*p == '\\' && p[1]) ? 2 : 1;
            if (*p != '"') return -1;
            p++;
        } else {
            p++;
        }
    }
    return (int)(p - s);
}

/* The operator at s: its kind and length, 0 if there is none. */
static int operator_at(const char *s, sh_tok_kind_t *kind)
{
    static const struct {
        const char *text;
        sh_tok_kind_t kind;
    } ops[] = {{"&&", TOK_AND}, {"||", TOK_OR}, {">>", TOK_DGREAT}, {">&", TOK_GREATAND}, {"|", TOK_PIPE},
               {";", TOK_SEMI}, {"&", TOK_AMP}, {"<", TOK_LESS}, {">", TOK_GREAT}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].text);
        if (strncmp(s, ops[i].text, n) == 0) {
            *kind = ops[i].kind;
            return (int)n;
        }
    }
    return 0;
}

static int is_redirection(sh_tok_kind_t k)
{
    return k == TOK_LESS || k == TOK_GREAT || k == TOK_DGREAT || k == TOK_GREATAND;
}

int sh_lex(const char *line, sh_token_t *toks, int max, char *pool, size_t poolsize, char *err, size_t errsize)
{
    int n = 0;
    size_t used = 0;
    const char *p = line;
    for (;;) {
        while (*p && isspace((unsigned char)*p)) p++;
        if (*p == '\0' || *p == '#') return n;
        if (n == max) {
            snprintf(err, errsize, "too many words");
            return -1;
        }
        sh_token_t *t = &toks[n];
        t->fd = -1;
        /* Digits right before a redirection are its descriptor. */
        size_t digits = strspn(p, "0123456789");
        sh_tok_kind_t kind;
        int len;
        if (digits > 0 && digits < 3 && (len = operator_at(p + digits, &kind)) > 0 && is_redirection(kind)) {
            t->fd = 0;
            for (size_t i = 0; i < digits; i++) t->fd = t->fd * 10 + (p[i] - '0');
            t->kind = kind;
            p += digits + (size_t)len;
        } else if ((len = operator_at(p, &kind)) > 0) {
            t->kind = kind;
            p += len;
        } else {
            len = word_length(p);
            if (len < 0) {
                snprintf(err, errsize, "syntax error: unterminated quote");
                return -1;
            }
            if (used + (size_t)len + 1 > poolsize) {
                snprintf(err, errsize, "line too long");
                return -1;
            }
            memcpy(pool + used, p, (size_t)len);
            pool[used + (size_t)len] = '\0';
            t->kind = TOK_WORD;
            t->text = pool + used;
            used += (size_t)len + 1;
            p += len;
        }
        n++;
    }
}
