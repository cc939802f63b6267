/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The `timer` interface over any clock with one alarm: what the timer drivers of the boards share
 * (BCM2835 system timer, goldfish RTC, x86 PIT). A driver gives a monotonic nanosecond clock and
 * an alarm ("interrupt at or after time t", "no alarm"); this file keeps the sleepers (deferred
 * replies) and each client's timeouts, and points the alarm at the earliest of them.
 *
 * Header-only: a driver's main.c includes it after its server_gen.h (it uses the interface's
 * generated types) and passes the slots its layout leaves free for clients' notifications. The
 * drivers are separate programs, so each gets its own copy of these static functions.
 *
 *   static tc_timer_t t = { .hw = &my_hw_ops, .hw_ctx = &dev, .slot_first = X_SLOT_FREE_FIRST,
 *                           .slot_end = X_SLOT_FREE_END };
 *   x_server_ops_t ops = { .timer = &tc_timer_ops, .notify = my_irq };   // ctx: &t
 *   my_irq(): clear the device's interrupt, ng_irq_ack(...), tc_run(&t);
 *
 * A wait never depends on an interrupt for an alarm already behind the clock: after setting the
 * alarm tc_run reads the clock again and goes round once more if the time has come meanwhile.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <neptune/ipc.h>

#define TC_MAX_CLIENTS 8
#define TC_MAX_SLEEPERS 4 /* the layout's saved-reply slots (deferredReplies, 4 by default) */
#define TC_NTIMEOUTS ((unsigned)TIMER_MAX_TIMEOUTS)
#define TC_NEVER UINT64_MAX

_Static_assert(TC_NTIMEOUTS <= 64, "fired() reports timeouts as bits of a 64-bit mask");

typedef struct tc_hw {
    /* Nanoseconds since the driver started (monotonic). */
    uint64_t (*now)(void *hw);
    /* Interrupt at or after `at` (ns); an earlier interrupt is harmless (tc_run re-arms). */
    void (*alarm)(void *hw, uint64_t at);
    /* Nothing to wait for (may be a no-op if a spurious interrupt now and then is harmless). */
    void (*alarm_off)(void *hw);
    uint64_t resolution_ns;
} tc_hw_t;

typedef struct tc_sleeper {
    bool used;
    ng_reply_t reply;
    uint64_t at;
} tc_sleeper_t;

typedef struct tc_client {
    bool used;
    ng_badge_t badge;
    ng_cptr_t ntfn; /* slot of its notification, or 0 */
    uint64_t armed; /* bit i: timeout i is armed */
    uint64_t fired; /* bit i: timeout i fired since the last fired() */
    uint64_t deadline[TC_NTIMEOUTS];
    uint64_t period[TC_NTIMEOUTS]; /* 0 for a oneshot */
} tc_client_t;

typedef struct tc_timer {
    const tc_hw_t *hw;
    void *hw_ctx;
    ng_cptr_t slot_first, slot_end; /* free slots for clients' notifications */
    ng_server_t srv;
    tc_sleeper_t sleepers[TC_MAX_SLEEPERS];
    tc_client_t clients[TC_MAX_CLIENTS];
} tc_timer_t;

static inline uint64_t tc_now(tc_timer_t *t)
{
    return t->hw->now(t->hw_ctx);
}

static tc_client_t *tc_client_of(tc_timer_t *t, ng_badge_t badge, bool create)
{
    tc_client_t *free_rec = NULL;
    for (unsigned i = 0; i < TC_MAX_CLIENTS; i++) {
        tc_client_t *c = &t->clients[i];
        if (c->used && c->badge == badge) return c;
        if (!c->used && !free_rec) free_rec = c;
    }
    if (!create || !free_rec) return NULL;
    free_rec->used = true;
    free_rec->badge = badge;
    return free_rec;
}

/* Answers the sleepers and fires the timeouts whose time has come, then sets the alarm for the
 * next one (or turns it off). */
static void tc_run(tc_timer_t *t)
{
    for (;;) {
        uint64_t now = tc_now(t);
        uint64_t next = TC_NEVER;
        for (unsigned i = 0; i < TC_MAX_SLEEPERS; i++) {
            tc_sleeper_t *s = &t->sleepers[i];
            if (!s->used) continue;
            if (s->at <= now) {
                s->used = false;
                timer_sleep_reply(&t->srv, s->reply, NG_OK);
            } else if (s->at < next) {
                next = s->at;
            }
        }
        for (unsigned i = 0; i < TC_MAX_CLIENTS; i++) {
            tc_client_t *c = &t->clients[i];
            bool signal = false;
            for (unsigned id = 0; c->used && id < TC_NTIMEOUTS; id++) {
                uint64_t bit = (uint64_t)1 << id;
                if (!(c->armed & bit)) continue;
                if (c->deadline[id] <= now) {
                    c->fired |= bit;
                    signal = true;
                    if (c->period[id] == 0) {
                        c->armed &= ~bit;
                        continue;
                    }
                    while (c->deadline[id] <= now) c->deadline[id] += c->period[id];
                }
                if (c->deadline[id] < next) next = c->deadline[id];
            }
            if (signal && c->ntfn) ng_signal(c->ntfn);
        }
        if (next == TC_NEVER) {
            t->hw->alarm_off(t->hw_ctx);
            return;
        }
        t->hw->alarm(t->hw_ctx, next);
        if (tc_now(t) < next) return; /* the interrupt will come */
    }
}

static int tc_op_now(void *ctx, ng_call_t *call, timer_now_rep_t *rep)
{
    (void)call;
    rep->ns = tc_now(ctx);
    return NG_OK;
}

static int tc_op_resolution(void *ctx, ng_call_t *call, timer_resolution_rep_t *rep)
{
    tc_timer_t *t = ctx;
    (void)call;
    rep->ns = t->hw->resolution_ns;
    return NG_OK;
}

/* Deferred: the caller stays blocked in its call until tc_run answers it. */
static int tc_op_sleep(void *ctx, ng_call_t *call, const timer_sleep_req_t *req)
{
    tc_timer_t *t = ctx;
    if (req->ns == 0) return NG_OK;
    tc_sleeper_t *s = NULL;
    for (unsigned i = 0; i < TC_MAX_SLEEPERS && !s; i++) {
        if (!t->sleepers[i].used) s = &t->sleepers[i];
    }
    if (!s) return NG_EAGAIN;
    int err = ng_reply_save(call->server, &s->reply);
    if (err != NG_OK) return err;
    uint64_t now = tc_now(t);
    s->at = req->ns > UINT64_MAX - now ? UINT64_MAX - 1 : now + req->ns;
    s->used = true;
    tc_run(t);
    return NG_DEFERRED;
}

static int tc_op_set_notification(void *ctx, ng_call_t *call, const timer_set_notification_req_t *req)
{
    tc_timer_t *t = ctx;
    tc_client_t *c = tc_client_of(t, call->badge, true);
    if (!c) return NG_ENOMEM;
    ng_cptr_t slot = t->slot_first + (ng_cptr_t)(c - t->clients);
    if (slot >= t->slot_end) return NG_ENOMEM;
    /* Keep the cap: it arrived in the receive slot, which the loop empties after dispatch. */
    if (c->ntfn) ng_cap_delete(c->ntfn);
    c->ntfn = 0;
    int err = ng_cap_move(call->server, req->n, slot);
    if (err != NG_OK) return err;
    c->ntfn = slot;
    if (c->fired) ng_signal(c->ntfn);
    return NG_OK;
}

static tc_client_t *tc_timeout_client(tc_timer_t *t, ng_call_t *call, uint32_t id, uint64_t ns, int *err)
{
    tc_client_t *c = tc_client_of(t, call->badge, false);
    if (id >= TC_NTIMEOUTS) *err = TIMER_ERR_BAD_ID;
    else if (!c || !c->ntfn) *err = TIMER_ERR_NO_NOTIFICATION;
    else if (ns == 0) *err = TIMER_ERR_INVALID;
    else return c;
    return NULL;
}

static int tc_op_oneshot(void *ctx, ng_call_t *call, const timer_oneshot_req_t *req)
{
    tc_timer_t *t = ctx;
    int err = NG_OK;
    tc_client_t *c = tc_timeout_client(t, call, req->id, req->deadline, &err);
    if (!c) return err;
    c->deadline[req->id] = req->deadline;
    c->period[req->id] = 0;
    c->armed |= (uint64_t)1 << req->id;
    tc_run(t);
    return NG_OK;
}

static int tc_op_periodic(void *ctx, ng_call_t *call, const timer_periodic_req_t *req)
{
    tc_timer_t *t = ctx;
    int err = NG_OK;
    tc_client_t *c = tc_timeout_client(t, call, req->id, req->period, &err);
    if (!c) return err;
    c->deadline[req->id] = tc_now(t) + req->period;
    c->period[req->id] = req->period;
    c->armed |= (uint64_t)1 << req->id;
    tc_run(t);
    return NG_OK;
}

static int tc_op_cancel(void *ctx, ng_call_t *call, const timer_cancel_req_t *req)
{
    tc_timer_t *t = ctx;
    if (req->id >= TC_NTIMEOUTS) return TIMER_ERR_BAD_ID;
    tc_client_t *c = tc_client_of(t, call->badge, false);
    if (c) c->armed &= ~((uint64_t)1 << req->id);
    tc_run(t);
    return NG_OK;
}

static int tc_op_fired(void *ctx, ng_call_t *call, timer_fired_rep_t *rep)
{
    tc_timer_t *t = ctx;
    tc_client_t *c = tc_client_of(t, call->badge, false);
    rep->mask = c ? c->fired : 0;
    if (c) c->fired = 0;
    return NG_OK;
}

static const timer_ops_t tc_timer_ops = {
    .now = tc_op_now,
    .resolution = tc_op_resolution,
    .sleep = tc_op_sleep,
    .set_notification = tc_op_set_notification,
    .oneshot = tc_op_oneshot,
    .periodic = tc_op_periodic,
    .cancel = tc_op_cancel,
    .fired = tc_op_fired,
};
