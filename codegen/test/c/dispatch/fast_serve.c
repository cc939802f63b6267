/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Drives the serve loop of emit-fastpath.test.ts's server fsrv (interface fp) over the stub
 * transport: each scripted request says which path must answer it -- the register fast path
 * (ng_reply_recv_fast, call->msg NULL, no ng_recv_done) or the generic dispatch -- and what the
 * reply must be: good scalars of every kind, each scalar check failing (generic NG_EBADMSG,
 * handler not called), a raised error, four words each way, five words, a cap, a five-word
 * reply, a fast oneway, a badge that reaches nothing. Prints
 *   fast: <checks> checks, <failed> failed
 */
#include <stdio.h>
#include <stdlib.h>

#include "server_gen.h" /* fsrv's wrapper (servers/fsrv is on the include path) */

static unsigned checks, failed;

#define CHECK(cond)                                                        \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            failed++;                                                      \
            printf("FAIL line %d: %s\n", __LINE__, #cond);                 \
        }                                                                  \
    } while (0)

/* --- handlers: each records how it was called ------------------------------------------------ */

struct state {
    unsigned calls;      /* handler calls */
    int last_fast;       /* the last call came through the fast path (call->msg == NULL) */
    ng_server_t *server;
    int8_t note_x;
    uint16_t note_y;
};

static void seen(struct state *st, ng_call_t *call)
{
    st->calls++;
    st->last_fast = call->msg == NULL;
    CHECK(call->server == st->server);
    CHECK(call->badge == FSRV_BADGE_CLIENT_FP || call->badge >= FSRV_DYNAMIC_BADGE_BASE);
}

static int on_set(void *ctx, ng_call_t *call, const fp_set_req_t *req, fp_set_rep_t *rep)
{
    seen(ctx, call);
    if (req->d == -7) return FP_ERR_NOPE;
    if (req->d == -8) return 1000; /* undeclared: NG_EINTERNAL */
    rep->m = req->m == FP_MODE_APPEND ? FP_MODE_READ : FP_MODE_APPEND;
    rep->on = !req->on;
    rep->c = (char)(req->c + 1);
    rep->d = (int16_t)(req->d - 1);
    return NG_OK;
}

static int on_four(void *ctx, ng_call_t *call, const fp_four_req_t *req, fp_four_rep_t *rep)
{
    seen(ctx, call);
    rep->a = req->d;
    rep->b = req->c;
    rep->c = req->b;
    rep->d = req->a;
    return NG_OK;
}

static int on_five(void *ctx, ng_call_t *call, const fp_five_req_t *req, fp_five_rep_t *rep)
{
    seen(ctx, call);
    rep->s = req->a + req->b + req->c + req->d + req->e;
    return NG_OK;
}

static int on_give(void *ctx, ng_call_t *call, const fp_give_req_t *req, fp_give_rep_t *rep)
{
    seen(ctx, call);
    rep->x = req->x + req->n;
    return NG_OK;
}

static int on_big(void *ctx, ng_call_t *call, const fp_big_req_t *req, fp_big_rep_t *rep)
{
    seen(ctx, call);
    rep->a = rep->b = rep->c = rep->d = rep->e = req->x;
    return NG_OK;
}

static void on_note(void *ctx, ng_call_t *call, const fp_note_req_t *req)
{
    struct state *st = ctx;
    seen(st, call);
    st->note_x = req->x;
    st->note_y = req->y;
}

static const fp_ops_t fp_ops = {
    .set = on_set, .four = on_four, .five = on_five, .give = on_give, .big = on_big, .note = on_note,
};

/* --- the script ------------------------------------------------------------------------------- */

enum { GEN = 0, FAST = 1 };
#define NEG(v) ((ng_word_t)(int64_t)(v))

struct step {
    ng_badge_t badge;
    ng_word_t label;
    unsigned len, ncaps;
    ng_word_t w[5];
    int path;            /* FAST or GEN */
    int handler;         /* the handler must run */
    int expect_reply;    /* the handler's reply; 0: none (oneway, deferred): NG_EBADMSG for a caller */
    ng_word_t rlabel;    /* the reply's label */
    unsigned rlen;
    ng_word_t r[5];
};

#define B FSRV_BADGE_CLIENT_FP
static const struct step script[] = {
    /* every kind of scalar, good: fast, and the reply encoded from the words */
    { B, FP_SET_LABEL, 4, 0, { FP_MODE_WRITE, 1, 'A', NEG(-5) }, FAST, 1, 1, NG_OK, 4, { FP_MODE_APPEND, 0, 'B', NEG(-6) } },
    { B, FP_SET_LABEL, 4, 0, { FP_MODE_APPEND, 0, 0xff, NEG(INT16_MIN + 1) }, FAST, 1, 1, NG_OK, 4, { FP_MODE_READ, 1, 0, NEG(INT16_MIN) } },
    /* each check failing: the generic decoder answers NG_EBADMSG, the handler does not run */
    { B, FP_SET_LABEL, 4, 0, { 3, 1, 'A', 0 }, GEN, 0, 1, NG_EBADMSG, 0, { 0 } },
    { B, FP_SET_LABEL, 4, 0, { 0, 1, 'A', 0 }, GEN, 0, 1, NG_EBADMSG, 0, { 0 } },
    { B, FP_SET_LABEL, 4, 0, { 0x101, 1, 'A', 0 }, GEN, 0, 1, NG_EBADMSG, 0, { 0 } },
    { B, FP_SET_LABEL, 4, 0, { FP_MODE_READ, 2, 'A', 0 }, GEN, 0, 1, NG_EBADMSG, 0, { 0 } },
    { B, FP_SET_LABEL, 4, 0, { FP_MODE_READ, 1, 0x100, 0 }, GEN, 0, 1, NG_EBADMSG, 0, { 0 } },
    { B, FP_SET_LABEL, 4, 0, { FP_MODE_READ, 1, 'A', 40000 }, GEN, 0, 1, NG_EBADMSG, 0, { 0 } },
    { B, FP_SET_LABEL, 4, 0, { FP_MODE_READ, 1, 'A', NEG(-40000) }, GEN, 0, 1, NG_EBADMSG, 0, { 0 } },
    /* errors: raised passes, undeclared becomes NG_EINTERNAL */
    { B, FP_SET_LABEL, 4, 0, { FP_MODE_READ, 1, 'A', NEG(-7) }, FAST, 1, 1, FP_ERR_NOPE, 0, { 0 } },
    { B, FP_SET_LABEL, 4, 0, { FP_MODE_READ, 1, 'A', NEG(-8) }, FAST, 1, 1, NG_EINTERNAL, 0, { 0 } },
    /* four words each way */
    { B, FP_FOUR_LABEL, 4, 0, { 1, 2, 3, 4 }, FAST, 1, 1, NG_OK, 4, { 4, 3, 2, 1 } },
    /* off the fast path: five words, a cap, a five-word reply; a wrong length or a cap too many */
    { B, FP_FIVE_LABEL, 5, 0, { 1, 2, 3, 4, 5 }, GEN, 1, 1, NG_OK, 1, { 15 } },
    { B, FP_GIVE_LABEL, 1, 1, { 40 }, GEN, 1, 1, NG_OK, 1, { 40 + FSRV_CAP_RECV } },
    { B, FP_BIG_LABEL, 1, 0, { 9 }, GEN, 1, 1, NG_OK, 5, { 9, 9, 9, 9, 9 } },
    { B, FP_FOUR_LABEL, 3, 0, { 1, 2, 3 }, GEN, 0, 1, NG_EBADMSG, 0, { 0 } },
    { B, FP_FOUR_LABEL, 4, 1, { 1, 2, 3, 4 }, GEN, 0, 1, NG_EBADMSG, 0, { 0 } },
    /* no handler: NG_ENOSYS from the generic path */
    { B, FP_NAME_LABEL, 1, 0, { 0 }, GEN, 0, 1, NG_ENOSYS, 0, { 0 } },
    /* a fast oneway: no reply; out of range: generic, dropped */
    { B, FP_NOTE_LABEL, 2, 0, { NEG(-3), 7 }, FAST, 1, 0, 0, 0, { 0 } },
    { B, FP_NOTE_LABEL, 2, 0, { 200, 7 }, GEN, 0, 0, 0, 0, { 0 } },
    { B, FP_NOTE_LABEL, 2, 0, { 1, 0x10000 }, GEN, 0, 0, 0, 0, { 0 } },
    /* a static badge that reaches nothing; a dynamic one that reaches fp */
    { 77, FP_FOUR_LABEL, 4, 0, { 1, 2, 3, 4 }, GEN, 0, 1, NG_ENOSYS, 0, { 0 } },
    { FSRV_DYNAMIC_BADGE_BASE + 1, FP_FOUR_LABEL, 4, 0, { 5, 6, 7, 8 }, FAST, 1, 1, NG_OK, 4, { 8, 7, 6, 5 } },
};
#define NSTEPS (sizeof(script) / sizeof(script[0]))

struct loop {
    unsigned next;
    unsigned generic, fast_replies, calls;
    struct state *st;
};

static void recv_hook(ng_server_t *s, const ng_msg_t *reply, ng_msg_t *m, ng_badge_t *badge)
{
    struct loop *lp = s->test;
    if (lp->next > 0) {
        const struct step *p = &script[lp->next - 1];
        unsigned line = lp->next;
        if (p->path == GEN) {
            lp->generic++;
        } else {
            lp->fast_replies++;
        }
        if (p->handler) lp->calls++;
        /* Every request is answered: a oneway or deferred one with the NG_EBADMSG a caller that
         * used call gets (the transport skips it when nobody waits). */
        if (reply == NULL) printf("step %u: no reply\n", line);
        CHECK(reply != NULL);
        if (reply != NULL && !p->expect_reply) {
            CHECK(reply->label == NG_EBADMSG && reply->len == 0 && reply->ncaps == 0);
        }
        if (reply != NULL && p->expect_reply) {
            if (reply->label != p->rlabel) printf("step %u: label %lu\n", line, (unsigned long)reply->label);
            CHECK(reply->label == p->rlabel);
            CHECK(reply->len == p->rlen);
            CHECK(reply->ncaps == 0);
            for (unsigned i = 0; i < p->rlen && i < reply->len; i++) CHECK(reply->mr[i] == p->r[i]);
        }
        /* the path: ng_recv_done runs on the generic one only, fast replies on the fast one */
        if (s->recv_done != lp->generic) printf("step %u: generic path %u, expected %u\n", line, s->recv_done, lp->generic);
        CHECK(s->recv_done == lp->generic);
        CHECK(s->fast_replies == lp->fast_replies);
        CHECK(lp->st->calls == lp->calls);
        if (p->handler) CHECK(lp->st->last_fast == (p->path == FAST));
    }
    if (lp->next == NSTEPS) {
        CHECK(lp->st->note_x == -3 && lp->st->note_y == 7);
        CHECK(lp->generic == 16 && lp->fast_replies == 7 && lp->calls == 10);
        printf("fast: %u checks, %u failed\n", checks, failed);
        exit(failed != 0);
    }
    const struct step *st = &script[lp->next++];
    m->label = st->label;
    m->len = st->len;
    m->ncaps = st->ncaps;
    m->caps[0] = st->ncaps ? FSRV_CAP_RECV : 0;
    for (unsigned i = 0; i < 5; i++) m->mr[i] = i < st->len ? st->w[i] : 0xa5a5;
    *badge = st->badge;
}

int main(void)
{
    static const fsrv_server_ops_t ops = { .fp = &fp_ops };
    struct state st;
    ng_server_t s;
    memset(&st, 0, sizeof(st));
    memset(&s, 0, sizeof(s));
    fsrv_server_init(&s);
    st.server = &s;
    struct loop lp = { 0, 0, 0, 0, &st };
    s.test = &lp;
    s.recv_hook = recv_hook;
    fsrv_serve(&s, &ops, &st);
    return 2; /* not reached: the hook ends the program */
}
