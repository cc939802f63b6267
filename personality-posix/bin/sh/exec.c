/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The executor: runs the syntax tree. An and-or list runs its pipelines left to right, each
 * after && only if the last succeeded and after || only if it failed; `&` starts the list's
 * pipeline as a job instead of waiting. A pipeline's commands are connected by pipes; a program
 * is spawned with posix_spawnp (every program is /bin/<name>) with file actions moving the
 * pipe ends and the redirected files (opened here first, so an error is the shell's one line)
 * onto its descriptors, and closing every other descriptor of the pipeline. A builtin runs in
 * the shell itself, its redirections applied to the shell's own descriptors and undone after.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "builtins.h"
#include "sh.h"

/* A command after expansion: its arguments, and the NAME=value words before them. */
typedef struct {
    char *argv[SH_WORDS_MAX + 1];
    int argc;
    char *assigns[SH_WORDS_MAX];
    int nassigns;
    char store[SH_WORDS_MAX][SH_ARG_MAX];
} expanded_t;

int sh_status_of(int wstatus)
{
    if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
    if (WIFSIGNALED(wstatus)) return 128 + WTERMSIG(wstatus);
    return 1;
}

/* 1 if raw is NAME=… with an unquoted name. */
static int is_assignment(const char *raw)
{
    const char *eq = strchr(raw, '=');
    return eq != NULL && sh_var_name_ok(raw, (size_t)(eq - raw));
}

static int expand_command(const sh_cmd_t *c, expanded_t *e)
{
    e->argc = e->nassigns = 0;
    for (int i = 0; i < c->nwords; i++) {
        char *out = e->store[i];
        int r = sh_expand(c->words[i], out, SH_ARG_MAX);
        if (r < 0) {
            sh_error("%s: word too long", c->words[i]);
            return -1;
        }
        if (e->argc == 0 && is_assignment(c->words[i])) e->assigns[e->nassigns++] = out;
        else if (r > 0) e->argv[e->argc++] = out;
    }
    e->argv[e->argc] = NULL;
    return 0;
}

/* Opens the file of redirection r; its descriptor, or -1 after saying why. */
static int open_redirection(const sh_redir_t *r)
{
    char path[SH_ARG_MAX];
    if (sh_expand(r->word, path, sizeof path) <= 0) {
        sh_error("%s: bad file name", r->word);
        return -1;
    }
    int flags = r->kind == REDIR_IN ? O_RDONLY : O_WRONLY | O_CREAT | (r->kind == REDIR_APPEND ? O_APPEND : O_TRUNC);
    int fd = open(path, flags, 0644);
    if (fd < 0) sh_error("%s: %s", path, strerror(errno));
    return fd;
}

/* ---- builtins: redirections on the shell's own descriptors ---- */

typedef struct {
    int fd[SH_REDIRS_MAX], saved[SH_REDIRS_MAX];
    int n;
} undo_t;

static void undo_redirections(undo_t *u)
{
    while (u->n > 0) {
        u->n--;
        if (u->saved[u->n] >= 0) {
            dup2(u->saved[u->n], u->fd[u->n]);
            close(u->saved[u->n]);
        } else {
            close(u->fd[u->n]);
        }
    }
}

/* Moves from onto to, remembering how to undo it. */
static int redirect_here(undo_t *u, int from, int to)
{
    u->fd[u->n] = to;
    u->saved[u->n] = fcntl(to, F_DUPFD_CLOEXEC, 10);
    u->n++;
    return dup2(from, to) < 0 ? -1 : 0;
}

static int run_builtin(const sh_builtin_t *b, const sh_cmd_t *c, expanded_t *e, int in, int out)
{
    undo_t u = {.n = 0};
    int status = 1;
    if ((in >= 0 && redirect_here(&u, in, 0)) || (out >= 0 && redirect_here(&u, out, 1))) goto done;
    for (int i = 0; i < c->nredirs; i++) {
        const sh_redir_t *r = &c->redirs[i];
        int fd = r->kind == REDIR_DUP ? -1 : open_redirection(r);
        if (r->kind != REDIR_DUP && fd < 0) goto done;
        int bad = redirect_here(&u, r->kind == REDIR_DUP ? r->word[0] - '0' : fd, r->fd);
        if (fd >= 0) close(fd);
        if (bad) {
            sh_error("%d: %s", r->fd, strerror(errno));
            goto done;
        }
    }
    status = b->run(e->argc, e->argv);
done:
    undo_redirections(&u);
    return status;
}

/* ---- programs: file actions ---- */

/* Spawns one command of a pipeline with stdin from in and stdout to out (-1: the shell's own),
 * closing the pipeline's other descriptors (close[]); its pid, or -1 with status set. */
static pid_t spawn_program(const sh_cmd_t *c, expanded_t *e, int in, int out, const int *closes, int ncloses,
                           int background, int *status)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    int opened[SH_REDIRS_MAX], nopened = 0;
    pid_t pid = -1;
    *status = 1;
    if (in >= 0) posix_spawn_file_actions_adddup2(&fa, in, 0);
    else if (background) posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out >= 0) posix_spawn_file_actions_adddup2(&fa, out, 1);
    for (int i = 0; i < c->nredirs; i++) {
        const sh_redir_t *r = &c->redirs[i];
        if (r->kind == REDIR_DUP) {
            posix_spawn_file_actions_adddup2(&fa, r->word[0] - '0', r->fd);
            continue;
        }
        int fd = open_redirection(r);
        if (fd < 0) goto done;
        opened[nopened++] = fd;
        posix_spawn_file_actions_adddup2(&fa, fd, r->fd);
    }
    for (int i = 0; i < nopened; i++) posix_spawn_file_actions_addclose(&fa, opened[i]);
    for (int i = 0; i < ncloses; i++)
        if (closes[i] > 2) posix_spawn_file_actions_addclose(&fa, closes[i]);
    int err = posix_spawnp(&pid, e->argv[0], &fa, NULL, e->argv, sh_var_environ(e->assigns, e->nassigns));
    if (err == ENOENT) {
        sh_error("%s: not found", e->argv[0]);
        *status = 127;
        pid = -1;
    } else if (err != 0) {
        sh_error("%s: %s", e->argv[0], strerror(err));
        *status = 126;
        pid = -1;
    }
done:
    for (int i = 0; i < nopened; i++) close(opened[i]);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

/* Runs a command that has no program: assignments set shell variables; redirections still
 * create (or fail to open) their files. */
static int run_assignments(const sh_cmd_t *c, expanded_t *e)
{
    for (int i = 0; i < c->nredirs; i++) {
        if (c->redirs[i].kind == REDIR_DUP) continue;
        int fd = open_redirection(&c->redirs[i]);
        if (fd < 0) return 1;
        close(fd);
    }
    for (int i = 0; i < e->nassigns; i++) {
        const char *eq = strchr(e->assigns[i], '=');
        if (sh_var_set(e->assigns[i], (size_t)(eq - e->assigns[i]), eq + 1, 0)) {
            sh_error("too many variables");
            return 1;
        }
    }
    return 0;
}

/* The job's text: the pipeline's words as typed. */
static void job_text(const sh_ast_t *ast, const sh_pipe_t *pl, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < pl->count; i++) {
        const sh_cmd_t *c = &ast->cmds[pl->first + i];
        for (int w = 0; w < c->nwords && len + strlen(c->words[w]) + 4 < size; w++) {
            strcat(out, len ? " " : "");
            strcat(out, c->words[w]);
            len = strlen(out);
        }
        if (i + 1 < pl->count && len + 4 < size) strcat(out, " |");
        len = strlen(out);
    }
}

static int run_pipeline(const sh_ast_t *ast, const sh_pipe_t *pl, int background)
{
    static expanded_t e; /* large: kept off the stack */
    pid_t pids[SH_CMDS_MAX];
    int npids = 0, status = 0, in = -1, last_spawned = 0;
    for (int i = 0; i < pl->count; i++) {
        const sh_cmd_t *c = &ast->cmds[pl->first + i];
        int p[2] = {-1, -1};
        if (i + 1 < pl->count && pipe(p) != 0) {
            sh_error("pipe: %s", strerror(errno));
            status = 1;
            break;
        }
        last_spawned = 0;
        if (expand_command(c, &e) != 0) {
            status = 1;
        } else if (e.argc == 0) {
            status = run_assignments(c, &e);
        } else if (sh_builtin_find(e.argv[0]) != NULL) {
            status = run_builtin(sh_builtin_find(e.argv[0]), c, &e, in, p[1]);
        } else {
            int closes[3] = {in, p[0], p[1]};
            pid_t pid = spawn_program(c, &e, in, p[1], closes, 3, background, &status);
            if (pid > 0) pids[npids++] = pid;
            last_spawned = pid > 0;
        }
        if (in >= 0) close(in);
        if (p[1] >= 0) close(p[1]);
        in = p[0];
    }
    if (in >= 0) close(in);
    if (npids == 0) return status;
    if (background) {
        char text[80];
        job_text(ast, pl, text, sizeof text);
        int n = sh_job_add(pids, npids, text);
        SH.last_bg = pids[npids - 1];
        if (n < 0) sh_error("too many jobs: %s not tracked", text);
        else if (SH.interactive) sh_printf(2, "[%d] %d\n", n, (int)pids[npids - 1]);
        return 0;
    }
    /* The pipeline's status is its last command's, which may be a builtin or a failed spawn. */
    int s = sh_wait_foreground(pids, npids);
    return last_spawned ? s : status;
}

/* Reaps what has ended of pids (done[] marks them); the last one's status once it ended. */
static void reap_foreground(const pid_t *pids, int npids, int *done, int *left, int *status, int block)
{
    for (int i = 0; i < npids; i++) {
        if (done[i]) continue;
        int ws = 0;
        pid_t r = waitpid(pids[i], &ws, block ? 0 : WNOHANG);
        if (r == 0) continue;
        done[i] = 1;
        (*left)--;
        if (i == npids - 1) *status = r > 0 ? sh_status_of(ws) : 127;
    }
}

/* Looks at the job and the terminal this many times before pausing between looks: a job that
 * ends at once is seen at once even when the clock is coarse (the PL031's is 1 s). */
#define QUICK_LOOKS 200

int sh_wait_foreground(const pid_t *pids, int npids)
{
    int status = 0, left = npids, looks = 0;
    int done[SH_CMDS_MAX] = {0};
    int poll = SH.interactive && SH.nonblock_in && sh_edit_nonblock(1) == 0;
    if (!poll) {
        reap_foreground(pids, npids, done, &left, &status, 1);
        return status;
    }
    /* ^C typed while the job runs ends it; other bytes wait for the next line. There is no
     * poll() in the layer: the shell looks at both in turn (a system gives it a priority below
     * its commands', so looking never keeps them from running). */
    while (left > 0) {
        reap_foreground(pids, npids, done, &left, &status, 0);
        if (left == 0) break;
        char ch;
        if (read(0, &ch, 1) != 1) {
            struct timespec pause = {0, 20 * 1000 * 1000};
            /* Without a working clock, wait for the job instead: ^C cannot reach it then. */
            if (++looks > QUICK_LOOKS && nanosleep(&pause, NULL) != 0) {
                SH.nonblock_in = 0;
                sh_edit_nonblock(0);
                reap_foreground(pids, npids, done, &left, &status, 1);
            }
            continue;
        }
        if (ch == 3) {
            sh_printf(2, "^C\n");
            for (int i = 0; i < npids; i++)
                if (!done[i]) kill(pids[i], SIGINT);
        } else {
            sh_edit_typeahead(ch);
        }
    }
    sh_edit_nonblock(0);
    return status;
}

int sh_run(const sh_ast_t *ast)
{
    for (int l = 0; l < ast->nlists && !SH.exiting; l++) {
        const sh_andor_t *list = &ast->lists[l];
        if (list->background && list->count > 1) {
            sh_error("only a single pipeline can run in the background");
            SH.status = 2;
            continue;
        }
        for (int i = 0; i < list->count && !SH.exiting; i++) {
            const sh_pipe_t *pl = &ast->pipes[list->first + i];
            if ((pl->join == JOIN_AND && SH.status != 0) || (pl->join == JOIN_OR && SH.status == 0)) continue;
            SH.status = run_pipeline(ast, pl, list->background);
        }
    }
    return SH.status;
}

int sh_run_line(const char *line)
{
    static sh_ast_t ast;
    char err[96];
    if (sh_parse(line, &ast, err, sizeof err) != 0) {
        sh_error("%s", err);
        SH.status = 2;
        return -1;
    }
    return sh_run(&ast);
}
