/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host threads: each server is a pthread with its own CSpace and "IPC buffer". A started thread
 * ends when its entry returns or it faults; either way the kernel cleans up after it so nobody
 * waits for it forever: callers waiting for its reply, and callers queued on endpoints it owned,
 * get NG_EIPC, and later calls to those endpoints fail at once.
 */
#include "kernel.h"

#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a thread's exit() passes to its exit path through fault_jmp (not a signal number). */
#define EXIT_JMP 0x10000
/* What ng_host_thread_kill's victim passes to it. */
#define KILL_JMP 0x10001

static __thread ng_host_thread_t *current;
ng_host_exit_hook_t ng_host_exit_hook;

void ng_host_exit_hook_set(ng_host_exit_hook_t hook)
{
    ng_host_exit_hook = hook;
}

ng_host_thread_t *ng_host_self(void)
{
    return current;
}

ng_host_thread_t *ng_host_current(const char *what)
{
    if (!current) {
        fprintf(stderr,
                "neptune host: %s called on a thread the host kernel does not know "
                "(start it with ng_host_thread_start or call ng_host_thread_adopt first)\n",
                what);
        abort();
    }
    return current;
}

void ng_host_kernel_enter(ng_host_thread_t *t)
{
    pthread_mutex_lock(&ng_host_lock);
    t->in_kernel = 1;
}

void ng_host_kernel_exit(ng_host_thread_t *t)
{
    t->in_kernel = 0;
    int killed = t->kill_pending && t->started && t->jmp_armed;
    pthread_mutex_unlock(&ng_host_lock);
    if (killed) {
        t->exit_info = (ng_host_exit_t){ .kind = NG_HOST_EXIT_KILLED };
        siglongjmp(t->fault_jmp, KILL_JMP);
    }
}

/* Out of every queue it may wait in (lock held). */
static void unqueue(ng_host_thread_t *t)
{
    for (ng_host_object_t *o = ng_host_all_objects; o; o = o->all_next) {
        ng_host_queue_remove(&o->senders, t);
        ng_host_queue_remove(&o->receivers, t);
        ng_host_queue_remove(&o->waiters, t);
    }
}

void ng_host_block(ng_host_thread_t *t)
{
    while (t->state != NG_HOST_RUNNING) {
        if (t->kill_pending) {
            /* Killed before it blocked: do not wait; its kernel exit ends it. */
            unqueue(t);
            t->state = NG_HOST_RUNNING;
            t->r_status = NG_EIPC;
            break;
        }
        pthread_cond_wait(&t->cond, &ng_host_lock);
    }
}

void ng_host_wake(ng_host_thread_t *t, int status)
{
    t->r_status = status;
    t->state = NG_HOST_RUNNING;
    pthread_cond_signal(&t->cond);
}

void ng_host_reply_fail(ng_host_object_t *reply, const char *why)
{
    ng_host_thread_t *c = reply->caller;
    if (c && c->state == NG_HOST_BLOCKED_REPLY) {
        if (why) {
            fprintf(stderr, "neptune host: caller %s gets NG_EIPC: %s\n", c->name, why);
        }
        ng_host_wake(c, NG_EIPC);
    }
    free(reply);
}

static void queue_fail_all(ng_host_queue_t *q)
{
    ng_host_thread_t *t;
    while ((t = ng_host_queue_pop(q)) != NULL) {
        ng_host_wake(t, NG_EIPC);
    }
}

/* Lock held. t is running (it faulted or returned), so it sits in no queue. */
static void thread_die(ng_host_thread_t *t)
{
    t->state = NG_HOST_DEAD;
    if (t->bound_ntfn) {
        t->bound_ntfn->bound = NULL;
        t->bound_ntfn = NULL;
    }
    if (t->caller) {
        ng_host_reply_fail(t->caller, NULL);
        t->caller = NULL;
    }
    ng_host_cspace_t *cs = t->cspace;
    for (unsigned i = 0; cs && i < cs->nslots; i++) {
        if (cs->slots[i].obj && cs->slots[i].obj->type == NG_HOST_OBJ_REPLY) {
            ng_host_reply_fail(cs->slots[i].obj, NULL);
            memset(&cs->slots[i], 0, sizeof cs->slots[i]);
        }
    }
    for (ng_host_object_t *o = ng_host_all_objects; o; o = o->all_next) {
        if (o->type == NG_HOST_OBJ_ENDPOINT && o->owner == t) {
            o->dead = 1;
            queue_fail_all(&o->senders);
        }
    }
}

static ng_host_thread_t *thread_new(const char *name, ng_host_cspace_t *cs)
{
    ng_host_thread_t *t = calloc(1, sizeof *t);
    if (!t) {
        return NULL;
    }
    snprintf(t->name, sizeof t->name, "%s", name ? name : "?");
    t->cspace = cs;
    t->state = NG_HOST_RUNNING;
    pthread_cond_init(&t->cond, NULL);
    pthread_mutex_lock(&ng_host_lock);
    t->all_next = ng_host_all_threads;
    ng_host_all_threads = t;
    pthread_mutex_unlock(&ng_host_lock);
    return t;
}

static void *thread_main(void *arg)
{
    ng_host_thread_t *t = arg;
    current = t;
    ng_host_fault_init_thread(t);
    int sig = sigsetjmp(t->fault_jmp, 1);
    if (sig == 0) {
        t->jmp_armed = 1;
        t->entry(t->arg);
    }
    t->jmp_armed = 0;
    if (sig == EXIT_JMP || sig == KILL_JMP) {
        sig = 0; /* exit_info was filled by exit() or the kill */
    } else if (sig == 0) {
        t->exit_info = (ng_host_exit_t){ .kind = NG_HOST_EXIT_RETURNED };
    }
    t->exit_sig = sig;
    t->exit_info.sig = sig;
    ng_host_kernel_enter(t);
    thread_die(t);
    ng_host_kernel_exit(t);
    ng_host_fault_fini_thread(t);
    ng_host_exit_hook_t hook = ng_host_exit_hook;
    if (hook) {
        ng_host_exit_t info = t->exit_info;
        hook(t->arg, &info);
    }
    return NULL;
}

ng_host_thread_t *ng_host_thread_start(const char *name, ng_host_cspace_t *cs,
                                       void (*entry)(void *arg), void *arg)
{
    if (!entry) {
        return NULL;
    }
    ng_host_thread_t *t = thread_new(name, cs);
    if (!t) {
        return NULL;
    }
    t->started = 1;
    t->entry = entry;
    t->arg = arg;
    if (pthread_create(&t->pthread, NULL, thread_main, t) != 0) {
        return NULL;
    }
    return t;
}

ng_host_thread_t *ng_host_thread_adopt(const char *name, ng_host_cspace_t *cs)
{
    if (current) {
        return NULL;
    }
    ng_host_thread_t *t = thread_new(name, cs);
    if (t) {
        t->pthread = pthread_self();
        current = t;
    }
    return t;
}

int ng_host_thread_kill(ng_host_thread_t *t)
{
    if (!t || !t->started || t == current) {
        return NG_EBADMSG;
    }
    pthread_mutex_lock(&ng_host_lock);
    if (t->state == NG_HOST_DEAD || t->kill_pending) {
        pthread_mutex_unlock(&ng_host_lock);
        return t->state == NG_HOST_DEAD ? NG_EBADMSG : NG_OK;
    }
    t->kill_pending = 1;
    if (t->state != NG_HOST_RUNNING) {
        /* Out of whatever queue it waits in; it wakes, and its kernel exit ends it. (A running
         * thread is caught where it would block next, or at its kernel exit.) */
        unqueue(t);
        ng_host_wake(t, NG_EIPC);
    }
    pthread_mutex_unlock(&ng_host_lock);
    return NG_OK;
}

int ng_host_thread_join(ng_host_thread_t *t)
{
    if (!t || !t->started) {
        return -1;
    }
    pthread_join(t->pthread, NULL);
    return t->exit_sig;
}

_Noreturn void ng_host_thread_fault(ng_host_thread_t *t, const char *what, ng_cptr_t cptr,
                                    uintptr_t pc)
{
    if (!ng_host_exit_hook || !t->started) {
        fprintf(stderr, "fault: server %s: %s on invalid cap %lu (seL4: cap fault)\n", t->name,
                what, (unsigned long)cptr);
    }
    t->exit_info = (ng_host_exit_t){
        .kind = NG_HOST_EXIT_CAP_FAULT,
        .addr = cptr,
        .pc = pc,
    };
    if (t->started && t->jmp_armed) {
        siglongjmp(t->fault_jmp, SIGABRT);
    }
    abort();
}

_Noreturn void ng_host_thread_vm_fault(ng_host_thread_t *t, uintptr_t addr, uintptr_t pc,
                                       const char *why)
{
    fprintf(stderr, "neptune host: server %s: %s (seL4: vm fault)\n", t->name, why);
    t->exit_info = (ng_host_exit_t){
        .kind = NG_HOST_EXIT_VM_FAULT,
        .addr = addr,
        .pc = pc,
    };
    if (t->started && t->jmp_armed) {
        siglongjmp(t->fault_jmp, SIGSEGV);
    }
    abort();
}

/* exit() of a supervised server thread ends that thread only (see <neptune/host.h>). */
void exit(int status)
{
    ng_host_thread_t *t = current;
    if (t && t->started && t->jmp_armed && ng_host_exit_hook) {
        t->exit_info = (ng_host_exit_t){
            .kind = NG_HOST_EXIT_RETURNED,
            .called_exit = 1,
            .status = status,
        };
        siglongjmp(t->fault_jmp, EXIT_JMP);
    }
    void (*libc_exit)(int) = (void (*)(int))dlsym(RTLD_NEXT, "exit");
    if (!libc_exit) {
        _Exit(status);
    }
    libc_exit(status);
    _Exit(status); /* not reached */
}
