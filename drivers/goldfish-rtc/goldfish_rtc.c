/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Goldfish RTC register logic (the Android emulator's goldfish device specification, as QEMU's
 * hw/rtc/goldfish_rtc models it): reading TIME_LOW latches TIME_HIGH; writing ALARM_LOW arms the
 * alarm at ALARM_HIGH:ALARM_LOW; IRQ_ENABLED gates the interrupt, CLEAR_INTERRUPT drops it.
 */
#include <neptune/dev.h>

#include "goldfish_rtc.h"

#define GF_TIME_LOW 0x00
#define GF_TIME_HIGH 0x04
#define GF_ALARM_LOW 0x08
#define GF_ALARM_HIGH 0x0c
#define GF_IRQ_ENABLED 0x10
#define GF_CLEAR_ALARM 0x14
#define GF_CLEAR_INTERRUPT 0x1c

void goldfish_rtc_init(goldfish_rtc_t *r, uintptr_t base)
{
    r->base = base;
    goldfish_rtc_alarm_off(r);
    goldfish_rtc_clear(r);
}

uint64_t goldfish_rtc_now(goldfish_rtc_t *r)
{
    uint32_t lo = ng_reg_read32(r->base + GF_TIME_LOW);
    uint32_t hi = ng_reg_read32(r->base + GF_TIME_HIGH);
    return (uint64_t)hi << 32 | lo;
}

void goldfish_rtc_alarm(goldfish_rtc_t *r, uint64_t at)
{
    ng_reg_write32(r->base + GF_IRQ_ENABLED, 1);
    ng_reg_write32(r->base + GF_ALARM_HIGH, (uint32_t)(at >> 32));
    ng_reg_write32(r->base + GF_ALARM_LOW, (uint32_t)at);
}

void goldfish_rtc_alarm_off(goldfish_rtc_t *r)
{
    ng_reg_write32(r->base + GF_CLEAR_ALARM, 1);
    ng_reg_write32(r->base + GF_IRQ_ENABLED, 0);
}

void goldfish_rtc_clear(goldfish_rtc_t *r)
{
    ng_reg_write32(r->base + GF_CLEAR_INTERRUPT, 1);
}
