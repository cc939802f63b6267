/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes, events and waits (ps.h). A process of create_process is spawned through the root
 * server with one cap, a send-only copy of the executive's endpoint minted with a badge of its
 * own, and NT_PROCESS_COOKIE=<random hex> in its environment; ntdll connects through that cap
 * and calls attach_process with the cookie, so its connection's badge names the process. A
 * process ends by its own NtTerminateProcess, by another's, or by dying: while children live
 * the timer ticks every second and each tick reaps ended children (root.wait, nohang). Waits
 * on events and processes are saved replies, answered when the object is signalled or their
 * timeout passes (checked at the ticks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server_gen.h"
#include "io.h"
#include "ps.h"

typedef struct process {
    int used;
    ob_t *ob;
    int32_t pid;             /* the root server's */
    uint64_t cookie;
    uint64_t cap_badge;      /* the badge of the cap it was given */
    uint64_t badge;          /* the connection that attached, 0 before */
    uint32_t cap_slot;
    int ended, reaped;
    NTSTATUS exit_status;
} process_t;

typedef struct event {
    ob_t *ob;
    int synchronization;
    int state;
} event_t;

typedef struct waiter {
    int used;
    ob_t *obj;               /* referenced */
    uint64_t badge;
    ng_reply_t reply;
    int64_t ticks_left;      /* -1: no timeout */
} waiter_t;

static process_t procs[PS_MAX_PROCESSES];
static waiter_t waiters[PS_MAX_WAITERS];
static uint32_t ntfn_slot, cap_slot0;
static int ticking, have_timer;
static uint64_t rng_state;
static uint32_t badge_generation;

/* ---- helpers ------------------------------------------------------------------------------- */

static uint64_t counter(void)
{
#if defined(__aarch64__)
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
    return v;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

static uint64_t random64(void)
{
    rng_state += 0x9e3779b97f4a7c15ull ^ counter();
    uint64_t z = rng_state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return z ? z : 1;
}

static void tick_on(void)
{
    if (ticking || !have_timer) return;
    timer_client_t t = ntexec_use_timer();
    if (timer_periodic(&t, 0, PS_TICK_NS) == NG_OK) ticking = 1;
}

static void tick_off_if_idle(void)
{
    if (!ticking) return;
    for (int i = 0; i < PS_MAX_PROCESSES; i++)
        if (procs[i].used && !procs[i].reaped) return;
    for (int i = 0; i < PS_MAX_WAITERS; i++)
        if (waiters[i].used && waiters[i].ticks_left >= 0) return;
    timer_client_t t = ntexec_use_timer();
    (void)timer_cancel(&t, 0);
    ticking = 0;
}

static process_t *proc_of_badge(uint64_t badge)
{
    for (int i = 0; i < PS_MAX_PROCESSES; i++)
        if (procs[i].used && (procs[i].badge == badge || procs[i].cap_badge == badge)) return &procs[i];
    return NULL;
}

int ps_badge_live(uint64_t badge)
{
    process_t *p = proc_of_badge(badge);
    return !p || !p->ended;
}

static ht_table_t *table_of(uint64_t badge) { return ht_table(badge, 1); }

/* ---- signalling --------------------------------------------------------------------------- */

static int signalled(ob_t *o)
{
    if (o->type == OB_EVENT) return o->body && ((event_t *)o->body)->state;
    if (o->type == OB_PROCESS) return o->body && ((process_t *)o->body)->ended;
    return 1;
}

static void answer(waiter_t *w, NTSTATUS status)
{
    ntexec_wait_for_single_object_rep_t rep = { .status = status };
    (void)ntexec_wait_for_single_object_reply(&ex.srv, w->reply, NG_OK, &rep);
    ob_deref(w->obj);
    w->used = 0;
}

/* Answers the waiters an object's state now releases. */
static void wake(ob_t *o)
{
    for (int i = 0; i < PS_MAX_WAITERS; i++) {
        waiter_t *w = &waiters[i];
        if (!w->used || w->obj != o || !signalled(o)) continue;
        if (o->type == OB_EVENT && ((event_t *)o->body)->synchronization) ((event_t *)o->body)->state = 0;
        answer(w, STATUS_WAIT_0);
    }
}

/* ---- processes ---------------------------------------------------------------------------- */

static void proc_ended(process_t *p, NTSTATUS status)
{
    if (!p->ended) {
        p->ended = 1;
        p->exit_status = status;
    }
    /* Its cap and handles go: it cannot call again, and what it held is closed. */
    (void)ng_cap_revoke(p->cap_slot);
    (void)ng_cap_delete(p->cap_slot);
    if (p->badge) {
        ht_destroy(ht_table(p->badge, 0));
        ex_conn_drop(p->badge);
    }
    ht_destroy(ht_table(p->cap_badge, 0));
    if (p->ob) wake(p->ob);
}

static void proc_destroy(ob_t *o)
{
    process_t *p = o->body;
    if (!p) return;
    p->ob = NULL;
    if (p->ended && p->reaped) p->used = 0;
}

static void reap(void)
{
    root_client_t root = ntexec_use_root();
    for (int i = 0; i < PS_MAX_PROCESSES; i++) {
        process_t *p = &procs[i];
        if (!p->used || p->reaped) continue;
        int32_t child = 0;
        root_end_t how = 0;
        int64_t code = 0;
        uint64_t addr = 0;
        int err = root_wait(&root, p->pid, true, &child, &how, &code, &addr);
        if (err == ROOT_ERR_WOULD_BLOCK) continue;
        p->reaped = 1;
        NTSTATUS st = how == ROOT_END_EXITED ? (NTSTATUS)code : (NTSTATUS)0xC0000005; /* STATUS_ACCESS_VIOLATION */
        if (err == NG_OK && how != ROOT_END_EXITED && how != ROOT_END_KILLED)
            printf("ntexec: process %d ended by a fault (pc 0x%llx, address 0x%llx)\n", (int)p->pid, (unsigned long long)code, (unsigned long long)addr);
        proc_ended(p, st);
        if (!p->ob) p->used = 0;
    }
}

void ps_tick(void)
{
    if (have_timer) {
        timer_client_t t = ntexec_use_timer();
        uint64_t mask = 0;
        (void)timer_fired(&t, &mask);
    }
    reap();
    for (int i = 0; i < PS_MAX_WAITERS; i++) {
        waiter_t *w = &waiters[i];
        if (!w->used) continue;
        if (!ps_badge_live(w->badge)) {
            answer(w, STATUS_PROCESS_IS_TERMINATING);
            continue;
        }
        if (w->ticks_left > 0) w->ticks_left--;
        if (w->ticks_left == 0) answer(w, STATUS_TIMEOUT);
    }
    tick_off_if_idle();
    io_drain();
}

/* argv as the root server takes it: the command line's words, NUL-separated. */
static size_t split_args(const char *line, size_t len, char *out, size_t size)
{
    size_t n = 0;
    int in_word = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++) {
        char c = line[i];
        if (c == ' ' || c == '\t') {
            if (in_word) out[n++] = 0;
            in_word = 0;
            continue;
        }
        out[n++] = c;
        in_word = 1;
    }
    if (in_word && n < size) out[n++] = 0;
    return n;
}

static int p_create_process(void *ctx, ng_call_t *call, const ntexec_create_process_req_t *req, ntexec_create_process_rep_t *rep)
{
    (void)ctx;
    char program[NTEXEC_MAX_PROGRAM + 1];
    if (req->program.len == 0 || req->program.len > NTEXEC_MAX_PROGRAM || memchr(req->program.ptr, 0, req->program.len))
        return rep->status = STATUS_OBJECT_NAME_INVALID, NG_OK;
    memcpy(program, req->program.ptr, req->program.len);
    program[req->program.len] = 0;
    /* The program's slot for its ntexec cap (a system without programs has no table). */
    uint32_t to = 0;
#if defined(NTEXEC_HAS_PROGRAM_USES)
    uint32_t nuses = 0;
    const ng_program_use_t *uses = ntexec_program_uses(&nuses);
    for (uint32_t i = 0; i < nuses && !to; i++)
        if (strcmp(uses[i].program, program) == 0 && strcmp(uses[i].interface, "ntexec") == 0) to = uses[i].slot;
#endif
    if (!to) return rep->status = STATUS_OBJECT_NAME_NOT_FOUND, NG_OK;
    ht_table_t *t = table_of(call->badge);
    int slot = -1;
    for (int i = 0; i < PS_MAX_PROCESSES && slot < 0; i++)
        if (!procs[i].used) slot = i;
    if (!t || slot < 0) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    /* The request's strings first: the syscalls below reuse the IPC buffer they may lie in. */
    char argv[ROOT_MAX_ARGV], env[64];
    size_t alen = split_args(req->command_line.ptr, req->command_line.len, argv, sizeof argv);
    process_t *p = &procs[slot];
    memset(p, 0, sizeof *p);
    p->cap_slot = cap_slot0 + (uint32_t)slot;
    p->cap_badge = NTEXEC_DYNAMIC_BADGE_BASE | ((uint64_t)(++badge_generation & 0xfffff) << 4) | (uint64_t)slot;
    p->cookie = random64();
    (void)ng_cap_delete(p->cap_slot);
    if (ng_cap_mint_send(NTEXEC_CAP_EP_MINT, p->cap_slot, p->cap_badge) != NG_OK)
        return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    /* The command line's first word is the program's name: argv[0] is added by the root server. */
    size_t skip = 0;
    if (alen > 0 && strcmp(argv, program) == 0) skip = strlen(argv) + 1;
    int elen = snprintf(env, sizeof env, "NT_PROCESS_COOKIE=0x%016llx", (unsigned long long)p->cookie);
    root_grant_t caps[ROOT_MAX_CAPS];
    memset(caps, 0, sizeof caps);
    caps[0] = (root_grant_t){ .to = to, .from = p->cap_slot };
    root_client_t root = ntexec_use_root();
    int32_t pid = 0;
    int err = root_spawn(&root, ng_str(program), (ng_str_t){ argv + skip, alen - skip }, (ng_str_t){ env, (size_t)elen + 1 }, 1, caps, &pid);
    if (err != NG_OK) {
        (void)ng_cap_delete(p->cap_slot);
        rep->status = err == ROOT_ERR_UNKNOWN_PROGRAM ? STATUS_OBJECT_NAME_NOT_FOUND
                      : err == ROOT_ERR_NO_PROCESSES || err == ROOT_ERR_NO_MEMORY ? STATUS_INSUFFICIENT_RESOURCES
                                                                                   : STATUS_UNSUCCESSFUL;
        return NG_OK;
    }
    ob_t *o;
    if (!NT_SUCCESS(ob_create(NULL, NULL, OB_PROCESS, 0, &o))) {
        root_client_t r2 = ntexec_use_root();
        (void)root_kill(&r2, pid);
        p->used = 1;
        p->pid = pid;
        p->ended = 1;
        tick_on();
        return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    }
    p->used = 1;
    p->pid = pid;
    p->ob = o;
    o->body = p;
    o->destroy = proc_destroy;
    NTSTATUS s = ht_insert(t, o, ht_all_access(OB_PROCESS), &rep->process);
    ob_deref(o);
    rep->pid = (uint32_t)pid;
    rep->status = s;
    tick_on();
    return NG_OK;
}

static int p_attach_process(void *ctx, ng_call_t *call, const ntexec_attach_process_req_t *req, ntexec_attach_process_rep_t *rep)
{
    (void)ctx;
    for (int i = 0; i < PS_MAX_PROCESSES; i++) {
        process_t *p = &procs[i];
        if (!p->used || p->ended || p->cookie != req->cookie || req->cookie == 0) continue;
        if (p->badge && p->badge != call->badge) return rep->status = STATUS_ACCESS_DENIED, NG_OK;
        p->badge = call->badge;
        rep->pid = (uint32_t)p->pid;
        rep->status = STATUS_SUCCESS;
        return NG_OK;
    }
    rep->status = STATUS_ACCESS_DENIED;
    return NG_OK;
}

static int p_terminate_process(void *ctx, ng_call_t *call, const ntexec_terminate_process_req_t *req, ntexec_terminate_process_rep_t *rep)
{
    (void)ctx;
    if (req->process == ~(uint64_t)0) {
        /* Itself: it exits after the answer; the reap confirms it. */
        process_t *p = proc_of_badge(call->badge);
        if (p && !p->ended) {
            p->ended = 1;
            p->exit_status = req->exit_status;
            if (p->ob) wake(p->ob);
            tick_on();
        }
        rep->status = STATUS_SUCCESS;
        return NG_OK;
    }
    ob_t *o;
    NTSTATUS s = ht_lookup(ht_table(call->badge, 0), req->process, OB_PROCESS, NTEXEC_PROCESS_TERMINATE, &o, NULL);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    process_t *p = o->body;
    if (!p || p->ended) return rep->status = STATUS_PROCESS_IS_TERMINATING, NG_OK;
    root_client_t root = ntexec_use_root();
    (void)root_kill(&root, p->pid);
    proc_ended(p, req->exit_status);
    tick_on();
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int p_query_information_process(void *ctx, ng_call_t *call, const ntexec_query_information_process_req_t *req, ntexec_query_information_process_rep_t *rep)
{
    (void)ctx;
    if (req->process == ~(uint64_t)0) {
        process_t *p = proc_of_badge(call->badge);
        rep->status = STATUS_SUCCESS;
        rep->exit_status = STATUS_PENDING;
        rep->pid = p ? (uint32_t)p->pid : 0;
        return NG_OK;
    }
    ob_t *o;
    NTSTATUS s = ht_lookup(ht_table(call->badge, 0), req->process, OB_PROCESS, NTEXEC_PROCESS_QUERY_INFORMATION, &o, NULL);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    process_t *p = o->body;
    rep->status = STATUS_SUCCESS;
    rep->exit_status = p && p->ended ? p->exit_status : STATUS_PENDING;
    rep->pid = p ? (uint32_t)p->pid : 0;
    return NG_OK;
}

/* ---- events ------------------------------------------------------------------------------- */

static void event_destroy(ob_t *o)
{
    free(o->body);
    o->body = NULL;
}

static int p_create_event(void *ctx, ng_call_t *call, const ntexec_create_event_req_t *req, ntexec_create_event_rep_t *rep)
{
    (void)ctx;
    ht_table_t *t = table_of(call->badge);
    if (!t) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    if (req->event_type > NTEXEC_EVENT_TYPE_SYNCHRONIZATION) return rep->status = STATUS_INVALID_PARAMETER, NG_OK;
    char name[OB_NAME_MAX + 1];
    snprintf(name, sizeof name, "%s", req->attrs.object_name);
    ob_t *dir = NULL;
    if (req->attrs.root_directory) {
        NTSTATUS s = ht_lookup(t, req->attrs.root_directory, OB_DIRECTORY, 0, &dir, NULL);
        if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    }
    uint32_t access = ht_map_generic(OB_EVENT, req->desired_access);
    ob_t *o;
    NTSTATUS s = ob_create(dir, name, OB_EVENT, 0, &o);
    if (s == STATUS_OBJECT_NAME_COLLISION && (req->attrs.attributes & NTEXEC_OBJ_OPENIF)) {
        ob_parse_t p;
        s = ob_parse(dir, name, 0, &p);
        if (NT_SUCCESS(s) && p.obj->type != OB_EVENT) {
            ob_deref(p.obj);
            s = STATUS_OBJECT_TYPE_MISMATCH;
        }
        if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
        s = ht_insert(t, p.obj, access, &rep->event);
        ob_deref(p.obj);
        return rep->status = s, NG_OK;
    }
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    event_t *e = calloc(1, sizeof *e);
    if (!e) {
        ob_deref(o);
        return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    }
    e->ob = o;
    e->synchronization = req->event_type == NTEXEC_EVENT_TYPE_SYNCHRONIZATION;
    e->state = req->initial_state;
    o->body = e;
    o->destroy = event_destroy;
    s = ht_insert(t, o, access, &rep->event);
    ob_deref(o);
    rep->status = s;
    return NG_OK;
}

static int p_set_event(void *ctx, ng_call_t *call, const ntexec_set_event_req_t *req, ntexec_set_event_rep_t *rep)
{
    (void)ctx;
    ob_t *o;
    NTSTATUS s = ht_lookup(ht_table(call->badge, 0), req->event, OB_EVENT, NTEXEC_EVENT_MODIFY_STATE, &o, NULL);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    event_t *e = o->body;
    rep->previous_state = e->state;
    e->state = 1;
    if (e->synchronization) {
        /* One waiter goes, and takes the signal with it. */
        for (int i = 0; i < PS_MAX_WAITERS; i++) {
            if (waiters[i].used && waiters[i].obj == o) {
                e->state = 0;
                answer(&waiters[i], STATUS_WAIT_0);
                break;
            }
        }
    } else {
        wake(o);
    }
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int p_reset_event(void *ctx, ng_call_t *call, const ntexec_reset_event_req_t *req, ntexec_reset_event_rep_t *rep)
{
    (void)ctx;
    ob_t *o;
    NTSTATUS s = ht_lookup(ht_table(call->badge, 0), req->event, OB_EVENT, NTEXEC_EVENT_MODIFY_STATE, &o, NULL);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    event_t *e = o->body;
    rep->previous_state = e->state;
    e->state = 0;
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int p_wait_for_single_object(void *ctx, ng_call_t *call, const ntexec_wait_for_single_object_req_t *req, ntexec_wait_for_single_object_rep_t *rep)
{
    (void)ctx;
    ob_t *o;
    NTSTATUS s = ht_lookup(ht_table(call->badge, 0), req->h, 0, HT_SYNCHRONIZE, &o, NULL);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    if (o->type != OB_EVENT && o->type != OB_PROCESS && o->type != OB_FILE) return rep->status = STATUS_OBJECT_TYPE_MISMATCH, NG_OK;
    if (signalled(o)) {
        if (o->type == OB_EVENT && ((event_t *)o->body)->synchronization) ((event_t *)o->body)->state = 0;
        return rep->status = STATUS_WAIT_0, NG_OK;
    }
    if (req->timeout_ms == 0) return rep->status = STATUS_TIMEOUT, NG_OK;
    waiter_t *w = NULL;
    for (int i = 0; i < PS_MAX_WAITERS && !w; i++)
        if (!waiters[i].used) w = &waiters[i];
    if (!w) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    if (ng_reply_save(call->server, &w->reply) != NG_OK) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    w->used = 1;
    w->obj = o;
    ob_ref(o);
    w->badge = call->badge;
    /* Timeouts count whole ticks, rounded up. */
    w->ticks_left = req->timeout_ms < 0 ? -1 : (int64_t)((req->timeout_ms * 1000000ll + (int64_t)PS_TICK_NS - 1) / (int64_t)PS_TICK_NS);
    if (w->ticks_left >= 0) tick_on();
    return NG_DEFERRED;
}

void ps_ntexec_ops(ntexec_ops_t *ops)
{
    ops->create_process = p_create_process;
    ops->attach_process = p_attach_process;
    ops->terminate_process = p_terminate_process;
    ops->query_information_process = p_query_information_process;
    ops->create_event = p_create_event;
    ops->set_event = p_set_event;
    ops->reset_event = p_reset_event;
    ops->wait_for_single_object = p_wait_for_single_object;
}

void ps_init(uint32_t ntfn, uint32_t first_cap_slot)
{
    ntfn_slot = ntfn;
    cap_slot0 = first_cap_slot;
    rng_state = counter() ^ (uint64_t)(uintptr_t)&rng_state;
    timer_client_t t = ntexec_use_timer();
    if (ng_cap_mint(NTEXEC_CAP_NTFN, ntfn_slot, NTEXEC_NTFN_BADGE_MARK | 1u) == NG_OK && timer_set_notification(&t, ntfn_slot) == NG_OK)
        have_timer = 1;
    else
        printf("ntexec: no timer notification: waits with a timeout and reaping need NtTerminateProcess\n");
}
