/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The supervisor, as the seL4 root server's fault loop: a server thread that ends (its main()
 * returned, or it faulted) is handed over by the host kernel's exit hook; the supervisor reports
 * it in the seL4 root server's words
 *   fault: server <name>: <vm fault|cap fault|user exception> at <addr> pc <pc> (<signal>)
 *   neptune host: server <name> exited with status <n>
 * and applies the server's restart policy; the words, and the policy with its rate limit, are
 * the seL4 root server's own code (rootserver/common/). The process ends when no server is left
 * running (with a final line), or when the timeout runs out.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "root.h"

static pthread_mutex_t sup_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sup_cond = PTHREAD_COND_INITIALIZER;

/* On the dying server thread, outside the host kernel's lock. */
static void on_exit_hook(void *arg, const ng_host_exit_t *e)
{
    hr_server_t *srv = arg;
    if (srv->spawned) {
        srv->exit = *e;
        if (e->called_exit) {
            srv->status = e->status;
        }
        hr_service_ended(srv);
        return;
    }
    pthread_mutex_lock(&sup_lock);
    srv->exit = *e;
    if (e->called_exit) {
        srv->status = e->status;
    }
    srv->ended = true;
    pthread_cond_signal(&sup_cond);
    pthread_mutex_unlock(&sup_lock);
}

void hr_supervise_init(hr_env_t *env)
{
    (void)env;
    ng_host_exit_hook_set(on_exit_hook);
}

/* Decode: the host kernel's exit record as the seL4 root server decodes a fault message, plus
 * the host signal that stood for the fault. */
rs_end_t hr_end_decode(const hr_server_t *srv)
{
    const ng_host_exit_t *x = &srv->exit;
    rs_end_t e = { .kind = RS_END_OTHER, .addr = x->addr, .pc = x->pc };
    switch (x->kind) {
    case NG_HOST_EXIT_RETURNED:
        e.kind = RS_END_EXIT;
        e.status = srv->status;
        return e;
    case NG_HOST_EXIT_VM_FAULT:
        e.kind = RS_END_VM_FAULT;
        break;
    case NG_HOST_EXIT_CAP_FAULT:
        e.kind = RS_END_CAP_FAULT;
        break;
    case NG_HOST_EXIT_USER_EXCEPTION:
        e.kind = RS_END_USER_EXCEPTION;
        break;
    default:
        break;
    }
    e.detail = ng_host_signal_name(x->sig);
    return e;
}

/* Perform: report, then restart or leave it stopped, as the shared policy decides. */
static void handle(hr_env_t *env, hr_server_t *srv)
{
    rs_end_t e = hr_end_decode(srv);
    rs_report_end(srv->s, &e);
    /* Its run-time shared memory goes with it (restarted or not), as on seL4. */
    hr_shm_client_gone(srv->index + 1);
    rs_decision_t d = rs_restart_decide(srv->s, &srv->restart, &e, rs_clock_ms());
    if (d != RS_DECIDE_RESTART) {
        srv->state = HR_STOPPED;
        rs_report_decision(srv->s, &srv->restart, d, false);
        return;
    }
    bool ok = hr_server_start(env, srv->index) == 0;
    if (!ok) {
        srv->state = HR_STOPPED;
    }
    rs_report_decision(srv->s, &srv->restart, d, ok);
}

static unsigned running(const hr_env_t *env)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < env->sys->nservers; i++) {
        n += env->servers[i].state == HR_RUNNING;
    }
    return n;
}

int hr_supervise(hr_env_t *env, double timeout_sec)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)timeout_sec;
    deadline.tv_nsec += (long)((timeout_sec - (double)(time_t)timeout_sec) * 1e9);
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&sup_lock);
    for (;;) {
        bool handled = false;
        for (uint32_t i = 0; i < env->sys->nservers; i++) {
            hr_server_t *srv = &env->servers[i];
            if (srv->ended) {
                srv->ended = false;
                pthread_mutex_unlock(&sup_lock);
                handle(env, srv);
                pthread_mutex_lock(&sup_lock);
                handled = true;
            }
        }
        if (handled) {
            continue;
        }
        if (running(env) == 0) {
            pthread_mutex_unlock(&sup_lock);
            printf(HR_PREFIX "system %s: no server left running\n", env->sys->name);
            return 0;
        }
        int err = timeout_sec > 0 ? pthread_cond_timedwait(&sup_cond, &sup_lock, &deadline)
                                  : pthread_cond_wait(&sup_cond, &sup_lock);
        if (err == ETIMEDOUT) {
            unsigned n = running(env);
            pthread_mutex_unlock(&sup_lock);
            printf(HR_PREFIX "system %s: timeout after %g s, %u of %u servers still running\n",
                   env->sys->name, timeout_sec, n, (unsigned)env->sys->nservers);
            return 0;
        }
    }
}
