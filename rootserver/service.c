/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root server after boot: one receive loop on its endpoint (root_service_gen.h, generated)
 * for both kinds of message it gets. A badge without RS_SERVICE_BADGE is a fault badge: a fault
 * or an exit of a boot server (restart policy, fault.c) or of a spawned process (common/procs.c:
 * reported, handed to its waiting parent). A badge with it is a call to a root service from the
 * process the rest of the badge names, dispatched to the handlers registered in rs_services.
 *
 * Registering a second root service (its IDL in codegen's BUILTIN_IDL and ROOT_SERVICE_INTERFACES)
 * is one line in rs_services: `.rootmem = &rs_rootmem_ops,`; its handlers get the same ctx (the
 * process table, rootserver/procs.h) and find their caller with rs_procs_by_badge(badge & ~RS_SERVICE_BADGE).
 */
#include <stdio.h>

#include <sel4/sel4.h>
#include <vka/capops.h>

#include "env.h"
#include "spawn.h"
#include "root_service_gen.h"

/* Saved replies of waits: one each for the processes that can wait at once. */
#define RS_SERVICE_REPLY_SLOTS 64u

static rs_procs_t rs_procs;
static ng_server_t rs_server;
static ng_cptr_t rs_reply_slots[RS_SERVICE_REPLY_SLOTS];
static rs_env_t *rs_service_env;

static void rs_service_fault(void *ctx, ng_badge_t badge, ng_word_t tag, const ng_word_t w[4])
{
    rs_procs_t *t = ctx;
    rs_env_t *env = rs_service_env;
    seL4_MessageInfo_t info = { { tag } };
    /* The fast receive left the first four words in w: put them where the decoder reads. */
    for (unsigned i = 0; i < 4; i++) {
        seL4_SetMR(i, w[i]);
    }
    rs_proc_t *p = rs_procs_by_badge(t, badge);
    /* MCS: a first receive's "ready" notice, or a timeout fault (sched.c). */
    if (rs_sched_message(env, p != NULL && p->boot ? p->pno - 1 : UINT32_MAX, info, rs_server.reply)) {
        return;
    }
    rs_end_t e = rs_fault_decode(info);
    if (p != NULL && p->boot) {
        rs_fault_handle(env, p->pno - 1, &e);
        return;
    }
    if (p == NULL || !rs_procs_ended(t, p->pno, &e)) {
        printf("neptune rootserver: message with unknown badge %lu ignored\n", (unsigned long)badge);
    }
}

static const rs_service_ops_t rs_services = {
    .root = &rs_root_ops,
    .rootmem = &rs_rootmem_ops,
    .fault = rs_service_fault,
};

void rs_service_run(rs_env_t *env)
{
    rs_service_env = env;
    rs_shm_init(env, env->fault_ep);
    rs_procs_init(&rs_procs, env->sys, &rs_spawn_ops, env);
    env->procs = &rs_procs;
    for (unsigned i = 0; i < RS_SERVICE_REPLY_SLOTS; i++) {
        seL4_CPtr slot;
        if (rs_sched_reply_object(env, &slot) != 0) {
            printf("neptune rootserver: no slots for saved replies\n");
            break;
        }
        rs_reply_slots[i] = slot;
    }
    uint64_t ut, slots;
    rs_spawn_ops.stats(&rs_procs, &ut, &slots);
    printf("neptune rootserver: process service up: %u programs, %llu KiB untyped and %llu slots free\n",
           (unsigned)env->sys->nprograms, (unsigned long long)(ut >> 10), (unsigned long long)slots);
    ng_server_init(&rs_server, env->fault_ep, 0, rs_reply_slots, RS_SERVICE_REPLY_SLOTS);
    /* MCS: receive with the supervisor's reply object (no-op on a non-MCS kernel). */
    ng_server_set_reply(&rs_server, rs_sched_reply());
    rs_procs.server = &rs_server;
    rs_service_serve(&rs_server, &rs_services, &rs_procs);
}
