/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Goldfish RTC driver: serves the `timer` interface (drivers/timer-core) on QEMU RISC-V
 * virt's Goldfish real-time clock. Time is nanoseconds since the driver started; resolution()
 * says 1 ns (what the clock counts; QEMU's timers are coarser). The system must name this server
 * `timer` and its device `rtc` (constants TIMER_*_RTC).
 */
#include <stdio.h>

#include <neptune/dev.h>

#include "server_gen.h"
#include "../timer-core/timer_core.h"
#include "goldfish_rtc.h"

typedef struct gf_dev {
    goldfish_rtc_t regs;
    uint64_t boot_ns; /* the clock when the driver started: time 0 */
} gf_dev_t;

static uint64_t gf_now(void *hw)
{
    gf_dev_t *d = hw;
    return goldfish_rtc_now(&d->regs) - d->boot_ns;
}

static void gf_alarm(void *hw, uint64_t at)
{
    gf_dev_t *d = hw;
    goldfish_rtc_alarm(&d->regs, d->boot_ns + at);
}

static void gf_alarm_off(void *hw)
{
    gf_dev_t *d = hw;
    goldfish_rtc_alarm_off(&d->regs);
}

static const tc_hw_t gf_hw = { .now = gf_now, .alarm = gf_alarm, .alarm_off = gf_alarm_off, .resolution_ns = 1u };

static void gf_notify(void *ctx, ng_badge_t bits)
{
    tc_timer_t *t = ctx;
    gf_dev_t *d = t->hw_ctx;
    (void)bits;
    goldfish_rtc_clear(&d->regs);
    ng_irq_ack(TIMER_CAP_IRQ_RTC);
    tc_run(t);
}

static const timer_server_ops_t ops = { .timer = &tc_timer_ops, .notify = gf_notify };

int main(void)
{
    static gf_dev_t d;
    static tc_timer_t t = { .hw = &gf_hw, .hw_ctx = &d, .slot_first = TIMER_SLOT_FREE_FIRST, .slot_end = TIMER_SLOT_FREE_END };
    goldfish_rtc_init(&d.regs, TIMER_VADDR_RTC);
    d.boot_ns = goldfish_rtc_now(&d.regs);
    ng_irq_ack(TIMER_CAP_IRQ_RTC);
    printf("timer: Goldfish RTC at %#lx, IRQ handler in slot %u\n", (unsigned long)TIMER_VADDR_RTC,
           (unsigned)TIMER_CAP_IRQ_RTC);
    timer_server_init(&t.srv);
    timer_serve(&t.srv, &ops, &t);
    return 0;
}
