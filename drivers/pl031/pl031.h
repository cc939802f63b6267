/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ARM PL031 real-time clock: a 32-bit counter of seconds (QEMU's virt machine starts it at the
 * host's time of day) and one match register whose interrupt fires when the counter reaches it.
 * Register access goes through <neptune/dev.h>, so the driver runs unchanged on seL4 and on the
 * host (runtime/host/rootserver/pl031.c models it over the host clock).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef struct pl031 {
    uintptr_t base; /* where the layout mapped the registers */
} pl031_t;

/* Starts the counter if it is stopped (keeping its value), masks and clears the match interrupt.
 * Returns false if the window does not hold a PL031 (wrong peripheral ID). */
bool pl031_init(pl031_t *r, uintptr_t base);
/* The counter: seconds. */
uint32_t pl031_now(pl031_t *r);
/* Sets the match register to `at` (seconds), clears a stale match and unmasks the match
 * interrupt. Read the counter afterwards: if it is already at `at`, no interrupt may come. */
void pl031_alarm_set(pl031_t *r, uint32_t at);
/* Masks the match interrupt (nothing to wait for). */
void pl031_alarm_off(pl031_t *r);
/* Clears the match interrupt (call before acknowledging the IRQ). */
void pl031_alarm_clear(pl031_t *r);
