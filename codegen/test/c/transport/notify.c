/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Notifications: signals through differently badged caps accumulate (their badges are ORed) until
 * a wait takes them all at once; a wait with nothing pending blocks until a signal comes; a signal
 * through an unbadged cap still wakes the waiter (with badge 0). A notification bound to a server
 * ends its endpoint receive with the signalled word as the badge (before any queued sender), and
 * calls still work around it.
 */
#include "host_test.h"

#include <sched.h>
#include <stdatomic.h>

enum { SLOT_WAIT = 8, SLOT_SIG1, SLOT_SIG2, SLOT_SIG0, SLOT_BACK };

static _Atomic int phase;

static void signaller(void *arg)
{
    (void)arg;
    while (phase < 1) {
        sched_yield();
    }
    ng_signal(SLOT_SIG2); /* wakes main, blocked in ng_wait */
    while (phase < 2) {
        sched_yield();
    }
    ng_signal(SLOT_SIG0);
    /* Ping-pong: many wake-ups in a row must not be lost. */
    for (int i = 0; i < 1000; i++) {
        (void)ng_wait(SLOT_BACK);
        ng_signal(SLOT_SIG1);
    }
}

enum { SRV_EP = 8, MARK = 1 << 27 };

/* Serves calls; reports each notification it gets through its endpoint receive. */
static void bound_server(void *arg)
{
    (void)arg;
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_word_t seen = 0;
    ng_server_init(&s, SRV_EP, 0, NULL, 0);
    ng_recv(&s, &m, &badge);
    for (;;) {
        if (badge & MARK) {
            CHECK_EQ(m.len, 0);
            CHECK_EQ(m.label, 0);
            seen |= badge;
            ng_recv(&s, &m, &badge);
            continue;
        }
        m.label = NG_OK;
        m.mr[0] = seen;
        m.len = 1;
        seen = 0;
        ng_reply_recv(&s, &m, &badge);
    }
}

static ng_word_t ask(void)
{
    ng_msg_t m;
    ng_msg_start(&m, 0x100);
    CHECK_EQ(ng_call(SLOT_BACK + 1, &m), NG_OK);
    return m.mr[0];
}

static void test_bound(ng_host_cspace_t *mine)
{
    ng_host_object_t *ep = ng_host_object_new(NG_HOST_OBJ_ENDPOINT);
    ng_host_object_t *n = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    ng_host_cspace_t *srv = ng_host_cspace_new(4);
    CHECK_EQ(ng_host_cap_mint(srv, SRV_EP, ep, 0, NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(mine, SLOT_BACK + 1, ep, 1, CLIENT_RIGHTS), 0);
    CHECK_EQ(ng_host_cap_mint(mine, SLOT_BACK + 2, n, MARK | 0x2, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(mine, SLOT_BACK + 3, n, MARK | 0x8, NG_HOST_RIGHT_WRITE), 0);
    ng_host_thread_t *t = ng_host_thread_start("bound", srv, bound_server, NULL);
    CHECK_EQ(ng_host_ntfn_bind(n, t), NG_OK);
    CHECK_EQ(ng_host_ntfn_bind(n, t), NG_EBADMSG);
    CHECK_EQ(ask(), 0);
    ng_signal(SLOT_BACK + 2); /* the server is blocked in its receive, or will be */
    ng_signal(SLOT_BACK + 3);
    ng_word_t seen = ask(); /* the signals came before our call */
    CHECK_EQ(seen, MARK | 0xa);
    CHECK_EQ(ask(), 0);
}

int main(void)
{
    ng_host_object_t *n = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    ng_host_object_t *back = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    CHECK(ng_host_object_new(NG_HOST_OBJ_REPLY) == NULL);
    ng_host_cspace_t *mine = ng_host_cspace_new(4), *theirs = ng_host_cspace_new(4);
    CHECK_EQ(ng_host_cap_mint(mine, SLOT_WAIT, n, 0, NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(mine, SLOT_SIG1, n, 0x1, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(mine, SLOT_SIG2, n, 0x4, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(mine, SLOT_BACK, back, 1, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(theirs, SLOT_SIG1, n, 0x10, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(theirs, SLOT_SIG2, n, 0x20, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(theirs, SLOT_SIG0, n, 0, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(theirs, SLOT_BACK, back, 0, NG_HOST_RIGHT_READ), 0);
    CHECK(ng_host_thread_adopt("main", mine));

    ng_signal(SLOT_SIG1);
    ng_signal(SLOT_SIG2);
    ng_signal(SLOT_SIG1);
    CHECK_EQ(ng_wait(SLOT_WAIT), 0x5);

    ng_host_thread_t *t = ng_host_thread_start("signaller", theirs, signaller, NULL);
    phase = 1;
    CHECK_EQ(ng_wait(SLOT_WAIT), 0x20);
    phase = 2;
    CHECK_EQ(ng_wait(SLOT_WAIT), 0);
    for (int i = 0; i < 1000; i++) {
        ng_signal(SLOT_BACK);
        CHECK_EQ(ng_wait(SLOT_WAIT), 0x10);
    }
    CHECK_EQ(ng_host_thread_join(t), 0);
    test_bound(mine);
    puts("PASS notify");
    return 0;
}
