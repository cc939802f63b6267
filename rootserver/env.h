/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root server's private state: seL4_libs allocators over the boot info, the kernel objects
 * the tables name (created once), and one record per server (its sel4utils process and what
 * the root server installed in it, so it can be torn down and restarted).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <allocman/allocman.h>
#include <sel4/sel4.h>
#include <sel4utils/process.h>
#include <sel4utils/process_config.h>
#include <simple/simple.h>
#include <vka/vka.h>
#include <vspace/vspace.h>

#include <rootserver/common.h>
#include <rootserver/tables.h>

#include "shm.h"

/* A kernel object of the tables, as the root server holds it. */
typedef struct rs_obj_state {
    /* endpoints, notifications, IRQ handlers: the original cap in the root CNode */
    seL4_CPtr cap;
    /* frame objects: one cap per page */
    vka_object_t *pages;
    /* DMA objects: physical address of the first page */
    uint64_t paddr;
} rs_obj_state_t;

typedef enum rs_server_status {
    RS_SERVER_NOT_STARTED = 0,
    RS_SERVER_RUNNING,
    RS_SERVER_STOPPED, /* faulted or exited, not restarted */
} rs_server_status_t;

typedef struct rs_server_state {
    sel4utils_process_t process;
    sel4utils_elf_region_t *reservations; /* one per mapping, kept for restart */
    seL4_CPtr *frame_copies;              /* root-CNode copies of mapped frame caps */
    uint32_t nframe_copies;
    seL4_CPtr fault_ep;                   /* badged copy: badge = server index + 1 */
    rs_server_status_t status;
    rs_restart_state_t restart; /* common/restart.c's count and window */
    uint32_t caps_installed;
    bool built;                 /* sel4utils created the process (it must be destroyed) */
    rs_mem_client_t mem;        /* its run-time shared memory (shm.c) */
    /* MCS (sched.c): reply objects in its RS_SLOT_REPLY slots, whether it reported itself
     * initialised (its first receive), timeout faults so far */
    vka_object_t *replies;
    uint32_t nreplies;
    bool ready;
    bool was_passive; /* gave up its scheduling context once (not again after a restart) */
    uint32_t timeouts;
} rs_server_state_t;

typedef struct rs_env {
    seL4_BootInfo *bootinfo;
    simple_t simple;
    allocman_t *allocman;
    vka_t vka;       /* counts the untyped memory it hands out (rs_env_untyped_used) */
    vka_t raw_vka;   /* allocman's own */
    vspace_t vspace; /* the root server's */
    sel4utils_alloc_data_t vspace_data;
    seL4_CPtr fault_ep; /* every server's fault endpoint (badged per server) */
    const rs_system_t *sys;
    rs_obj_state_t *objects;
    rs_server_state_t *servers;
    uint64_t untyped_used;
    uint64_t slots_used;        /* root CNode slots handed out through vka (spawn.c stats) */
    void *procs;                /* service.c: the process table (rootserver/procs.h) */
} rs_env_t;

/* init.c */
void rs_env_init(rs_env_t *env, const rs_system_t *sys);
uint64_t rs_env_untyped_free_at_boot(const rs_env_t *env);

/* The table check (rs_tables_validate), restart policy and report wording are shared with the
 * host root server: common/include/rootserver/common.h. */

/* objects.c */
int rs_objects_create(rs_env_t *env);

/* server.c: one process from a table record (a boot server, or a program: spawn.c) */
int rs_process_build(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st, seL4_Word fault_badge);
/* Starts a built process with argv and envp (NULL-terminated; envp may be NULL). */
int rs_process_run(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st, int argc, char **argv, char **envp);
void rs_process_destroy(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st);
void rs_process_release_fault_ep(rs_env_t *env, rs_server_state_t *st);
int rs_server_start(rs_env_t *env, uint32_t index);
void rs_server_destroy(rs_env_t *env, uint32_t index);

/* fault.c */
/* Decode a fault or exit message (its words in the message registers); no side effects. */
rs_end_t rs_fault_decode(seL4_MessageInfo_t info);
/* A boot server ended: report, apply its restart policy. */
void rs_fault_handle(rs_env_t *env, uint32_t index, const rs_end_t *e);
/* The fault loop of a system without the process service (never returns). */
void rs_supervise(rs_env_t *env);

/* service.c (systems with a generated root service): faults and root-service calls on one
 * endpoint (never returns). */
void rs_service_run(rs_env_t *env);
/* One message on the fault endpoint: a fault, an exit or (MCS) a ready/timeout notice. */
void rs_supervise_one(rs_env_t *env, seL4_MessageInfo_t info, seL4_Word badge);

/* sched.c: the MCS kernel's scheduling contexts, reply objects and passive servers (no-ops on
 * a non-MCS kernel) */
int rs_sched_check_tables(const rs_system_t *sys);
/* "mcs/el2" and so on: the configuration this kernel was built with. */
const char *rs_sched_kernel_name(void);
int rs_sched_init(rs_env_t *env);
seL4_MessageInfo_t rs_sched_recv(rs_env_t *env, seL4_Word *badge);
sel4utils_process_config_t rs_sched_config(rs_env_t *env, const rs_server_t *s,
                                           sel4utils_process_config_t config);
int rs_sched_setup(rs_env_t *env, const rs_server_t *s, rs_server_state_t *st);
void rs_sched_destroy(rs_env_t *env, rs_server_state_t *st);
/* Ready notices and timeout faults (true: handled); index >= nservers: a spawned program.
 * `reply` is the reply object the message was received with (a timeout fault is answered). */
bool rs_sched_message(rs_env_t *env, uint32_t index, seL4_MessageInfo_t info, seL4_CPtr reply);
/* The supervisor's reply object (MCS; seL4_CapNull otherwise). */
seL4_CPtr rs_sched_reply(void);
/* A slot for a saved reply: a fresh reply object on MCS, an empty slot otherwise. */
int rs_sched_reply_object(rs_env_t *env, seL4_CPtr *slot);
int rs_sched_wait_ready(rs_env_t *env, uint32_t index);
