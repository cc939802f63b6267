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
 *       Returns NG_OK, or NG_EIPC if the transport failed (m then holds no reply).
 *   int ng_send(ng_cptr_t ep, ng_msg_t *m);
 *       Send without waiting for a reply (oneway). Blocks until received, as seL4_Send does.
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
 */
#pragma once

#include <neptune/msg.h>
#include <neptune/transport.h>
