// SPDX-License-Identifier: BSD-2-Clause
/**
 * The fixed C of every fuzz harness (emit/fuzz.ts prints the per-decoder parts between them):
 * FUZZ_PRELUDE (includes, ASan poisoning, NG_FZ_CHECK, the input flags, message set-up and the
 * result rule every decoder obeys) before the interface's decoder cases, and FUZZ_MAIN
 * (LLVMFuzzerInitialize: NG_FUZZ_DECODER / NG_FUZZ_LIST; LLVMFuzzerTestOneInput: input split)
 * after the decoder table. It expects NG_FZ_SHM_MAX defined before, and ng_fz_decoders /
 * NG_FZ_NDECODERS before FUZZ_MAIN.
 */

export const FUZZ_PRELUDE = String.raw`
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <neptune/msg.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define NG_FZ_POISON(p, n) __asan_poison_memory_region((p), (n))
#define NG_FZ_UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#endif
#endif
#ifndef NG_FZ_POISON
#define NG_FZ_POISON(p, n) ((void)(p), (void)(n))
#define NG_FZ_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* The dispatcher asks the transport what kind of cap it received (ng_cap_is); the harness has
 * no CSpace, so every cap is taken as declared, as a target that cannot tell does. */
int ng_cap_kind(ng_cptr_t slot)
{
    (void)slot;
    return NG_CAP_UNKNOWN;
}

/* A broken promise: say which, then crash so that libFuzzer keeps the input. */
#define NG_FZ_CHECK(cond)                                                                        \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            fprintf(stderr, "ng-fuzz: invariant violated in %s (line %d): %s\n", __func__,       \
                    __LINE__, #cond);                                                            \
            __builtin_trap();                                                                    \
        }                                                                                        \
    } while (0)

/* Flags byte: which parts of the message the harness makes consistent before decoding. */
enum {
    NG_FZ_LABEL_MASK = 0x03,  /* 0, 1: the right label; 2: a small one (0..63); 3: the raw one */
    NG_FZ_FIX_LEN = 0x04,     /* len: what the (fixed-up) length words need; else any 0..120 */
    NG_FZ_FIX_NCAPS = 0x08,   /* ncaps: what the message carries; else any 0..3 */
    NG_FZ_FIX_SCALARS = 0x10, /* scalar words brought into the range of their type */
    NG_FZ_FIX_VARS = 0x20,    /* length words within their bound and the room left */
    NG_FZ_FIX_SHM = 0x40,     /* shared buffer at least as large as the lengths need */
    NG_FZ_NULL_SHM = 0x80,    /* no shared buffer at all (unless NG_FZ_FIX_SHM) */
    NG_FZ_FIX_ALL = NG_FZ_FIX_LEN | NG_FZ_FIX_NCAPS | NG_FZ_FIX_SCALARS | NG_FZ_FIX_VARS | NG_FZ_FIX_SHM,
};

/* One fuzz input, split up; the message words are already in ng_fz_mr. */
typedef struct ng_fz_case {
    unsigned flags;
    ng_word_t label;
    unsigned len;
    unsigned ncaps;
    ng_cptr_t caps[NG_MSG_MAX_CAPS];
    size_t shm_size;
    unsigned method; /* dispatch: which method the request is for */
    unsigned aux;    /* dispatch: what the handler does (NG_FZ_H_*) */
    const uint8_t *rest; /* input from the message words on: words, then shared buffer bytes */
    size_t nrest;
} ng_fz_case_t;

typedef struct ng_fz_decoder {
    const char *name;
    void (*run)(const ng_fz_case_t *c);
} ng_fz_decoder_t;

/* Inputs per decoder, and how many it accepted: a harness that never gets past a decoder's
 * first check proves nothing, so the totals are printed at exit. */
static unsigned long long ng_fz_tried[256];
static unsigned long long ng_fz_accepted[256];
static size_t ng_fz_current;

/* The IPC buffer's message words: always 120, those beyond len poisoned (a decoder must not
 * look past len). The second one receives re-encoded messages; the third holds the results a
 * dispatch handler returns, the fourth a copy of a request. */
static _Alignas(64) ng_word_t ng_fz_mr[NG_MSG_MAX_WORDS];
static _Alignas(64) ng_word_t ng_fz_mr2[NG_MSG_MAX_WORDS];
static _Alignas(64) ng_word_t ng_fz_mr3[NG_MSG_MAX_WORDS];
static _Alignas(64) ng_word_t ng_fz_snap[NG_MSG_MAX_WORDS];

static void ng_fz_poison_tail(const ng_msg_t *m)
{
    NG_FZ_POISON((void *)&m->mr[m->len], (NG_MSG_MAX_WORDS - m->len) * sizeof(ng_word_t));
}

/* The message is well formed by construction: the right label and everything fixed up. */
static int ng_fz_all_fixed(const ng_fz_case_t *c)
{
    return (c->flags & NG_FZ_LABEL_MASK) < 2 && (c->flags & NG_FZ_FIX_ALL) == NG_FZ_FIX_ALL;
}

/* Build the message a decoder sees: label, len, ncaps as the flags say, the shared buffer
 * malloc'd to exactly its size (ASan sees every byte past it) and filled from the input
 * bytes after the words in use. */
static void ng_fz_setup(const ng_fz_case_t *c, ng_msg_t *m, ng_word_t label, unsigned ncaps,
                        size_t want_len, size_t shm_need)
{
    memset(m, 0, sizeof(*m));
    switch (c->flags & NG_FZ_LABEL_MASK) {
    case 2:
        m->label = c->label & 0x3f;
        break;
    case 3:
        m->label = c->label;
        break;
    default:
        m->label = label;
        break;
    }
    m->len = (c->flags & NG_FZ_FIX_LEN) ? (unsigned)want_len : c->len % (NG_MSG_MAX_WORDS + 1);
    if (m->len > NG_MSG_MAX_WORDS) {
        m->len = NG_MSG_MAX_WORDS; /* the transport never delivers more */
    }
    m->ncaps = (c->flags & NG_FZ_FIX_NCAPS) ? ncaps : c->ncaps % (NG_MSG_MAX_CAPS + 1);
    memcpy(m->caps, c->caps, sizeof(m->caps));
    m->mr = ng_fz_mr;
    if ((c->flags & (NG_FZ_FIX_SHM | NG_FZ_NULL_SHM)) != NG_FZ_NULL_SHM) {
        size_t size = (c->flags & NG_FZ_FIX_SHM) ? shm_need + c->shm_size % 16
                                                 : c->shm_size % (NG_FZ_SHM_MAX + 1);
        m->shm = malloc(size);
        if (m->shm == NULL && size != 0) {
            abort();
        }
        m->shm_size = size;
        size_t from = (size_t)m->len * NG_WORD_BYTES;
        size_t avail = c->nrest > from ? c->nrest - from : 0;
        size_t k = avail < size ? avail : size;
        if (k != 0) {
            memcpy(m->shm, c->rest + from, k);
        }
        if (size > k) {
            memset(m->shm + k, 0, size - k);
        }
    }
    ng_fz_poison_tail(m);
}

/* An empty message to re-encode into: fresh words and a shared buffer of the same size. */
static void ng_fz_setup_copy(const ng_msg_t *m, ng_msg_t *m2)
{
    NG_FZ_UNPOISON(ng_fz_mr2, sizeof(ng_fz_mr2));
    memset(ng_fz_mr2, 0xcc, sizeof(ng_fz_mr2));
    memset(m2, 0, sizeof(*m2));
    m2->mr = ng_fz_mr2;
    if (m->shm != NULL) {
        m2->shm = malloc(m->shm_size);
        if (m2->shm == NULL && m->shm_size != 0) {
            abort();
        }
        if (m->shm_size != 0) {
            memset(m2->shm, 0xcc, m->shm_size);
        }
        m2->shm_size = m->shm_size;
    }
}

static void ng_fz_release(ng_msg_t *m)
{
    free(m->shm);
    m->shm = NULL;
    NG_FZ_UNPOISON(m->mr, NG_MSG_MAX_WORDS * sizeof(ng_word_t));
}

/* What a decoder may return: NG_OK or NG_EBADMSG; for a reply whose label is not NG_OK, the
 * label if the error reply is well formed (no words, no caps, fits an int), else NG_EBADMSG. */
static void ng_fz_check_rc(const ng_msg_t *m, int rc, int reply)
{
    if (reply && m->label != NG_OK) {
        int want = (m->len == 0 && m->ncaps == 0 && m->label <= 0x7fffffffu) ? (int)m->label
                                                                              : NG_EBADMSG;
        NG_FZ_CHECK(rc == want);
    } else {
        NG_FZ_CHECK(rc == NG_OK || rc == NG_EBADMSG);
    }
}
`;

export const FUZZ_MAIN = String.raw`
static int ng_fz_only = -1;

static void ng_fz_report(void)
{
    for (size_t i = 0; i < NG_FZ_NDECODERS; i++) {
        if (ng_fz_tried[i] != 0) {
            fprintf(stderr, "ng-fuzz: decoder %s: %llu inputs, %llu accepted\n", ng_fz_decoders[i].name,
                    ng_fz_tried[i], ng_fz_accepted[i]);
        }
    }
}

/* NG_FUZZ_DECODER=<name> fuzzes one decoder only; NG_FUZZ_LIST=1 prints the names and exits. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (getenv("NG_FUZZ_LIST") != NULL) {
        for (size_t i = 0; i < NG_FZ_NDECODERS; i++) {
            printf("%s\n", ng_fz_decoders[i].name);
        }
        exit(0);
    }
    const char *only = getenv("NG_FUZZ_DECODER");
    if (only != NULL && only[0] != '\0') {
        for (size_t i = 0; i < NG_FZ_NDECODERS; i++) {
            if (strcmp(ng_fz_decoders[i].name, only) == 0) {
                ng_fz_only = (int)i;
            }
        }
        if (ng_fz_only < 0) {
            fprintf(stderr, "ng-fuzz: no decoder '%s' here (NG_FUZZ_LIST=1 lists them)\n", only);
            exit(2);
        }
    }
    atexit(ng_fz_report);
    return 0;
}

/* Little-endian from the input; missing bytes read as 0. */
static uint64_t ng_fz_take(const uint8_t **p, size_t *n, size_t bytes)
{
    uint64_t v = 0;
    size_t k = bytes < *n ? bytes : *n;
    for (size_t i = 0; i < k; i++) {
        v |= (uint64_t)(*p)[i] << (8 * i);
    }
    *p += k;
    *n -= k;
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t n = size;
    ng_fz_case_t c;
    size_t sel = (size_t)ng_fz_take(&p, &n, 1);
    c.flags = (unsigned)ng_fz_take(&p, &n, 1);
    c.label = (ng_word_t)ng_fz_take(&p, &n, 8);
    c.len = (unsigned)ng_fz_take(&p, &n, 1);
    c.ncaps = (unsigned)ng_fz_take(&p, &n, 1);
    for (size_t i = 0; i < NG_MSG_MAX_CAPS; i++) {
        c.caps[i] = (ng_cptr_t)ng_fz_take(&p, &n, 8);
    }
    c.shm_size = (size_t)ng_fz_take(&p, &n, 2);
    c.method = (unsigned)ng_fz_take(&p, &n, 1);
    c.aux = (unsigned)ng_fz_take(&p, &n, 1);
    c.rest = p;
    c.nrest = n;
    NG_FZ_UNPOISON(ng_fz_mr, sizeof(ng_fz_mr));
    memset(ng_fz_mr, 0, sizeof(ng_fz_mr));
    if (n != 0) {
        memcpy(ng_fz_mr, p, n < sizeof(ng_fz_mr) ? n : sizeof(ng_fz_mr));
    }
    ng_fz_current = ng_fz_only >= 0 ? (size_t)ng_fz_only : sel % NG_FZ_NDECODERS;
    ng_fz_decoders[ng_fz_current].run(&c);
    return 0;
}
`;
