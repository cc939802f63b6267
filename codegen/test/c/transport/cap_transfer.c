/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cap transfer: a client sends a notification cap in a call; it lands in the server's receive
 * slot, the server keeps it (ng_cap_move) and signals through it. Without Grant on the client's
 * endpoint cap no cap travels. A cap the handler leaves in the receive slot is freed by
 * ng_recv_done. A reply carries a cap back only if the server's receive cap has Grant, and only
 * into an empty receive slot. A badged cap to the endpoint the message travels on is unwrapped
 * (caps[i] = 0, nothing lands). An empty or out-of-range cap in a message transfers nothing.
 */
#include "host_test.h"

enum {
    SLOT_EP = 8,     /* server: its endpoint; client: Grant cap to server A */
    SLOT_EP_NOGRANT, /* client: cap to A without Grant */
    SLOT_EP_B,       /* client: Grant cap to server B */
    SLOT_EP_BADGED,  /* client: another badged cap to A, to send to A itself */
    SLOT_NTFN,       /* client: its own notification (wait) */
    SLOT_NTFN_GIVE,  /* client: badged signal cap it hands out */
    SLOT_RECV,       /* both: receive slot */
    SLOT_KEPT,       /* server: where it keeps a received cap; client: where it keeps a gift */
    SLOT_GIFT,       /* server: a notification cap it hands back in replies */
    SLOT_EMPTY,
};
enum { OP_GIVE = 1, OP_LEAVE, OP_SIGNAL, OP_FETCH };

typedef struct {
    ng_host_cspace_t *cs;
} server_arg_t;

static void server(void *arg)
{
    ng_host_cspace_t *cs = ((server_arg_t *)arg)->cs;
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_server_init(&s, SLOT_EP, SLOT_RECV, NULL, 0);
    ng_recv(&s, &m, &badge);
    for (;;) {
        ng_word_t op = m.mr[0];
        unsigned got = m.ncaps;
        ng_cptr_t where = got ? m.caps[0] : 99;
        int full_before = ng_host_cap_query(cs, SLOT_RECV, NULL, NULL, NULL);
        switch (op) {
        case OP_GIVE:
            if (got == 1 && where == SLOT_RECV) {
                CHECK_EQ(ng_cap_move(&s, SLOT_RECV, SLOT_KEPT), NG_OK);
            }
            break;
        case OP_SIGNAL:
            ng_signal(SLOT_KEPT);
            break;
        default:
            break; /* OP_LEAVE: ng_recv_done frees what arrived */
        }
        ng_recv_done(&s, &m);
        m.label = NG_OK;
        m.mr[0] = got;
        m.mr[1] = where;
        m.mr[2] = full_before;
        m.mr[3] = ng_host_cap_query(cs, SLOT_RECV, NULL, NULL, NULL);
        m.len = 4;
        m.ncaps = 0;
        if (op == OP_FETCH) {
            m.caps[0] = SLOT_GIFT;
            m.ncaps = 1;
        }
        ng_reply_recv(&s, &m, &badge);
    }
}

static ng_msg_t m;

static void call_op(ng_cptr_t ep, ng_word_t op, ng_cptr_t cap)
{
    ng_msg_start(&m, 0x100 + op);
    m.mr[0] = op;
    m.len = 1;
    if (cap) {
        m.caps[0] = cap;
        m.ncaps = 1;
    }
    CHECK_EQ(ng_call(ep, &m), NG_OK);
    CHECK_EQ(m.label, NG_OK);
    CHECK_EQ(m.len, 4);
}

int main(void)
{
    const unsigned all = NG_HOST_RIGHTS_ALL;
    ng_host_object_t *ep_a = ng_host_object_new(NG_HOST_OBJ_ENDPOINT);
    ng_host_object_t *ep_b = ng_host_object_new(NG_HOST_OBJ_ENDPOINT);
    ng_host_object_t *ntfn = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    ng_host_object_t *gift = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    ng_host_cspace_t *a = ng_host_cspace_new(5), *b = ng_host_cspace_new(5),
                     *c = ng_host_cspace_new(5);
    /* A's receive cap has Grant (its replies carry caps); B's does not. */
    CHECK_EQ(ng_host_cap_mint(a, SLOT_EP, ep_a, 0, NG_HOST_RIGHT_READ | NG_HOST_RIGHT_GRANT), 0);
    CHECK_EQ(ng_host_cap_mint(a, SLOT_GIFT, gift, 0x99, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(b, SLOT_EP, ep_b, 0, NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(b, SLOT_GIFT, gift, 0x98, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(c, SLOT_EP, ep_a, 5, all & ~NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(c, SLOT_EP_NOGRANT, ep_a, 6, CLIENT_RIGHTS), 0);
    CHECK_EQ(ng_host_cap_mint(c, SLOT_EP_B, ep_b, 7, all & ~NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(c, SLOT_EP_BADGED, ep_a, 77, NG_HOST_RIGHT_WRITE), 0);
    CHECK_EQ(ng_host_cap_mint(c, SLOT_NTFN, ntfn, 0, NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(c, SLOT_NTFN_GIVE, ntfn, 0x40, NG_HOST_RIGHT_WRITE), 0);

    CHECK(ng_host_thread_adopt("client", c));
    server_arg_t arg_a = { a }, arg_b = { b };
    CHECK(ng_host_thread_start("server_a", a, server, &arg_a));
    CHECK(ng_host_thread_start("server_b", b, server, &arg_b));

    ng_host_object_t *o;
    ng_badge_t badge;
    unsigned rights;

    /* Give a cap; the server keeps it, and can signal us through it. */
    call_op(SLOT_EP, OP_GIVE, SLOT_NTFN_GIVE);
    CHECK_EQ(m.mr[0], 1);
    CHECK_EQ(m.mr[1], SLOT_RECV);
    CHECK_EQ(m.mr[2], 1);
    CHECK_EQ(m.mr[3], 0);
    CHECK(ng_host_cap_query(a, SLOT_KEPT, &o, &badge, &rights));
    CHECK(o == ntfn);
    CHECK_EQ(badge, 0x40);
    CHECK_EQ(rights, NG_HOST_RIGHT_WRITE);
    CHECK(ng_host_cap_query(c, SLOT_NTFN_GIVE, NULL, NULL, NULL)); /* a copy, not a move */
    call_op(SLOT_EP, OP_SIGNAL, 0);
    CHECK_EQ(ng_wait(SLOT_NTFN), 0x40);

    /* No Grant on the client's cap: the message goes, the cap does not. */
    call_op(SLOT_EP_NOGRANT, OP_LEAVE, SLOT_NTFN_GIVE);
    CHECK_EQ(m.mr[0], 0);
    CHECK_EQ(m.mr[2], 0);

    /* A cap left in the receive slot is freed by ng_recv_done. */
    call_op(SLOT_EP, OP_LEAVE, SLOT_NTFN_GIVE);
    CHECK_EQ(m.mr[0], 1);
    CHECK_EQ(m.mr[2], 1);
    CHECK_EQ(m.mr[3], 0);

    /* A badged cap to the endpoint it travels on is unwrapped: nothing lands. */
    call_op(SLOT_EP, OP_LEAVE, SLOT_EP_BADGED);
    CHECK_EQ(m.mr[0], 1);
    CHECK_EQ(m.mr[1], 0);
    CHECK_EQ(m.mr[2], 0);

    /* An empty slot transfers nothing (a cptr beyond the CSpace is a cap fault: no_cap.c). */
    call_op(SLOT_EP, OP_LEAVE, SLOT_EMPTY);
    CHECK_EQ(m.mr[0], 0);

    /* Replies with caps: none lands without a receive path. */
    call_op(SLOT_EP, OP_FETCH, 0);
    CHECK_EQ(m.ncaps, 0);
    ng_recv_path_set(SLOT_RECV);
    call_op(SLOT_EP, OP_FETCH, 0);
    CHECK_EQ(m.ncaps, 1);
    CHECK_EQ(m.caps[0], SLOT_RECV);
    CHECK(ng_host_cap_query(c, SLOT_RECV, &o, &badge, NULL));
    CHECK(o == gift);
    CHECK_EQ(badge, 0x99);
    /* The receive slot is occupied now: the next cap cannot land. */
    call_op(SLOT_EP, OP_FETCH, 0);
    CHECK_EQ(m.ncaps, 0);
    CHECK_EQ(ng_cap_move(NULL, SLOT_RECV, SLOT_KEPT), NG_OK);
    CHECK_EQ(ng_cap_move(NULL, SLOT_RECV, SLOT_KEPT), NG_EIPC); /* source now empty */
    CHECK(!ng_host_cap_query(c, SLOT_RECV, NULL, NULL, NULL));
    CHECK_EQ(ng_cap_delete(SLOT_KEPT), NG_OK);
    CHECK(!ng_host_cap_query(c, SLOT_KEPT, NULL, NULL, NULL));
    /* B's receive cap has no Grant: its reply cannot carry the cap. */
    call_op(SLOT_EP_B, OP_FETCH, 0);
    CHECK_EQ(m.ncaps, 0);
    CHECK(!ng_host_cap_query(c, SLOT_RECV, NULL, NULL, NULL));

    puts("PASS cap_transfer");
    return 0;
}
