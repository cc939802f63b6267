/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The portable message the generated marshalling code encodes into and decodes from.
 *
 * This header includes no seL4 header: generated encoders and decoders compile, run and are
 * fuzzed on the host. On seL4, `mr` points at the IPC buffer's message words, so an encoder
 * writes straight into the IPC buffer and a decoder reads straight out of it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uintptr_t ng_word_t;
typedef ng_word_t ng_cptr_t;
typedef ng_word_t ng_badge_t;

_Static_assert(sizeof(ng_word_t) == 8, "neptune-gen's wire format assumes 64-bit words");

#define NG_MSG_MAX_WORDS 120 /* seL4_MsgMaxLength */
#define NG_MSG_MAX_CAPS 3    /* seL4_MsgMaxExtraCaps */
#define NG_WORD_BYTES 8
/* Largest label a message may carry: seL4's message-info label field is 52 bits on 64-bit. */
#define NG_MSG_MAX_LABEL ((((ng_word_t)1) << 52) - 1)

/* Generic error codes: a reply's label. Interface errors start at NG_ERR_USER_BASE. */
enum {
    NG_OK = 0,
    NG_EBADMSG = 1,   /* malformed message: wrong length, cap count, bound or value */
    NG_ENOSYS = 2,    /* no method with this label on this endpoint */
    NG_EDENIED = 3,   /* the caller may not do this */
    NG_ENOMEM = 4,    /* out of memory or slots */
    NG_EINTERNAL = 5, /* the server failed (e.g. returned an error the rpc does not raise) */
    NG_EIPC = 6,      /* the transport failed (invalid cap, peer gone) */
    NG_EAGAIN = 7,    /* try again later */
    NG_ERR_USER_BASE = 16,
};

/* Runtime labels (below 0x100, which no IDL method takes): a client the layout does not know
 * opens a bulk connection to a server by handing it a shared-memory object (caps[0]), and gets a
 * cap with a badge of its own back; DISCONNECT through that cap closes it (docs/idl.md). */
#define NG_LABEL_CONNECT 0x10u
#define NG_LABEL_DISCONNECT 0x11u

/* A handler returns this instead of an error code when it will answer later (ng_reply_save). */
#define NG_DEFERRED (-1)

typedef struct ng_msg {
    ng_word_t label;                 /* request: method label; reply: error code */
    unsigned len;                    /* words used in mr[] */
    unsigned ncaps;                  /* caps in caps[] */
    ng_word_t *mr;                   /* message words (the IPC buffer on seL4) */
    ng_cptr_t caps[NG_MSG_MAX_CAPS]; /* send: slots to transfer; receive: slots where they landed */
    /* receive: for a cap the kernel unwrapped (caps[i] == 0: a badged cap to the very endpoint
     * the message travelled on), the badge it carried; 0 otherwise */
    ng_badge_t cap_badges[NG_MSG_MAX_CAPS];
    uint8_t *shm;                    /* shared buffer for payloads beyond the IPC buffer, or NULL */
    size_t shm_size;
} ng_msg_t;

/* What a slot of the thread's CSpace holds (ng_cap_kind in <neptune/ipc.h>). */
enum {
    NG_CAP_UNKNOWN = 0, /* the target cannot tell (seL4 release builds: see docs/transport.md) */
    NG_CAP_EMPTY = 1,
    NG_CAP_ENDPOINT = 2,
    NG_CAP_NOTIFICATION = 3,
    NG_CAP_OTHER = 4, /* a cap of another kind (CNode, frame, IRQ handler, reply, ...) */
};

/* Whether an outgoing message fits every transport (docs/transport.md): at most
 * NG_MSG_MAX_WORDS words and NG_MSG_MAX_CAPS caps, a label of at most NG_MSG_MAX_LABEL. A
 * transport refuses a request that does not (NG_EBADMSG, nothing sent) and turns such a reply
 * into the error reply NG_EINTERNAL. */
static inline int ng_msg_fits(const ng_msg_t *m)
{
    return m->len <= NG_MSG_MAX_WORDS && m->ncaps <= NG_MSG_MAX_CAPS && m->label <= NG_MSG_MAX_LABEL;
}

/* A borrowed view of a `str` or `bytes` field: points into the message (or shared buffer) and is
 * valid until the next IPC on this thread. Copy it to keep it. Not NUL-terminated. */
typedef struct ng_str {
    const char *ptr;
    size_t len;
} ng_str_t;

typedef struct ng_bytes {
    const uint8_t *ptr;
    size_t len;
} ng_bytes_t;

static inline ng_str_t ng_str(const char *s)
{
    ng_str_t v = { s, s ? strlen(s) : 0 };
    return v;
}

static inline ng_bytes_t ng_bytes(const void *p, size_t len)
{
    ng_bytes_t v = { (const uint8_t *)p, len };
    return v;
}

/* Words a payload of `len` bytes occupies. */
static inline size_t ng_words_for(size_t len)
{
    return (len + NG_WORD_BYTES - 1) / NG_WORD_BYTES;
}

/* One incoming call as a server handler sees it. */
typedef struct ng_call {
    ng_badge_t badge; /* names the caller: see the server's <server>_BADGE_* constants */
    ng_msg_t *msg;    /* request on entry; the dispatcher encodes the reply into it. NULL when
                         the serve loop's register fast path decoded the request (scalar-only
                         methods: see ng_recv_fast in <neptune/ipc.h>) */
    void *server;     /* the transport's ng_server_t, for ng_reply_save */
} ng_call_t;

/* ---------------------------------------------------------------------------------------------
 * Helpers for generated marshalling and dispatch code (portable: no transport needed).
 */

/* What a generated <iface>_dispatch() did with a message. */
enum {
    NG_DISPATCH_NONE = 0,    /* the label is not one of this interface's methods */
    NG_DISPATCH_REPLY = 1,   /* m holds the reply to send */
    NG_DISPATCH_NOREPLY = 2, /* oneway, or the handler deferred its reply: send nothing */
};

/* Offset of the next payload in a shared buffer: every payload starts 8-byte aligned. */
static inline size_t ng_shm_align(size_t off)
{
    return (off + (NG_WORD_BYTES - 1)) & ~(size_t)(NG_WORD_BYTES - 1);
}

/* Copy a payload into the message words from word `pos` on, zeroing the unused tail of its last
 * word (no stale IPC-buffer bytes leak to the receiver). Returns the word after it. The caller
 * checked that it fits. `src` must not point into m->mr. */
static inline size_t ng_msg_put_payload(ng_msg_t *m, size_t pos, const void *src, size_t len)
{
    size_t words = ng_words_for(len);
    if (words != 0) {
        m->mr[pos + words - 1] = 0;
        memcpy(&m->mr[pos], src, len);
    }
    return pos + words;
}

/* Turn m into an error reply: label = err, no words, no caps. */
static inline void ng_msg_set_error(ng_msg_t *m, int err)
{
    m->label = (ng_word_t)err;
    m->len = 0;
    m->ncaps = 0;
}

/* The error an error reply carries: its label, if the reply is well formed (no words, no caps,
 * a label that fits an int); NG_EBADMSG otherwise. Only for replies whose label is not NG_OK. */
static inline int ng_reply_error(const ng_msg_t *m)
{
    if (m->len != 0 || m->ncaps != 0 || m->label > 0x7fffffffu) {
        return NG_EBADMSG;
    }
    return (int)m->label;
}
