/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PL031 real-time clock driver: serves the `timer` interface with what the PL031 can do. The
 * system must name this server `rtc` and its device `pl031` (the generated constants are
 * RTC_*_PL031).
 *
 * Time is what the interface promises, monotonic nanoseconds since boot: the PL031's counter
 * (whole seconds; on QEMU's virt machine and the host model it starts at the host's time of day)
 * less its value when the driver started. It is monotonic because this driver never loads the
 * counter. resolution() says 1 s. Internally every wait is kept in counter seconds; client
 * deadlines (nanoseconds since boot) are converted on the way in.
 *
 * All waiting shares the one match register and its interrupt: the driver keeps the sleepers
 * (deferred replies, answered from the interrupt with timer_sleep_reply) and every client's
 * timeouts, and points the match register at the earliest second any of them waits for. Since
 * the counter ticks once a second and a call arrives somewhere inside a second, a wait rounds
 * up: sleep(n s) returns after n to n + 1 seconds; a timeout fires at the first tick at or after
 * its deadline (a periodic one at most once per tick: its bit in fired() stands for "at least
 * once"). Clients are told apart by their badge; each registers its own notification.
 */
#include <stdbool.h>
#include <stdio.h>

#include <neptune/dev.h>

#include "server_gen.h"
#include "pl031.h"

#define NS_PER_S 1000000000ull
#define MAX_CLIENTS 8
#define MAX_SLEEPERS 4 /* the layout's saved-reply slots (deferredReplies, 4 by default) */
#define NTIMEOUTS ((unsigned)TIMER_MAX_TIMEOUTS)
#define NEVER UINT64_MAX

_Static_assert(RTC_SLOT_FREE_FIRST + MAX_CLIENTS <= RTC_SLOT_FREE_END,
               "rtc: one free slot per client for its notification");
_Static_assert(NTIMEOUTS <= 64, "fired() reports timeouts as bits of a 64-bit mask");

typedef struct rtc_sleeper {
    bool used;
    ng_reply_t reply;
    uint64_t at; /* counter value (seconds) at which to answer */
} rtc_sleeper_t;

typedef struct rtc_client {
    bool used;
    ng_badge_t badge;
    ng_cptr_t ntfn;  /* slot of its notification, or 0 */
    uint64_t armed;  /* bit i: timeout i is armed */
    uint64_t fired;  /* bit i: timeout i fired since the last fired() */
    uint64_t deadline[NTIMEOUTS]; /* ns */
    uint64_t period[NTIMEOUTS];   /* ns; 0 for a oneshot */
} rtc_client_t;

typedef struct rtc {
    pl031_t dev;
    uint64_t boot_s; /* the counter when the driver started: time 0 of now() */
    rtc_sleeper_t sleepers[MAX_SLEEPERS];
    rtc_client_t clients[MAX_CLIENTS];
    ng_server_t srv;
} rtc_t;

/* Nanoseconds as whole seconds, rounded up: the second at which a deadline has passed for certain,
 * or the seconds a wait must last at least. */
static uint64_t second_of(uint64_t deadline_ns)
{
    return deadline_ns / NS_PER_S + (deadline_ns % NS_PER_S != 0);
}

static rtc_client_t *client_of(rtc_t *t, ng_badge_t badge, bool create)
{
    rtc_client_t *free_rec = NULL;
    for (unsigned i = 0; i < MAX_CLIENTS; i++) {
        rtc_client_t *c = &t->clients[i];
        if (c->used && c->badge == badge) return c;
        if (!c->used && !free_rec) free_rec = c;
    }
    if (!create || !free_rec) return NULL;
    free_rec->used = true;
    free_rec->badge = badge;
    return free_rec;
}

/* Answer the sleepers and fire the timeouts whose second has come, then point the match register
 * at the next one (or mask it). Loops when the counter passed that second meanwhile, so no wait
 * depends on an interrupt for a match already behind the counter. */
static void rtc_run(rtc_t *t)
{
    for (;;) {
        uint64_t now = pl031_now(&t->dev);
        uint64_t next = NEVER;
        for (unsigned i = 0; i < MAX_SLEEPERS; i++) {
            rtc_sleeper_t *s = &t->sleepers[i];
            if (!s->used) continue;
            if (s->at <= now) {
                s->used = false;
                timer_sleep_reply(&t->srv, s->reply, NG_OK);
            } else if (s->at < next) {
                next = s->at;
            }
        }
        for (unsigned i = 0; i < MAX_CLIENTS; i++) {
            rtc_client_t *c = &t->clients[i];
            bool signal = false;
            for (unsigned id = 0; id < NTIMEOUTS; id++) {
                uint64_t bit = (uint64_t)1 << id;
                if (!c->used || !(c->armed & bit)) continue;
                if (t->boot_s + second_of(c->deadline[id]) <= now) {
                    c->fired |= bit;
                    signal = true;
                    if (c->period[id] == 0) {
                        c->armed &= ~bit;
                        continue;
                    }
                    while (t->boot_s + second_of(c->deadline[id]) <= now) c->deadline[id] += c->period[id];
                }
                if (t->boot_s + second_of(c->deadline[id]) < next) next = t->boot_s + second_of(c->deadline[id]);
            }
            if (signal && c->ntfn) ng_signal(c->ntfn);
        }
        if (next == NEVER) {
            pl031_alarm_off(&t->dev);
            return;
        }
        pl031_alarm_set(&t->dev, next > UINT32_MAX ? UINT32_MAX : (uint32_t)next);
        if (pl031_now(&t->dev) < next) return; /* the match interrupt will come */
    }
}

static int rtc_now(void *ctx, ng_call_t *call, timer_now_rep_t *rep)
{
    rtc_t *t = ctx;
    (void)call;
    rep->ns = ((uint64_t)pl031_now(&t->dev) - t->boot_s) * NS_PER_S;
    return NG_OK;
}

static int rtc_resolution(void *ctx, ng_call_t *call, timer_resolution_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->ns = NS_PER_S;
    return NG_OK;
}

/* Deferred: the caller stays blocked in its call until rtc_run answers from the interrupt. */
static int rtc_sleep(void *ctx, ng_call_t *call, const timer_sleep_req_t *req)
{
    rtc_t *t = ctx;
    if (req->ns == 0) return NG_OK;
    rtc_sleeper_t *s = NULL;
    for (unsigned i = 0; i < MAX_SLEEPERS && !s; i++) {
        if (!t->sleepers[i].used) s = &t->sleepers[i];
    }
    if (!s) return NG_EAGAIN;
    int err = ng_reply_save(call->server, &s->reply);
    if (err != NG_OK) return err;
    /* The call came somewhere inside second `now`: count from its end. */
    s->at = (uint64_t)pl031_now(&t->dev) + 1 + second_of(req->ns);
    s->used = true;
    rtc_run(t);
    return NG_DEFERRED;
}

static int rtc_set_notification(void *ctx, ng_call_t *call, const timer_set_notification_req_t *req)
{
    rtc_t *t = ctx;
    rtc_client_t *c = client_of(t, call->badge, true);
    if (!c) return NG_ENOMEM;
    /* Keep the cap: it arrived in the receive slot, which the loop empties after dispatch. */
    ng_cptr_t slot = RTC_SLOT_FREE_FIRST + (ng_cptr_t)(c - t->clients);
    if (c->ntfn) ng_cap_delete(c->ntfn);
    c->ntfn = 0;
    int err = ng_cap_move(call->server, req->n, slot);
    if (err != NG_OK) return err;
    c->ntfn = slot;
    /* Timeouts that fired before the client asked would otherwise go unsignalled. */
    if (c->fired) ng_signal(c->ntfn);
    return NG_OK;
}

/* Checks shared by oneshot and periodic; returns the client's record or NULL with *err set. */
static rtc_client_t *timeout_client(rtc_t *t, ng_call_t *call, uint32_t id, uint64_t ns, int *err)
{
    rtc_client_t *c = client_of(t, call->badge, false);
    if (id >= NTIMEOUTS) *err = TIMER_ERR_BAD_ID;
    else if (!c || !c->ntfn) *err = TIMER_ERR_NO_NOTIFICATION;
    else if (ns == 0) *err = TIMER_ERR_INVALID;
    else return c;
    return NULL;
}

static int rtc_oneshot(void *ctx, ng_call_t *call, const timer_oneshot_req_t *req)
{
    rtc_t *t = ctx;
    int err = NG_OK;
    rtc_client_t *c = timeout_client(t, call, req->id, req->deadline, &err);
    if (!c) return err;
    c->deadline[req->id] = req->deadline;
    c->period[req->id] = 0;
    c->armed |= (uint64_t)1 << req->id;
    rtc_run(t);
    return NG_OK;
}

static int rtc_periodic(void *ctx, ng_call_t *call, const timer_periodic_req_t *req)
{
    rtc_t *t = ctx;
    int err = NG_OK;
    rtc_client_t *c = timeout_client(t, call, req->id, req->period, &err);
    if (!c) return err;
    uint64_t start = ((uint64_t)pl031_now(&t->dev) - t->boot_s + 1) * NS_PER_S;
    c->deadline[req->id] = start + req->period;
    c->period[req->id] = req->period;
    c->armed |= (uint64_t)1 << req->id;
    rtc_run(t);
    return NG_OK;
}

static int rtc_cancel(void *ctx, ng_call_t *call, const timer_cancel_req_t *req)
{
    rtc_t *t = ctx;
    if (req->id >= NTIMEOUTS) return TIMER_ERR_BAD_ID;
    rtc_client_t *c = client_of(t, call->badge, false);
    if (c) c->armed &= ~((uint64_t)1 << req->id);
    rtc_run(t);
    return NG_OK;
}

static int rtc_fired(void *ctx, ng_call_t *call, timer_fired_rep_t *rep)
{
    rtc_t *t = ctx;
    rtc_client_t *c = client_of(t, call->badge, false);
    rep->mask = c ? c->fired : 0;
    if (c) c->fired = 0;
    return NG_OK;
}

/* The match interrupt (the driver's only notification source): clear it, acknowledge, and do
 * whatever the counter has reached. */
static void rtc_notify(void *ctx, ng_badge_t bits)
{
    rtc_t *t = ctx;
    (void)bits;
    pl031_alarm_clear(&t->dev);
    ng_irq_ack(RTC_CAP_IRQ_PL031);
    rtc_run(t);
}

static const timer_ops_t timer_ops = {
    .now = rtc_now,
    .resolution = rtc_resolution,
    .sleep = rtc_sleep,
    .set_notification = rtc_set_notification,
    .oneshot = rtc_oneshot,
    .periodic = rtc_periodic,
    .cancel = rtc_cancel,
    .fired = rtc_fired,
};

static const rtc_server_ops_t ops = { .timer = &timer_ops, .notify = rtc_notify };

int main(void)
{
    static rtc_t t;
    if (!pl031_init(&t.dev, RTC_VADDR_PL031)) {
        printf("rtc: no PL031 at %#lx (peripheral ID does not match)\n", (unsigned long)RTC_VADDR_PL031);
        return 1;
    }
    t.boot_s = pl031_now(&t.dev);
    ng_irq_ack(RTC_CAP_IRQ_PL031);
    printf("rtc: PL031 registers at %#lx, IRQ handler in slot %u\n", (unsigned long)RTC_VADDR_PL031,
           (unsigned)RTC_CAP_IRQ_PL031);
    rtc_server_init(&t.srv);
    rtc_serve(&t.srv, &ops, &t);
    return 0;
}
