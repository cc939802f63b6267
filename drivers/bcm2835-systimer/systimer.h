/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The BCM2835 system timer (Raspberry Pi 1 to 4): a free-running 64-bit counter of microseconds
 * and four 32-bit compare registers, each raising its own interrupt when the counter's low word
 * equals it. The GPU firmware uses channels 0 and 2; this driver takes channel 1 (the Pi 3's
 * seL4 device tree gives user space channels 1 and 3). Register access goes through
 * <neptune/dev.h>, so the driver runs unchanged on seL4 and on the host.
 */
#pragma once

#include <stdint.h>

typedef struct systimer {
    uintptr_t base; /* where the layout mapped the registers */
} systimer_t;

/* Clears a stale match on channel 1. */
void systimer_init(systimer_t *t, uintptr_t base);
/* The counter: microseconds since the SoC was reset. */
uint64_t systimer_now_us(systimer_t *t);
/* Interrupt when the counter's low word reaches `at_us`'s (within 2^32 us: earlier if farther). */
void systimer_alarm(systimer_t *t, uint64_t at_us);
/* Clears channel 1's match (call before acknowledging the IRQ). */
void systimer_clear(systimer_t *t);
