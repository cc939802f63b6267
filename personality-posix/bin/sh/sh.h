/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shell's parts and what they share: a line is cut into tokens (lex.c), parsed into a small
 * syntax tree (parse.c: lists of and-or lists of pipelines of commands with redirections), whose
 * words are expanded when they run (expand.c: quotes, backslashes, $VAR, ${VAR}, $?, $$, $!,
 * $0-$9, $#) and executed (exec.c: builtins, posix_spawnp with pipes and file actions) with a
 * job table for background pipelines (jobs.c) and a variable table (vars.c). Lines come from a
 * script, from -c, or from the line editor (edit.c). Plain POSIX C.
 */
#ifndef SH_H
#define SH_H

#include <stddef.h>
#include <sys/types.h>

#define SH_LINE_MAX 1024   /* one input line */
#define SH_TOKENS_MAX 128  /* tokens of a line */
#define SH_WORDS_MAX 32    /* words of a command */
#define SH_REDIRS_MAX 8    /* redirections of a command */
#define SH_CMDS_MAX 32     /* commands of a line */
#define SH_PIPES_MAX 32    /* pipelines of a line */
#define SH_LISTS_MAX 16    /* and-or lists of a line */
#define SH_POOL_MAX 4096   /* bytes of a line's words */
#define SH_ARG_MAX 256     /* one expanded word */

/* ---- lex.c ---- */
typedef enum {
    TOK_WORD,    /* raw text, quotes and $ still in it */
    TOK_PIPE,    /* | */
    TOK_AND,     /* && */
    TOK_OR,      /* || */
    TOK_SEMI,    /* ; */
    TOK_AMP,     /* & */
    TOK_LESS,    /* [n]< */
    TOK_GREAT,   /* [n]> */
    TOK_DGREAT,  /* [n]>> */
    TOK_GREATAND /* [n]>& */
} sh_tok_kind_t;

typedef struct {
    sh_tok_kind_t kind;
    const char *text; /* TOK_WORD: NUL-terminated, in the caller's pool */
    int fd;           /* redirections: the descriptor before the operator, or -1 */
} sh_token_t;

/* Cuts line into at most max tokens (words into pool); -1 with a message in err on a syntax
 * error. A comment (# at the start of a word) ends the line. */
int sh_lex(const char *line, sh_token_t *toks, int max, char *pool, size_t poolsize, char *err, size_t errsize);

/* ---- parse.c ---- */
typedef enum { REDIR_IN, REDIR_OUT, REDIR_APPEND, REDIR_DUP } sh_redir_kind_t;

typedef struct {
    sh_redir_kind_t kind;
    int fd;           /* the descriptor redirected */
    const char *word; /* file name, or for REDIR_DUP the descriptor it copies */
} sh_redir_t;

typedef struct {
    const char *words[SH_WORDS_MAX];
    int nwords;
    sh_redir_t redirs[SH_REDIRS_MAX];
    int nredirs;
} sh_cmd_t;

typedef enum { JOIN_SEQ, JOIN_AND, JOIN_OR } sh_join_t;

/* Commands first..first+count-1 joined by |; join says how it follows the previous pipeline of
 * its and-or list (JOIN_SEQ for the first). */
typedef struct {
    int first, count;
    sh_join_t join;
} sh_pipe_t;

/* Pipelines first..first+count-1; background if it ended with &. */
typedef struct {
    int first, count;
    int background;
} sh_andor_t;

typedef struct {
    sh_cmd_t cmds[SH_CMDS_MAX];
    int ncmds;
    sh_pipe_t pipes[SH_PIPES_MAX];
    int npipes;
    sh_andor_t lists[SH_LISTS_MAX];
    int nlists;
    char pool[SH_POOL_MAX];
} sh_ast_t;

/* Parses one line into ast; -1 with a message in err on a syntax error. */
int sh_parse(const char *line, sh_ast_t *ast, char *err, size_t errsize);

/* ---- expand.c ---- */
/* Expands a raw word into out; 0 if the word vanishes (an unquoted expansion that is empty),
 * 1 if it gives a word, -1 if it does not fit. */
int sh_expand(const char *raw, char *out, size_t size);

/* ---- vars.c ---- */
void sh_vars_init(void);
const char *sh_var_get(const char *name);
int sh_var_set(const char *name, size_t len, const char *value, int export);
int sh_var_export(const char *name);
int sh_var_name_ok(const char *s, size_t len);
/* The environment of a child: the exported variables, then extra (NAME=value strings,
 * overriding), NULL-terminated, in storage owned by vars.c until the next call. */
char **sh_var_environ(char *const extra[], int nextra);
void sh_var_print_exported(void);

/* ---- jobs.c ---- */
#define SH_JOBS_MAX 8
#define SH_JOB_PIDS_MAX SH_CMDS_MAX

/* Records a background pipeline; its job number, or -1 if the table is full. */
int sh_job_add(const pid_t *pids, int npids, const char *text);
/* Job number of %n or a pid (the job holding it); -1 if none. */
int sh_job_find(const char *spec);
/* Waits for job n to end; its status (the last process's), 127 if there is no such job. */
int sh_job_wait(int n);
/* Waits for every job; 0. */
int sh_jobs_wait_all(void);
/* Signals every process of job n. */
int sh_job_kill(int n, int sig);
/* Reaps what has ended without blocking; prints the list (all) or the ended jobs (notify). */
void sh_jobs_report(int all);

/* ---- exec.c ---- */
/* Runs every and-or list of ast; the status of the last. */
int sh_run(const sh_ast_t *ast);
/* Parses and runs one line; sets $?. -1 on a syntax error (then $? is 2). */
int sh_run_line(const char *line);
/* The shell's status of a waitpid status: the exit code, or 128 + the signal. */
int sh_status_of(int wstatus);
/* Waits for pids in the foreground (^C kills them when interactive); the last one's status. */
int sh_wait_foreground(const pid_t *pids, int npids);

/* ---- edit.c ---- */
/* Reads one line (without its newline) into buf: with the prompt, echo and editing when tty,
 * else as it comes. -1 at end of input. */
int sh_edit_line(char *buf, size_t size, const char *prompt, int tty);
/* A byte typed while a foreground job ran, kept for the next line. */
void sh_edit_typeahead(char c);
/* Makes reads of descriptor 0 non-blocking (on) or blocking again; 0 if that took effect. */
int sh_edit_nonblock(int on);

/* ---- main.c ---- */
typedef struct {
    int status;       /* $? */
    pid_t pid;        /* $$ */
    pid_t last_bg;    /* $! */
    int interactive;  /* reading the terminal: prompt, job notices, ^C */
    int nonblock_in;  /* stdin can be made non-blocking: ^C reaches a foreground job */
    int argc;         /* $0..$9, $# */
    char **argv;
    int exiting;      /* exit ran: stop reading */
} sh_state_t;

extern sh_state_t SH;

/* "sh: " + the message + "\n" on stderr. */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Formatted output on a descriptor (stdio is left to the programs). */
void sh_printf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
