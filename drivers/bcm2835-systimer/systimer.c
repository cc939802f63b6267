/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System timer register logic (BCM2835 ARM Peripherals, chapter 12): CS holds one match bit per
 * channel (write 1 to clear it and drop the interrupt), CLO/CHI the counter, C0..C3 the compare
 * values. The counter's two halves are read high, low, high again, so a carry between the reads
 * is seen.
 */
#include <neptune/dev.h>

#include "systimer.h"

#define ST_CS 0x00
#define ST_CLO 0x04
#define ST_CHI 0x08
#define ST_C1 0x10
#define ST_CHANNEL 1u

void systimer_init(systimer_t *t, uintptr_t base)
{
    t->base = base;
    systimer_clear(t);
}

uint64_t systimer_now_us(systimer_t *t)
{
    uint32_t hi = ng_reg_read32(t->base + ST_CHI);
    uint32_t lo = ng_reg_read32(t->base + ST_CLO);
    uint32_t hi2 = ng_reg_read32(t->base + ST_CHI);
    if (hi2 != hi) lo = ng_reg_read32(t->base + ST_CLO);
    return (uint64_t)hi2 << 32 | lo;
}

void systimer_alarm(systimer_t *t, uint64_t at_us)
{
    ng_reg_write32(t->base + ST_C1, (uint32_t)at_us);
    systimer_clear(t);
}

void systimer_clear(systimer_t *t)
{
    ng_reg_write32(t->base + ST_CS, 1u << ST_CHANNEL);
}
