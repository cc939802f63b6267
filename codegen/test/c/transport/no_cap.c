/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Least privilege on the host: a thread reaches an object only through a cap in its own CSpace.
 * A thread with the cap can call the server; one without it (empty slot, a cap of the wrong type,
 * or without the Write right) gets NG_EIPC, and its sends and signals go nowhere. A slot beyond
 * the CSpace (called, sent as a cap, signalled) and a receive on a cap the thread does not hold
 * are faults (seL4: cap fault), the others live on. A message that does not fit is refused with
 * NG_EBADMSG. docs/transport.md has the rules.
 */
#include "host_test.h"

#include <signal.h>

enum { SLOT_EP = 8, SLOT_NTFN, SLOT_READONLY, SLOT_NOREPLY, SLOT_WRONG_TYPE };

static void server(void *arg)
{
    (void)arg;
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_server_init(&s, SLOT_EP, 0, NULL, 0);
    ng_recv(&s, &m, &badge);
    for (;;) {
        m.label = NG_OK;
        m.mr[0] = badge;
        m.len = 1;
        ng_reply_recv(&s, &m, &badge);
    }
}

static void lost_server(void *arg)
{
    (void)arg;
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_server_init(&s, SLOT_EP, 0, NULL, 0); /* nothing in its slot 8 */
    ng_recv(&s, &m, &badge);
    CHECK(!"unreachable: receiving on an empty slot must fault");
}

static int call(ng_cptr_t ep)
{
    ng_msg_t m;
    ng_msg_start(&m, 0x100);
    m.mr[0] = 0xdead;
    m.len = 1;
    int err = ng_call(ep, &m);
    if (err == NG_OK) {
        CHECK_EQ(m.label, NG_OK);
        CHECK_EQ(m.mr[0], 3);
    } else {
        CHECK_EQ(m.len, 0);
    }
    return err;
}

/* Each names a slot beyond its CSpace, which seL4 answers with a cap fault of the sender. */
static void beyond_call(void *arg)
{
    (void)arg;
    (void)call(1 << 20);
    CHECK(!"unreachable: a call beyond the CSpace must fault");
}

static void beyond_cap(void *arg)
{
    (void)arg;
    ng_msg_t m;
    ng_msg_start(&m, 0x100);
    m.caps[0] = 1000;
    m.ncaps = 1;
    (void)ng_send(SLOT_EP, &m);
    CHECK(!"unreachable: a cap beyond the CSpace must fault");
}

static void beyond_signal(void *arg)
{
    (void)arg;
    ng_signal(1 << 20);
    CHECK(!"unreachable: a signal beyond the CSpace must fault");
}

static int granted_ok, ungranted_err;

static void granted(void *arg)
{
    (void)arg;
    granted_ok = call(SLOT_EP) == NG_OK;
}

static void ungranted(void *arg)
{
    (void)arg;
    ungranted_err = call(SLOT_EP);
    ng_signal(SLOT_NTFN); /* no cap: nothing happens, no error (as seL4) */
}

int main(void)
{
    ng_host_object_t *ep = ng_host_object_new(NG_HOST_OBJ_ENDPOINT);
    ng_host_object_t *ntfn = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    ng_host_cspace_t *srv = ng_host_cspace_new(4), *with = ng_host_cspace_new(4),
                     *without = ng_host_cspace_new(4), *self = ng_host_cspace_new(4),
                     *lost = ng_host_cspace_new(4);
    CHECK_EQ(ng_host_cap_mint(srv, SLOT_EP, ep, 0, NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(with, SLOT_EP, ep, 3, CLIENT_RIGHTS), 0);
    CHECK_EQ(ng_host_cap_mint(self, SLOT_NTFN, ntfn, 0, NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(self, SLOT_READONLY, ep, 4, NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(self, SLOT_NOREPLY, ep, 5, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(self, SLOT_WRONG_TYPE, ntfn, 6, NG_HOST_RIGHTS_ALL), 0);

    CHECK(ng_host_thread_adopt("main", self));
    ng_host_thread_t *lt = ng_host_thread_start("lost", lost, lost_server, NULL);
    CHECK_EQ(ng_host_thread_join(lt), SIGABRT);
    CHECK(ng_host_thread_start("echo", srv, server, NULL));

    ng_host_thread_t *t1 = ng_host_thread_start("with_cap", with, granted, NULL);
    ng_host_thread_t *t2 = ng_host_thread_start("without_cap", without, ungranted, NULL);
    CHECK_EQ(ng_host_thread_join(t1), 0);
    CHECK_EQ(ng_host_thread_join(t2), 0);
    CHECK_EQ(granted_ok, 1);
    CHECK_EQ(ungranted_err, NG_EIPC);

    CHECK_EQ(call(SLOT_EP), NG_EIPC);          /* empty slot */
    CHECK_EQ(call(0), NG_EIPC);                /* the null slot */
    CHECK_EQ(call(SLOT_READONLY), NG_EIPC);    /* no Write right */
    CHECK_EQ(call(SLOT_NOREPLY), NG_EIPC);     /* no Grant/GrantReply: seL4 would hang */
    CHECK_EQ(call(SLOT_WRONG_TYPE), NG_EIPC);  /* a notification is not an endpoint */
    ng_msg_t m;
    ng_msg_start(&m, 0x100);
    CHECK_EQ(ng_send(SLOT_EP, &m), NG_OK); /* dropped without an error, as seL4 drops it */
    /* A message that does not fit is refused before anything is looked up or sent. */
    m.len = NG_MSG_MAX_WORDS + 1;
    CHECK_EQ(ng_send(SLOT_EP, &m), NG_EBADMSG);
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_EBADMSG);
    CHECK_EQ(m.len, 0);
    ng_msg_start(&m, 0x100);
    m.ncaps = NG_MSG_MAX_CAPS + 1;
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_EBADMSG);
    ng_msg_start(&m, NG_MSG_MAX_LABEL + 1);
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_EBADMSG);

    /* A slot beyond the CSpace, as the endpoint, a cap to send or a notification: cap fault. */
    ng_host_thread_t *b1 = ng_host_thread_start("beyond_call", with, beyond_call, NULL);
    CHECK_EQ(ng_host_thread_join(b1), SIGABRT);
    ng_host_thread_t *b2 = ng_host_thread_start("beyond_cap", with, beyond_cap, NULL);
    CHECK_EQ(ng_host_thread_join(b2), SIGABRT);
    ng_host_thread_t *b3 = ng_host_thread_start("beyond_signal", with, beyond_signal, NULL);
    CHECK_EQ(ng_host_thread_join(b3), SIGABRT);

    /* What each slot holds, as a dispatcher checks a received cap. */
    CHECK_EQ(ng_cap_kind(SLOT_EP), NG_CAP_EMPTY);
    CHECK_EQ(ng_cap_kind(SLOT_NTFN), NG_CAP_NOTIFICATION);
    CHECK_EQ(ng_cap_kind(SLOT_READONLY), NG_CAP_ENDPOINT);
    CHECK(ng_cap_is(SLOT_READONLY, NG_CAP_ENDPOINT));
    CHECK(!ng_cap_is(SLOT_READONLY, NG_CAP_NOTIFICATION));

    /* The signal of the thread without a cap never arrived; ours does. */
    ng_signal(SLOT_WRONG_TYPE);
    CHECK_EQ(ng_wait(SLOT_NTFN), 6);
    puts("PASS no_cap");
    return 0;
}
