/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the root server does differently on the MCS kernel, in one place: every server gets a
 * scheduling context from its table entry (budget/period in microseconds, badged with its fault
 * badge so a timeout names it) and the root server as its timeout handler; servers that receive
 * calls get reply objects (slot 7 from sel4utils, one per RS_SLOT_REPLY slot from here); the
 * supervisor receives with a reply object of its own, resumes a server after a timeout fault,
 * and takes a passive server's scheduling context away once the server reports, in its first
 * receive, that it is initialised (NEPTUNE_READY_LABEL; the transport sends it with
 * seL4_NBSendRecv, so the server is already waiting in that receive). From then on it runs on
 * its callers' scheduling contexts, as a Microkit passive PD does (after a restart it stays
 * active: see rs_sched_ready).
 *
 * On a non-MCS kernel these functions do nothing (or refuse MCS tables).
 */
#include <stdio.h>
#include <stdlib.h>

#include <sel4/sel4.h>
#include <sel4utils/process.h>
#include <vka/capops.h>
#include <vka/object.h>

#include "env.h"
#include "neptune_exit.h"

const char *rs_sched_kernel_name(void)
{
#if defined(CONFIG_KERNEL_MCS) && defined(CONFIG_ARM_HYPERVISOR_SUPPORT)
    return "mcs/el2";
#elif defined(CONFIG_KERNEL_MCS)
    return "mcs/el1";
#elif defined(CONFIG_ARM_HYPERVISOR_SUPPORT)
    return "non-mcs/el2";
#else
    return "non-mcs/el1";
#endif
}

int rs_sched_check_tables(const rs_system_t *sys)
{
#ifdef CONFIG_KERNEL_MCS
    if (!sys->mcs) {
        printf("neptune rootserver: the tables were generated for a non-MCS kernel, this one is MCS\n"
               "neptune rootserver: hint: build with kernel: { mcs: true } (or -D KernelIsMCS=ON) through neptune-gen\n");
        return 1;
    }
#else
    if (sys->mcs) {
        printf("neptune rootserver: the tables were generated for the MCS kernel, this one is not\n");
        return 1;
    }
#endif
    return 0;
}

#ifdef CONFIG_KERNEL_MCS

/* Timeout faults of one server are reported this often (the first, then every Nth). */
#define RS_TIMEOUT_REPORT_EVERY 64u

static seL4_CPtr rs_reply; /* the supervisor's reply object */

int rs_sched_init(rs_env_t *env)
{
    vka_object_t reply;
    int err = vka_alloc_reply(&env->vka, &reply);
    rs_reply = reply.cptr;
    return err;
}

seL4_MessageInfo_t rs_sched_recv(rs_env_t *env, seL4_Word *badge)
{
    return seL4_Recv(env->fault_ep, badge, rs_reply);
}

seL4_CPtr rs_sched_reply(void)
{
    return rs_reply;
}

int rs_sched_reply_object(rs_env_t *env, seL4_CPtr *slot)
{
    vka_object_t r;
    int err = vka_alloc_reply(&env->vka, &r);
    *slot = r.cptr;
    return err;
}

sel4utils_process_config_t rs_sched_config(rs_env_t *env, const rs_server_t *s,
                                           sel4utils_process_config_t config)
{
    config.sched_params.create_sc = true;
    config.sched_params.sched_ctrl = simple_get_sched_ctrl(&env->simple, 0);
    /* Programs (spawned at run time) have no table entry for it: the defaults, 1 ms every 1 ms. */
    config.sched_params.budget = s->budget_us ? s->budget_us : 1000;
    config.sched_params.period = s->period_us ? s->period_us : 1000;
    config.sched_params.extra_refills = 0;
    config.sched_params.badge = (seL4_Word)s->fault_badge;
    return config;
}

/* Reply objects into the RS_SLOT_REPLY slots, and the supervisor as timeout handler. */
int rs_sched_setup(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st)
{
    int err = seL4_TCB_SetTimeoutEndpoint(st->process.thread.tcb.cptr, st->fault_ep);
    if (err) {
        printf("neptune rootserver: %s: cannot set the timeout endpoint (error %d)\n", s->name, err);
        return err;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        n += s->caps[i].kind == RS_SLOT_REPLY;
    }
    st->replies = calloc(n ? n : 1, sizeof(*st->replies));
    if (st->replies == NULL) {
        return -1;
    }
    st->nreplies = 0;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const rs_cap_t *c = &s->caps[i];
        if (c->kind != RS_SLOT_REPLY) {
            continue;
        }
        vka_object_t *r = &st->replies[st->nreplies];
        cspacepath_t src, dest = {
            .root = st->process.cspace.cptr,
            .capPtr = c->slot,
            .capDepth = s->cnode_bits,
        };
        err = vka_alloc_reply(&env->vka, r);
        if (!err) {
            st->nreplies++;
            vka_cspace_make_path(&env->vka, r->cptr, &src);
            err = vka_cnode_copy(&dest, &src, seL4_AllRights);
        }
        if (err) {
            printf("neptune rootserver: %s: cannot give it a reply object in slot %u (error %d)\n", s->name,
                   (unsigned)c->slot, err);
            return err;
        }
        st->caps_installed++;
    }
    return 0;
}

void rs_sched_destroy(rs_env_t *env, rs_server_state_t *st)
{
    /* The server's copies went with its CNode; these are the originals. */
    for (uint32_t i = 0; i < st->nreplies; i++) {
        vka_free_object(&env->vka, &st->replies[i]);
    }
    free(st->replies);
    st->replies = NULL;
    st->nreplies = 0;
}

/* A passive server said it waits in its first receive: it keeps no scheduling context. Only at
 * its first start: a restarted server may find calls already queued on its endpoint, and its
 * first receive then returns one at once (served on its own scheduling context, as callers
 * donate theirs only to a server without one); taking the context away then would strand that
 * caller. So a restarted passive server stays active, and says so. */
static void rs_sched_ready(rs_env_t *env, uint32_t index)
{
    const rs_server_t *s = &env->sys->servers[index];
    rs_server_state_t *st = &env->servers[index];
    st->ready = true;
    if (!s->passive) {
        return;
    }
    if (st->was_passive) {
        printf("neptune rootserver: server %s restarted: it keeps its scheduling context (calls may "
               "be waiting for it already)\n", s->name);
        return;
    }
    int err = seL4_SchedContext_UnbindObject(st->process.thread.sched_context.cptr, st->process.thread.tcb.cptr);
    if (err) {
        printf("neptune rootserver: %s: cannot make it passive (error %d)\n", s->name, err);
        return;
    }
    st->was_passive = true;
    /* Signals (IRQs, notifying servers) have no caller to lend a context: bound to the server's
     * own notification, the context is lent by the signal instead, as Microkit does for passive
     * PDs. Without it a signalled passive server is woken with no context and never runs again. */
    const rs_cap_t *ntfn = rs_own_ntfn(s);
    if (ntfn != NULL && ntfn->object != RS_NO_OBJECT) {
        err = seL4_SchedContext_Bind(st->process.thread.sched_context.cptr, env->objects[ntfn->object].cap);
        if (err) {
            printf("neptune rootserver: %s: cannot lend its scheduling context to its notification (error %d)\n",
                   s->name, err);
        }
    }
    printf("neptune rootserver: server %s is passive: it runs on its callers' scheduling contexts\n", s->name);
}

/* A budget ran out (budget < period) while this server ran: on its own scheduling context, or,
 * for a passive server, on its caller's (the fault carries that context's badge: its owner's
 * fault badge). Report, and let it go on when the context is refilled. */
static void rs_sched_timeout(rs_env_t *env, uint32_t index, seL4_CPtr reply)
{
    const rs_server_t *s = &env->sys->servers[index];
    rs_server_state_t *st = &env->servers[index];
    seL4_Word sc_badge = seL4_GetMR(seL4_Timeout_Data);
    const rs_server_t *owner = s;
    for (uint32_t i = 0; i < env->sys->nservers; i++) {
        if (env->sys->servers[i].fault_badge == sc_badge) {
            owner = &env->sys->servers[i];
        }
    }
    if (st->timeouts++ % RS_TIMEOUT_REPORT_EVERY == 0) {
        printf("neptune rootserver: timeout: server %s ran out of budget on %s%s scheduling context "
               "(%u us every %u us; %u so far): throttled until it is refilled\n",
               s->name, owner == s ? "its own" : owner->name, owner == s ? "" : "'s", (unsigned)owner->budget_us,
               (unsigned)owner->period_us, (unsigned)st->timeouts);
    }
    /* An empty reply to a timeout fault resumes the thread. */
    seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
}

bool rs_sched_message(rs_env_t *env, uint32_t index, seL4_MessageInfo_t info, seL4_CPtr reply)
{
    switch (seL4_MessageInfo_get_label(info)) {
    case NEPTUNE_READY_LABEL:
        if (index < env->sys->nservers) {
            rs_sched_ready(env, index);
        }
        return true; /* a spawned program's notice: nothing to do */
    case seL4_Fault_Timeout:
        if (index < env->sys->nservers) {
            rs_sched_timeout(env, index, reply);
        } else {
            seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));
        }
        return true;
    default:
        return false;
    }
}

/* A passive server starts with a scheduling context for its initialisation; wait until it is
 * in its first receive before its clients start (so no call can find it still initialising). */
int rs_sched_wait_ready(rs_env_t *env, uint32_t index)
{
    rs_server_state_t *st = &env->servers[index];
    if (!env->sys->servers[index].passive) {
        return 0;
    }
    while (!st->ready && st->status == RS_SERVER_RUNNING) {
        seL4_Word badge;
        seL4_MessageInfo_t info = rs_sched_recv(env, &badge);
        rs_supervise_one(env, info, badge);
    }
    return st->ready ? 0 : -1;
}

#else /* !CONFIG_KERNEL_MCS */

int rs_sched_init(rs_env_t *env)
{
    (void)env;
    return 0;
}

seL4_MessageInfo_t rs_sched_recv(rs_env_t *env, seL4_Word *badge)
{
    return seL4_Recv(env->fault_ep, badge);
}

sel4utils_process_config_t rs_sched_config(rs_env_t *env, const rs_server_t *s,
                                           sel4utils_process_config_t config)
{
    (void)env;
    (void)s;
    return config;
}

int rs_sched_setup(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st)
{
    (void)env;
    (void)s;
    (void)st;
    return 0;
}

void rs_sched_destroy(rs_env_t *env, rs_server_state_t *st)
{
    (void)env;
    (void)st;
}

bool rs_sched_message(rs_env_t *env, uint32_t index, seL4_MessageInfo_t info, seL4_CPtr reply)
{
    (void)env;
    (void)index;
    (void)info;
    (void)reply;
    return false;
}

seL4_CPtr rs_sched_reply(void)
{
    return seL4_CapNull;
}

int rs_sched_reply_object(rs_env_t *env, seL4_CPtr *slot)
{
    return vka_cspace_alloc(&env->vka, slot);
}

int rs_sched_wait_ready(rs_env_t *env, uint32_t index)
{
    (void)env;
    (void)index;
    return 0;
}

#endif
