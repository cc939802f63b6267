/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The seL4 root server's run-time processes: the target operations common/procs.c calls
 * (spawn.c) and the one receive loop for faults and root services (service.c).
 */
#pragma once

#include <rootserver/procs.h>

#include "root_gen.h"

extern const rs_procs_ops_t rs_spawn_ops;

/* The seL4 state (process, mappings, shared memory) of a boot server or spawned process. */
struct rs_server_state;
struct rs_server_state *rs_proc_state(rs_procs_t *t, const rs_proc_t *p);

/* The handlers of idl/rootmem.idl (shm.c); ctx is the process table, as for rs_root_ops. */
struct rootmem_ops;
extern const struct rootmem_ops rs_rootmem_ops;
