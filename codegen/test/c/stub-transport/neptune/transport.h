/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A stub transport for the generated-code tests: the <neptune/ipc.h> API as trivial static inlines
 * over one in-process message buffer, with hooks a test program sets to script the other side.
 * Compile tests only need it to exist; emit-dispatch's program uses the hooks to feed requests to
 * a generated serve loop and to check each reply. Not a transport: nothing blocks, nothing is sent.
 */
#pragma once

#include <stdlib.h>
#include <string.h>
#include <neptune/msg.h>

typedef struct ng_server ng_server_t;

/* Called by ng_recv/ng_reply_recv: `reply` is the message answered (NULL for a plain receive);
 * the hook fills the next request into m (or ends the program). */
typedef void (*ng_stub_recv_fn)(ng_server_t *s, const ng_msg_t *reply, ng_msg_t *m, ng_badge_t *badge);

struct ng_server {
    ng_cptr_t ep;
    ng_cptr_t recv_slot;
    const ng_cptr_t *reply_slots;
    unsigned nreply;
    unsigned nsaved;     /* replies saved and not yet sent */
    unsigned recv_done;  /* ng_recv_done calls */
    ng_stub_recv_fn recv_hook;
    void *test;          /* the test's state */
    ng_msg_t fast;       /* the request ng_recv_fast & co. received (for ng_msg_from_fast) */
    unsigned fast_replies; /* replies sent by ng_reply_recv_fast (the register fast path) */
};

typedef struct ng_reply {
    unsigned index;
} ng_reply_t;

/* The one "thread" message buffer (the IPC buffer on seL4). */
static ng_word_t ng_stub_words[NG_MSG_MAX_WORDS];
/* Client side: what ng_call does (NULL: fail with NG_EIPC). */
static int (*ng_stub_call_hook)(ng_cptr_t ep, ng_msg_t *m);
/* Deferred replies: what ng_reply_send sent. */
static void (*ng_stub_reply_hook)(ng_server_t *s, ng_reply_t r, const ng_msg_t *m);

static inline void ng_msg_start(ng_msg_t *m, ng_word_t label)
{
    m->label = label;
    m->len = 0;
    m->ncaps = 0;
    m->mr = ng_stub_words;
    m->shm = NULL;
    m->shm_size = 0;
}

static inline void ng_msg_set_shm(ng_msg_t *m, uint8_t *base, size_t size)
{
    m->shm = base;
    m->shm_size = size;
}

static inline int ng_call(ng_cptr_t ep, ng_msg_t *m)
{
    return ng_stub_call_hook ? ng_stub_call_hook(ep, m) : NG_EIPC;
}

static inline int ng_send(ng_cptr_t ep, ng_msg_t *m)
{
    return ng_stub_call_hook ? ng_stub_call_hook(ep, m) : NG_EIPC;
}

/* What ng_cap_kind says (NULL: NG_CAP_UNKNOWN, so every received cap is taken as declared). */
static int (*ng_stub_cap_kind_hook)(ng_cptr_t slot);

static inline int ng_cap_kind(ng_cptr_t slot)
{
    return ng_stub_cap_kind_hook ? ng_stub_cap_kind_hook(slot) : NG_CAP_UNKNOWN;
}

static inline void ng_signal(ng_cptr_t ntfn)
{
    (void)ntfn;
}

static inline ng_word_t ng_wait(ng_cptr_t ntfn)
{
    (void)ntfn;
    return 0;
}

static inline void ng_server_init(ng_server_t *s, ng_cptr_t ep, ng_cptr_t recv_slot,
                                  const ng_cptr_t *reply_slots, unsigned nreply)
{
    s->ep = ep;
    s->recv_slot = recv_slot;
    s->reply_slots = reply_slots;
    s->nreply = nreply;
    s->nsaved = 0;
    s->recv_done = 0;
}

static inline void ng_stub_next(ng_server_t *s, const ng_msg_t *reply, ng_msg_t *m, ng_badge_t *badge)
{
    m->mr = ng_stub_words;
    m->shm = NULL;
    m->shm_size = 0;
    if (s->recv_hook == NULL) {
        exit(0);
    }
    s->recv_hook(s, reply, m, badge);
}

static inline void ng_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge)
{
    ng_stub_next(s, NULL, m, badge);
}

static inline void ng_reply_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge)
{
    ng_msg_t reply = *m;
    ng_stub_next(s, &reply, m, badge);
}

static inline void ng_recv_done(ng_server_t *s, ng_msg_t *m)
{
    (void)m;
    s->recv_done++;
}

static inline int ng_cap_move(ng_server_t *s, ng_cptr_t from, ng_cptr_t to)
{
    (void)s;
    (void)from;
    (void)to;
    return NG_OK;
}

static inline int ng_cap_mint(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge)
{
    (void)from;
    (void)to;
    (void)badge;
    return NG_OK;
}

static inline int ng_cap_mint_send(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge)
{
    return ng_cap_mint(from, to, badge);
}

static inline int ng_cap_revoke(ng_cptr_t slot)
{
    (void)slot;
    return NG_OK;
}

static inline int ng_cap_delete(ng_cptr_t slot)
{
    (void)slot;
    return NG_OK;
}

static inline int ng_reply_save(ng_server_t *s, ng_reply_t *out)
{
    if (s->nsaved >= s->nreply) {
        return NG_ENOMEM;
    }
    out->index = s->nsaved++;
    return NG_OK;
}

static inline int ng_reply_send(ng_server_t *s, ng_reply_t r, ng_msg_t *m)
{
    if (ng_stub_reply_hook) {
        ng_stub_reply_hook(s, r, m);
    }
    s->nsaved--;
    return NG_OK;
}

/* --- register fast path: the same hooks, with the tag encoding of the host transport --------- */

#define NG_FAST_TAG(label, len) (((ng_word_t)(label) << 12) | (ng_word_t)(len))
#define NG_STUB_TAG_LEN(tag) ((unsigned)((tag) & 0x7f))
#define NG_STUB_TAG_NCAPS(tag) ((unsigned)(((tag) >> 7) & 3))

/* The tag of a received message: a cap count, or a length or label the encoding cannot hold,
 * make it differ from every NG_FAST_TAG. */
static inline ng_word_t ng_stub_tag(const ng_msg_t *m)
{
    ng_word_t tag = ((ng_word_t)m->label << 12) | ((ng_word_t)(m->ncaps & 3) << 7) | (m->len & 0x7f);
    if ((m->label >> 52) != 0 || m->len > 0x7f || m->ncaps > 3) {
        tag |= (ng_word_t)7 << 9;
    }
    return tag;
}

static inline ng_word_t ng_stub_fast_in(ng_server_t *s, const ng_msg_t *reply, ng_word_t w[4],
                                        ng_badge_t *badge)
{
    ng_stub_next(s, reply, &s->fast, badge);
    for (unsigned i = 0; i < 4; i++) {
        w[i] = s->fast.mr[i];
    }
    return ng_stub_tag(&s->fast);
}

static inline ng_word_t ng_recv_fast(ng_server_t *s, ng_word_t w[4], ng_badge_t *badge)
{
    return ng_stub_fast_in(s, NULL, w, badge);
}

static inline ng_word_t ng_reply_recv_fast(ng_server_t *s, ng_word_t reply_tag, ng_word_t w[4],
                                           ng_badge_t *badge)
{
    ng_word_t words[4];
    ng_msg_t reply;
    memset(&reply, 0, sizeof(reply));
    for (unsigned i = 0; i < 4; i++) {
        words[i] = w[i];
    }
    reply.label = reply_tag >> 12;
    reply.len = NG_STUB_TAG_LEN(reply_tag);
    reply.ncaps = NG_STUB_TAG_NCAPS(reply_tag);
    reply.mr = words;
    s->fast_replies++;
    return ng_stub_fast_in(s, &reply, w, badge);
}

static inline ng_word_t ng_reply_msg_recv_fast(ng_server_t *s, ng_msg_t *m, ng_word_t w[4],
                                               ng_badge_t *badge)
{
    ng_msg_t reply = *m;
    return ng_stub_fast_in(s, &reply, w, badge);
}

static inline void ng_msg_from_fast(ng_server_t *s, ng_msg_t *m, ng_word_t tag, const ng_word_t w[4])
{
    (void)tag;
    *m = s->fast;
    m->mr = ng_stub_words;
    for (unsigned i = 0; i < 4; i++) {
        m->mr[i] = w[i];
    }
    m->shm = NULL;
    m->shm_size = 0;
}
