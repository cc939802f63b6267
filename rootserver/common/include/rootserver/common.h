/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The target-independent half of the root server, written once and linked into both the seL4
 * root server (rootserver/) and the host one (runtime/host/rootserver/): the table check, the
 * restart policy (when to restart, when to give up) and the words of every fault, exit and
 * restart report. Plain C with no seL4 header.
 *
 * Each root server supplies `rs_target` (its limits and console prefix) and a clock
 * (rs_clock_ms); it decodes what ended a server into an rs_end_t (seL4: a fault message; host:
 * the host kernel's exit record), asks rs_restart_decide() what to do, does it, and reports
 * through rs_report_*().
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <rootserver/tables.h>

/* What differs between the targets, defined once by each root server. */
typedef struct rs_target {
    const char *prefix;        /* every root-server line starts with it: "neptune rootserver: " */
    uint32_t max_cnode_bits;   /* largest CNode a server may get */
    uint32_t max_priority;     /* highest priority a server may get (below the root server's) */
    uint32_t page_bits;        /* a small page, log2 bytes */
    uint32_t large_page_bits;  /* a large page, log2 bytes */
} rs_target_t;

extern const rs_target_t rs_target;

/* Milliseconds on a clock that does not go backwards (any origin). A target without one returns
 * 0: every restart then falls in the first window, and a server is given up on after
 * RS_RESTART_BURST restarts in all. */
uint64_t rs_clock_ms(void);

/* ---- validate.c ---------------------------------------------------------------------------- */

/* Checks the tables without side effects; prints every problem, returns their count. */
int rs_tables_validate(const rs_system_t *sys);
/* The server's own notification slot (RS_SLOT_NTFN with an object), or NULL. */
const rs_cap_t *rs_own_ntfn(const rs_server_t *s);
/* Whether the layout gives it a cap to the root services (process or shared-memory service). */
bool rs_holds_service_cap(const rs_server_t *s);

/* ---- report.c: what ended a server, in both targets' words ---------------------------------- */

typedef enum rs_end_kind {
    RS_END_EXIT = 0,          /* main() returned, or exit() */
    RS_END_VM_FAULT,
    RS_END_CAP_FAULT,
    RS_END_UNKNOWN_SYSCALL,
    RS_END_USER_EXCEPTION,
    RS_END_OTHER,             /* a fault message of another label */
} rs_end_kind_t;

typedef struct rs_end {
    rs_end_kind_t kind;
    uint64_t addr;      /* vm: data address; cap: cptr; syscall: its number; exception: its number */
    uint64_t pc;
    long status;        /* exit only */
    uint64_t label;     /* RS_END_OTHER: the fault message's label */
    const char *detail; /* NULL, or what stood for the fault on this target (host: "SIGSEGV") */
} rs_end_t;

/* "vm fault", "cap fault", ... */
const char *rs_end_name(rs_end_kind_t kind);
/*   fault: server <name>: <kind> at 0x<addr> pc 0x<pc>[ (<detail>)]
 *   <prefix>server <name> exited with status <n> */
void rs_report_end(const rs_server_t *s, const rs_end_t *e);

/* ---- restart.c: the restart policy --------------------------------------------------------- */

/* Rate limit, as init systems do (systemd's StartLimitBurst/StartLimitIntervalSec): at most
 * RS_RESTART_BURST restarts in any RS_RESTART_WINDOW_MS; the end after that is not restarted,
 * the server is given up on and reported. A restart storm (a server that ends at once) thus
 * costs RS_RESTART_BURST restarts, not a CPU. */
#define RS_RESTART_BURST 5u
#define RS_RESTART_WINDOW_MS 10000u

typedef struct rs_restart_state {
    uint32_t restarts;        /* in all (reported as "restarted (<n>)") */
    uint32_t window_restarts; /* in the current window */
    uint64_t window_start_ms;
} rs_restart_state_t;

typedef enum rs_decision {
    RS_DECIDE_STOP = 0,    /* its policy says no: stop it, report "stopped" */
    RS_DECIDE_RESTART,     /* restart it */
    RS_DECIDE_GIVE_UP,     /* its policy says yes, the rate limit says no: stop it, report */
} rs_decision_t;

/* Decide (and count, for a restart) what to do with a server that ended; no I/O. */
rs_decision_t rs_restart_decide(const rs_server_t *s, rs_restart_state_t *st, const rs_end_t *e,
                                uint64_t now_ms);
/* The line for a decision once performed (ok: the restart worked). */
void rs_report_decision(const rs_server_t *s, const rs_restart_state_t *st, rs_decision_t d,
                        bool ok);
