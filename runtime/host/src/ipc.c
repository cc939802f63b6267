/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Endpoint IPC of the host kernel: send, call, receive and reply with seL4's rules. A message is
 * copied from the sender's buffer into the receiver's; caps are looked up in the sender's CSpace
 * and copied into the receiver's receive slot (one per message), only through a cap with Grant;
 * a badged cap to the endpoint the message travels on is unwrapped (its badge travels, caps[i] =
 * 0). Each call gives the receiver a reply object; answering it wakes the caller.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy t's outgoing message out of user memory (before taking the lock). A message that does
 * not fit (ng_msg_fits) never gets here: requests are refused, replies turned into errors. */
static void take_outgoing(ng_host_thread_t *t, const ng_msg_t *m, ng_word_t label)
{
    unsigned len = m->len;
    unsigned ncaps = m->ncaps;
    if (m->mr && m->mr != t->buf && len > 0) {
        memmove(t->buf, m->mr, len * sizeof t->buf[0]);
    }
    t->s_label = label;
    t->s_len = len;
    t->s_ncaps = ncaps;
    for (unsigned i = 0; i < ncaps; i++) {
        t->s_caps[i] = m->caps[i];
    }
}

/* Hand t's incoming message to the caller's ng_msg_t (after dropping the lock). */
static void give_incoming(ng_host_thread_t *t, ng_msg_t *m)
{
    m->label = t->r_label;
    m->len = t->r_len;
    m->ncaps = t->r_ncaps;
    for (unsigned i = 0; i < t->r_ncaps; i++) {
        m->caps[i] = t->r_caps[i];
        m->cap_badges[i] = t->r_cap_badges[i];
    }
    m->mr = t->buf;
    m->shm = NULL;
    m->shm_size = 0;
}

/* seL4's transferCaps: lock held. ep is the endpoint the message travels on (NULL for replies).
 * Every cptr is inside the sender's CSpace (one beyond it faulted the sender before). */
static void transfer_caps(ng_host_thread_t *from, ng_host_thread_t *to, ng_host_object_t *ep)
{
    ng_host_slot_t *dest = ng_host_lookup(to, to->recv_slot);
    if (dest && dest->obj) {
        dest = NULL; /* the receive slot is occupied: nothing lands */
    }
    unsigned i;
    for (i = 0; i < from->s_ncaps; i++) {
        ng_host_slot_t *s = ng_host_lookup(from, from->s_caps[i]);
        if (!s || !s->obj || s->obj->type == NG_HOST_OBJ_REPLY) {
            break; /* empty slot or a cap that cannot be copied */
        }
        to->r_cap_badges[i] = 0;
        if (ep && s->obj == ep && s->badge != 0) {
            /* seL4 unwraps only a badged cap: its badge travels instead of the cap */
            to->r_caps[i] = 0;
            to->r_cap_badges[i] = s->badge;
            continue;
        }
        if (!dest) {
            break;
        }
        *dest = *s;
        to->r_caps[i] = to->recv_slot;
        to->r_cap_landed = 1;
        dest = NULL;
    }
    to->r_ncaps = i;
}

static void transfer(ng_host_thread_t *from, ng_host_thread_t *to, ng_badge_t badge, int grant,
                     ng_host_object_t *ep)
{
    memcpy(to->buf, from->buf, from->s_len * sizeof to->buf[0]);
    to->r_label = from->s_label;
    to->r_len = from->s_len;
    to->r_badge = badge;
    to->r_ncaps = 0;
    to->r_cap_landed = 0;
    if (grant && from->s_ncaps > 0) {
        transfer_caps(from, to, ep);
    }
}

void ng_host_deliver_signal(ng_host_thread_t *t, ng_word_t word)
{
    t->r_label = 0;
    t->r_len = 0;
    t->r_ncaps = 0;
    t->r_cap_landed = 0;
    t->r_badge = word;
    if (t->state == NG_HOST_BLOCKED_RECV) {
        ng_host_queue_remove(&t->blocked_ep->receivers, t);
        t->blocked_ep = NULL;
        ng_host_wake(t, NG_OK);
    }
}

/* A sender meets a receiver on ep: lock held, receiver already dequeued. */
static void rendezvous(ng_host_thread_t *snd, ng_host_thread_t *rcv, ng_host_object_t *ep)
{
    transfer(snd, rcv, snd->s_badge, snd->s_grant, ep);
    if (snd->s_call) {
        ng_host_object_t *reply = calloc(1, sizeof *reply);
        if (!reply) {
            abort();
        }
        reply->type = NG_HOST_OBJ_REPLY;
        reply->caller = snd;
        reply->can_grant = rcv->recv_grant;
        rcv->caller = reply;
        snd->state = NG_HOST_BLOCKED_REPLY;
    } else if (snd->state != NG_HOST_RUNNING) {
        ng_host_wake(snd, NG_OK);
    }
    ng_host_wake(rcv, NG_OK);
}

/* seL4's checks before an invocation, outside the lock: a cptr beyond the CSpace, as the
 * endpoint or as a cap to transfer, is a cap fault of the sender (lookupCapAndSlot,
 * lookupExtraCaps); a message that does not fit is refused before it is sent. */
static int check_outgoing(ng_host_thread_t *t, ng_cptr_t ep, const ng_msg_t *m, const char *what,
                          uintptr_t pc)
{
    if (!ng_host_cptr_exists(t, ep)) {
        ng_host_thread_fault(t, what, ep, pc);
    }
    if (!ng_msg_fits(m)) {
        return NG_EBADMSG;
    }
    for (unsigned i = 0; i < m->ncaps; i++) {
        if (!ng_host_cptr_exists(t, m->caps[i])) {
            ng_host_thread_fault(t, what, m->caps[i], pc);
        }
    }
    return NG_OK;
}

/* Send or call on the endpoint cap ep; lock held. Returns the status to give the user. */
static int send_locked(ng_host_thread_t *t, ng_cptr_t cptr, int call)
{
    ng_host_slot_t *s = ng_host_lookup(t, cptr);
    if (s && s->obj && s->obj->type == NG_HOST_OBJ_NOTIFICATION &&
        (s->rights & NG_HOST_RIGHT_WRITE)) {
        /* seL4 invokes a notification cap as a signal, whatever the message (a call then gets
         * the kernel's empty reply: NG_EIPC). */
        ng_host_signal_locked(s->obj, s->badge);
        return call ? NG_EIPC : NG_OK;
    }
    if (!s || !s->obj || s->obj->type != NG_HOST_OBJ_ENDPOINT ||
        !(s->rights & NG_HOST_RIGHT_WRITE)) {
        /* seL4 answers a call with an error; a send's error is dropped. */
        return call ? NG_EIPC : NG_OK;
    }
    if (call && !(s->rights & (NG_HOST_RIGHT_GRANT | NG_HOST_RIGHT_GRANT_REPLY))) {
        fprintf(stderr,
                "neptune host: %s calls through cap %lu without Grant or GrantReply: "
                "on seL4 it would block for good\n",
                t->name, (unsigned long)cptr);
        return NG_EIPC;
    }
    ng_host_object_t *ep = s->obj;
    if (ep->dead) {
        return NG_EIPC;
    }
    t->s_badge = s->badge;
    t->s_grant = (s->rights & NG_HOST_RIGHT_GRANT) != 0;
    t->s_call = call;
    ng_host_thread_t *rcv = ng_host_queue_pop(&ep->receivers);
    if (rcv) {
        t->state = NG_HOST_RUNNING;
        rendezvous(t, rcv, ep);
    } else {
        t->state = NG_HOST_BLOCKED_SEND;
        ng_host_queue_push(&ep->senders, t);
    }
    if (t->state != NG_HOST_RUNNING) {
        ng_host_block(t);
        return t->r_status;
    }
    return NG_OK;
}

int ng_call(ng_cptr_t ep, ng_msg_t *m)
{
    ng_host_thread_t *t = ng_host_current("ng_call");
    if (check_outgoing(t, ep, m, "call", (uintptr_t)__builtin_return_address(0)) != NG_OK) {
        m->len = 0;
        m->ncaps = 0;
        return NG_EBADMSG;
    }
    take_outgoing(t, m, m->label);
    ng_host_kernel_enter(t);
    int err = send_locked(t, ep, 1);
    ng_host_kernel_exit(t);
    if (err != NG_OK) {
        m->len = 0;
        m->ncaps = 0;
        return err;
    }
    give_incoming(t, m);
    return NG_OK;
}

int ng_send(ng_cptr_t ep, ng_msg_t *m)
{
    ng_host_thread_t *t = ng_host_current("ng_send");
    if (check_outgoing(t, ep, m, "send", (uintptr_t)__builtin_return_address(0)) != NG_OK) {
        return NG_EBADMSG;
    }
    take_outgoing(t, m, m->label);
    ng_host_kernel_enter(t);
    int err = send_locked(t, ep, 0);
    ng_host_kernel_exit(t);
    return err;
}

/* Answer t's current caller (if any) with t's outgoing message; lock held. */
static void reply_locked(ng_host_thread_t *t, ng_host_object_t *reply)
{
    ng_host_thread_t *c = reply->caller;
    if (c && c->state == NG_HOST_BLOCKED_REPLY) {
        transfer(t, c, 0, reply->can_grant, NULL);
        ng_host_wake(c, NG_OK);
    }
    free(reply);
}

/* Wait on the endpoint cap cptr; lock held. Returns 0, or -1 if the cap is invalid. */
static int recv_locked(ng_host_thread_t *t, ng_cptr_t cptr)
{
    ng_host_slot_t *s = ng_host_lookup(t, cptr);
    if (!s || !s->obj || s->obj->type != NG_HOST_OBJ_ENDPOINT ||
        !(s->rights & NG_HOST_RIGHT_READ)) {
        return -1;
    }
    if (t->caller) {
        /* seL4 deletes an unanswered reply cap here; its caller would wait for good. */
        ng_host_reply_fail(t->caller, "its server received again without answering");
        t->caller = NULL;
    }
    ng_host_object_t *ep = s->obj;
    if (!ep->owner) {
        ep->owner = t;
    }
    t->recv_grant = (s->rights & NG_HOST_RIGHT_GRANT) != 0;
    ng_host_object_t *n = t->bound_ntfn;
    if (n && n->active) {
        /* As seL4: a pending bound notification comes before any sender. */
        ng_host_deliver_signal(t, n->word);
        n->word = 0;
        n->active = 0;
        return 0;
    }
    ng_host_thread_t *snd = ng_host_queue_pop(&ep->senders);
    if (snd) {
        rendezvous(snd, t, ep);
    } else {
        t->state = NG_HOST_BLOCKED_RECV;
        t->blocked_ep = ep;
        ng_host_queue_push(&ep->receivers, t);
        ng_host_block(t);
    }
    return 0;
}

/* Reply with `out` (NULL: only receive), then wait for the next request into `in`. */
static void recv_common(ng_server_t *s, const ng_msg_t *out, ng_msg_t *in, ng_badge_t *badge,
                        const char *what, uintptr_t pc)
{
    ng_host_thread_t *t = ng_host_current(what);
    if (out && !ng_msg_fits(out)) {
        ng_msg_t err = { .label = NG_EINTERNAL, .mr = t->buf };
        take_outgoing(t, &err, err.label);
    } else if (out) {
        take_outgoing(t, out, out->label);
    }
    ng_host_kernel_enter(t);
    if (out && t->caller) {
        reply_locked(t, t->caller);
        t->caller = NULL;
    }
    int err = recv_locked(t, s->ep);
    ng_host_kernel_exit(t);
    if (err) {
        ng_host_thread_fault(t, "receive", s->ep, pc);
    }
    give_incoming(t, in);
    *badge = t->r_badge;
    s->recv_full |= t->r_cap_landed;
}

void ng_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge)
{
    recv_common(s, NULL, m, badge, "ng_recv", (uintptr_t)__builtin_return_address(0));
}

void ng_reply_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge)
{
    recv_common(s, m, m, badge, "ng_reply_recv", (uintptr_t)__builtin_return_address(0));
}

/* --- register fast path: the request lands in s->fast, its first words are copied to w ------- */

/* label << 12 | ncaps << 7 | len, as NG_FAST_TAG; what the encoding cannot hold (a label of more
 * than 52 bits) sets bits 9..11, so such a message never equals a fast tag. */
static ng_word_t fast_tag(const ng_msg_t *m)
{
    ng_word_t tag = ((ng_word_t)m->label << 12) | ((ng_word_t)m->ncaps << 7) | m->len;
    if ((m->label >> 52) != 0) {
        tag |= (ng_word_t)7 << 9;
    }
    return tag;
}

static ng_word_t fast_in(ng_server_t *s, const ng_msg_t *out, ng_word_t w[4], ng_badge_t *badge,
                         const char *what, uintptr_t pc)
{
    recv_common(s, out, &s->fast, badge, what, pc);
    for (unsigned i = 0; i < 4; i++) {
        w[i] = s->fast.mr[i];
    }
    return fast_tag(&s->fast);
}

ng_word_t ng_recv_fast(ng_server_t *s, ng_word_t w[4], ng_badge_t *badge)
{
    return fast_in(s, NULL, w, badge, "ng_recv_fast", (uintptr_t)__builtin_return_address(0));
}

ng_word_t ng_reply_recv_fast(ng_server_t *s, ng_word_t reply_tag, ng_word_t w[4], ng_badge_t *badge)
{
    ng_word_t words[4];
    ng_msg_t out;
    memcpy(words, w, sizeof words);
    memset(&out, 0, sizeof out);
    out.label = reply_tag >> 12;
    out.len = (unsigned)(reply_tag & 0x7f);
    if (out.len > 4) {
        out.len = 4; /* not a fast tag: at most the words w holds */
    }
    out.mr = words;
    return fast_in(s, &out, w, badge, "ng_reply_recv_fast", (uintptr_t)__builtin_return_address(0));
}

ng_word_t ng_reply_msg_recv_fast(ng_server_t *s, ng_msg_t *m, ng_word_t w[4], ng_badge_t *badge)
{
    return fast_in(s, m, w, badge, "ng_reply_msg_recv_fast", (uintptr_t)__builtin_return_address(0));
}

void ng_msg_from_fast(ng_server_t *s, ng_msg_t *m, ng_word_t tag, const ng_word_t w[4])
{
    (void)tag;
    *m = s->fast;
    for (unsigned i = 0; i < 4; i++) {
        m->mr[i] = w[i];
    }
}

int ng_reply_save(ng_server_t *s, ng_reply_t *out)
{
    uint64_t free_slots = ~s->reply_used;
    unsigned i = free_slots ? (unsigned)__builtin_ctzll(free_slots) : 64;
    if (i >= s->nreply) {
        return NG_ENOMEM;
    }
    ng_host_thread_t *t = ng_host_current("ng_reply_save");
    ng_host_kernel_enter(t);
    ng_host_slot_t *slot = ng_host_lookup(t, s->reply_slots[i]);
    int err = NG_OK;
    if (!slot || slot->obj) {
        err = NG_EIPC;
    } else if (t->caller) {
        /* seL4_CNode_SaveCaller with no caller succeeds and leaves the slot empty. */
        slot->obj = t->caller;
        slot->badge = 0;
        slot->rights = 0;
        t->caller = NULL;
    }
    ng_host_kernel_exit(t);
    if (err == NG_OK) {
        s->reply_used |= (uint64_t)1 << i;
        out->slot = s->reply_slots[i];
        out->index = i;
    }
    return err;
}

int ng_reply_send(ng_server_t *s, ng_reply_t r, ng_msg_t *m)
{
    ng_host_thread_t *t = ng_host_current("ng_reply_send");
    if (!ng_msg_fits(m)) {
        ng_msg_set_error(m, NG_EINTERNAL);
    }
    take_outgoing(t, m, m->label);
    ng_host_kernel_enter(t);
    ng_host_slot_t *slot = ng_host_lookup(t, r.slot);
    int err = NG_EIPC;
    if (slot && slot->obj && slot->obj->type == NG_HOST_OBJ_REPLY) {
        reply_locked(t, slot->obj);
        memset(slot, 0, sizeof *slot);
        err = NG_OK;
    }
    ng_host_kernel_exit(t);
    if (r.index < 64) {
        s->reply_used &= ~((uint64_t)1 << r.index);
    }
    return err;
}
