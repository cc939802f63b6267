/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Goldfish real-time clock (Android emulator; QEMU RISC-V virt at 0x101000): a 64-bit
 * nanosecond clock (QEMU starts it at the host's time of day) and one 64-bit alarm with an
 * interrupt. Register access goes through <neptune/dev.h>, so the driver runs unchanged on seL4
 * and on the host.
 */
#pragma once

#include <stdint.h>

typedef struct goldfish_rtc {
    uintptr_t base; /* where the layout mapped the registers */
} goldfish_rtc_t;

/* Disarms the alarm and clears a pending interrupt. */
void goldfish_rtc_init(goldfish_rtc_t *r, uintptr_t base);
/* The clock: nanoseconds. */
uint64_t goldfish_rtc_now(goldfish_rtc_t *r);
/* Interrupt when the clock reaches `at` (ns); at once if it has already. */
void goldfish_rtc_alarm(goldfish_rtc_t *r, uint64_t at);
/* Disarms the alarm. */
void goldfish_rtc_alarm_off(goldfish_rtc_t *r);
/* Clears the alarm interrupt (call before acknowledging the IRQ). */
void goldfish_rtc_clear(goldfish_rtc_t *r);
