/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes, events and waits: NtCreateProcess through the root server's process service (a
 * send-only cap of the executive's endpoint and a secret cookie in the environment), attach,
 * termination and the detection of a child's end (its own NtTerminateProcess, or a reap on the
 * periodic tick while children live, so a faulted child is seen too), events (notification and
 * synchronization) and NtWaitForSingleObject on both as deferred replies.
 */
#ifndef NTEXEC_PS_H
#define NTEXEC_PS_H

#include <stdint.h>

#include <ntexec_server_gen.h>

#define PS_MAX_PROCESSES 8
#define PS_MAX_WAITERS 24
#define PS_TICK_NS 1000000000ull

/* Setup: `ntfn_slot` an empty slot for the timer's notification, `first_cap_slot` the first of
 * PS_MAX_PROCESSES empty slots for the caps children get. */
void ps_init(uint32_t ntfn_slot, uint32_t first_cap_slot);
/* The timer ticked (the server loop's notification). */
void ps_tick(void);
/* Whether a badge still names a client: connections that are live and processes that run. */
int ps_badge_live(uint64_t badge);
void ps_ntexec_ops(ntexec_ops_t *ops);

#endif
