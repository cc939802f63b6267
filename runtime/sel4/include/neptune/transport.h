/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The seL4 transport behind <neptune/ipc.h> (MCS or not, EL1 or EL2; 64-bit, AArch64 first): every call is
 * a static inline over libsel4 (on AArch64, ng_call and ng_reply_recv trap directly, with the
 * message registers loaded from a pointer the caller already holds), so a generated stub costs a
 * few instructions more than a hand-written seL4_Call (scripts/bench-ipc.ts measures it).
 * Message words live in the IPC buffer (ng_msg_start points mr there); caps are copied to and
 * from the IPC buffer only when a message carries some.
 *
 * CSpace contract (what the layout and the root server must provide, see runtime/sel4/README.md):
 *  - a single-level CSpace whose root CNode cap is guarded to resolve a full word, so a slot's
 *    number is its cptr and every CNode invocation uses depth seL4_WordBits;
 *  - the thread's own root CNode cap in slot NG_SEL4_CNODE (1, "own CNode"), minted with that same
 *    guard: receive paths, SaveCaller, Move and Delete all name the CSpace through it;
 *  - the caller's endpoint caps carry GrantReply (seL4 makes a caller without Grant or GrantReply
 *    inactive for good) and Grant if it sends caps; a server's receive endpoint cap carries Grant
 *    if its replies carry caps (the reply cap inherits it).
 *
 * Register fast path (ng_recv_fast & co., what a generated serve loop uses for scalar-only
 * methods): a request is its seL4_MessageInfo word plus the four message registers, kept by the
 * serve loop in a local array; on AArch64 nothing of it touches memory from one trap to the next.
 * Other architectures fall back to libsel4's seL4_Recv/seL4_ReplyRecv and the IPC buffer.
 *
 * MCS kernel (CONFIG_KERNEL_MCS): a server receives with a reply object. The one it receives
 * with sits in NG_SEL4_REPLY (slot 7, sel4utils' reply slot, filled by the root server) and its
 * `deferredReplies` slots hold more; saving a reply (ng_reply_save) keeps the reply object that
 * holds the caller and receives with a free one from then on, and ng_reply_send invokes it.
 * A server's first receive tells the root server it is initialised (NG_SEL4_READY_LABEL on its
 * fault endpoint, in the same trap as the receive: seL4_NBSendRecv), so the root server can take
 * a passive server's scheduling context away while it is sure to wait in that receive.
 *
 * Replies are tagged: ng_reply_recv, ng_reply_send and the fast replies set NG_SEL4_REPLY_TAG in
 * the label, so ng_call can tell a server's reply from the kernel's error reply to an invocation
 * of an empty slot (label seL4_InvalidCapability), which it reports as NG_EIPC as the API promises.
 *
 * Every outgoing message is checked against ng_msg_fits before libsel4 sees it (libsel4 asserts
 * on a length, cap count or label its message-info word cannot hold, which would stop the
 * thread with no fault report): a request that does not fit is refused with NG_EBADMSG, a reply
 * that does not fit becomes the error reply NG_EINTERNAL. docs/transport.md specifies every case
 * (the host test bench follows the same rules).
 */
#pragma once

#include <sel4/sel4.h>
#include <neptune/msg.h>

#if defined(CONFIG_KERNEL_MCS)
#define NG_SEL4_MCS 1
/* The reply object of ReplyRecv/Recv travels in x6 on AArch64 (libsel4's MCS_PARAM). */
#define NG_SEL4_X6_DECL(v) register seL4_Word x6 __asm__("x6") = (v)
#define NG_SEL4_X6_IN , "r"(x6)
#else
#define NG_SEL4_X6_DECL(v) (void)(v)
#define NG_SEL4_X6_IN
#endif

_Static_assert(_Generic((seL4_Word)0, ng_word_t: 1, default: 0), "seL4_Word must be ng_word_t");
_Static_assert(NG_MSG_MAX_WORDS == seL4_MsgMaxLength, "message words must match seL4");
_Static_assert(NG_MSG_MAX_CAPS == seL4_MsgMaxExtraCaps, "message caps must match seL4");

/* The thread's own root CNode cap (sel4utils' SEL4UTILS_CNODE_SLOT; the layout's slot 1). */
#ifndef NG_SEL4_CNODE
#define NG_SEL4_CNODE ((seL4_CPtr)1)
#endif
/* Depth that resolves a slot number through NG_SEL4_CNODE (guard + radix = one word). */
#ifndef NG_SEL4_CNODE_DEPTH
#define NG_SEL4_CNODE_DEPTH seL4_WordBits
#endif
/* MCS: the reply object a server receives with at first (sel4utils' SEL4UTILS_REPLY_SLOT). */
#ifndef NG_SEL4_REPLY
#define NG_SEL4_REPLY ((seL4_CPtr)7)
#endif
/* The root server's endpoint every server holds (slot 2: faults, exit, and on MCS "ready"). */
#ifndef NG_SEL4_FAULT_EP
#define NG_SEL4_FAULT_EP ((seL4_CPtr)2)
#endif
/* "Initialised, now in my first receive" (rootserver/support/neptune_exit.h NEPTUNE_READY_LABEL). */
#define NG_SEL4_READY_LABEL 0x4e5852u
/* Set in every reply label; error codes stay below it (labels fit 20 bits on every seL4). */
#define NG_SEL4_REPLY_TAG ((ng_word_t)1 << 19)
/* seL4_MessageInfo as a word: label << 12 | capsUnwrapped (3 bits) << 9 | extraCaps << 7 | length. */
#define NG_SEL4_INFO_LABEL_SHIFT (seL4_MsgLengthBits + seL4_MsgExtraCapBits + 3)
#define NG_SEL4_INFO_LEN_MASK (((seL4_Word)1 << seL4_MsgLengthBits) - 1)

typedef struct ng_server {
    seL4_CPtr ep;              /* endpoint it receives on */
    ng_word_t *mr;             /* the thread's IPC buffer words (looked up once) */
    seL4_CPtr recv_slot;       /* where a cap sent to it lands (0: none) */
    const ng_cptr_t *reply_slots;
    unsigned nreply;           /* at most 64 */
    uint64_t reply_used;       /* bit i: reply_slots[i] holds a saved reply cap */
    int recv_full;             /* a received cap still sits in recv_slot */
    /* MCS: the reply object it receives with, as a slot and as an index into the pool
     * reply_slots[0..nreply-1] + NG_SEL4_REPLY (index nreply); 0 on a non-MCS kernel. */
    seL4_CPtr reply;
    unsigned reply_cur;
    seL4_CPtr reply_first;     /* MCS: pool index nreply (NG_SEL4_REPLY unless ng_server_set_reply) */
    int ready_sent;            /* MCS: the root server knows it is in its receive loop */
} ng_server_t;

/* A saved reply: the slot holding the caller's reply cap, and its index in reply_slots. */
typedef struct ng_reply {
    ng_cptr_t slot;
    unsigned index;
} ng_reply_t;

/* --- internals ------------------------------------------------------------------------------ */

/*
 * One IPC trap with the first four message words in registers, taken from and put back to `mr`,
 * the caller's own pointer to the IPC buffer words (libsel4's wrappers look the thread-local
 * buffer up again on each side of the trap). When `len` is a compile-time constant (a generated
 * stub's request), words at or beyond it are not loaded. AArch64: x7 = syscall, x0 = cap in
 * and badge out, x1 = message info, x2..x5 = message registers; the kernel preserves the rest.
 */
#if defined(__aarch64__)
#define NG_SEL4_TRAP_REGS 1
static inline seL4_Word ng_sel4_trap(seL4_Word sys, seL4_Word cap, seL4_Word info, unsigned len,
                                     ng_word_t *mr, seL4_Word reply, seL4_Word *badge)
{
    NG_SEL4_X6_DECL(reply);
    register seL4_Word x0 __asm__("x0") = cap;
    register seL4_Word x1 __asm__("x1") = info;
#define NG_SEL4_MR_IN(i) (__builtin_constant_p(len) && len <= (i) ? 0 : mr[i])
    register seL4_Word x2 __asm__("x2") = NG_SEL4_MR_IN(0);
    register seL4_Word x3 __asm__("x3") = NG_SEL4_MR_IN(1);
    register seL4_Word x4 __asm__("x4") = NG_SEL4_MR_IN(2);
    register seL4_Word x5 __asm__("x5") = NG_SEL4_MR_IN(3);
#undef NG_SEL4_MR_IN
    register seL4_Word x7 __asm__("x7") = sys;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     : "r"(x7) NG_SEL4_X6_IN
                     : "memory");
    mr[0] = x2;
    mr[1] = x3;
    mr[2] = x4;
    mr[3] = x5;
    *badge = x0;
    return x1;
}
#endif

static inline seL4_MessageInfo_t ng_sel4_info(const ng_msg_t *m, ng_word_t label)
{
    seL4_IPCBuffer *ipc = seL4_GetIPCBuffer();
    unsigned n = m->ncaps;
    if (n > 0) {
        ipc->caps_or_badges[0] = m->caps[0];
        if (n > 1) {
            ipc->caps_or_badges[1] = m->caps[1];
            if (n > 2) {
                ipc->caps_or_badges[2] = m->caps[2];
            }
        }
    }
    return seL4_MessageInfo_new(label, 0, n, m->len);
}

/* Where received caps landed: the receive slot, or seL4_CapNull for a cap the kernel unwrapped
 * (a badged cap to the very endpoint it was sent on: only its badge travels). Returns whether a
 * real cap now sits in the receive slot. */
static inline int ng_sel4_take_caps(ng_msg_t *m, seL4_MessageInfo_t info)
{
    unsigned n = (unsigned)seL4_MessageInfo_get_extraCaps(info);
    m->ncaps = n;
    if (n == 0) {
        return 0;
    }
    unsigned unwrapped = (unsigned)seL4_MessageInfo_get_capsUnwrapped(info);
    seL4_CPtr slot = seL4_GetIPCBuffer()->receiveIndex;
    for (unsigned i = 0; i < n; i++) {
        unsigned u = (unwrapped >> i) & 1;
        m->caps[i] = u ? seL4_CapNull : slot;
        m->cap_badges[i] = u ? seL4_GetBadge((int)i) : 0;
    }
    return ((~unwrapped) & ((1u << n) - 1)) != 0;
}

static inline void ng_sel4_take(ng_server_t *s, ng_msg_t *m, seL4_MessageInfo_t info)
{
    m->label = seL4_MessageInfo_get_label(info);
    m->len = (unsigned)seL4_MessageInfo_get_length(info);
    m->mr = s->mr;
    m->shm = NULL;
    m->shm_size = 0;
    if (seL4_MessageInfo_get_extraCaps(info) == 0) {
        m->ncaps = 0;
    } else {
        s->recv_full |= ng_sel4_take_caps(m, info);
    }
}

/* --- client side ---------------------------------------------------------------------------- */

static inline void ng_msg_start(ng_msg_t *m, ng_word_t label)
{
    m->label = label;
    m->len = 0;
    m->ncaps = 0;
    m->mr = (ng_word_t *)seL4_GetIPCBuffer()->msg;
    m->shm = NULL;
    m->shm_size = 0;
}

static inline void ng_msg_set_shm(ng_msg_t *m, uint8_t *base, size_t size)
{
    m->shm = base;
    m->shm_size = size;
}

static inline void ng_recv_path_set(ng_cptr_t recv_slot)
{
    seL4_SetCapReceivePath(recv_slot ? NG_SEL4_CNODE : seL4_CapNull, recv_slot,
                           recv_slot ? NG_SEL4_CNODE_DEPTH : 0);
}

/* A reply that does not fit a message goes out as the error reply NG_EINTERNAL. */
static inline void ng_sel4_reply_fit(ng_msg_t *m)
{
    if (__builtin_expect(!ng_msg_fits(m), 0)) {
        ng_msg_set_error(m, NG_EINTERNAL);
    }
}

static inline int ng_call(ng_cptr_t ep, ng_msg_t *m)
{
    if (__builtin_expect(!ng_msg_fits(m), 0)) {
        m->len = 0;
        m->ncaps = 0;
        return NG_EBADMSG;
    }
#ifdef NG_SEL4_TRAP_REGS
    seL4_Word badge;
    seL4_MessageInfo_t info = { { ng_sel4_trap(seL4_SysCall, ep, ng_sel4_info(m, m->label).words[0], m->len,
                                               m->mr, 0, &badge) } };
    /* The usual answer: a reply (tagged), label NG_OK, no caps. Saying so with constants lets a
     * stub's decoder drop its label and cap checks on this path. */
    if (__builtin_expect((info.words[0] & ~NG_SEL4_INFO_LEN_MASK) == (NG_SEL4_REPLY_TAG << NG_SEL4_INFO_LABEL_SHIFT), 1)) {
        m->label = NG_OK;
        m->ncaps = 0;
        m->len = (unsigned)(info.words[0] & NG_SEL4_INFO_LEN_MASK);
        return NG_OK;
    }
#else
    seL4_MessageInfo_t info = seL4_Call(ep, ng_sel4_info(m, m->label));
#endif
    ng_word_t label = seL4_MessageInfo_get_label(info);
    if (__builtin_expect(!(label & NG_SEL4_REPLY_TAG), 0)) {
        /* The kernel's error reply (empty slot, not an endpoint, no send right). */
        m->len = 0;
        m->ncaps = 0;
        return NG_EIPC;
    }
    m->label = label & ~NG_SEL4_REPLY_TAG;
    m->len = (unsigned)seL4_MessageInfo_get_length(info);
    if (seL4_MessageInfo_get_extraCaps(info) == 0) {
        m->ncaps = 0;
    } else {
        (void)ng_sel4_take_caps(m, info);
    }
    return NG_OK;
}

static inline int ng_send(ng_cptr_t ep, ng_msg_t *m)
{
    if (__builtin_expect(!ng_msg_fits(m), 0)) {
        return NG_EBADMSG;
    }
    /* seL4 drops the error of a failed send: nothing to report. */
    seL4_Send(ep, ng_sel4_info(m, m->label));
    return NG_OK;
}

static inline void ng_signal(ng_cptr_t ntfn)
{
    seL4_Signal(ntfn);
}

static inline ng_word_t ng_wait(ng_cptr_t ntfn)
{
    seL4_Word badge;
    seL4_Wait(ntfn, &badge);
    return badge;
}

/* A badged copy (same rights) of an unbadged cap of this thread's CSpace, into an empty slot. */
static inline int ng_cap_mint(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge)
{
    return seL4_CNode_Mint(NG_SEL4_CNODE, to, NG_SEL4_CNODE_DEPTH, NG_SEL4_CNODE, from,
                           NG_SEL4_CNODE_DEPTH, seL4_AllRights, badge) == seL4_NoError
               ? NG_OK
               : NG_EIPC;
}

static inline int ng_cap_mint_send(ng_cptr_t from, ng_cptr_t to, ng_badge_t badge)
{
    /* Write, Grant, GrantReply; no Read: a holder can call, never receive. Minting a
     * notification with these rights would be useless, not harmful (no Read: no wait). */
    return seL4_CNode_Mint(NG_SEL4_CNODE, to, NG_SEL4_CNODE_DEPTH, NG_SEL4_CNODE, from,
                           NG_SEL4_CNODE_DEPTH, seL4_CapRights_new(1, 1, 0, 1), badge) == seL4_NoError
               ? NG_OK
               : NG_EIPC;
}

static inline int ng_cap_revoke(ng_cptr_t slot)
{
    return seL4_CNode_Revoke(NG_SEL4_CNODE, slot, NG_SEL4_CNODE_DEPTH) == seL4_NoError ? NG_OK
                                                                                       : NG_EIPC;
}

static inline int ng_cap_delete(ng_cptr_t slot)
{
    return seL4_CNode_Delete(NG_SEL4_CNODE, slot, NG_SEL4_CNODE_DEPTH) == seL4_NoError ? NG_OK
                                                                                       : NG_EIPC;
}

/*
 * The kind of cap in a slot. A debug kernel says (seL4_DebugCapIdentify: the cap's type tag);
 * without it seL4 offers no way to tell an endpoint from a notification that has no side effect
 * (every invocation of either is a send or a signal, a receive may fault or consume a message),
 * so a release build answers NG_CAP_UNKNOWN and the received cap is taken as declared.
 */
static inline int ng_cap_kind(ng_cptr_t slot)
{
#ifdef CONFIG_DEBUG_BUILD
    switch (seL4_DebugCapIdentify(slot)) {
    case 0: /* cap_null_cap */
        return NG_CAP_EMPTY;
    case 4: /* cap_endpoint_cap */
        return NG_CAP_ENDPOINT;
    case 6: /* cap_notification_cap */
        return NG_CAP_NOTIFICATION;
    default:
        return NG_CAP_OTHER;
    }
#else
    (void)slot;
    return NG_CAP_UNKNOWN;
#endif
}

/* --- server side ---------------------------------------------------------------------------- */

static inline void ng_server_init(ng_server_t *s, ng_cptr_t ep, ng_cptr_t recv_slot,
                                  const ng_cptr_t *reply_slots, unsigned nreply)
{
    s->ep = ep;
    s->mr = (ng_word_t *)seL4_GetIPCBuffer()->msg;
    s->recv_slot = recv_slot;
    s->reply_slots = reply_slots;
    s->reply_used = 0;
    s->recv_full = 0;
#ifdef NG_SEL4_MCS
    /* One more reply object than deferred replies: the one it receives with. */
    s->nreply = nreply > 63 ? 63 : nreply;
    s->reply = NG_SEL4_REPLY;
    s->reply_first = NG_SEL4_REPLY;
    s->reply_cur = s->nreply;
#else
    s->nreply = nreply > 64 ? 64 : nreply;
    s->reply = 0;
    s->reply_first = 0;
    s->reply_cur = 0;
#endif
    s->ready_sent = 0;
    ng_recv_path_set(recv_slot);
}

/* MCS: receive with this reply object instead of slot 7, and send no "ready" notice: for a
 * thread the root server did not start (the root server's own service loop). Its reply_slots
 * must hold reply objects. No effect on a non-MCS kernel. */
static inline void ng_server_set_reply(ng_server_t *s, ng_cptr_t reply)
{
#ifdef NG_SEL4_MCS
    s->reply = reply;
    s->reply_first = reply;
    s->ready_sent = 1;
#else
    (void)s;
    (void)reply;
#endif
}

#ifdef NG_SEL4_MCS
/* The first receive: "ready" to the root server and the receive in one trap (see the top). */
static inline seL4_MessageInfo_t ng_sel4_recv_first(ng_server_t *s, seL4_Word *badge)
{
    s->ready_sent = 1;
    return seL4_NBSendRecv(NG_SEL4_FAULT_EP, seL4_MessageInfo_new(NG_SEL4_READY_LABEL, 0, 0, 0), s->ep,
                           badge, s->reply);
}
#endif

static inline void ng_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge)
{
    seL4_Word b;
#ifdef NG_SEL4_MCS
    seL4_MessageInfo_t info = __builtin_expect(s->ready_sent, 1) ? seL4_Recv(s->ep, &b, s->reply)
                                                                  : ng_sel4_recv_first(s, &b);
#else
    seL4_MessageInfo_t info = seL4_Recv(s->ep, &b);
#endif
    ng_sel4_take(s, m, info);
    *badge = b;
}

static inline void ng_reply_recv(ng_server_t *s, ng_msg_t *m, ng_badge_t *badge)
{
    seL4_Word b;
    ng_sel4_reply_fit(m);
    /* With no caller to answer (a oneway, or a saved reply) the kernel skips the reply. */
#ifdef NG_SEL4_TRAP_REGS
    seL4_MessageInfo_t info = { { ng_sel4_trap(seL4_SysReplyRecv, s->ep,
                                               ng_sel4_info(m, m->label | NG_SEL4_REPLY_TAG).words[0],
                                               m->len, s->mr, s->reply, &b) } };
#elif defined(NG_SEL4_MCS)
    seL4_MessageInfo_t info =
        seL4_ReplyRecv(s->ep, ng_sel4_info(m, m->label | NG_SEL4_REPLY_TAG), &b, s->reply);
#else
    seL4_MessageInfo_t info =
        seL4_ReplyRecv(s->ep, ng_sel4_info(m, m->label | NG_SEL4_REPLY_TAG), &b);
#endif
    ng_sel4_take(s, m, info);
    *badge = b;
}

static inline void ng_recv_done(ng_server_t *s, ng_msg_t *m)
{
    (void)m;
    if (s->recv_full) {
        seL4_CNode_Delete(NG_SEL4_CNODE, s->recv_slot, NG_SEL4_CNODE_DEPTH);
        s->recv_full = 0;
    }
}

static inline int ng_cap_move(ng_server_t *s, ng_cptr_t from, ng_cptr_t to)
{
    seL4_Error err = seL4_CNode_Move(NG_SEL4_CNODE, to, NG_SEL4_CNODE_DEPTH, NG_SEL4_CNODE, from,
                                     NG_SEL4_CNODE_DEPTH);
    if (err != seL4_NoError) {
        return NG_EIPC;
    }
    if (s && from == s->recv_slot) {
        s->recv_full = 0;
    }
    return NG_OK;
}

#ifdef NG_SEL4_MCS
/* MCS: the caller stays in the reply object it was received with; receive with a free one. */
static inline int ng_reply_save(ng_server_t *s, ng_reply_t *out)
{
    uint64_t pool = s->nreply >= 63 ? ~(uint64_t)0 : ((uint64_t)1 << (s->nreply + 1)) - 1;
    uint64_t free_objs = pool & ~(s->reply_used | ((uint64_t)1 << s->reply_cur));
    if (free_objs == 0) {
        return NG_ENOMEM;
    }
    unsigned i = (unsigned)__builtin_ctzll(free_objs);
    out->slot = s->reply;
    out->index = s->reply_cur;
    s->reply_used |= (uint64_t)1 << s->reply_cur;
    s->reply_cur = i;
    s->reply = i < s->nreply ? s->reply_slots[i] : s->reply_first;
    return NG_OK;
}

static inline int ng_reply_send(ng_server_t *s, ng_reply_t r, ng_msg_t *m)
{
    /* Sending on a reply object answers its caller and leaves the object free for reuse. */
    seL4_Send(r.slot, ng_sel4_info(m, m->label | NG_SEL4_REPLY_TAG));
    s->reply_used &= ~((uint64_t)1 << r.index);
    return NG_OK;
}
#else
static inline int ng_reply_save(ng_server_t *s, ng_reply_t *out)
{
    uint64_t free_slots = ~s->reply_used;
    if (free_slots == 0) {
        return NG_ENOMEM;
    }
    unsigned i = (unsigned)__builtin_ctzll(free_slots);
    if (i >= s->nreply) {
        return NG_ENOMEM;
    }
    ng_cptr_t slot = s->reply_slots[i];
    if (seL4_CNode_SaveCaller(NG_SEL4_CNODE, slot, NG_SEL4_CNODE_DEPTH) != seL4_NoError) {
        return NG_EIPC;
    }
    s->reply_used |= (uint64_t)1 << i;
    out->slot = slot;
    out->index = i;
    return NG_OK;
}

static inline int ng_reply_send(ng_server_t *s, ng_reply_t r, ng_msg_t *m)
{
    ng_sel4_reply_fit(m);
    /* Invoking a (non-MCS) reply cap consumes it: the kernel empties the slot, no Delete needed. */
    seL4_Send(r.slot, ng_sel4_info(m, m->label | NG_SEL4_REPLY_TAG));
    s->reply_used &= ~((uint64_t)1 << r.index);
    return NG_OK;
}
#endif

/* --- register fast path (server side; see <neptune/ipc.h>) ----------------------------------- */

/* A message with no caps as its seL4_MessageInfo word: label << 12 | length. */
#define NG_FAST_TAG(label, len) (((ng_word_t)(label) << NG_SEL4_INFO_LABEL_SHIFT) | (ng_word_t)(len))

#ifdef NG_SEL4_TRAP_REGS
/*
 * The fast path's traps: the four message registers come from and go back to w, which a serve
 * loop keeps as a local array indexed by constants only, so after inlining the words live in
 * x2..x5 from one trap to the next and nothing touches memory. ng_sel4_trap_fast sends words
 * (Call/ReplyRecv); with `len` a compile-time constant the registers at or beyond it are sent as
 * they are (an empty asm claims each: no instruction; the templates differ so that the compiler
 * does not merge them into one value copied around). ng_sel4_recv_fast only receives.
 */
static inline seL4_Word ng_sel4_trap_fast(seL4_Word sys, seL4_Word cap, seL4_Word info, unsigned len,
                                          const ng_word_t *in, ng_word_t w[4], seL4_Word reply,
                                          seL4_Word *badge)
{
    NG_SEL4_X6_DECL(reply);
    register seL4_Word x0 __asm__("x0") = cap;
    register seL4_Word x1 __asm__("x1") = info;
    register seL4_Word x2 __asm__("x2");
    register seL4_Word x3 __asm__("x3");
    register seL4_Word x4 __asm__("x4");
    register seL4_Word x5 __asm__("x5");
    register seL4_Word x7 __asm__("x7") = sys;
#define NG_SEL4_FAST_IN(reg, i)                           \
    do {                                                  \
        if (__builtin_constant_p(len) && len <= (i)) {    \
            __asm__("// " #reg " unused" : "=r"(reg));    \
        } else {                                          \
            reg = in[i];                                  \
        }                                                 \
    } while (0)
    NG_SEL4_FAST_IN(x2, 0);
    NG_SEL4_FAST_IN(x3, 1);
    NG_SEL4_FAST_IN(x4, 2);
    NG_SEL4_FAST_IN(x5, 3);
#undef NG_SEL4_FAST_IN
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     : "r"(x7) NG_SEL4_X6_IN
                     : "memory");
    w[0] = x2;
    w[1] = x3;
    w[2] = x4;
    w[3] = x5;
    *badge = x0;
    return x1;
}

static inline seL4_Word ng_sel4_recv_fast(seL4_Word cap, ng_word_t w[4], seL4_Word reply, seL4_Word *badge)
{
    NG_SEL4_X6_DECL(reply);
    register seL4_Word x0 __asm__("x0") = cap;
    register seL4_Word x1 __asm__("x1");
    register seL4_Word x2 __asm__("x2");
    register seL4_Word x3 __asm__("x3");
    register seL4_Word x4 __asm__("x4");
    register seL4_Word x5 __asm__("x5");
    register seL4_Word x7 __asm__("x7") = seL4_SysRecv;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5)
                     : "r"(x7) NG_SEL4_X6_IN
                     : "memory");
    w[0] = x2;
    w[1] = x3;
    w[2] = x4;
    w[3] = x5;
    *badge = x0;
    return x1;
}
#endif

static inline ng_word_t ng_recv_fast(ng_server_t *s, ng_word_t w[4], ng_badge_t *badge)
{
    seL4_Word b;
#ifdef NG_SEL4_MCS
    if (__builtin_expect(!s->ready_sent, 0)) {
        ng_word_t tag = ng_sel4_recv_first(s, &b).words[0];
        for (unsigned i = 0; i < 4; i++) {
            w[i] = s->mr[i];
        }
        *badge = b;
        return tag;
    }
#endif
#ifdef NG_SEL4_TRAP_REGS
    ng_word_t tag = ng_sel4_recv_fast(s->ep, w, s->reply, &b);
#elif defined(NG_SEL4_MCS)
    ng_word_t tag = seL4_Recv(s->ep, &b, s->reply).words[0];
    for (unsigned i = 0; i < 4; i++) {
        w[i] = s->mr[i];
    }
#else
    /* libsel4 leaves the words that travelled in registers in the IPC buffer too. */
    ng_word_t tag = seL4_Recv(s->ep, &b).words[0];
    for (unsigned i = 0; i < 4; i++) {
        w[i] = s->mr[i];
    }
#endif
    *badge = b;
    return tag;
}

static inline ng_word_t ng_reply_recv_fast(ng_server_t *s, ng_word_t reply_tag, ng_word_t w[4],
                                           ng_badge_t *badge)
{
    seL4_Word b;
    ng_word_t info = reply_tag | (NG_SEL4_REPLY_TAG << NG_SEL4_INFO_LABEL_SHIFT);
#ifdef NG_SEL4_TRAP_REGS
    ng_word_t tag = ng_sel4_trap_fast(seL4_SysReplyRecv, s->ep, info,
                                      (unsigned)(reply_tag & NG_SEL4_INFO_LEN_MASK), w, w, s->reply, &b);
#else
    for (unsigned i = 0; i < 4; i++) {
        s->mr[i] = w[i];
    }
    seL4_MessageInfo_t mi = { { info } };
#ifdef NG_SEL4_MCS
    ng_word_t tag = seL4_ReplyRecv(s->ep, mi, &b, s->reply).words[0];
#else
    ng_word_t tag = seL4_ReplyRecv(s->ep, mi, &b).words[0];
#endif
    for (unsigned i = 0; i < 4; i++) {
        w[i] = s->mr[i];
    }
#endif
    *badge = b;
    return tag;
}

static inline ng_word_t ng_reply_msg_recv_fast(ng_server_t *s, ng_msg_t *m, ng_word_t w[4],
                                               ng_badge_t *badge)
{
    seL4_Word b;
    ng_sel4_reply_fit(m);
    /* m's words are in the IPC buffer (m->mr), as for ng_reply_recv. */
    seL4_MessageInfo_t mi = ng_sel4_info(m, m->label | NG_SEL4_REPLY_TAG);
#ifdef NG_SEL4_TRAP_REGS
    ng_word_t tag = ng_sel4_trap_fast(seL4_SysReplyRecv, s->ep, mi.words[0], m->len, m->mr, w, s->reply, &b);
#else
#ifdef NG_SEL4_MCS
    ng_word_t tag = seL4_ReplyRecv(s->ep, mi, &b, s->reply).words[0];
#else
    ng_word_t tag = seL4_ReplyRecv(s->ep, mi, &b).words[0];
#endif
    for (unsigned i = 0; i < 4; i++) {
        w[i] = s->mr[i];
    }
#endif
    *badge = b;
    return tag;
}

static inline void ng_msg_from_fast(ng_server_t *s, ng_msg_t *m, ng_word_t tag, const ng_word_t w[4])
{
    /* Words beyond the fourth are in the IPC buffer already; the first four join them. */
    for (unsigned i = 0; i < 4; i++) {
        s->mr[i] = w[i];
    }
    seL4_MessageInfo_t info = { { tag } };
    ng_sel4_take(s, m, info);
}
