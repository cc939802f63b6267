/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The neptune root server: boots the static system described by the generated tables
 * (system_gen.c, `rs_system`) and then supervises it. Order: allocators from the boot info,
 * table check, kernel objects, the fault endpoint, each server in table order (servers before
 * their clients), a boot summary, then the fault loop.
 */
#include <stdio.h>
#include <stdlib.h>

#include <sel4/sel4.h>
#include <vka/object.h>

#include "env.h"

static rs_env_t rs_env;

static void rs_halt(const char *why)
{
    printf("neptune rootserver: boot failed: %s\n", why);
    seL4_TCB_Suspend(seL4_CapInitThreadTCB);
}

static void rs_print_summary(const rs_env_t *env)
{
    const rs_system_t *sys = env->sys;
    uint32_t caps = 0, running = 0;
    for (uint32_t i = 0; i < sys->nservers; i++) {
        const rs_server_state_t *st = &env->servers[i];
        caps += st->caps_installed;
        running += st->status == RS_SERVER_RUNNING;
        printf("neptune rootserver:   %-16s prio %3u  cnode %2u bits  %2u caps  %u mappings\n",
               sys->servers[i].name, (unsigned)sys->servers[i].priority,
               (unsigned)sys->servers[i].cnode_bits, (unsigned)st->caps_installed,
               (unsigned)sys->servers[i].nmaps);
    }
    printf("neptune rootserver: system %s: %u servers started, %u objects, %u caps installed\n",
           sys->name, (unsigned)running, (unsigned)sys->nobjects, (unsigned)caps);
    printf("neptune rootserver: untyped used %llu KiB (layout estimate %llu KiB, budget %llu KiB, "
           "free at boot %llu KiB)\n",
           (unsigned long long)(env->untyped_used >> 10),
           (unsigned long long)(sys->untyped_estimate >> 10),
           (unsigned long long)(sys->untyped_budget >> 10),
           (unsigned long long)(rs_env_untyped_free_at_boot(env) >> 10));
}

int main(void)
{
    rs_env_t *env = &rs_env;
    printf("neptune rootserver: hello\n");
    printf("neptune rootserver: kernel %s\n", rs_sched_kernel_name());
    rs_env_init(env, &rs_system);

    if (rs_tables_validate(env->sys) != 0 || rs_sched_check_tables(env->sys) != 0) {
        rs_halt("the generated tables are inconsistent");
        return 1;
    }
    if (rs_objects_create(env) != 0) {
        rs_halt("cannot create the kernel objects");
        return 1;
    }
    if (env->sys->fault_ep != RS_NO_OBJECT) {
        env->fault_ep = env->objects[env->sys->fault_ep].cap;
    } else {
        vka_object_t fault_ep;
        if (vka_alloc_endpoint(&env->vka, &fault_ep) != 0) {
            rs_halt("cannot create the fault endpoint");
            return 1;
        }
        env->fault_ep = fault_ep.cptr;
    }

    if (rs_sched_init(env) != 0) {
        rs_halt("cannot create the supervisor's reply object");
        return 1;
    }

    env->servers = calloc(env->sys->nservers ? env->sys->nservers : 1, sizeof(*env->servers));
    if (env->servers == NULL) {
        rs_halt("out of memory");
        return 1;
    }
    printf("neptune rootserver: booting system %s (%u servers)\n", env->sys->name,
           (unsigned)env->sys->nservers);
    for (uint32_t i = 0; i < env->sys->nservers; i++) {
        if (rs_server_start(env, i) != 0) {
            printf("neptune rootserver: server %s failed to start\n", env->sys->servers[i].name);
        }
    }
    rs_print_summary(env);
#ifdef RS_HAVE_SERVICE
    rs_service_run(env);
#else
    rs_supervise(env);
#endif
    return 0;
}
