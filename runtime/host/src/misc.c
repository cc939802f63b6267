/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The rest of the host transport: message setup, receive paths and server state, cap moves and
 * deletes in the caller's own CSpace, and notifications (signal ORs the cap's badge into the
 * word; wait takes the word, or blocks until a signal comes).
 */
#include "kernel.h"

#include <string.h>

void ng_msg_start(ng_msg_t *m, ng_word_t label)
{
    ng_host_thread_t *t = ng_host_current("ng_msg_start");
    m->label = label;
    m->len = 0;
    m->ncaps = 0;
    m->mr = t->buf;
    m->shm = NULL;
    m->shm_size = 0;
}

void ng_recv_path_set(ng_cptr_t recv_slot)
{
    ng_host_thread_t *t = ng_host_current("ng_recv_path_set");
    ng_host_kernel_enter(t);
    t->recv_slot = recv_slot;
    ng_host_kernel_exit(t);
}

void ng_server_init(ng_server_t *s, ng_cptr_t ep, ng_cptr_t recv_slot,
                    const ng_cptr_t *reply_slots, unsigned nreply)
{
    ng_host_thread_t *t = ng_host_current("ng_server_init");
    s->ep = ep;
    s->recv_slot = recv_slot;
    s->reply_slots = reply_slots;
    s->nreply = nreply > 64 ? 64 : nreply;
    s->reply_used = 0;
    s->recv_full = 0;
    ng_host_kernel_enter(t);
    t->recv_slot = recv_slot;
    ng_host_slot_t *slot = ng_host_lookup(t, ep);
    if (slot && slot->obj && slot->obj->type == NG_HOST_OBJ_ENDPOINT && (slot->rights & NG_HOST_RIGHT_READ)) {
        /* This thread now serves the endpoint: a restarted server revives it. A cap without Read
         * serves nothing (its receive faults, as on seL4) and leaves the endpoint to its server. */
        slot->obj->owner = t;
        slot->obj->dead = 0;
    }
    ng_host_kernel_exit(t);
}

/* Lock held. Empties a slot; a reply cap's caller is told (seL4 would leave it waiting). */
static int delete_locked(ng_host_thread_t *t, ng_cptr_t cptr)
{
    ng_host_slot_t *slot = ng_host_lookup(t, cptr);
    if (!slot) {
        return NG_EIPC;
    }
    if (slot->obj && slot->obj->type == NG_HOST_OBJ_REPLY) {
        ng_host_reply_fail(slot->obj, "its saved reply cap was deleted");
    }
    memset(slot, 0, sizeof *slot);
    return NG_OK;
}

void ng_recv_done(ng_server_t *s, ng_msg_t *m)
{
    (void)m;
    if (s->recv_full) {
        (void)ng_cap_delete(s->recv_slot);
        s->recv_full = 0;
    }
}

int ng_cap_delete(ng_cptr_t slot)
{
    ng_host_thread_t *t = ng_host_current("ng_cap_delete");
    ng_host_kernel_enter(t);
    int err = delete_locked(t, slot);
    ng_host_kernel_exit(t);
    return err;
}

/* seL4_CNode_Mint of an unbadged endpoint or notification cap with a badge, same rights; a cap
 * that already has a badge cannot take another (seL4 refuses it too). */
int ng_cap_mint(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge)
{
    ng_host_thread_t *t = ng_host_current("ng_cap_mint");
    int err = NG_EIPC;
    ng_host_kernel_enter(t);
    ng_host_slot_t *src = ng_host_lookup(t, from);
    ng_host_slot_t *dst = ng_host_lookup(t, to);
    if (src && dst && src != dst && src->obj && !dst->obj && src->badge == 0 &&
        (src->obj->type == NG_HOST_OBJ_ENDPOINT || src->obj->type == NG_HOST_OBJ_NOTIFICATION)) {
        *dst = *src;
        dst->badge = badge;
        err = NG_OK;
    }
    ng_host_kernel_exit(t);
    return err;
}

/* seL4_CNode_Mint of an unbadged endpoint cap with a badge and without Read (send only). */
int ng_cap_mint_send(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge)
{
    ng_host_thread_t *t = ng_host_current("ng_cap_mint_send");
    int err = NG_EIPC;
    ng_host_kernel_enter(t);
    ng_host_slot_t *src = ng_host_lookup(t, from);
    ng_host_slot_t *dst = ng_host_lookup(t, to);
    if (src && dst && src != dst && src->obj && !dst->obj && src->badge == 0 && src->obj->type == NG_HOST_OBJ_ENDPOINT) {
        *dst = *src;
        dst->badge = badge;
        dst->rights &= ~(unsigned)NG_HOST_RIGHT_READ;
        err = NG_OK;
    }
    ng_host_kernel_exit(t);
    return err;
}

int ng_cap_kind(ng_cptr_t slot)
{
    ng_host_thread_t *t = ng_host_current("ng_cap_kind");
    ng_host_kernel_enter(t);
    ng_host_slot_t *s = ng_host_lookup(t, slot);
    int kind = NG_CAP_EMPTY;
    if (s && s->obj) {
        kind = s->obj->type == NG_HOST_OBJ_ENDPOINT       ? NG_CAP_ENDPOINT
               : s->obj->type == NG_HOST_OBJ_NOTIFICATION ? NG_CAP_NOTIFICATION
                                                          : NG_CAP_OTHER;
    }
    ng_host_kernel_exit(t);
    return kind;
}

int ng_cap_move(ng_server_t *s, ng_cptr_t from, ng_cptr_t to)
{
    ng_host_thread_t *t = ng_host_current("ng_cap_move");
    int err = NG_EIPC;
    ng_host_kernel_enter(t);
    ng_host_slot_t *src = ng_host_lookup(t, from);
    ng_host_slot_t *dst = ng_host_lookup(t, to);
    if (src && dst && src != dst && src->obj && !dst->obj) {
        *dst = *src;
        memset(src, 0, sizeof *src);
        err = NG_OK;
    }
    ng_host_kernel_exit(t);
    if (err == NG_OK && s && from == s->recv_slot) {
        s->recv_full = 0;
    }
    return err;
}

void ng_host_signal_locked(ng_host_object_t *n, ng_badge_t badge)
{
    ng_host_thread_t *w = ng_host_queue_pop(&n->waiters);
    if (w) {
        w->r_badge = (n->active ? n->word : 0) | badge;
        n->word = 0;
        n->active = 0;
        ng_host_wake(w, NG_OK);
    } else if (n->bound && n->bound->state == NG_HOST_BLOCKED_RECV) {
        ng_host_deliver_signal(n->bound, (n->active ? n->word : 0) | badge);
        n->word = 0;
        n->active = 0;
    } else {
        n->active = 1;
        n->word |= badge;
    }
}

void ng_signal(ng_cptr_t ntfn)
{
    ng_host_thread_t *t = ng_host_current("ng_signal");
    if (!ng_host_cptr_exists(t, ntfn)) {
        ng_host_thread_fault(t, "signal", ntfn, (uintptr_t)__builtin_return_address(0));
    }
    ng_host_kernel_enter(t);
    ng_host_slot_t *s = ng_host_lookup(t, ntfn);
    /* seL4 drops the error of a signal through a bad cap. */
    if (s && s->obj && s->obj->type == NG_HOST_OBJ_NOTIFICATION &&
        (s->rights & NG_HOST_RIGHT_WRITE)) {
        ng_host_signal_locked(s->obj, s->badge);
    }
    ng_host_kernel_exit(t);
}

void ng_host_ntfn_signal(ng_host_object_t *ntfn, ng_badge_t badge)
{
    if (!ntfn || ntfn->type != NG_HOST_OBJ_NOTIFICATION) {
        return;
    }
    pthread_mutex_lock(&ng_host_lock);
    ng_host_signal_locked(ntfn, badge);
    pthread_mutex_unlock(&ng_host_lock);
}

ng_word_t ng_wait(ng_cptr_t ntfn)
{
    ng_host_thread_t *t = ng_host_current("ng_wait");
    ng_host_kernel_enter(t);
    ng_host_slot_t *s = ng_host_lookup(t, ntfn);
    if (!s || !s->obj || s->obj->type != NG_HOST_OBJ_NOTIFICATION ||
        !(s->rights & NG_HOST_RIGHT_READ)) {
        ng_host_kernel_exit(t);
        ng_host_thread_fault(t, "wait", ntfn, (uintptr_t)__builtin_return_address(0));
    }
    ng_host_object_t *n = s->obj;
    ng_word_t word;
    if (n->active) {
        word = n->word;
        n->word = 0;
        n->active = 0;
    } else {
        t->state = NG_HOST_BLOCKED_NTFN;
        ng_host_queue_push(&n->waiters, t);
        ng_host_block(t);
        word = t->r_badge;
    }
    ng_host_kernel_exit(t);
    return word;
}
