/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compile check of the seL4 transport: every function of <neptune/ipc.h> used once, built for
 * AArch64 against libsel4 with -Wall -Wextra -Werror. The ng_/raw_ pairs at the end are the same
 * IPC written through the transport and by hand over libsel4; transport-sel4.test.ts compares
 * their instruction counts.
 */
#include <neptune/ipc.h>

__thread seL4_IPCBuffer *__sel4_ipc_buffer;

static const ng_cptr_t reply_slots[2] = { 20, 21 };

int exercise_client(ng_cptr_t ep, ng_cptr_t ntfn, ng_cptr_t cap)
{
    ng_msg_t m;
    static uint8_t shm[64];

    ng_recv_path_set(12);
    ng_msg_start(&m, 0x123);
    ng_msg_set_shm(&m, shm, sizeof shm);
    m.mr[0] = 7;
    m.len = 1;
    m.caps[0] = cap;
    m.ncaps = 1;
    int err = ng_call(ep, &m);
    if (err != NG_OK) {
        return err;
    }
    if (m.ncaps > 0) {
        (void)ng_cap_delete(m.caps[0]);
    }
    ng_msg_start(&m, 0x124);
    (void)ng_send(ep, &m);
    ng_signal(ntfn);
    return (int)ng_wait(ntfn) + (int)m.label;
}

void exercise_server(ng_cptr_t ep, ng_cptr_t recv, ng_cptr_t keep)
{
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_reply_t saved = { 0 };
    int have_saved = 0;

    ng_server_init(&s, ep, recv, reply_slots, 2);
    ng_recv(&s, &m, &badge);
    for (;;) {
        if (m.ncaps > 0 && m.caps[0] != 0) {
            (void)ng_cap_move(&s, m.caps[0], keep);
        }
        if (badge == 3) { /* a client's cap of our own endpoint, then a send-only one */
            (void)ng_cap_mint(ep, keep + 1, 0x10001);
            (void)ng_cap_mint_send(ep, keep + 2, 0x10002);
        }
        ng_recv_done(&s, &m);
        if (badge == 2 && !have_saved && ng_reply_save(&s, &saved) == NG_OK) {
            have_saved = 1;
            ng_recv(&s, &m, &badge);
            continue;
        }
        if (have_saved) {
            ng_msg_t r;
            ng_msg_start(&r, NG_OK);
            (void)ng_reply_send(&s, saved, &r);
            have_saved = 0;
        }
        m.label = NG_OK;
        m.len = 1;
        m.mr[0] = badge;
        m.ncaps = 0;
        ng_reply_recv(&s, &m, &badge);
    }
}

/* One rpc with two argument words and one result word, no caps. */
ng_word_t ng_call2(ng_cptr_t ep, ng_word_t a, ng_word_t b)
{
    ng_msg_t m;
    ng_msg_start(&m, 0x200);
    m.mr[0] = a;
    m.mr[1] = b;
    m.len = 2;
    if (ng_call(ep, &m) != NG_OK || m.label != NG_OK || m.len != 1) {
        return (ng_word_t)-1;
    }
    return m.mr[0];
}

ng_word_t raw_call2(seL4_CPtr ep, seL4_Word a, seL4_Word b)
{
    seL4_SetMR(0, a);
    seL4_SetMR(1, b);
    seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(0x200, 0, 0, 2));
    if (seL4_MessageInfo_get_label(info) != 0 || seL4_MessageInfo_get_length(info) != 1) {
        return (seL4_Word)-1;
    }
    return seL4_GetMR(0);
}

/* The server side of the same rpc: answer and wait for the next one. */
ng_word_t ng_reply_recv1(ng_server_t *s, ng_msg_t *m, ng_word_t result)
{
    ng_badge_t badge;
    m->label = NG_OK;
    m->mr[0] = result;
    m->len = 1;
    m->ncaps = 0;
    ng_reply_recv(s, m, &badge);
    return badge;
}

/* Any slot: the test only compiles and counts instructions. */
#define RAW_REPLY_OBJECT ((seL4_CPtr)9)

seL4_Word raw_reply_recv1(seL4_CPtr ep, seL4_Word result)
{
    seL4_Word badge;
    seL4_SetMR(0, result);
#ifdef CONFIG_KERNEL_MCS
    /* MCS: the reply object to answer with and to receive the next caller's reply into. */
    (void)seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, RAW_REPLY_OBJECT);
#else
    (void)seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge);
#endif
    return badge;
}
