/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The BCM2835 system timer driver: serves the `timer` interface (drivers/timer-core) on the
 * Raspberry Pi's 1 MHz system timer, compare channel 1. Time is microseconds since the driver
 * started, in nanoseconds; resolution() says 1 us. The system must name this server `timer` and
 * its device `systimer` (constants TIMER_*_SYSTIMER).
 */
#include <stdio.h>

#include <neptune/dev.h>

#include "server_gen.h"
#include "../timer-core/timer_core.h"
#include "systimer.h"

typedef struct st_dev {
    systimer_t regs;
    uint64_t boot_us; /* the counter when the driver started: time 0 */
} st_dev_t;

static uint64_t st_now(void *hw)
{
    st_dev_t *d = hw;
    return (systimer_now_us(&d->regs) - d->boot_us) * 1000u;
}

/* Rounded up to whole microseconds: the interrupt never comes before `at`. */
static void st_alarm(void *hw, uint64_t at)
{
    st_dev_t *d = hw;
    systimer_alarm(&d->regs, d->boot_us + at / 1000u + (at % 1000u != 0));
}

/* No enable bit per channel: the next match comes when the counter wraps round to the compare
 * value (71 minutes), and finds nothing to do. */
static void st_alarm_off(void *hw)
{
    (void)hw;
}

static const tc_hw_t st_hw = { .now = st_now, .alarm = st_alarm, .alarm_off = st_alarm_off, .resolution_ns = 1000u };

static void st_notify(void *ctx, ng_badge_t bits)
{
    tc_timer_t *t = ctx;
    st_dev_t *d = t->hw_ctx;
    (void)bits;
    systimer_clear(&d->regs);
    ng_irq_ack(TIMER_CAP_IRQ_SYSTIMER);
    tc_run(t);
}

static const timer_server_ops_t ops = { .timer = &tc_timer_ops, .notify = st_notify };

int main(void)
{
    static st_dev_t d;
    static tc_timer_t t = { .hw = &st_hw, .hw_ctx = &d, .slot_first = TIMER_SLOT_FREE_FIRST, .slot_end = TIMER_SLOT_FREE_END };
    systimer_init(&d.regs, TIMER_VADDR_SYSTIMER);
    d.boot_us = systimer_now_us(&d.regs);
    ng_irq_ack(TIMER_CAP_IRQ_SYSTIMER);
    printf("timer: BCM2835 system timer at %#lx, IRQ handler in slot %u\n", (unsigned long)TIMER_VADDR_SYSTIMER,
           (unsigned)TIMER_CAP_IRQ_SYSTIMER);
    timer_server_init(&t.srv);
    timer_serve(&t.srv, &ops, &t);
    return 0;
}
