/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The parser: tokens into the syntax tree of sh.h. The grammar (POSIX's, without compound
 * commands):
 *
 *   line     := andor ((';' | '&') andor)* [';' | '&']
 *   andor    := pipeline (('&&' | '||') pipeline)*
 *   pipeline := command ('|' command)*
 *   command  := (word | redirection)+
 *   redirection := [n]'<' word | [n]'>' word | [n]'>>' word | [n]'>&' digit
 */
#include <stdio.h>
#include <string.h>

#include "sh.h"

typedef struct {
    const sh_token_t *toks;
    int n, at;
    sh_ast_t *ast;
    char *err;
    size_t errsize;
} parser_t;

static const char *tok_text(const sh_token_t *t)
{
    static const char *names[] = {"word", "|", "&&", "||", ";", "&", "<", ">", ">>", ">&"};
    return t->kind == TOK_WORD ? t->text : names[t->kind];
}

static int fail_near(parser_t *p)
{
    if (p->at < p->n) snprintf(p->err, p->errsize, "syntax error near `%s'", tok_text(&p->toks[p->at]));
    else snprintf(p->err, p->errsize, "syntax error: unexpected end of line");
    return -1;
}

static int peek(const parser_t *p, sh_tok_kind_t kind)
{
    return p->at < p->n && p->toks[p->at].kind == kind;
}

static int redirection(parser_t *p, sh_cmd_t *c)
{
    const sh_token_t *op = &p->toks[p->at++];
    if (!peek(p, TOK_WORD)) return fail_near(p);
    if (c->nredirs == SH_REDIRS_MAX) {
        snprintf(p->err, p->errsize, "too many redirections");
        return -1;
    }
    sh_redir_t *r = &c->redirs[c->nredirs++];
    r->word = p->toks[p->at++].text;
    switch (op->kind) {
    case TOK_LESS: r->kind = REDIR_IN; r->fd = op->fd < 0 ? 0 : op->fd; break;
    case TOK_GREAT: r->kind = REDIR_OUT; r->fd = op->fd < 0 ? 1 : op->fd; break;
    case TOK_DGREAT: r->kind = REDIR_APPEND; r->fd = op->fd < 0 ? 1 : op->fd; break;
    default:
        r->kind = REDIR_DUP;
        r->fd = op->fd < 0 ? 1 : op->fd;
        if (strlen(r->word) != 1 || r->word[0] < '0' || r->word[0] > '9') {
            snprintf(p->err, p->errsize, "%s: bad descriptor for >&", r->word);
            return -1;
        }
        break;
    }
    return 0;
}

static int command(parser_t *p)
{
    if (p->ast->ncmds == SH_CMDS_MAX) {
        snprintf(p->err, p->errsize, "too many commands");
        return -1;
    }
    sh_cmd_t *c = &p->ast->cmds[p->ast->ncmds];
    memset(c, 0, sizeof *c);
    while (p->at < p->n) {
        sh_tok_kind_t k = p->toks[p->at].kind;
        if (k == TOK_WORD) {
            if (c->nwords == SH_WORDS_MAX - 1) {
                snprintf(p->err, p->errsize, "too many words");
                return -1;
            }
            c->words[c->nwords++] = p->toks[p->at++].text;
        } else if (k == TOK_LESS || k == TOK_GREAT || k == TOK_DGREAT || k == TOK_GREATAND) {
            if (redirection(p, c)) return -1;
        } else {
            break;
        }
    }
    if (c->nwords == 0 && c->nredirs == 0) return fail_near(p);
    p->ast->ncmds++;
    return 0;
}

static int pipeline(parser_t *p, sh_join_t join)
{
    if (p->ast->npipes == SH_PIPES_MAX) {
        snprintf(p->err, p->errsize, "too many pipelines");
        return -1;
    }
    sh_pipe_t *pl = &p->ast->pipes[p->ast->npipes++];
    pl->first = p->ast->ncmds;
    pl->join = join;
    if (command(p)) return -1;
    while (peek(p, TOK_PIPE)) {
        p->at++;
        if (command(p)) return -1;
    }
    pl->count = p->ast->ncmds - pl->first;
    return 0;
}

static int andor(parser_t *p)
{
    if (p->ast->nlists == SH_LISTS_MAX) {
        snprintf(p->err, p->errsize, "too many commands");
        return -1;
    }
    sh_andor_t *l = &p->ast->lists[p->ast->nlists++];
    l->first = p->ast->npipes;
    l->background = 0;
    if (pipeline(p, JOIN_SEQ)) return -1;
    while (peek(p, TOK_AND) || peek(p, TOK_OR)) {
        sh_join_t join = p->toks[p->at++].kind == TOK_AND ? JOIN_AND : JOIN_OR;
        if (pipeline(p, join)) return -1;
    }
    l->count = p->ast->npipes - l->first;
    return 0;
}

int sh_parse(const char *line, sh_ast_t *ast, char *err, size_t errsize)
{
    sh_token_t toks[SH_TOKENS_MAX];
    ast->ncmds = ast->npipes = ast->nlists = 0;
    int n = sh_lex(line, toks, SH_TOKENS_MAX, ast->pool, sizeof ast->pool, err, errsize);
    if (n < 0) return -1;
    parser_t p = {toks, n, 0, ast, err, errsize};
    while (p.at < p.n) {
        if (andor(&p)) return -1;
        if (peek(&p, TOK_SEMI) || peek(&p, TOK_AMP)) {
            ast->lists[ast->nlists - 1].background = p.toks[p.at++].kind == TOK_AMP;
        } else if (p.at < p.n) {
            return fail_near(&p);
        }
    }
    return 0;
}
