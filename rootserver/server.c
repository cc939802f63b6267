/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Builds one server from its table entry and starts it: sel4utils creates the one-level CNode,
 * the VSpace (with the table's mappings reserved first), loads the ELF from the CPIO archive
 * and creates the thread; then the root server maps the frames at the table's addresses,
 * mints exactly the caps the table names into exactly its slots, deletes what sel4utils put in
 * the reserved slots that the layout does not grant (least privilege), and starts the thread.
 * Also the teardown a restart needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sel4/sel4.h>
#include <sel4runtime/auxv.h>
#include <sel4utils/helpers.h>
#include <sel4utils/process.h>
#include <vka/capops.h>

#include "env.h"
#include <rootserver/procs.h>

#define RS_FAULT_EP_SLOT SEL4UTILS_ENDPOINT_SLOT
#define RS_MAX_ARGS 16

static seL4_CapRights_t rs_cap_rights(uint8_t r)
{
    return seL4_CapRights_new(!!(r & RS_RIGHT_GRANT_REPLY), !!(r & RS_RIGHT_GRANT),
                              !!(r & RS_RIGHT_READ), !!(r & RS_RIGHT_WRITE));
}

static seL4_CapRights_t rs_map_rights(uint8_t perms)
{
    return seL4_CapRights_new(0, 0, !!(perms & RS_PERM_READ), !!(perms & RS_PERM_WRITE));
}

/* The badged cap a server's faults arrive through: send + grant-reply only (the kernel needs
 * one of the grant rights to deliver a fault). */
static int rs_fault_ep_mint(rs_env_t *env, seL4_Word badge, seL4_CPtr *out)
{
    cspacepath_t src, dest;
    vka_cspace_make_path(&env->vka, env->fault_ep, &src);
    int err = vka_cspace_alloc_path(&env->vka, &dest);
    if (err) {
        return err;
    }
    err = vka_cnode_mint(&dest, &src, seL4_CapRights_new(1, 0, 0, 1), badge);
    if (err) {
        vka_cspace_free(&env->vka, dest.capPtr);
        return err;
    }
    *out = dest.capPtr;
    return 0;
}

static int rs_map_frames(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st)
{
    const rs_system_t *sys = env->sys;
    uint32_t total = 0;
    for (uint32_t i = 0; i < s->nmaps; i++) {
        total += sys->objects[s->maps[i].object].pages;
    }
    st->frame_copies = calloc(total ? total : 1, sizeof(seL4_CPtr));
    if (st->frame_copies == NULL) {
        return -1;
    }
    st->nframe_copies = 0;
    for (uint32_t i = 0; i < s->nmaps; i++) {
        const rs_mapping_t *m = &s->maps[i];
        const rs_object_t *o = &sys->objects[m->object];
        seL4_CPtr *caps = &st->frame_copies[st->nframe_copies];
        for (uint32_t p = 0; p < o->pages; p++) {
            cspacepath_t src, dest;
            vka_cspace_make_path(&env->vka, env->objects[m->object].pages[p].cptr, &src);
            int err = vka_cspace_alloc_path(&env->vka, &dest);
            if (!err) {
                err = vka_cnode_copy(&dest, &src, seL4_AllRights);
            }
            if (err) {
                return err;
            }
            caps[p] = dest.capPtr;
            st->nframe_copies++;
        }
        int err = vspace_map_pages_at_vaddr(&st->process.vspace, caps, NULL, (void *)(uintptr_t)m->vaddr,
                                            o->pages, o->size_bits, st->reservations[i].reservation);
        if (err) {
            printf("neptune rootserver: %s: cannot map %s at %p\n", s->name, o->id,
                   (void *)(uintptr_t)m->vaddr);
            return err;
        }
    }
    return 0;
}

/* Interrupts of an IRQ handler arrive on the server's own notification with the table's badge. */
static int rs_irq_bind(rs_env_t *env, const rs_server_t *s, const rs_cap_t *c)
{
    const rs_cap_t *ntfn = rs_own_ntfn(s);
    cspacepath_t src, dest;
    vka_cspace_make_path(&env->vka, env->objects[ntfn->object].cap, &src);
    int err = vka_cspace_alloc_path(&env->vka, &dest);
    if (!err) {
        err = vka_cnode_mint(&dest, &src, seL4_CapRights_new(0, 0, 0, 1), (seL4_Word)c->badge);
    }
    if (!err) {
        err = seL4_IRQHandler_SetNotification(env->objects[c->object].cap, dest.capPtr);
    }
    /* The kernel keeps its own copy: ours goes, so a restart does not leak a slot. */
    if (dest.capPtr != 0) {
        vka_cnode_delete(&dest);
        vka_cspace_free(&env->vka, dest.capPtr);
    }
    return err;
}

static int rs_install_caps(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st)
{
    st->caps_installed = 0;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const rs_cap_t *c = &s->caps[i];
        if (c->kind == RS_SLOT_RESERVED || c->object == RS_NO_OBJECT) {
            continue;
        }
        cspacepath_t src, dest = {
            .root = st->process.cspace.cptr,
            .capPtr = c->slot,
            .capDepth = s->cnode_bits,
        };
        vka_cspace_make_path(&env->vka, env->objects[c->object].cap, &src);
        int err;
        if (c->kind == RS_SLOT_IRQ_HANDLER) {
            err = c->badge ? rs_irq_bind(env, s, c) : 0;
            if (!err) {
                err = vka_cnode_copy(&dest, &src, seL4_AllRights);
            }
        } else if (c->kind == RS_SLOT_IOPORT) {
            err = vka_cnode_copy(&dest, &src, seL4_AllRights);
        } else {
            err = vka_cnode_mint(&dest, &src, rs_cap_rights(c->rights), (seL4_Word)c->badge);
        }
        if (err) {
            printf("neptune rootserver: %s: cannot install %s in slot %u (error %d)\n", s->name,
                   env->sys->objects[c->object].id, (unsigned)c->slot, err);
            return err;
        }
        st->caps_installed++;
        if (c->kind == RS_SLOT_NTFN) {
            /* Its own notification: bound, so signals and IRQs reach it in seL4_Recv too. */
            err = seL4_TCB_BindNotification(st->process.thread.tcb.cptr, env->objects[c->object].cap);
            if (err) {
                return err;
            }
        }
    }
    return 0;
}

/* sel4utils fills slots 1-5 (own CNode, fault endpoint, VSpace, ASID pool, TCB). Keep only what
 * the layout grants, and always the fault endpoint: a non-MCS kernel looks it up in the faulting
 * thread's own CSpace. */
static int rs_drop_reserved(const rs_server_t *s, rs_server_state_t *st)
{
    static const seL4_Word droppable[] = {
        SEL4UTILS_CNODE_SLOT, SEL4UTILS_PD_SLOT, SEL4UTILS_ASID_POOL_SLOT, SEL4UTILS_TCB_SLOT,
#ifdef CONFIG_KERNEL_MCS
        /* its scheduling context (never granted) and reply object (kept if it receives calls) */
        SEL4UTILS_SCHED_CONTEXT_SLOT, SEL4UTILS_REPLY_SLOT,
#endif
    };
    for (unsigned i = 0; i < ARRAY_SIZE(droppable); i++) {
        if (s->keep_reserved & (1u << droppable[i])) {
            continue;
        }
        int err = seL4_CNode_Delete(st->process.cspace.cptr, droppable[i], s->cnode_bits);
        if (err) {
            return err;
        }
    }
    if (!(s->keep_reserved & (1u << SEL4UTILS_TCB_SLOT))) {
        /* sel4runtime would name its thread through this slot; the root server does it. */
        st->process.dest_tcb_cptr = 0;
    }
    return 0;
}

/* Everything but the start: process, mappings, the table's caps, reserved slots dropped.
 * Shared by boot servers and spawned programs (spawn.c), whose empty slots are filled after. */
int rs_process_build(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st, seL4_Word fault_badge)
{
    int err;

    if (st->fault_ep == 0 && (err = rs_fault_ep_mint(env, fault_badge, &st->fault_ep))) {
        return err;
    }
    st->reservations = calloc(s->nmaps ? s->nmaps : 1, sizeof(*st->reservations));
    if (st->reservations == NULL) {
        return -1;
    }
    for (uint32_t i = 0; i < s->nmaps; i++) {
        const rs_mapping_t *m = &s->maps[i];
        const rs_object_t *o = &env->sys->objects[m->object];
        st->reservations[i].elf_vstart = (void *)(uintptr_t)m->vaddr;
        st->reservations[i].size = o->pages << o->size_bits;
        st->reservations[i].rights = rs_map_rights(m->perms);
        st->reservations[i].cacheable = m->cached;
    }

    sel4utils_process_config_t config = process_config_new(&env->simple);
    config = process_config_elf(config, s->elf, true);
    config = process_config_create_cnode(config, s->cnode_bits);
    config = process_config_create_vspace(config, st->reservations, (int)s->nmaps);
    config = process_config_fault_cptr(config, st->fault_ep);
    config = process_config_priority(config, s->priority);
    config = process_config_mcp(config, 0);
    config = rs_sched_config(env, s, config);
    err = sel4utils_configure_process_custom(&st->process, &env->vka, &env->vspace, config);
    if (err) {
        printf("neptune rootserver: %s: cannot create the process for ELF '%s'\n", s->name, s->elf);
        return err;
    }
    st->built = true;
    rs_mem_client_init(&st->mem, s->name, &st->process.vspace, (uint32_t)(s->shared_memory >> seL4_PageBits),
                       rs_holds_service_cap(s));
    if ((err = rs_map_frames(env, s, st)) || (err = rs_install_caps(env, s, st)) ||
        (err = rs_drop_reserved(s, st)) || (err = rs_sched_setup(env, s, st))) {
        return err;
    }
#ifdef CONFIG_DEBUG_BUILD
    seL4_DebugNameThread(st->process.thread.tcb.cptr, s->name);
#endif
    return 0;
}

/* Pushes `len` bytes onto the process's stack (from *sp down); their address in the process. */
static int rs_push(rs_env_t *env, rs_server_state_t *st, const void *buf, size_t len, uintptr_t *sp)
{
    return sel4utils_stack_write(&env->vspace, &st->process.vspace, &env->vka, (void *)buf, len, sp);
}

#define RS_MAX_ENV 32

/*
 * The process's first stack frame, as sel4runtime's _start reads it (the System V layout):
 * from the stack pointer up, argc, argv[0..argc-1], NULL, envp[0..], NULL, then the auxiliary
 * vector (type, value) pairs ending with AT_NULL; the strings and the ELF program headers above
 * it. sel4utils' own spawn writes an empty environment, so the frame is built here.
 */
int rs_process_run(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st, int argc, char **argv, char **envp)
{
    sel4utils_process_t *pr = &st->process;
    uintptr_t sp = (uintptr_t)pr->thread.stack_top - sizeof(seL4_Word);
    int envc = 0;
    while (envp != NULL && envp[envc] != NULL && envc < RS_MAX_ENV) {
        envc++;
    }
    seL4_Word words[1 + RS_PROCS_MAX_ARGS + 2 + 1 + RS_MAX_ENV + 1 + 2 * 8];
    if (argc > (int)RS_PROCS_MAX_ARGS + 1) {
        return -1;
    }
    int err = rs_push(env, st, pr->elf_phdrs, pr->num_elf_phdrs * sizeof(Elf_Phdr), &sp);
    uintptr_t phdrs = sp;
    size_t n = 0;
    words[n++] = (seL4_Word)argc;
    for (int i = 0; i < argc && !err; i++) {
        err = rs_push(env, st, argv[i], strlen(argv[i]) + 1, &sp);
        words[n++] = sp;
    }
    words[n++] = 0;
    for (int i = 0; i < envc && !err; i++) {
        err = rs_push(env, st, envp[i], strlen(envp[i]) + 1, &sp);
        words[n++] = sp;
    }
    words[n++] = 0;
    const seL4_Word aux[][2] = {
        {AT_PAGESZ, (seL4_Word)pr->pagesz},
        {AT_PHDR, phdrs},
        {AT_PHNUM, (seL4_Word)pr->num_elf_phdrs},
        {AT_PHENT, sizeof(Elf_Phdr)},
        {AT_SEL4_IPC_BUFFER_PTR, (seL4_Word)pr->thread.ipc_buffer_addr},
        {AT_SEL4_TCB, (seL4_Word)pr->dest_tcb_cptr},
        {pr->sysinfo ? AT_SYSINFO : AT_NULL, (seL4_Word)pr->sysinfo},
    };
    for (size_t i = 0; i < sizeof aux / sizeof aux[0] && aux[i][0] != AT_NULL; i++) {
        words[n++] = aux[i][0];
        words[n++] = aux[i][1];
    }
    words[n++] = AT_NULL;
    words[n++] = 0;
    /* The frame's start (argc) must sit on a 16-byte boundary. */
    sp -= (sp - n * sizeof(seL4_Word)) % 16;
    if (!err) {
        err = rs_push(env, st, words, n * sizeof(seL4_Word), &sp);
    }
    seL4_UserContext context = {0};
    if (!err) {
        err = sel4utils_arch_init_context(pr->entry_point, (void *)sp, &context);
    }
    if (!err) {
        pr->thread.initial_stack_pointer = (void *)sp;
        err = seL4_TCB_WriteRegisters(pr->thread.tcb.cptr, 1, 0, sizeof(context) / sizeof(seL4_Word), &context);
    }
    if (err) {
        printf("neptune rootserver: %s: cannot start\n", s->name);
        return err;
    }
    st->status = RS_SERVER_RUNNING;
    st->ready = false;
    return 0;
}

int rs_server_start(rs_env_t *env, uint32_t index)
{
    const rs_server_t *s = &env->sys->servers[index];
    rs_server_state_t *st = &env->servers[index];
    int err = rs_process_build(env, s, st, (seL4_Word)s->fault_badge);
    if (err) {
        return err;
    }
    char *argv[RS_MAX_ARGS + 1];
    int argc = 0;
    argv[argc++] = (char *)s->name;
    for (uint32_t i = 0; i < s->argc && argc < RS_MAX_ARGS; i++) {
        argv[argc++] = (char *)s->argv[i];
    }
    argv[argc] = NULL;
    err = rs_process_run(env, s, st, argc, argv, NULL);
    /* MCS: a passive server is made passive before its clients start (sched.c). */
    return err ? err : rs_sched_wait_ready(env, index);
}

void rs_process_destroy(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st)
{
    if (st->built) {
        /* Its run-time shared memory first: mappings into it out, objects it made destroyed
         * (unmapped from every other holder, their caps revoked). */
        rs_shm_client_gone(env, &st->mem);
        /* Unmap the table's frames first, keeping them: they are shared with other servers or
         * are device memory, and the vspace teardown below must not free them. */
        for (uint32_t i = 0; i < s->nmaps; i++) {
            const rs_object_t *o = &env->sys->objects[s->maps[i].object];
            vspace_unmap_pages(&st->process.vspace, (void *)(uintptr_t)s->maps[i].vaddr, o->pages,
                               o->size_bits, VSPACE_PRESERVE);
        }
    }
    for (uint32_t i = 0; i < st->nframe_copies; i++) {
        cspacepath_t path;
        vka_cspace_make_path(&env->vka, st->frame_copies[i], &path);
        vka_cnode_delete(&path);
        vka_cspace_free(&env->vka, st->frame_copies[i]);
    }
    free(st->frame_copies);
    st->frame_copies = NULL;
    st->nframe_copies = 0;
    if (st->built) {
        /* Deleting its CNode deletes every cap the root server minted into it; the vspace
         * teardown frees its page tables and the frames it allocated (ELF, stack, IPC buffer,
         * a program's heap). */
        sel4utils_destroy_process(&st->process, &env->vka);
        st->built = false;
    }
    rs_sched_destroy(env, st);
    free(st->reservations);
    st->reservations = NULL;
    st->status = RS_SERVER_STOPPED;
}

void rs_server_destroy(rs_env_t *env, uint32_t index)
{
    rs_process_destroy(env, &env->sys->servers[index], &env->servers[index]);
}

void rs_process_release_fault_ep(rs_env_t *env, rs_server_state_t *st)
{
    if (st->fault_ep != 0) {
        cspacepath_t path;
        vka_cspace_make_path(&env->vka, st->fault_ep, &path);
        vka_cnode_delete(&path);
        vka_cspace_free(&env->vka, st->fault_ep);
        st->fault_ep = 0;
    }
}
