/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The seL4 half of run-time processes (common/procs.c decides, this file does): a program is
 * built by the same code path as a boot server (server.c rs_process_build: sel4utils process,
 * one-level CNode, ELF from the CPIO archive, the table's caps, reserved slots dropped), then
 * gets what is its own per process — a fresh heap at the layout's address, a fresh notification
 * bound to its TCB, a service cap badged for it if it may spawn — and the caps its spawner names,
 * copied from the spawner's CNode into the program's declared slots. What it took from untyped
 * memory is charged to the spawner. Reaping destroys the process (its CNode, VSpace, frames,
 * TCB) and frees the notification and the root server's badged fault-endpoint copy: the free
 * untyped memory and slots are back where they were.
 */
#include <stdio.h>
#include <string.h>

#include <cpio/cpio.h>

#include <sel4/sel4.h>
#include <vka/capops.h>
#include <vka/object.h>

#include "env.h"
#include "spawn.h"

/* The target state of each spawned process, by its slot in rs_procs_t.spawned. */
typedef struct rs_spawned {
    rs_server_state_t st;
    vka_object_t ntfn;
} rs_spawned_t;

static rs_spawned_t rs_spawned[RS_PROCS_MAX];

static rs_spawned_t *rs_spawned_of(rs_procs_t *t, const rs_proc_t *p)
{
    return &rs_spawned[p->pno - t->sys->nservers - 1];
}

rs_server_state_t *rs_proc_state(rs_procs_t *t, const rs_proc_t *p)
{
    rs_env_t *env = t->env;
    return p->boot ? &env->servers[p->pno - 1] : &rs_spawned_of(t, p)->st;
}

/* The CNode (root's cap to it, and its size) of a process. */
static void rs_cnode_of(rs_procs_t *t, const rs_proc_t *p, seL4_CPtr *cnode, uint8_t *bits)
{
    rs_env_t *env = t->env;
    const rs_server_state_t *st = p->boot ? &env->servers[p->pno - 1] : &rs_spawned_of(t, p)->st;
    *cnode = st->process.cspace.cptr;
    *bits = p->spec->cnode_bits;
}

static const rs_cap_t *rs_slot_of_kind(const rs_server_t *s, rs_slot_kind_t kind)
{
    for (uint32_t i = 0; i < s->ncaps; i++) {
        if (s->caps[i].kind == kind) {
            return &s->caps[i];
        }
    }
    return NULL;
}

static seL4_CapRights_t rs_rights(uint8_t r)
{
    return seL4_CapRights_new(!!(r & RS_RIGHT_GRANT_REPLY), !!(r & RS_RIGHT_GRANT),
                              !!(r & RS_RIGHT_READ), !!(r & RS_RIGHT_WRITE));
}

/* What is a program's own: heap, notification, service cap. */
static int rs_own_objects(rs_env_t *env, rs_proc_t *p, rs_spawned_t *sp)
{
    const rs_server_t *s = p->spec;
    sel4utils_process_t *proc = &sp->st.process;
    if (s->heap_bytes > 0) {
        size_t pages = s->heap_bytes >> seL4_PageBits;
        reservation_t r = vspace_reserve_range_at(&proc->vspace, (void *)(uintptr_t)s->heap_vaddr,
                                                  s->heap_bytes, seL4_AllRights, 1);
        if (r.res == NULL) {
            return -1;
        }
        int err = vspace_new_pages_at_vaddr(&proc->vspace, (void *)(uintptr_t)s->heap_vaddr, pages,
                                            seL4_PageBits, r);
        vspace_free_reservation(&proc->vspace, r);
        if (err) {
            return err;
        }
    }
    const rs_cap_t *n = rs_slot_of_kind(s, RS_SLOT_NTFN);
    if (n != NULL) {
        if (vka_alloc_notification(&env->vka, &sp->ntfn) != 0) {
            return -1;
        }
        cspacepath_t src, dest = { .root = proc->cspace.cptr, .capPtr = n->slot, .capDepth = s->cnode_bits };
        vka_cspace_make_path(&env->vka, sp->ntfn.cptr, &src);
        int err = vka_cnode_copy(&dest, &src, rs_rights(n->rights));
        if (!err) {
            err = seL4_TCB_BindNotification(proc->thread.tcb.cptr, sp->ntfn.cptr);
        }
        if (err) {
            return err;
        }
    }
    const rs_cap_t *svc = rs_slot_of_kind(s, RS_SLOT_SPAWN_EP);
    if (svc == NULL) {
        svc = rs_slot_of_kind(s, RS_SLOT_ROOT_EP);
    }
    if (svc != NULL && (s->spawn_max_processes > 0 || s->shared_memory > 0)) {
        cspacepath_t src, dest = { .root = proc->cspace.cptr, .capPtr = svc->slot, .capDepth = s->cnode_bits };
        vka_cspace_make_path(&env->vka, env->fault_ep, &src);
        int err = vka_cnode_mint(&dest, &src, rs_rights(svc->rights),
                                 (seL4_Word)(env->sys->service_badge | p->pno));
        if (err) {
            return err;
        }
    }
    return 0;
}

/* The spawner's caps into the child's declared slots. */
static int rs_grants(rs_procs_t *t, rs_proc_t *p, rs_spawned_t *sp, const rs_proc_t *parent,
                     const rs_grant_t *grants, unsigned ngrants)
{
    seL4_CPtr from_cnode;
    uint8_t from_bits;
    rs_cnode_of(t, parent, &from_cnode, &from_bits);
    for (unsigned i = 0; i < ngrants; i++) {
        if (grants[i].from == 0 || grants[i].from >= (1u << from_bits)) {
            return ROOT_ERR_NO_SUCH_CAP;
        }
        seL4_Error err = seL4_CNode_Copy(sp->st.process.cspace.cptr, grants[i].to, p->spec->cnode_bits,
                                         from_cnode, grants[i].from, from_bits, seL4_AllRights);
        if (err == seL4_FailedLookup) {
            return ROOT_ERR_NO_SUCH_CAP;
        }
        if (err != seL4_NoError) {
            printf("neptune rootserver: %s: cannot copy slot %u of pid %d into slot %u (error %d)\n",
                   p->spec->name, (unsigned)grants[i].from, (int)parent->pid, (unsigned)grants[i].to,
                   (int)err);
            return ROOT_ERR_FAILED;
        }
    }
    return 0;
}

static void rs_free_all(rs_env_t *env, rs_proc_t *p, rs_spawned_t *sp)
{
    rs_process_destroy(env, p->spec, &sp->st);
    if (sp->ntfn.cptr != 0) {
        vka_free_object(&env->vka, &sp->ntfn);
    }
    rs_process_release_fault_ep(env, &sp->st);
    memset(sp, 0, sizeof(*sp));
}

/* A program's executable is its file in the root server's CPIO archive. */
extern char _cpio_archive[];
extern char _cpio_archive_end[];

static int rs_image_read(rs_procs_t *t, const rs_server_t *prog, uint64_t offset, void *buf, uint32_t len,
                         uint32_t *got, uint64_t *size)
{
    (void)t;
    unsigned long bytes = 0;
    const uint8_t *elf = cpio_get_file(_cpio_archive, (unsigned long)(_cpio_archive_end - _cpio_archive), prog->elf, &bytes);
    if (elf == NULL) {
        return ROOT_ERR_FAILED;
    }
    *size = bytes;
    *got = 0;
    if (offset < bytes && len > 0) {
        *got = (uint32_t)(bytes - offset < len ? bytes - offset : len);
        memcpy(buf, elf + offset, *got);
    }
    return 0;
}

static int rs_spawn_create(rs_procs_t *t, rs_proc_t *p, const rs_proc_t *parent,
                           const rs_grant_t *grants, unsigned ngrants, int argc, char **argv, char **envp)
{
    rs_env_t *env = t->env;
    rs_spawned_t *sp = rs_spawned_of(t, p);
    memset(sp, 0, sizeof(*sp));
    uint64_t before = env->untyped_used;
    int err = rs_process_build(env, p->spec, &sp->st, (seL4_Word)p->pno);
    if (err) {
        err = ROOT_ERR_FAILED;
    } else if ((err = rs_own_objects(env, p, sp)) != 0) {
        printf("neptune rootserver: %s: cannot give it its heap, notification or service cap\n",
               p->spec->name);
        err = ROOT_ERR_FAILED;
    } else {
        err = rs_grants(t, p, sp, parent, grants, ngrants);
    }
    if (!err && rs_process_run(env, p->spec, &sp->st, argc, argv, envp) != 0) {
        err = ROOT_ERR_FAILED;
    }
    if (err) {
        rs_free_all(env, p, sp);
        return err;
    }
    p->charged = env->untyped_used - before;
    p->target = sp;
    return 0;
}

static void rs_spawn_stop(rs_procs_t *t, rs_proc_t *p)
{
    seL4_TCB_Suspend(rs_spawned_of(t, p)->st.process.thread.tcb.cptr);
}

static void rs_spawn_reap(rs_procs_t *t, rs_proc_t *p)
{
    rs_free_all(t->env, p, rs_spawned_of(t, p));
}

static void rs_spawn_stats(rs_procs_t *t, uint64_t *untyped_free, uint64_t *slots_free)
{
    rs_env_t *env = t->env;
    const seL4_BootInfo *bi = env->bootinfo;
    static uint64_t at_boot; /* the boot info's untyped list, summed once */
    if (at_boot == 0) {
        at_boot = rs_env_untyped_free_at_boot(env);
    }
    *untyped_free = at_boot - env->untyped_used;
    *slots_free = (uint64_t)(bi->empty.end - bi->empty.start) - env->slots_used;
}

const rs_procs_ops_t rs_spawn_ops = {
    .create = rs_spawn_create,
    .image_read = rs_image_read,
    .stop = rs_spawn_stop,
    .reap = rs_spawn_reap,
    .stats = rs_spawn_stats,
};
