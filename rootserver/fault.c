/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The supervisor loop. Every server's fault endpoint is a badged copy of the root server's one
 * endpoint (the table's fault_badge per server), so one seL4_Recv tells which server faulted. A fault is
 * decoded (no side effects), reported as
 *   fault: server <name>: <vm fault|cap fault|unknown syscall|user exception> at <addr> pc <pc>
 * and then the server's restart policy is applied. A server whose main() returns sends
 * NEPTUNE_EXIT_LABEL on the same endpoint and is treated the same way, reported as an exit.
 */
#include <stdio.h>

#include <sel4/sel4.h>

#include "env.h"
#include "neptune_exit.h"

typedef enum rs_fault_kind {
    RS_FAULT_VM,
    RS_FAULT_CAP,
    RS_FAULT_UNKNOWN_SYSCALL,
    RS_FAULT_USER_EXCEPTION,
    RS_FAULT_EXIT,
    RS_FAULT_OTHER,
} rs_fault_kind_t;

typedef struct rs_fault {
    rs_fault_kind_t kind;
    seL4_Word label;
    seL4_Word addr; /* vm: data address; cap: cptr; syscall: its number; exception: its number */
    seL4_Word pc;
    seL4_Word status; /* exit only */
} rs_fault_t;

static const char *rs_fault_name(rs_fault_kind_t kind)
{
    switch (kind) {
    case RS_FAULT_VM:
        return "vm fault";
    case RS_FAULT_CAP:
        return "cap fault";
    case RS_FAULT_UNKNOWN_SYSCALL:
        return "unknown syscall";
    case RS_FAULT_USER_EXCEPTION:
        return "user exception";
    case RS_FAULT_EXIT:
        return "exit";
    default:
        return "unknown fault";
    }
}

/* Decode: reads the message registers of the fault just received, changes nothing. */
static rs_fault_t rs_fault_decode(seL4_MessageInfo_t info)
{
    rs_fault_t f = { .kind = RS_FAULT_OTHER, .label = seL4_MessageInfo_get_label(info) };
    switch (f.label) {
    case seL4_Fault_VMFault:
        f.kind = RS_FAULT_VM;
        f.addr = seL4_GetMR(seL4_VMFault_Addr);
        f.pc = seL4_GetMR(seL4_VMFault_IP);
        break;
    case seL4_Fault_CapFault:
        f.kind = RS_FAULT_CAP;
        f.addr = seL4_GetMR(seL4_CapFault_Addr);
        f.pc = seL4_GetMR(seL4_CapFault_IP);
        break;
    case seL4_Fault_UnknownSyscall:
        f.kind = RS_FAULT_UNKNOWN_SYSCALL;
        f.addr = seL4_GetMR(seL4_UnknownSyscall_Syscall);
        f.pc = seL4_GetMR(seL4_UnknownSyscall_FaultIP);
        break;
    case seL4_Fault_UserException:
        f.kind = RS_FAULT_USER_EXCEPTION;
        f.addr = seL4_GetMR(seL4_UserException_Number);
        f.pc = seL4_GetMR(seL4_UserException_FaultIP);
        break;
    case NEPTUNE_EXIT_LABEL:
        f.kind = RS_FAULT_EXIT;
        f.status = seL4_GetMR(0);
        break;
    default:
        break;
    }
    return f;
}

static void rs_fault_report(const rs_server_t *s, const rs_fault_t *f)
{
    if (f->kind == RS_FAULT_EXIT) {
        printf("neptune rootserver: server %s exited with status %ld\n", s->name, (long)f->status);
    } else if (f->kind == RS_FAULT_OTHER) {
        printf("fault: server %s: unknown fault (label %lu)\n", s->name, (unsigned long)f->label);
    } else {
        printf("fault: server %s: %s at 0x%lx pc 0x%lx\n", s->name, rs_fault_name(f->kind),
               (unsigned long)f->addr, (unsigned long)f->pc);
    }
}

static bool rs_should_restart(const rs_server_t *s, const rs_server_state_t *st, const rs_fault_t *f)
{
    switch (s->restart) {
    case RS_RESTART_ALWAYS:
        return true;
    case RS_RESTART_ON_FAULT:
        return f->kind != RS_FAULT_EXIT && st->restarts < s->max_restarts;
    default:
        return false;
    }
}

/* Perform: stop the server, and rebuild it from its ELF if the policy says so. */
static void rs_fault_handle(rs_env_t *env, uint32_t index, const rs_fault_t *f)
{
    const rs_server_t *s = &env->sys->servers[index];
    rs_server_state_t *st = &env->servers[index];
    rs_fault_report(s, f);
    if (!rs_should_restart(s, st, f)) {
        /* Left blocked on its fault (never replied to): stopped, its objects kept for a post mortem. */
        seL4_TCB_Suspend(st->process.thread.tcb.cptr);
        st->status = RS_SERVER_STOPPED;
        printf("neptune rootserver: server %s stopped\n", s->name);
        return;
    }
    st->restarts++;
    rs_server_destroy(env, index);
    int err = rs_server_start(env, index);
    if (err) {
        printf("neptune rootserver: server %s: restart failed (%d)\n", s->name, err);
        st->status = RS_SERVER_STOPPED;
        return;
    }
    printf("neptune rootserver: server %s restarted (%u)\n", s->name, (unsigned)st->restarts);
}

void rs_supervise(rs_env_t *env)
{
    for (;;) {
        seL4_Word badge;
        seL4_MessageInfo_t info = seL4_Recv(env->fault_ep, &badge);
        uint32_t index = 0;
        while (index < env->sys->nservers && env->sys->servers[index].fault_badge != badge) {
            index++;
        }
        if (index == env->sys->nservers) {
            printf("neptune rootserver: message with unknown badge %lu ignored\n", (unsigned long)badge);
            continue;
        }
        rs_fault_t f = rs_fault_decode(info);
        rs_fault_handle(env, index, &f);
    }
}
