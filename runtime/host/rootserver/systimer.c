/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A model of the BCM2835 system timer (ARM Peripherals chapter 12) over the host's monotonic
 * clock: CLO/CHI count microseconds since the model was made; C0..C3 are compare values; when the
 * counter's low word reaches one, its CS bit is set and the channel's interrupt line (this model
 * has the line of channel 1, the one drivers use) follows that bit until written 1 to clear. A
 * host thread sleeps until the next compare value of channel 1 and sets the bit then.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "models.h"

#define ST_CS 0x00
#define ST_CLO 0x04
#define ST_CHI 0x08
#define ST_C0 0x0c
#define CHANNEL 1u

typedef struct systimer_model {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    ng_host_object_t *irq;
    uint64_t start_us;
    uint32_t cs, c[4];
    bool armed; /* channel 1's compare was written and has not matched since */
} systimer_model_t;

static uint64_t host_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Lock held. */
static uint64_t counter(const systimer_model_t *t)
{
    return host_us() - t->start_us;
}

/* Lock held. */
static void irq_update(systimer_model_t *t)
{
    if (t->irq) ng_host_irq_set_level(t->irq, (t->cs & (1u << CHANNEL)) != 0);
}

/* Lock held: microseconds until the low word reaches channel 1's compare value (0: now). */
static uint32_t until_match(const systimer_model_t *t)
{
    return t->c[CHANNEL] - (uint32_t)counter(t);
}

/* Lock held: a compare value just behind the counter counts as reached (the driver rereads). */
static void check_match(systimer_model_t *t)
{
    if (t->armed && (until_match(t) == 0 || until_match(t) > 0x80000000u)) {
        t->armed = false;
        t->cs |= 1u << CHANNEL;
        irq_update(t);
    }
}

static uint32_t st_read32(void *dev, uintptr_t off)
{
    systimer_model_t *t = dev;
    uint32_t v = 0;
    pthread_mutex_lock(&t->lock);
    check_match(t);
    if (off == ST_CS) v = t->cs;
    else if (off == ST_CLO) v = (uint32_t)counter(t);
    else if (off == ST_CHI) v = (uint32_t)(counter(t) >> 32);
    else if (off >= ST_C0 && off < ST_C0 + 16 && off % 4 == 0) v = t->c[(off - ST_C0) / 4];
    pthread_mutex_unlock(&t->lock);
    return v;
}

static void st_write32(void *dev, uintptr_t off, uint32_t value)
{
    systimer_model_t *t = dev;
    pthread_mutex_lock(&t->lock);
    if (off == ST_CS) {
        t->cs &= ~(value & 0xfu);
        irq_update(t);
    } else if (off >= ST_C0 && off < ST_C0 + 16 && off % 4 == 0) {
        unsigned ch = (unsigned)(off - ST_C0) / 4;
        t->c[ch] = value;
        if (ch == CHANNEL) {
            t->armed = true;
            pthread_cond_signal(&t->changed);
        }
    }
    pthread_mutex_unlock(&t->lock);
}

const ng_host_dev_ops_t hr_systimer_ops = { .read32 = st_read32, .write32 = st_write32 };

static void *alarm_thread(void *arg)
{
    systimer_model_t *t = arg;
    pthread_mutex_lock(&t->lock);
    for (;;) {
        check_match(t);
        if (!t->armed) {
            pthread_cond_wait(&t->changed, &t->lock);
            continue;
        }
        struct timespec at;
        clock_gettime(CLOCK_REALTIME, &at);
        uint64_t ns = (uint64_t)at.tv_nsec + (uint64_t)until_match(t) * 1000u;
        at.tv_sec += (time_t)(ns / 1000000000u);
        at.tv_nsec = (long)(ns % 1000000000u);
        int err = pthread_cond_timedwait(&t->changed, &t->lock, &at);
        if (err != 0 && err != ETIMEDOUT) pthread_cond_wait(&t->changed, &t->lock);
    }
    return NULL;
}

void *hr_systimer_create(ng_host_object_t *irq)
{
    systimer_model_t *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->changed, NULL);
    t->irq = irq;
    t->start_us = host_us() - 1000000u; /* a counter that has been running a second */
    pthread_t th;
    if (pthread_create(&th, NULL, alarm_thread, t) != 0) {
        free(t);
        return NULL;
    }
    pthread_detach(th);
    return t;
}
