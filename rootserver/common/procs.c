/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root service (idl/root.idl) over the process table, for both root servers: spawn (decode
 * and check everything — program, quota, argv, grant slots — before the target creates
 * anything), wait (a deferred reply saved until the child ends), kill, query, exit, stats; and
 * what happens when a spawned process ends (reported, stopped, its waiting parent answered, then
 * reaped: every object returned). Compiled with the target's transport (<neptune/ipc.h>) and the
 * generated root_server_gen.h, like any server's handlers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rootserver/procs.h>

#include "root_service_gen.h"

_Static_assert(sizeof(rs_grant_t) == sizeof(root_grant_t), "rs_grant_t mirrors root_grant_t");
_Static_assert(RS_PROCS_MAX_ARGS <= ROOT_MAX_ARGV, "argv limit");

static ng_reply_t *rs_replies(rs_procs_t *t)
{
    return (ng_reply_t *)t->replies;
}

static uint32_t rs_index(const rs_procs_t *t, const rs_proc_t *p)
{
    return p->boot ? p->pno - 1 : t->sys->nservers + (uint32_t)(p - t->spawned);
}

void rs_procs_init(rs_procs_t *t, const rs_system_t *sys, const rs_procs_ops_t *ops, void *env)
{
    memset(t, 0, sizeof(*t));
    t->sys = sys;
    t->ops = ops;
    t->env = env;
    uint32_t n = sys->nservers;
    t->boot = calloc(n ? n : 1, sizeof(*t->boot));
    t->replies = calloc(n + RS_PROCS_MAX, sizeof(ng_reply_t));
    for (uint32_t i = 0; i < n; i++) {
        rs_proc_t *p = &t->boot[i];
        p->state = RS_PROC_RUNNING;
        p->pno = i + 1;
        p->pid = (int32_t)(i + 1);
        p->spec = &sys->servers[i];
        p->boot = true;
    }
    t->next_pid = (int32_t)n + 1;
}

rs_proc_t *rs_procs_by_pno(rs_procs_t *t, uint64_t pno)
{
    uint32_t n = t->sys->nservers;
    if (pno >= 1 && pno <= n) {
        return &t->boot[pno - 1];
    }
    if (pno > n && pno <= n + RS_PROCS_MAX) {
        rs_proc_t *p = &t->spawned[pno - n - 1];
        return p->state == RS_PROC_FREE ? NULL : p;
    }
    return NULL;
}

rs_proc_t *rs_procs_by_badge(rs_procs_t *t, uint64_t badge)
{
    uint32_t n = t->sys->nservers;
    if (badge >= 1 && badge <= n) {
        for (uint32_t i = 0; i < n; i++) {
            if (t->sys->servers[i].fault_badge == badge) {
                return &t->boot[i];
            }
        }
        return NULL;
    }
    return rs_procs_by_pno(t, badge);
}

static rs_proc_t *rs_by_pid(rs_procs_t *t, int32_t pid)
{
    if (pid <= 0) {
        return NULL;
    }
    if ((uint32_t)pid <= t->sys->nservers) {
        return &t->boot[pid - 1];
    }
    for (uint32_t i = 0; i < RS_PROCS_MAX; i++) {
        if (t->spawned[i].state != RS_PROC_FREE && t->spawned[i].pid == pid) {
            return &t->spawned[i];
        }
    }
    return NULL;
}

/* The caller a service badge names (the fast path and the dispatcher both hand us the badge). */
static rs_proc_t *rs_caller(rs_procs_t *t, ng_call_t *call)
{
    if (call->server != NULL) {
        t->server = call->server;
    }
    return rs_procs_by_badge(t, call->badge & ~(ng_badge_t)RS_SERVICE_BADGE);
}

uint32_t rs_procs_end_code(const rs_proc_t *p)
{
    if (p->state != RS_PROC_ENDED) {
        return ROOT_END_RUNNING;
    }
    if (p->killed) {
        return ROOT_END_KILLED;
    }
    switch (p->end.kind) {
    case RS_END_EXIT:
        return ROOT_END_EXITED;
    case RS_END_VM_FAULT:
        return ROOT_END_VM_FAULT;
    case RS_END_CAP_FAULT:
        return ROOT_END_CAP_FAULT;
    case RS_END_UNKNOWN_SYSCALL:
        return ROOT_END_UNKNOWN_SYSCALL;
    case RS_END_USER_EXCEPTION:
        return ROOT_END_USER_EXCEPTION;
    default:
        return ROOT_END_OTHER_FAULT;
    }
}

static void rs_wait_result(const rs_proc_t *c, root_wait_rep_t *rep)
{
    rep->child = c->pid;
    rep->how = (root_end_t)rs_procs_end_code(c);
    if (c->killed) {
        rep->code = 0;
        rep->addr = 0;
    } else if (c->end.kind == RS_END_EXIT) {
        rep->code = c->end.status;
        rep->addr = 0;
    } else {
        rep->code = (int64_t)c->end.pc;
        rep->addr = c->end.kind == RS_END_OTHER ? c->end.label : c->end.addr;
    }
}

/* Return everything the child held, and its charge to the parent. */
static void rs_reap(rs_procs_t *t, rs_proc_t *c)
{
    rs_proc_t *parent = rs_by_pid(t, c->parent);
    t->ops->reap(t, c);
    if (parent != NULL) {
        parent->children--;
        parent->memory_used -= c->charged;
    }
    memset(c, 0, sizeof(*c));
    t->live--;
}

/* A child of `parent` that ended and matches `pid` (0: any), or NULL. */
static rs_proc_t *rs_ended_child(rs_procs_t *t, const rs_proc_t *parent, int32_t pid)
{
    for (uint32_t i = 0; i < RS_PROCS_MAX; i++) {
        rs_proc_t *c = &t->spawned[i];
        if (c->state == RS_PROC_ENDED && c->parent == parent->pid && (pid == 0 || c->pid == pid)) {
            return c;
        }
    }
    return NULL;
}

/* The parent waits for c (or any child): answer it and reap c. */
static void rs_answer_waiter(rs_procs_t *t, rs_proc_t *parent, rs_proc_t *c)
{
    root_wait_rep_t rep;
    rs_wait_result(c, &rep);
    parent->waiting = false;
    root_wait_reply((ng_server_t *)t->server, rs_replies(t)[rs_index(t, parent)], NG_OK, &rep);
    rs_reap(t, c);
}

/* c has ended (state ENDED set): wake its parent if it waits for it. */
static void rs_notify_parent(rs_procs_t *t, rs_proc_t *c)
{
    rs_proc_t *parent = rs_by_pid(t, c->parent);
    if (parent != NULL && parent->waiting && (parent->wait_pid == 0 || parent->wait_pid == c->pid)) {
        rs_answer_waiter(t, parent, c);
    }
}

/* A process that ends leaves its children to nobody: kill and reap them. Its own pending wait
 * is answered (to nobody, once it is stopped) so that the saved reply's slot is free again. */
static void rs_orphan(rs_procs_t *t, rs_proc_t *p)
{
    if (p->waiting) {
        root_wait_rep_t rep;
        memset(&rep, 0, sizeof(rep));
        p->waiting = false;
        root_wait_reply((ng_server_t *)t->server, rs_replies(t)[rs_index(t, p)], ROOT_ERR_NO_CHILD, &rep);
    }
    for (uint32_t i = 0; i < RS_PROCS_MAX; i++) {
        rs_proc_t *c = &t->spawned[i];
        if (c->state == RS_PROC_FREE || c->parent != p->pid) {
            continue;
        }
        rs_orphan(t, c);
        if (c->state == RS_PROC_RUNNING) {
            t->ops->stop(t, c);
            printf("%sprocess %d (%s) ended with its parent %d\n", rs_target.prefix, (int)c->pid,
                   c->spec->name, (int)p->pid);
        }
        rs_reap(t, c);
    }
}

bool rs_procs_ended(rs_procs_t *t, uint64_t pno, const rs_end_t *e)
{
    rs_proc_t *p = rs_procs_by_pno(t, pno);
    if (p == NULL || p->boot || p->state != RS_PROC_RUNNING) {
        return false;
    }
    p->end = *e;
    if (e->kind == RS_END_EXIT) {
        printf("%sprocess %d (%s) exited with status %ld\n", rs_target.prefix, (int)p->pid,
               p->spec->name, e->status);
    } else {
        printf("fault: process %d (%s): %s at 0x%llx pc 0x%llx%s%s%s\n", (int)p->pid, p->spec->name,
               rs_end_name(e->kind), (unsigned long long)(e->kind == RS_END_OTHER ? e->label : e->addr),
               (unsigned long long)e->pc, e->detail ? " (" : "", e->detail ? e->detail : "",
               e->detail ? ")" : "");
    }
    t->ops->stop(t, p);
    p->state = RS_PROC_ENDED;
    rs_orphan(t, p);
    rs_notify_parent(t, p);
    return true;
}

/* --- the service ----------------------------------------------------------------------------- */

static const rs_server_t *rs_program(const rs_system_t *sys, ng_str_t name)
{
    for (uint32_t i = 0; i < sys->nprograms; i++) {
        const char *n = sys->programs[i].name;
        if (strlen(n) == name.len && memcmp(n, name.ptr, name.len) == 0) {
            return &sys->programs[i];
        }
    }
    return NULL;
}

/* A slot a spawn may fill: one of the program's empty uses/notifies slots. */
static bool rs_fillable(const rs_server_t *prog, uint32_t slot)
{
    for (uint32_t i = 0; i < prog->ncaps; i++) {
        const rs_cap_t *c = &prog->caps[i];
        if (c->slot == slot && c->object == RS_NO_OBJECT &&
            (c->kind == RS_SLOT_USE_EP || c->kind == RS_SLOT_SIGNAL)) {
            return true;
        }
    }
    return false;
}

/* NUL-separated strings into argv (argv[0] set by the caller; an empty string is an empty
 * argument, "" in a shell; the last may go without its NUL); bad_args if more than max. buf
 * holds the copy. */
static int rs_split_args(ng_str_t s, char *buf, size_t cap, char **argv, int *argc, int max)
{
    if (s.len == 0) {
        return NG_OK;
    }
    if (s.len >= cap) {
        return ROOT_ERR_BAD_ARGS;
    }
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    size_t pos = 0;
    while (pos < s.len) {
        size_t n = strlen(buf + pos);
        if (*argc >= max) {
            return ROOT_ERR_BAD_ARGS;
        }
        argv[(*argc)++] = buf + pos;
        pos += n + 1;
    }
    return NG_OK;
}

static int rs_do_spawn(void *ctx, ng_call_t *call, const root_spawn_req_t *req, root_spawn_rep_t *rep)
{
    rs_procs_t *t = ctx;
    rs_proc_t *parent = rs_caller(t, call);
    if (parent == NULL || parent->state != RS_PROC_RUNNING) {
        return ROOT_ERR_FAILED;
    }
    /* Decode and check everything first: nothing is created for a spawn that fails here. */
    const rs_server_t *prog = rs_program(t->sys, req->program);
    if (prog == NULL) {
        return ROOT_ERR_UNKNOWN_PROGRAM;
    }
    const rs_server_t *ps = parent->spec;
    if (parent->children >= ps->spawn_max_processes || t->live >= RS_PROCS_MAX) {
        return ROOT_ERR_NO_PROCESSES;
    }
    if (parent->memory_used + prog->spawn_cost > ps->spawn_memory) {
        return ROOT_ERR_NO_MEMORY;
    }
    if (req->ncaps > ROOT_MAX_CAPS) {
        return ROOT_ERR_BAD_SLOT;
    }
    rs_grant_t grants[ROOT_MAX_CAPS];
    for (unsigned i = 0; i < req->ncaps; i++) {
        grants[i].to = req->caps[i].to;
        grants[i].from = req->caps[i].from;
        if (!rs_fillable(prog, grants[i].to)) {
            return ROOT_ERR_BAD_SLOT;
        }
        for (unsigned j = 0; j < i; j++) {
            if (grants[j].to == grants[i].to) {
                return ROOT_ERR_BAD_SLOT;
            }
        }
    }
    static char argbuf[ROOT_MAX_ARGV + 1];
    char *argv[RS_PROCS_MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)prog->name;
    int err = rs_split_args(req->argv, argbuf, sizeof argbuf, argv, &argc, (int)RS_PROCS_MAX_ARGS + 1);
    if (err) {
        return err;
    }
    /* The environment: NAME=value strings, each with its '='. */
    static char envbuf[ROOT_MAX_ENV + 1];
    char *envp[RS_PROCS_MAX_ENV + 1];
    int envc = 0;
    err = rs_split_args(req->env, envbuf, sizeof envbuf, envp, &envc, (int)RS_PROCS_MAX_ENV);
    for (int i = 0; !err && i < envc; i++) {
        if (strchr(envp[i], '=') == NULL || envp[i][0] == '=') {
            err = ROOT_ERR_BAD_ARGS;
        }
    }
    if (err) {
        return err;
    }
    envp[envc] = NULL;
    if (argc == 1) {
        for (uint32_t i = 0; i < prog->argc && argc <= (int)RS_PROCS_MAX_ARGS; i++) {
            argv[argc++] = (char *)prog->argv[i];
        }
    }
    argv[argc] = NULL;

    rs_proc_t *p = NULL;
    for (uint32_t i = 0; i < RS_PROCS_MAX && p == NULL; i++) {
        if (t->spawned[i].state == RS_PROC_FREE) {
            p = &t->spawned[i];
            p->pno = t->sys->nservers + 1 + i;
        }
    }
    if (p == NULL) {
        return ROOT_ERR_NO_PROCESSES;
    }
    p->spec = prog;
    p->pid = t->next_pid;
    p->parent = parent->pid;
    err = t->ops->create(t, p, parent, grants, req->ncaps, argc, argv, envp);
    if (err) {
        memset(p, 0, sizeof(*p));
        return err;
    }
    t->next_pid++;
    p->state = RS_PROC_RUNNING;
    parent->children++;
    parent->memory_used += p->charged;
    t->live++;
    rep->pid = p->pid;
    return NG_OK;
}

static int rs_do_wait(void *ctx, ng_call_t *call, const root_wait_req_t *req, root_wait_rep_t *rep)
{
    rs_procs_t *t = ctx;
    rs_proc_t *parent = rs_caller(t, call);
    if (parent == NULL) {
        return ROOT_ERR_NO_CHILD;
    }
    if (req->pid != 0) {
        rs_proc_t *c = rs_by_pid(t, req->pid);
        if (c == NULL) {
            return ROOT_ERR_NO_SUCH_PROCESS;
        }
        if (c->boot || c->parent != parent->pid) {
            return ROOT_ERR_NOT_A_CHILD;
        }
    } else if (parent->children == 0) {
        return ROOT_ERR_NO_CHILD;
    }
    rs_proc_t *c = rs_ended_child(t, parent, req->pid);
    if (c != NULL) {
        rs_wait_result(c, rep);
        rs_reap(t, c);
        return NG_OK;
    }
    if (req->nohang) {
        return ROOT_ERR_WOULD_BLOCK;
    }
    if (ng_reply_save(call->server, &rs_replies(t)[rs_index(t, parent)]) != NG_OK) {
        return NG_EINTERNAL;
    }
    parent->waiting = true;
    parent->wait_pid = req->pid;
    return NG_DEFERRED;
}

static int rs_do_kill(void *ctx, ng_call_t *call, const root_kill_req_t *req)
{
    rs_procs_t *t = ctx;
    rs_proc_t *parent = rs_caller(t, call);
    rs_proc_t *c = rs_by_pid(t, req->pid);
    if (c == NULL) {
        return ROOT_ERR_NO_SUCH_PROCESS;
    }
    if (parent == NULL || c->boot || c->parent != parent->pid) {
        return ROOT_ERR_NOT_A_CHILD;
    }
    if (c->state == RS_PROC_RUNNING) {
        t->ops->stop(t, c);
        c->state = RS_PROC_ENDED;
        c->killed = true;
        printf("%sprocess %d (%s) killed by %d\n", rs_target.prefix, (int)c->pid, c->spec->name,
               (int)parent->pid);
        rs_orphan(t, c);
        /* The parent is the caller: it is not waiting now. */
    }
    return NG_OK;
}

static int rs_do_query(void *ctx, ng_call_t *call, const root_query_req_t *req, root_query_rep_t *rep)
{
    rs_procs_t *t = ctx;
    (void)rs_caller(t, call);
    rs_proc_t *p = rs_by_pid(t, req->pid);
    if (p == NULL) {
        return ROOT_ERR_NO_SUCH_PROCESS;
    }
    rep->how = (root_end_t)rs_procs_end_code(p);
    if (rep->how == ROOT_END_RUNNING && p->waiting) {
        rep->how = ROOT_END_WAITING;
    }
    rep->parent = p->parent;
    rep->name = ng_str(p->spec->name);
    if (rep->name.len > ROOT_MAX_NAME) {
        rep->name.len = ROOT_MAX_NAME;
    }
    return NG_OK;
}

static void rs_do_exit(void *ctx, ng_call_t *call, const root_exit_req_t *req)
{
    rs_procs_t *t = ctx;
    rs_proc_t *p = rs_caller(t, call);
    if (p == NULL) {
        return;
    }
    rs_end_t e = { .kind = RS_END_EXIT, .status = (long)req->code };
    if (!rs_procs_ended(t, p->pno, &e)) {
        /* A boot server: its fault endpoint is the way out (restart policy); ignore. */
        printf("%sserver %s called root.exit; servers end by returning from main\n",
               rs_target.prefix, p->spec->name);
    }
}

static int rs_do_stats(void *ctx, ng_call_t *call, root_stats_rep_t *rep)
{
    rs_procs_t *t = ctx;
    rs_proc_t *p = rs_caller(t, call);
    rep->pid = p != NULL ? p->pid : 0;
    t->ops->stats(t, &rep->untyped_free, &rep->slots_free);
    rep->processes = t->live;
    return NG_OK;
}

/* The i-th program of the system's tables (servers marked as programs, in table order). */
static const rs_server_t *rs_program_at(const rs_system_t *sys, uint32_t index)
{
    return index < sys->nprograms ? &sys->programs[index] : NULL;
}

static int rs_do_programs(void *ctx, ng_call_t *call, const root_programs_req_t *req, root_programs_rep_t *rep)
{
    rs_procs_t *t = ctx;
    (void)rs_caller(t, call);
    const rs_server_t *prog = rs_program_at(t->sys, req->index);
    if (prog == NULL) {
        return ROOT_ERR_UNKNOWN_PROGRAM;
    }
    uint32_t got = 0;
    uint64_t size = 0;
    int err = t->ops->image_read(t, prog, 0, NULL, 0, &got, &size);
    if (err) {
        return err;
    }
    rep->name = ng_str(prog->name);
    if (rep->name.len > ROOT_MAX_NAME) {
        rep->name.len = ROOT_MAX_NAME;
    }
    rep->bytes = size;
    rep->more = rs_program_at(t->sys, req->index + 1) != NULL;
    return NG_OK;
}

static int rs_do_program_read(void *ctx, ng_call_t *call, const root_program_read_req_t *req,
                              root_program_read_rep_t *rep)
{
    rs_procs_t *t = ctx;
    static uint8_t chunk[ROOT_PROGRAM_CHUNK];
    (void)rs_caller(t, call);
    const rs_server_t *prog = rs_program(t->sys, req->name);
    if (prog == NULL) {
        return ROOT_ERR_UNKNOWN_PROGRAM;
    }
    uint32_t got = 0;
    uint64_t size = 0;
    int err = t->ops->image_read(t, prog, req->offset, chunk, sizeof chunk, &got, &size);
    if (err) {
        return err;
    }
    rep->data = ng_bytes(chunk, got);
    return NG_OK;
}

const root_ops_t rs_root_ops = {
    .programs = rs_do_programs,
    .program_read = rs_do_program_read,
    .spawn = rs_do_spawn,
    .wait = rs_do_wait,
    .kill = rs_do_kill,
    .query = rs_do_query,
    .exit = rs_do_exit,
    .stats = rs_do_stats,
};
