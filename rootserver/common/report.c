/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The words of the root servers' reports, the same on seL4 and on the host (tests and users
 * match them): a fault
 *   fault: server <name>: <vm fault|cap fault|unknown syscall|user exception> at 0x<addr> pc 0x<pc>
 * (the host adds what stood for it, e.g. " (SIGSEGV)"), an exit
 *   <prefix>server <name> exited with status <n>
 * and what the restart policy then did (restart.c decides, the root server performs).
 */
#include <stdio.h>

#include <rootserver/common.h>

const char *rs_end_name(rs_end_kind_t kind)
{
    switch (kind) {
    case RS_END_EXIT:
        return "exit";
    case RS_END_VM_FAULT:
        return "vm fault";
    case RS_END_CAP_FAULT:
        return "cap fault";
    case RS_END_UNKNOWN_SYSCALL:
        return "unknown syscall";
    case RS_END_USER_EXCEPTION:
        return "user exception";
    default:
        return "unknown fault";
    }
}

void rs_report_end(const rs_server_t *s, const rs_end_t *e)
{
    if (e->kind == RS_END_EXIT) {
        printf("%sserver %s exited with status %ld\n", rs_target.prefix, s->name, e->status);
        return;
    }
    if (e->kind == RS_END_OTHER) {
        printf("fault: server %s: unknown fault (label %llu)", s->name,
               (unsigned long long)e->label);
    } else {
        printf("fault: server %s: %s at 0x%llx pc 0x%llx", s->name, rs_end_name(e->kind),
               (unsigned long long)e->addr, (unsigned long long)e->pc);
    }
    if (e->detail) {
        printf(" (%s)", e->detail);
    }
    printf("\n");
}

void rs_report_decision(const rs_server_t *s, const rs_restart_state_t *st, rs_decision_t d,
                        bool ok)
{
    const char *p = rs_target.prefix;
    switch (d) {
    case RS_DECIDE_RESTART:
        if (ok) {
            printf("%sserver %s restarted (%u)\n", p, s->name, (unsigned)st->restarts);
        } else {
            printf("%sserver %s: restart failed; stopped\n", p, s->name);
        }
        break;
    case RS_DECIDE_GIVE_UP:
        printf("%sserver %s: restart limit reached (%u restarts within %u s); given up, "
               "stopped\n",
               p, s->name, (unsigned)st->window_restarts, RS_RESTART_WINDOW_MS / 1000u);
        break;
    default:
        printf("%sserver %s stopped\n", p, s->name);
        break;
    }
}
