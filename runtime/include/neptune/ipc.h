/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC API generated stubs and dispatchers call. One declaration for every target; the
 * implementation comes from <neptune/transport.h>, which the include path selects:
 *   runtime/sel4/include/neptune/transport.h  seL4 (seL4_Call, seL4_ReplyRecv, …)
 *   runtime/host/include/neptune/transport.h  the host test bench (threads, handles)
 *
 * A target's transport.h must define ng_server_t and ng_reply_t and provide these, usually
 * static inline:
 *
 * Client side
 *   void ng_msg_start(ng_msg_t *m, ng_word_t label);
 *       Prepare an outgoing message on this thread: mr = the thread's message words,
 *       len = ncaps = 0, shm = NULL.
 *   int ng_call(ng_cptr_t ep, ng_msg_t *m);
 *       Send m on endpoint `ep` with its caps and wait for the reply, which replaces m
 *       (label = error code, len, ncaps, caps = slots where received caps landed).
 *       Returns NG_OK; NG_EBADMSG if m does not fit a message (ng_msg_fits: nothing sent);
 *       NG_EIPC if `ep` holds no endpoint cap with Write (m then holds no reply). A cptr
 *       beyond the thread's CSpace, as `ep` or as a cap to transfer, is a cap fault of the
 *       caller (reported by the root server). docs/transport.md has every case.
 *   int ng_send(ng_cptr_t ep, ng_msg_t *m);
 *       Send without waiting for a reply (oneway). Blocks until received, as seL4_Send does.
 *       Returns NG_EBADMSG if m does not fit a message (nothing sent), else NG_OK: a send
 *       through an empty slot or a cap of another kind is dropped without an error, as seL4
 *       drops it. A cptr beyond the CSpace is a cap fault, as for ng_call.
 *   void ng_signal(ng_cptr_t ntfn);
 *   ng_word_t ng_wait(ng_cptr_t ntfn);   returns the badge bits that were signalled
 *   void ng_recv_path_set(ng_cptr_t recv_slot);
 *       Where a cap sent to this thread lands (caps in replies to ng_call; ng_server_init sets it
 *       to the server's receive slot). 0: caps sent to this thread are dropped. One slot per
 *       thread, and a cap lands only in an empty slot: move a received cap out (ng_cap_move) or
 *       delete it before the next IPC that may bring one. At most one cap lands per message; a
 *       badged cap to the very endpoint the message travels on is unwrapped (caps[i] = 0).
 *   int ng_cap_delete(ng_cptr_t slot);
 *       Empty a slot of this thread's CSpace (e.g. a cap received in a reply, once used).
 *   int ng_cap_mint(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge);
 *       Put a badged copy (same rights) of the unbadged endpoint or notification cap in `from`
 *       into the empty slot `to` (seL4_CNode_Mint). How a server names run-time connections:
 *       it mints caps of its own endpoint with badges from <server>_DYNAMIC_BADGE_BASE up.
 *       NG_EIPC if `from` is empty or already badged, or `to` is occupied.
 *   int ng_cap_mint_send(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge);
 *       As ng_cap_mint for an unbadged endpoint cap, but the copy has no Read right: it can call
 *       and send (with Grant and GrantReply) but never receive on the endpoint. What a server
 *       hands to clients it does not know (the POSIX resource managers' public caps).
 *       NG_EIPC also if `from` is not an endpoint.
 *   int ng_cap_revoke(ng_cptr_t slot);
 *       Delete every cap derived from the one in `slot` (the copies a server's clients got of a
 *       cap it minted), keeping that one (seL4_CNode_Revoke). The host test bench keeps no
 *       derivation tree: there it does nothing, and stale copies are told apart by badge.
 *   int ng_cap_kind(ng_cptr_t slot);
 *       What the slot holds: NG_CAP_EMPTY, NG_CAP_ENDPOINT, NG_CAP_NOTIFICATION, NG_CAP_OTHER,
 *       or NG_CAP_UNKNOWN where the target cannot tell without side effects (seL4 release
 *       builds). Generated dispatchers check received caps declared `endpoint` or
 *       `notification` with it (ng_cap_is).
 *
 * Shared buffers
 *   void ng_msg_set_shm(ng_msg_t *m, uint8_t *base, size_t size);
 *       (a plain assignment on every target; clients pass the buffer the layout maps for the
 *       interface they call, servers get it per badge from the generated dispatch.)
 *
 * Server side (ng_server_t holds the endpoint, receive slot and reply slots of one thread)
 *   void ng_server_init(ng_server_t *s, ng_cptr_t ep, ng_cptr_t recv_slot,
 *                       const ng_cptr_t *reply_slots, unsigned nreply);
 *   void ng_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge);
 *       Wait for the next request; received caps land in the receive slot (m->caps[0]).
 *       m->shm is NULL and m->shm_size 0 after it (and after ng_reply_recv).
 *   void ng_reply_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge);
 *       Reply with m to the current caller, then wait for the next request into m.
 *   void ng_recv_done(ng_server_t *s, ng_msg_t *m);
 *       After dispatch: frees the receive slot if the handler left a received cap there.
 *   int ng_cap_move(ng_server_t *s, ng_cptr_t from, ng_cptr_t to);
 *       Keep a received cap: move it out of the receive slot into a slot of the server's own.
 *       s may be NULL (a client keeping a cap from a reply). NG_EIPC if `from` is empty or `to`
 *       is occupied.
 *   int ng_reply_save(ng_server_t *s, ng_reply_t *out);
 *       Keep the current caller waiting: save its reply capability (a reply slot). Returns
 *       NG_ENOMEM when every reply slot is in use.
 *   int ng_reply_send(ng_server_t *s, ng_reply_t r, ng_msg_t *m);
 *       Answer a saved reply with m (built with ng_msg_start) and free its slot.
 *
 * Register fast path (server side; what a generated serve loop uses when the server has a method
 * whose request and reply are a few scalar words). A message travels as a tag plus its first
 * four words, which on seL4 AArch64 stay in registers from trap to trap:
 *   NG_FAST_TAG(label, len)
 *       The tag of a message of len <= 4 words and no caps: a constant expression (switch
 *       cases). seL4: the seL4_MessageInfo word, label << 12 | len. Host and stub: the same
 *       encoding, with the cap count in bits 7..8, so a message that carries caps (or a label
 *       the encoding cannot hold) never equals any NG_FAST_TAG.
 *   ng_word_t ng_recv_fast(ng_server_t *s, ng_word_t w[4], ng_badge_t *badge);
 *       Wait for the next request; return its tag, its first four words in w (words at or
 *       beyond its length are unspecified) and the caller's badge in *badge. After a signal on
 *       a bound notification only *badge is meaningful.
 *   ng_word_t ng_reply_recv_fast(ng_server_t *s, ng_word_t reply_tag, ng_word_t w[4],
 *                                ng_badge_t *badge);
 *       Reply with tag reply_tag (built with NG_FAST_TAG: label = error code, len <= 4, no
 *       caps) and words w to the current caller, then wait as ng_recv_fast.
 *   ng_word_t ng_reply_msg_recv_fast(ng_server_t *s, ng_msg_t *m, ng_word_t w[4],
 *                                    ng_badge_t *badge);
 *       Reply with a general message m (its words in m->mr, caps, as ng_reply_recv sends it),
 *       then wait as ng_recv_fast.
 *   void ng_msg_from_fast(ng_server_t *s, ng_msg_t *m, ng_word_t tag, const ng_word_t w[4]);
 *       Turn the request just received by one of the *_fast calls into an ordinary message, as
 *       ng_recv would have left it (label, len, the words in m->mr, caps in the receive slot,
 *       shm NULL). Call it before any other IPC of this thread, at most once per request.
 *   A handler called from the fast path sees call->msg == NULL (there is no message: its
 *   arguments are decoded from the words, its results encoded into them).
 */
#pragma once

#include <neptune/msg.h>
#include <neptune/transport.h>

/* Whether a received cap may be used as a `kind` (NG_CAP_ENDPOINT, NG_CAP_NOTIFICATION): it is
 * one, or the target cannot tell (NG_CAP_UNKNOWN: then it is taken as declared). */
static inline int ng_cap_is(ng_cptr_t slot, int kind)
{
    int k = ng_cap_kind(slot);
    return k == kind || k == NG_CAP_UNKNOWN;
}
