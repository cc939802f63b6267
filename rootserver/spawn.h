/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The seL4 root server's run-time processes: the target operations common/procs.c calls
 * (spawn.c) and the one receive loop for faults and root services (service.c).
 */
#pragma once

#include <rootserver/procs.h>

#include "root_gen.h"

extern const rs_procs_ops_t rs_spawn_ops;
