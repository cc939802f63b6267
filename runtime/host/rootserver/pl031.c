/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A PL031 real-time clock model (ARM PrimeCell RTC PL031 TRM, DDI 0224) over the host clock: what
 * a driver written against the registers sees on the host. The counter (DR) is CLOCK_REALTIME in
 * whole seconds plus an offset that a write to LR sets, so it starts at the host's time of day,
 * as QEMU's PL031 does. The counter always runs (CR reads 1; writes are ignored, as in QEMU).
 *
 * The match interrupt: RIS bit 0 is set when the counter reaches MR, and the level-triggered line
 * follows RIS & IMSC; ICR clears it. A host thread sleeps until the second the match stands for
 * and raises it then. Writing MR (or LR) so that the counter is already at or past the match
 * raises it at once, as QEMU's model does (the TRM compares for equality at each tick; a driver
 * rereads DR after setting MR either way).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "models.h"

#define DR 0x00
#define MR 0x04
#define LR 0x08
#define CR 0x0c
#define IMSC 0x10
#define RIS 0x14
#define MIS 0x18
#define ICR 0x1c
#define PERIPH_ID 0xfe0

#define INT_MATCH 1u

typedef struct pl031_model {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* MR, LR or IMSC written: the alarm thread recomputes its wait */
    ng_host_object_t *irq;
    int64_t offset; /* counter = host seconds + offset */
    uint32_t mr, lr, imsc, ris;
    bool armed; /* the counter has not reached MR since it was written */
} pl031_model_t;

static const uint8_t periph_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static int64_t host_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

/* Lock held. */
static uint32_t counter(const pl031_model_t *r)
{
    return (uint32_t)(host_seconds() + r->offset);
}

/* Lock held: the interrupt line is the masked status. */
static void irq_update(pl031_model_t *r)
{
    if (r->irq) {
        ng_host_irq_set_level(r->irq, (r->ris & r->imsc) != 0);
    }
}

/* Lock held: raise the match interrupt if the counter has reached MR. */
static void check_match(pl031_model_t *r)
{
    if (r->armed && (int32_t)(counter(r) - r->mr) >= 0) {
        r->armed = false;
        r->ris |= INT_MATCH;
        irq_update(r);
    }
}

static uint32_t pl031_read32(void *dev, uintptr_t off)
{
    pl031_model_t *r = dev;
    uint32_t v = 0;
    pthread_mutex_lock(&r->lock);
    check_match(r);
    switch (off) {
    case DR:
        v = counter(r);
        break;
    case MR:
        v = r->mr;
        break;
    case LR:
        v = r->lr; /* the last value loaded */
        break;
    case CR:
        v = 1;
        break;
    case IMSC:
        v = r->imsc;
        break;
    case RIS:
        v = r->ris;
        break;
    case MIS:
        v = r->ris & r->imsc;
        break;
    default:
        if (off >= PERIPH_ID && off < PERIPH_ID + 4 * sizeof periph_id) {
            v = periph_id[(off - PERIPH_ID) / 4];
        }
        break;
    }
    pthread_mutex_unlock(&r->lock);
    return v;
}

static void pl031_write32(void *dev, uintptr_t off, uint32_t value)
{
    pl031_model_t *r = dev;
    pthread_mutex_lock(&r->lock);
    switch (off) {
    case MR:
        r->mr = value;
        r->armed = true;
        check_match(r);
        pthread_cond_signal(&r->changed);
        break;
    case LR:
        r->lr = value;
        r->offset = (int64_t)value - host_seconds();
        check_match(r);
        pthread_cond_signal(&r->changed);
        break;
    case IMSC:
        r->imsc = value & INT_MATCH;
        irq_update(r);
        pthread_cond_signal(&r->changed);
        break;
    case ICR:
        r->ris &= ~(value & INT_MATCH);
        irq_update(r);
        break;
    default: /* DR, RIS, MIS read-only; CR ignored */
        break;
    }
    pthread_mutex_unlock(&r->lock);
}

const ng_host_dev_ops_t hr_pl031_ops = { .read32 = pl031_read32, .write32 = pl031_write32 };

/* The alarm: sleeps until the host second at which the counter reaches MR, then raises the
 * match interrupt; a register write wakes it to recompute. Lives as long as the process. */
static void *alarm_thread(void *arg)
{
    pl031_model_t *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        check_match(r);
        if (!r->armed) {
            pthread_cond_wait(&r->changed, &r->lock);
            continue;
        }
        /* Host time at which counter == mr; condition variables wait on CLOCK_REALTIME. */
        struct timespec at = { .tv_sec = (time_t)((int64_t)r->mr - r->offset), .tv_nsec = 0 };
        int err = pthread_cond_timedwait(&r->changed, &r->lock, &at);
        if (err != 0 && err != ETIMEDOUT) {
            pthread_cond_wait(&r->changed, &r->lock);
        }
    }
    return NULL;
}

void *hr_pl031_create(ng_host_object_t *irq)
{
    pl031_model_t *r = calloc(1, sizeof *r);
    if (!r) {
        return NULL;
    }
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->changed, NULL);
    r->irq = irq;
    pthread_t t;
    if (pthread_create(&t, NULL, alarm_thread, r) != 0) {
        free(r);
        return NULL;
    }
    pthread_detach(t);
    return r;
}
