/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Deferred replies: the server saves the reply caps of two "wait" callers (ng_reply_save into its
 * two reply slots), a third gets NG_EAGAIN because both slots are in use, and a "release" call
 * makes the server answer both waiters later with ng_reply_send, each with its own data. Saved
 * reply slots are empty again afterwards.
 */
#include "host_test.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

enum { SLOT_EP = 8, SLOT_REPLY0 = 12, SLOT_REPLY1 };
enum { L_WAIT = 0x101, L_RELEASE = 0x102 };

static const ng_cptr_t reply_slots[] = { SLOT_REPLY0, SLOT_REPLY1 };
static ng_host_cspace_t *srv_cs;
static _Atomic int saved_count;

static void server(void *arg)
{
    (void)arg;
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_reply_t saved[2];
    ng_badge_t saved_badge[2];
    int nsaved = 0;
    ng_server_init(&s, SLOT_EP, 0, reply_slots, 2);
    ng_recv(&s, &m, &badge);
    for (;;) {
        if (m.label == L_WAIT) {
            ng_reply_t r;
            int err = ng_reply_save(&s, &r);
            if (err == NG_OK) {
                saved[nsaved] = r;
                saved_badge[nsaved++] = badge;
                saved_count = nsaved;
                ng_recv(&s, &m, &badge); /* no reply now */
                continue;
            }
            CHECK_EQ(err, NG_ENOMEM);
            m.label = NG_EAGAIN;
            m.len = 0;
        } else if (m.label == L_RELEASE) {
            CHECK_EQ(nsaved, 2);
            CHECK(ng_host_cap_query(srv_cs, SLOT_REPLY0, NULL, NULL, NULL));
            CHECK(ng_host_cap_query(srv_cs, SLOT_REPLY1, NULL, NULL, NULL));
            ng_badge_t release_badge = badge;
            for (int i = nsaved - 1; i >= 0; i--) {
                ng_msg_t r;
                ng_msg_start(&r, NG_OK);
                r.mr[0] = saved_badge[i] * 100;
                r.len = 1;
                CHECK_EQ(ng_reply_send(&s, saved[i], &r), NG_OK);
                CHECK_EQ(ng_reply_send(&s, saved[i], &r), NG_EIPC); /* used up */
            }
            nsaved = 0;
            CHECK(!ng_host_cap_query(srv_cs, SLOT_REPLY0, NULL, NULL, NULL));
            CHECK(!ng_host_cap_query(srv_cs, SLOT_REPLY1, NULL, NULL, NULL));
            /* The request words were overwritten by the replies built above: rebuild. */
            m.label = NG_OK;
            m.mr[0] = release_badge;
            m.len = 1;
        }
        ng_reply_recv(&s, &m, &badge);
    }
}

typedef struct {
    ng_word_t result;
    int err;
    ng_word_t label;
} waiter_t;

static void waiter(void *arg)
{
    waiter_t *w = arg;
    ng_msg_t m;
    ng_msg_start(&m, L_WAIT);
    w->err = ng_call(SLOT_EP, &m);
    w->label = m.label;
    w->result = m.len == 1 ? m.mr[0] : 0;
}

int main(void)
{
    ng_host_object_t *ep = ng_host_object_new(NG_HOST_OBJ_ENDPOINT);
    srv_cs = ng_host_cspace_new(4);
    CHECK_EQ(ng_host_cap_mint(srv_cs, SLOT_EP, ep, 0, NG_HOST_RIGHT_READ), 0);
    ng_host_cspace_t *cs[4];
    for (int i = 0; i < 4; i++) {
        cs[i] = ng_host_cspace_new(4);
        CHECK_EQ(ng_host_cap_mint(cs[i], SLOT_EP, ep, (ng_badge_t)i + 1, CLIENT_RIGHTS), 0);
    }
    CHECK(ng_host_thread_start("server", srv_cs, server, NULL));

    waiter_t w[2] = { { 0, -1, 0 }, { 0, -1, 0 } };
    ng_host_thread_t *t0 = ng_host_thread_start("waiter1", cs[0], waiter, &w[0]);
    while (saved_count < 1) {
        sched_yield();
    }
    ng_host_thread_t *t1 = ng_host_thread_start("waiter2", cs[1], waiter, &w[1]);
    while (saved_count < 2) {
        sched_yield();
    }

    CHECK(ng_host_thread_adopt("main", cs[2]));
    ng_msg_t m;
    ng_msg_start(&m, L_WAIT);
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_OK);
    CHECK_EQ(m.label, NG_EAGAIN); /* both reply slots in use */

    ng_msg_start(&m, L_RELEASE);
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_OK);
    CHECK_EQ(m.label, NG_OK);
    CHECK_EQ(m.mr[0], 3);

    CHECK_EQ(ng_host_thread_join(t0), 0);
    CHECK_EQ(ng_host_thread_join(t1), 0);
    CHECK_EQ(w[0].err, NG_OK);
    CHECK_EQ(w[0].label, NG_OK);
    CHECK_EQ(w[0].result, 100);
    CHECK_EQ(w[1].err, NG_OK);
    CHECK_EQ(w[1].result, 200);

    /* The slots are free again: two more waits can be deferred. */
    saved_count = 0;
    t0 = ng_host_thread_start("waiter3", cs[0], waiter, &w[0]);
    while (saved_count < 1) {
        sched_yield();
    }
    t1 = ng_host_thread_start("waiter4", cs[3], waiter, &w[1]);
    while (saved_count < 2) {
        sched_yield();
    }
    ng_msg_start(&m, L_RELEASE);
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_OK);
    CHECK_EQ(ng_host_thread_join(t0), 0);
    CHECK_EQ(ng_host_thread_join(t1), 0);
    CHECK_EQ(w[0].result, 100);
    CHECK_EQ(w[1].result, 400);
    puts("PASS deferred");
    return 0;
}
