/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PC's programmable interval timer (Intel 8254 PIT) driver: serves the `timer` interface
 * (drivers/timer-core) on x86. Channel 0 runs as a rate generator (mode 2) at 100 Hz; every tick
 * raises ISA IRQ 0 (I/O APIC pin 2) and advances the clock by 10 ms, so time is ticks since the
 * driver started and resolution() says 10 ms; the timer core answers whatever is due at each
 * tick. The registers are I/O ports 0x40..0x43, reached through the I/O port cap the layout gives.
 * The system must name this server `timer` and its device `pit` (constants TIMER_*_PIT).
 */
#include <stdio.h>

#include <neptune/dev.h>

#include "server_gen.h"
#include "../timer-core/timer_core.h"

#define PIT_HZ 1193182u /* the PIT's input clock */
#define TICK_HZ 100u
#define TICK_NS (1000000000ull / TICK_HZ)
#define PIT_CH0 0x0
#define PIT_CMD 0x3
#define PIT_CH0_LOHI_MODE2 0x34u /* channel 0, low then high byte, rate generator, binary */

typedef struct pit {
    uint64_t ticks;
} pit_t;

static void pit_start(void)
{
    uint16_t div = (uint16_t)((PIT_HZ + TICK_HZ / 2) / TICK_HZ);
    ng_port_out8(TIMER_CAP_IOPORT_PIT, TIMER_IOPORT_PIT + PIT_CMD, PIT_CH0_LOHI_MODE2);
    ng_port_out8(TIMER_CAP_IOPORT_PIT, TIMER_IOPORT_PIT + PIT_CH0, (uint8_t)(div & 0xffu));
    ng_port_out8(TIMER_CAP_IOPORT_PIT, TIMER_IOPORT_PIT + PIT_CH0, (uint8_t)(div >> 8));
}

static uint64_t pit_now(void *hw)
{
    pit_t *p = hw;
    return p->ticks * TICK_NS;
}

/* The rate generator interrupts every tick anyway: nothing to arm or disarm. */
static void pit_alarm(void *hw, uint64_t at)
{
    (void)hw;
    (void)at;
}

static void pit_alarm_off(void *hw)
{
    (void)hw;
}

static const tc_hw_t pit_hw = { .now = pit_now, .alarm = pit_alarm, .alarm_off = pit_alarm_off, .resolution_ns = TICK_NS };

static void pit_notify(void *ctx, ng_badge_t bits)
{
    tc_timer_t *t = ctx;
    pit_t *p = t->hw_ctx;
    (void)bits;
    p->ticks++;
    ng_irq_ack(TIMER_CAP_IRQ_PIT);
    tc_run(t);
}

static const timer_server_ops_t ops = { .timer = &tc_timer_ops, .notify = pit_notify };

int main(void)
{
    static pit_t p;
    static tc_timer_t t = { .hw = &pit_hw, .hw_ctx = &p, .slot_first = TIMER_SLOT_FREE_FIRST, .slot_end = TIMER_SLOT_FREE_END };
    pit_start();
    ng_irq_ack(TIMER_CAP_IRQ_PIT);
    printf("timer: 8254 PIT at I/O port %#x, %u Hz, IRQ handler in slot %u\n", (unsigned)TIMER_IOPORT_PIT, TICK_HZ,
           (unsigned)TIMER_CAP_IRQ_PIT);
    timer_server_init(&t.srv);
    timer_serve(&t.srv, &ops, &t);
    return 0;
}
