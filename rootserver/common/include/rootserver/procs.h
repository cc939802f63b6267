/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run-time processes, the target-independent half: the process table (boot servers and spawned
 * programs), parent/child relations, quotas, how each process ended, and the handlers of the
 * root service (idl/root.idl) over that table. Written once (common/procs.c) and linked into both
 * root servers; each target supplies the few operations that touch kernel objects (rs_procs_ops_t:
 * create a process with the caps its spawner names, stop it, free everything it held, count free
 * resources) and feeds in what ended a process (rs_procs_ended).
 *
 * Numbering: a process's `pno` is its fault badge: boot servers 1..nservers (their table index
 * + 1), spawned processes nservers + 1 + their slot in the table. A service call's badge is
 * RS_SERVICE_BADGE | pno. Pids are handed out in order and never reused; a boot server's pid is
 * its pno.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <rootserver/common.h>

/* Spawned processes alive or unreaped at once, in the whole system. */
#define RS_PROCS_MAX 64u
/* argv strings a spawn may pass (plus argv[0], the program name). */
#define RS_PROCS_MAX_ARGS 16u
/* Environment strings one spawn passes. */
#define RS_PROCS_MAX_ENV 16u

typedef enum rs_proc_state {
    RS_PROC_FREE = 0,
    RS_PROC_RUNNING,
    RS_PROC_ENDED, /* exited, faulted or killed; kept until its parent reaps it */
} rs_proc_state_t;

typedef struct rs_proc {
    rs_proc_state_t state;
    uint32_t pno;             /* fault badge */
    int32_t pid;
    int32_t parent;           /* pid of its spawner; 0 for a boot server */
    const rs_server_t *spec;  /* its program (or boot server) record in the tables */
    bool boot;
    /* how it ended (state ENDED) */
    rs_end_t end;
    bool killed;
    /* charged to its parent: untyped bytes it holds (the target fills it in at creation) */
    uint64_t charged;
    /* as a spawner */
    uint32_t children;        /* running or unreaped */
    uint64_t memory_used;     /* bytes charged for them */
    /* a wait the root server has not answered yet (a saved reply) */
    bool waiting;
    int32_t wait_pid;         /* 0: any child */
    /* the target's state of this process */
    void *target;
} rs_proc_t;

/* One cap a spawn passes: the caller's slot `from` into the child's slot `to`. */
typedef struct rs_grant {
    uint32_t to;
    uint32_t from;
} rs_grant_t;

typedef struct rs_procs rs_procs_t;

/* What a target does with kernel objects. Every function returns 0 or a ROOT_ERR_* code. */
typedef struct rs_procs_ops {
    /* Create and start `p` (p->spec, p->pno and p->pid are set) for `parent`: fault badge
     * p->pno, service badge RS_SERVICE_BADGE | p->pno if it may spawn, the grants copied from
     * the parent's CSpace (a `from` slot holding nothing: ROOT_ERR_NO_SUCH_CAP, and nothing
     * left behind), argv passed to main and envp (NULL-terminated) as its environment. Sets
     * p->charged to the untyped bytes it took. */
    int (*create)(rs_procs_t *t, rs_proc_t *p, const rs_proc_t *parent, const rs_grant_t *grants,
                  unsigned ngrants, int argc, char **argv, char **envp);
    /* Stop a process that ended or is being killed: it runs no more, holds its objects. */
    void (*stop)(rs_procs_t *t, rs_proc_t *p);
    /* Free everything the process holds (it is stopped). */
    void (*reap)(rs_procs_t *t, rs_proc_t *p);
    /* Up to `len` bytes of a program's executable from `offset` into buf (*got; 0 at its end)
     * and its size; 0 or a ROOT_ERR_* code. */
    int (*image_read)(rs_procs_t *t, const rs_server_t *prog, uint64_t offset, void *buf, uint32_t len, uint32_t *got,
                      uint64_t *size);
    /* Free untyped bytes and free CSpace slots of the root server. */
    void (*stats)(rs_procs_t *t, uint64_t *untyped_free, uint64_t *slots_free);
} rs_procs_ops_t;

struct rs_procs {
    const rs_system_t *sys;
    const rs_procs_ops_t *ops;
    void *env;                    /* the target's root-server state */
    rs_proc_t *boot;              /* sys->nservers records */
    rs_proc_t spawned[RS_PROCS_MAX];
    int32_t next_pid;
    uint32_t live;                /* spawned processes running or unreaped */
    void *replies;                /* procs.c: a saved reply per process (a wait) */
    void *server;                 /* procs.c: the serving thread's ng_server_t */
};

/* Set up the table for the boot servers. */
void rs_procs_init(rs_procs_t *t, const rs_system_t *sys, const rs_procs_ops_t *ops, void *env);

/* The process with number pno (a boot server: its table index + 1), or NULL. */
rs_proc_t *rs_procs_by_pno(rs_procs_t *t, uint64_t pno);

/* The process a fault badge (or a service badge without RS_SERVICE_BADGE) names, or NULL: a
 * boot server by its table entry's fault_badge (the layout numbers servers in its own order,
 * not the table's start order), a spawned process by its pno (its badges are its pno). */
rs_proc_t *rs_procs_by_badge(rs_procs_t *t, uint64_t badge);

/* A spawned process ended (a fault, or its exit through the fault endpoint). Reported on the
 * console; stopped; its waiting parent, if any, is answered and it is reaped. Returns false if
 * pno is not a running spawned process (a boot server: the caller applies its restart policy). */
bool rs_procs_ended(rs_procs_t *t, uint64_t pno, const rs_end_t *e);

/* The handlers of idl/root.idl over this table; the ctx they get is the rs_procs_t. Defined in
 * procs.c, which includes the generated root_server_gen.h. */
struct root_ops;
extern const struct root_ops rs_root_ops;

/* root.end code of an rs_end_t (exit, killed or a fault kind). */
uint32_t rs_procs_end_code(const rs_proc_t *p);
