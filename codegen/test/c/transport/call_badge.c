/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Call and reply with badges: two clients call one server through differently badged caps; the
 * server sees each client's badge and answers each with its own data; a oneway send blocks until
 * the server takes it; words survive the round trip unchanged.
 */
#include "host_test.h"

#include <pthread.h>
#include <string.h>

enum { SLOT_EP = 8, LABEL_ADD = 0x101, LABEL_NOTE = 0x102, LABEL_QUIT = 0x1ff };

static ng_word_t last_note;

static void server(void *arg)
{
    (void)arg;
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_server_init(&s, SLOT_EP, 0, NULL, 0);
    ng_recv(&s, &m, &badge);
    for (;;) {
        switch (m.label) {
        case LABEL_ADD: {
            ng_word_t sum = 0;
            for (unsigned i = 0; i < m.len; i++) {
                sum += m.mr[i];
            }
            m.label = NG_OK;
            m.mr[0] = sum;
            m.mr[1] = badge;
            m.len = 2;
            break;
        }
        case LABEL_NOTE:
            last_note = m.mr[0] + badge;
            m.label = NG_OK; /* nobody waits for it: the kernel skips the reply */
            m.len = 0;
            break;
        case LABEL_QUIT:
            return; /* caller gets NG_EIPC: its server is gone */
        default:
            m.label = NG_ENOSYS;
            m.len = 0;
        }
        ng_recv_done(&s, &m);
        ng_reply_recv(&s, &m, &badge);
    }
}

static ng_word_t call_add(unsigned n, ng_word_t first, ng_word_t *badge_seen)
{
    ng_msg_t m;
    ng_msg_start(&m, LABEL_ADD);
    for (unsigned i = 0; i < n; i++) {
        m.mr[i] = first + i;
    }
    m.len = n;
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_OK);
    CHECK_EQ(m.label, NG_OK);
    CHECK_EQ(m.len, 2);
    *badge_seen = m.mr[1];
    return m.mr[0];
}

static void client2(void *arg)
{
    ng_word_t b;
    for (int i = 0; i < 200; i++) {
        CHECK_EQ(call_add(3, 10, &b), 33);
        CHECK_EQ(b, 2);
    }
    *(int *)arg = 1;
}

int main(void)
{
    ng_host_object_t *ep = ng_host_object_new(NG_HOST_OBJ_ENDPOINT);
    ng_host_cspace_t *srv = ng_host_cspace_new(4), *c1 = ng_host_cspace_new(4),
                     *c2 = ng_host_cspace_new(4);
    CHECK(ep && srv && c1 && c2);
    CHECK_EQ(ng_host_cap_mint(srv, SLOT_EP, ep, 0, NG_HOST_RIGHT_READ), NG_OK);
    CHECK_EQ(ng_host_cap_mint(c1, SLOT_EP, ep, 1, CLIENT_RIGHTS), NG_OK);
    CHECK_EQ(ng_host_cap_mint(c2, SLOT_EP, ep, 2, CLIENT_RIGHTS), NG_OK);
    CHECK_EQ(ng_host_cap_mint(c2, SLOT_EP, ep, 3, CLIENT_RIGHTS), NG_EBADMSG); /* occupied */
    CHECK_EQ(ng_host_cap_mint(c2, 0, ep, 3, CLIENT_RIGHTS), NG_EBADMSG);       /* null slot */
    CHECK_EQ(ng_host_cap_mint(c2, 16, ep, 3, CLIENT_RIGHTS), NG_EBADMSG);      /* beyond */

    CHECK(ng_host_thread_adopt("client1", c1));
    ng_host_thread_t *st = ng_host_thread_start("adder", srv, server, NULL);
    int done2 = 0;
    ng_host_thread_t *ct = ng_host_thread_start("client2", c2, client2, &done2);
    CHECK(st && ct);

    ng_word_t b;
    for (int i = 0; i < 200; i++) {
        CHECK_EQ(call_add(NG_MSG_MAX_WORDS, 1, &b), NG_MSG_MAX_WORDS * (NG_MSG_MAX_WORDS + 1) / 2);
        CHECK_EQ(b, 1);
    }
    CHECK_EQ(ng_host_thread_join(ct), 0);
    CHECK_EQ(done2, 1);

    /* A label the server does not know: the reply's label is the error. */
    ng_msg_t m;
    ng_msg_start(&m, 0x1234);
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_OK);
    CHECK_EQ(m.label, NG_ENOSYS);

    /* Oneway: returns once the server has taken it; the next call sees its effect. */
    ng_msg_start(&m, LABEL_NOTE);
    m.mr[0] = 40;
    m.len = 1;
    CHECK_EQ(ng_send(SLOT_EP, &m), NG_OK);
    CHECK_EQ(call_add(1, 0, &b), 0);
    CHECK_EQ(last_note, 41);

    /* The server returns while our call waits for its reply. */
    ng_msg_start(&m, LABEL_QUIT);
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_EIPC);
    CHECK_EQ(ng_host_thread_join(st), 0);
    ng_msg_start(&m, LABEL_ADD);
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_EIPC); /* its endpoint is dead */

    /* ng_cap_mint_send: a badged copy without Read (a holder can call, never receive). */
    const unsigned all = NG_HOST_RIGHT_READ | NG_HOST_RIGHT_WRITE | NG_HOST_RIGHT_GRANT | NG_HOST_RIGHT_GRANT_REPLY;
    ng_host_object_t *ntfn = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION), *obj = NULL;
    CHECK_EQ(ng_host_cap_mint(c1, 9, ep, 0, all), NG_OK);
    CHECK_EQ(ng_host_cap_mint(c1, 12, ntfn, 0, all), NG_OK);
    CHECK_EQ(ng_cap_mint_send(9, 10, 0x77), NG_OK);
    ng_badge_t badge = 0;
    unsigned rights = 0;
    CHECK(ng_host_cap_query(c1, 10, &obj, &badge, &rights) && obj == ep && badge == 0x77);
    CHECK_EQ(rights, all & ~(unsigned)NG_HOST_RIGHT_READ);
    CHECK_EQ(ng_cap_mint_send(SLOT_EP, 11, 5), NG_EIPC); /* already badged */
    CHECK_EQ(ng_cap_mint_send(12, 11, 5), NG_EIPC);      /* not an endpoint */
    CHECK_EQ(ng_cap_mint_send(9, 10, 5), NG_EIPC);       /* occupied */
    CHECK_EQ(ng_cap_mint(9, 11, 5), NG_OK);              /* ng_cap_mint keeps every right */
    CHECK(ng_host_cap_query(c1, 11, NULL, NULL, &rights) && rights == all);
    puts("PASS call_badge");
    return 0;
}
