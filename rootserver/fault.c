/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The supervisor loop. Every server's fault endpoint is a badged copy of the root server's one
 * endpoint (the table's fault_badge per server), so one seL4_Recv tells which server faulted. A fault is
 * decoded (no side effects), reported as
 *   fault: server <name>: <vm fault|cap fault|unknown syscall|user exception> at <addr> pc <pc>
 * and then the server's restart policy is applied. A server whose main() returns sends
 * NEPTUNE_EXIT_LABEL on the same endpoint and is treated the same way, reported as an exit.
 * The report wording and the policy (restarts bounded over time) are the host root server's
 * too: common/report.c and common/restart.c.
 */
#include <stdio.h>

#include <sel4/sel4.h>

#include "env.h"
#include "neptune_exit.h"

/* Decode: reads the message registers of the fault just received, changes nothing. */
rs_end_t rs_fault_decode(seL4_MessageInfo_t info)
{
    seL4_Word label = seL4_MessageInfo_get_label(info);
    rs_end_t e = { .kind = RS_END_OTHER, .label = label };
    switch (label) {
    case seL4_Fault_VMFault:
        e.kind = RS_END_VM_FAULT;
        e.addr = seL4_GetMR(seL4_VMFault_Addr);
        e.pc = seL4_GetMR(seL4_VMFault_IP);
        break;
    case seL4_Fault_CapFault:
        e.kind = RS_END_CAP_FAULT;
        e.addr = seL4_GetMR(seL4_CapFault_Addr);
        e.pc = seL4_GetMR(seL4_CapFault_IP);
        break;
    case seL4_Fault_UnknownSyscall:
        e.kind = RS_END_UNKNOWN_SYSCALL;
        e.addr = seL4_GetMR(seL4_UnknownSyscall_Syscall);
        e.pc = seL4_GetMR(seL4_UnknownSyscall_FaultIP);
        break;
    case seL4_Fault_UserException:
        e.kind = RS_END_USER_EXCEPTION;
        e.addr = seL4_GetMR(seL4_UserException_Number);
        e.pc = seL4_GetMR(seL4_UserException_FaultIP);
        break;
    case NEPTUNE_EXIT_LABEL:
        e.kind = RS_END_EXIT;
        e.status = (long)seL4_GetMR(0);
        break;
    default:
        break;
    }
    return e;
}

/* Perform: report, then stop the server or rebuild it from its ELF, as the shared policy
 * (common/restart.c) decides. */
void rs_fault_handle(rs_env_t *env, uint32_t index, const rs_end_t *e)
{
    const rs_server_t *s = &env->sys->servers[index];
    rs_server_state_t *st = &env->servers[index];
    rs_report_end(s, e);
    rs_decision_t d = rs_restart_decide(s, &st->restart, e, rs_clock_ms());
    if (d != RS_DECIDE_RESTART) {
        /* Left blocked on its fault (never replied to): stopped, its objects kept for a post mortem. */
        seL4_TCB_Suspend(st->process.thread.tcb.cptr);
        st->status = RS_SERVER_STOPPED;
        rs_report_decision(s, &st->restart, d, false);
        return;
    }
    rs_server_destroy(env, index);
    int err = rs_server_start(env, index);
    if (err) {
        st->status = RS_SERVER_STOPPED;
    }
    rs_report_decision(s, &st->restart, d, err == 0);
}

void rs_supervise_one(rs_env_t *env, seL4_MessageInfo_t info, seL4_Word badge)
{
    uint32_t index = 0;
    while (index < env->sys->nservers && env->sys->servers[index].fault_badge != badge) {
        index++;
    }
    if (index == env->sys->nservers) {
        printf("neptune rootserver: message with unknown badge %lu ignored\n", (unsigned long)badge);
        return;
    }
    if (rs_sched_message(env, index, info, rs_sched_reply())) {
        return;
    }
    rs_end_t e = rs_fault_decode(info);
    rs_fault_handle(env, index, &e);
}

void rs_supervise(rs_env_t *env)
{
    for (;;) {
        seL4_Word badge;
        seL4_MessageInfo_t info = rs_sched_recv(env, &badge);
        rs_supervise_one(env, info, badge);
    }
}
