/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The register fast path of the host transport: a server loop over ng_recv_fast,
 * ng_reply_recv_fast, ng_reply_msg_recv_fast and ng_msg_from_fast. A two-word call matches its
 * NG_FAST_TAG and is answered from the words (a result, then an error code); anything else -- more
 * words, a cap, another label -- never equals a fast tag and is turned into an
 * ordinary message (label, length, every word, the cap in the receive slot) and answered with a
 * general message that carries a cap back. A oneway is taken on the fast path without a reply.
 */
#include "host_test.h"

enum { SLOT_EP = 8, SLOT_NTFN, SLOT_RECV, SLOT_GIFT };
enum { L_ADD = 0x101, L_FAIL = 0x102, L_NOTE = 0x103, L_GIVE = 0x104 };

static ng_host_cspace_t *srv_cs;
static ng_word_t note_seen;

static void server(void *arg)
{
    (void)arg;
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_word_t w[4];
    ng_server_init(&s, SLOT_EP, SLOT_RECV, NULL, 0);
    ng_word_t tag = ng_recv_fast(&s, w, &badge);
    for (;;) {
        switch (tag) {
        case NG_FAST_TAG(L_ADD, 2):
            w[0] = w[0] + w[1] + badge;
            tag = ng_reply_recv_fast(&s, NG_FAST_TAG(NG_OK, 1), w, &badge);
            continue;
        case NG_FAST_TAG(L_FAIL, 0):
            tag = ng_reply_recv_fast(&s, NG_FAST_TAG(NG_EDENIED, 0), w, &badge);
            continue;
        case NG_FAST_TAG(L_ADD, 4):
            /* four words each way */
            w[0] += 1;
            w[1] += 2;
            w[2] += 3;
            w[3] += 4;
            tag = ng_reply_recv_fast(&s, NG_FAST_TAG(NG_OK, 4), w, &badge);
            continue;
        case NG_FAST_TAG(L_NOTE, 1):
            note_seen = w[0];
            tag = ng_recv_fast(&s, w, &badge);
            continue;
        default:
            break;
        }
        /* The generic path: as ng_recv would have left it. */
        ng_msg_from_fast(&s, &m, tag, w);
        CHECK(m.shm == NULL && m.shm_size == 0);
        ng_word_t sum = 0;
        for (unsigned i = 0; i < m.len; i++) {
            sum += m.mr[i];
        }
        ng_word_t label = m.label, len = m.len, ncaps = m.ncaps, cap0 = m.ncaps ? m.caps[0] : 99;
        ng_word_t landed = ng_host_cap_query(srv_cs, SLOT_RECV, NULL, NULL, NULL);
        ng_recv_done(&s, &m);
        CHECK(!ng_host_cap_query(srv_cs, SLOT_RECV, NULL, NULL, NULL));
        m.label = NG_OK;
        m.mr[0] = label;
        m.mr[1] = len;
        m.mr[2] = ncaps;
        m.mr[3] = cap0;
        m.mr[4] = sum;
        m.mr[5] = landed;
        m.len = 6;
        m.ncaps = 0;
        if (label == L_GIVE) {
            m.caps[0] = SLOT_GIFT;
            m.ncaps = 1;
        }
        tag = ng_reply_msg_recv_fast(&s, &m, w, &badge);
    }
}

static ng_msg_t m;

static void call(ng_word_t label, unsigned n, ng_cptr_t cap)
{
    ng_msg_start(&m, label);
    for (unsigned i = 0; i < n; i++) {
        m.mr[i] = 10 * (i + 1);
    }
    m.len = n;
    if (cap) {
        m.caps[0] = cap;
        m.ncaps = 1;
    }
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_OK);
}

/* What the generic path saw, from its reply. */
static void check_generic(ng_word_t label, unsigned n, unsigned ncaps, ng_word_t landed)
{
    CHECK_EQ(m.label, NG_OK);
    CHECK_EQ(m.len, 6);
    CHECK_EQ(m.mr[0], label);
    CHECK_EQ(m.mr[1], n);
    CHECK_EQ(m.mr[2], ncaps);
    CHECK_EQ(m.mr[3], ncaps ? SLOT_RECV : 99);
    CHECK_EQ(m.mr[4], 10 * n * (n + 1) / 2);
    CHECK_EQ(m.mr[5], landed);
}

int main(void)
{
    ng_host_object_t *ep = ng_host_object_new(NG_HOST_OBJ_ENDPOINT);
    ng_host_object_t *ntfn = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    ng_host_cspace_t *c = ng_host_cspace_new(5);
    srv_cs = ng_host_cspace_new(5);
    CHECK_EQ(ng_host_cap_mint(srv_cs, SLOT_EP, ep, 0, NG_HOST_RIGHT_READ | NG_HOST_RIGHT_GRANT), 0);
    CHECK_EQ(ng_host_cap_mint(srv_cs, SLOT_GIFT, ntfn, 0x5, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(c, SLOT_EP, ep, 7, NG_HOST_RIGHTS_ALL & ~NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(c, SLOT_NTFN, ntfn, 0x40, NG_HOST_RIGHT_WRITE), 0);
    CHECK(ng_host_thread_adopt("client", c));
    CHECK(ng_host_thread_start("server", srv_cs, server, NULL));
    ng_recv_path_set(SLOT_RECV);

    /* fast: words in, words out, the badge seen */
    call(L_ADD, 2, 0);
    CHECK_EQ(m.label, NG_OK);
    CHECK_EQ(m.len, 1);
    CHECK_EQ(m.ncaps, 0);
    CHECK_EQ(m.mr[0], 10 + 20 + 7);
    call(L_ADD, 4, 0);
    CHECK_EQ(m.len, 4);
    CHECK_EQ(m.mr[0], 11);
    CHECK_EQ(m.mr[1], 22);
    CHECK_EQ(m.mr[2], 33);
    CHECK_EQ(m.mr[3], 44);
    /* fast: an error code, no words */
    call(L_FAIL, 0, 0);
    CHECK_EQ(m.label, NG_EDENIED);
    CHECK_EQ(m.len, 0);

    /* generic: another length, more than four words, a cap, a label the tag cannot hold */
    call(L_ADD, 3, 0);
    check_generic(L_ADD, 3, 0, 0);
    call(L_ADD, 9, 0);
    check_generic(L_ADD, 9, 0, 0);
    call(L_ADD, 2, SLOT_NTFN);
    check_generic(L_ADD, 2, 1, 1);
    /* the widest label a message carries, and one bit more: refused before it is sent */
    call(NG_MSG_MAX_LABEL & ~(ng_word_t)0xfff, 2, 0);
    check_generic(NG_MSG_MAX_LABEL & ~(ng_word_t)0xfff, 2, 0, 0);
    ng_msg_start(&m, ((ng_word_t)1 << 52) | L_ADD);
    m.len = 2;
    CHECK_EQ(ng_call(SLOT_EP, &m), NG_EBADMSG);
    /* generic reply with a cap: it lands in the client's receive slot */
    call(L_GIVE, 1, 0);
    check_generic(L_GIVE, 1, 0, 0);
    CHECK_EQ(m.ncaps, 1);
    CHECK_EQ(m.caps[0], SLOT_RECV);
    ng_host_object_t *o;
    ng_badge_t b;
    CHECK(ng_host_cap_query(c, SLOT_RECV, &o, &b, NULL));
    CHECK(o == ntfn);
    CHECK_EQ(b, 0x5);
    CHECK_EQ(ng_cap_delete(SLOT_RECV), NG_OK);

    /* a oneway on the fast path: no reply; the next call still works */
    ng_msg_start(&m, L_NOTE);
    m.mr[0] = 1234;
    m.len = 1;
    CHECK_EQ(ng_send(SLOT_EP, &m), NG_OK);
    call(L_ADD, 2, 0);
    CHECK_EQ(m.mr[0], 37);
    CHECK_EQ(note_seen, 1234);

    puts("PASS fast");
    return 0;
}
