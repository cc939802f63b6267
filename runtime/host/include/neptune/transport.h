/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host test-bench transport behind <neptune/ipc.h>: the same API as on seL4, implemented by
 * libneptune_host (runtime/host/src) over pthreads and kernel-object emulations. Build a system
 * with <neptune/host.h>.
 *
 * Semantics follow the non-MCS seL4 kernel: send blocks until received, call until the reply,
 * badges name senders, one receive slot per thread (at most one cap lands per message; a badged
 * cap to the endpoint the message travels on is unwrapped: caps[i] = 0), caps travel only through
 * a cap with Grant (replies: if the server's receive cap has Grant), a server answers its current
 * caller or saves the reply cap into a reply slot. Differences from seL4 are listed in
 * runtime/host/README.md.
 */
#pragma once

#include <neptune/msg.h>
#include <neptune/host.h>

typedef struct ng_server {
    ng_cptr_t ep;
    ng_cptr_t recv_slot;
    const ng_cptr_t *reply_slots;
    unsigned nreply;     /* at most 64 */
    uint64_t reply_used; /* bit i: reply_slots[i] holds a saved reply cap */
    int recv_full;       /* a received cap still sits in recv_slot */
    ng_msg_t fast;       /* the request the *_fast calls received, for ng_msg_from_fast */
} ng_server_t;

typedef struct ng_reply {
    ng_cptr_t slot;
    unsigned index;
} ng_reply_t;

void ng_msg_start(ng_msg_t *m, ng_word_t label);
static inline void ng_msg_set_shm(ng_msg_t *m, uint8_t *base, size_t size)
{
    m->shm = base;
    m->shm_size = size;
}
void ng_recv_path_set(ng_cptr_t recv_slot);
int ng_call(ng_cptr_t ep, ng_msg_t *m);
int ng_send(ng_cptr_t ep, ng_msg_t *m);
void ng_signal(ng_cptr_t ntfn);
ng_word_t ng_wait(ng_cptr_t ntfn);
int ng_cap_delete(ng_cptr_t slot);
int ng_cap_mint(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge);
int ng_cap_mint_send(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge);
/* No derivation tree on the host: nothing to revoke (see <neptune/ipc.h>). */
static inline int ng_cap_revoke(ng_cptr_t slot)
{
    (void)slot;
    return NG_OK;
}
int ng_cap_kind(ng_cptr_t slot);

void ng_server_init(ng_server_t *s, ng_cptr_t ep, ng_cptr_t recv_slot,
                    const ng_cptr_t *reply_slots, unsigned nreply);
void ng_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge);
void ng_reply_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge);
void ng_recv_done(ng_server_t *s, ng_msg_t *m);
int ng_cap_move(ng_server_t *s, ng_cptr_t from, ng_cptr_t to);
int ng_reply_save(ng_server_t *s, ng_reply_t *out);
int ng_reply_send(ng_server_t *s, ng_reply_t r, ng_msg_t *m);

/* Register fast path (<neptune/ipc.h>): tag = label << 12 | ncaps << 7 | len. */
#define NG_FAST_TAG(label, len) (((ng_word_t)(label) << 12) | (ng_word_t)(len))
ng_word_t ng_recv_fast(ng_server_t *s, ng_word_t w[4], ng_badge_t *badge);
ng_word_t ng_reply_recv_fast(ng_server_t *s, ng_word_t reply_tag, ng_word_t w[4], ng_badge_t *badge);
ng_word_t ng_reply_msg_recv_fast(ng_server_t *s, ng_msg_t *m, ng_word_t w[4], ng_badge_t *badge);
void ng_msg_from_fast(ng_server_t *s, ng_msg_t *m, ng_word_t tag, const ng_word_t w[4]);
