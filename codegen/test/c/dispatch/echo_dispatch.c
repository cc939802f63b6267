/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Drives the generated echo dispatcher and echo server's serve loop (fixtures/emit) over the stub
 * transport with handcrafted messages: good requests, unknown labels, malformed messages, a
 * missing handler, errors outside `raises`, a oneway, a deferred reply, a reply that hands back a
 * view into the request, and per-badge routing (least privilege); in the serve loop, also which
 * path answered (register fast path or generic dispatch) and the fast path's error rules. Prints
 *   dispatch: <checks> checks, <failed> failed
 */
#include <stdio.h>
#include <stdlib.h>

#include "server_gen.h" /* the server wrapper of echo (servers/echo is on the include path) */

static unsigned checks, failed;

#define CHECK(cond)                                                        \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            failed++;                                                      \
            printf("FAIL line %d: %s\n", __LINE__, #cond);                 \
        }                                                                  \
    } while (0)

/* --- handlers --------------------------------------------------------------------------------- */

struct state {
    unsigned logs;
    int last_level;
    ng_reply_t saved;
    int has_saved;
    uint32_t saved_ticks;
};

static int on_add(void *ctx, ng_call_t *call, const echo_add_req_t *req, echo_add_rep_t *rep)
{
    (void)ctx;
    (void)call;
    if (req->a == 7) return ECHO_ERR_EMPTY;  /* not in add's raises: must become NG_EINTERNAL */
    if (req->a == 8) return NG_EDENIED;      /* generic codes pass */
    if (req->a == 9) return 12345;           /* undeclared: NG_EINTERNAL */
    if (req->a + req->b < req->a) return ECHO_ERR_OVERFLOW;
    rep->sum = req->a + req->b;
    return NG_OK;
}

static int on_echo(void *ctx, ng_call_t *call, const echo_echo_req_t *req, echo_echo_rep_t *rep)
{
    (void)ctx;
    (void)call;
    if (req->s.len == 0) return ECHO_ERR_EMPTY;
    rep->s = req->s; /* a view into the request words: the dispatcher must cope */
    return NG_OK;
}

static int on_wait(void *ctx, ng_call_t *call, const echo_wait_req_t *req, echo_wait_rep_t *rep)
{
    struct state *st = ctx;
    (void)rep;
    if (ng_reply_save((ng_server_t *)call->server, &st->saved) != NG_OK) return NG_ENOMEM;
    st->has_saved = 1;
    st->saved_ticks = req->ticks;
    return NG_DEFERRED;
}

static int on_ping(void *ctx, ng_call_t *call)
{
    (void)ctx;
    (void)call;
    return NG_OK;
}

static void on_log(void *ctx, ng_call_t *call, const echo_log_req_t *req)
{
    struct state *st = ctx;
    (void)call;
    st->logs++;
    st->last_level = req->level;
}

static const echo_ops_t echo_ops = {
    .add = on_add, .echo = on_echo, .wait = on_wait, .ping = on_ping, .log = on_log, .missing = NULL,
};

static int on_owner(void *ctx, ng_call_t *call, const proc_owner_req_t *req, proc_owner_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->t = req->p.t;
    rep->st = req->st;
    rep->m = FS_MODE_WRITE;
    return NG_OK;
}

static const proc_ops_t proc_ops = { .owner = on_owner };

/* --- direct dispatch -------------------------------------------------------------------------- */

static ng_word_t words[NG_MSG_MAX_WORDS];

static ng_msg_t msg(ng_word_t label, unsigned len)
{
    ng_msg_t m;
    memset(&m, 0, sizeof(m));
    m.label = label;
    m.len = len;
    m.mr = words;
    return m;
}

static int dispatch(struct state *st, ng_server_t *s, ng_msg_t *m)
{
    ng_call_t call = { 1, m, s };
    return echo_dispatch(&echo_ops, st, &call);
}

static ng_msg_t last_deferred;
static void reply_hook(ng_server_t *s, ng_reply_t r, const ng_msg_t *m)
{
    (void)s;
    (void)r;
    last_deferred = *m;
}

static void direct(struct state *st, ng_server_t *s)
{
    ng_msg_t m;

    m = msg(ECHO_ADD_LABEL, 2);
    words[0] = 2;
    words[1] = 3;
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY);
    CHECK(m.label == NG_OK && m.len == 1 && m.ncaps == 0 && words[0] == 5);

    m = msg(ECHO_ADD_LABEL, 2);
    words[0] = UINT64_MAX;
    words[1] = 2;
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == ECHO_ERR_OVERFLOW && m.len == 0);

    m = msg(ECHO_ADD_LABEL, 2);
    words[0] = 7;
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == NG_EINTERNAL);
    m = msg(ECHO_ADD_LABEL, 2);
    words[0] = 8;
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == NG_EDENIED);
    m = msg(ECHO_ADD_LABEL, 2);
    words[0] = 9;
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == NG_EINTERNAL);

    /* malformed: short, long, a cap too many */
    m = msg(ECHO_ADD_LABEL, 1);
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == NG_EBADMSG && m.len == 0);
    m = msg(ECHO_ADD_LABEL, 3);
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == NG_EBADMSG);
    m = msg(ECHO_ADD_LABEL, 2);
    m.ncaps = 1;
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == NG_EBADMSG && m.ncaps == 0);

    /* not echo's */
    m = msg(0x999, 0);
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_NONE && m.label == 0x999);
    m = msg(PROC_OWNER_LABEL, 0);
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_NONE);

    /* missing handler */
    m = msg(ECHO_MISSING_LABEL, 1);
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == NG_ENOSYS);

    /* echo: the reply reuses the request's bytes */
    {
        static const char text[] = "a string longer than one word, echoed back";
        echo_echo_req_t req = { { text, sizeof(text) - 1 } };
        m = msg(0, 0);
        CHECK(echo_echo_req_encode(&m, &req) == NG_OK);
        CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY);
        echo_echo_rep_t rep;
        CHECK(echo_echo_rep_decode(&m, &rep) == NG_OK);
        CHECK(rep.s.len == sizeof(text) - 1 && memcmp(rep.s.ptr, text, rep.s.len) == 0);
        m = msg(ECHO_ECHO_LABEL, 1);
        words[0] = 0;
        CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == ECHO_ERR_EMPTY);
        m = msg(ECHO_ECHO_LABEL, 1);
        words[0] = 9; /* says 9 bytes, carries none */
        CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == NG_EBADMSG);
    }

    /* ping: no args, no results */
    m = msg(ECHO_PING_LABEL, 0);
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_REPLY && m.label == NG_OK && m.len == 0);

    /* oneway: no reply, handler only for a good message */
    {
        echo_log_req_t req = { -3, { "hi", 2 } };
        m = msg(0, 0);
        CHECK(echo_log_req_encode(&m, &req) == NG_OK);
        CHECK(dispatch(st, s, &m) == NG_DISPATCH_NOREPLY && st->logs == 1 && st->last_level == -3);
        m = msg(ECHO_LOG_LABEL, 2);
        words[0] = 1000; /* out of int8 range */
        words[1] = 0;
        CHECK(dispatch(st, s, &m) == NG_DISPATCH_NOREPLY && st->logs == 1);
    }

    /* deferred: no reply now, echo_wait_reply later */
    m = msg(ECHO_WAIT_LABEL, 1);
    words[0] = 42;
    CHECK(dispatch(st, s, &m) == NG_DISPATCH_NOREPLY && st->has_saved && s->nsaved == 1);
    {
        echo_wait_rep_t rep = { st->saved_ticks - 1 };
        CHECK(echo_wait_reply(s, st->saved, NG_OK, &rep) == NG_OK && s->nsaved == 0);
        CHECK(last_deferred.label == NG_OK && last_deferred.len == 1 && last_deferred.mr[0] == 41);
        CHECK(echo_wait_reply(s, st->saved, ECHO_ERR_OVERFLOW, NULL) == NG_OK);
        CHECK(last_deferred.label == ECHO_ERR_OVERFLOW && last_deferred.len == 0);
        CHECK(echo_wait_reply(s, st->saved, 99, NULL) == NG_OK && last_deferred.label == NG_EINTERNAL);
    }
}

/* --- the serve loop --------------------------------------------------------------------------- */

/* How the loop must answer a step: on the register fast path (ng_reply_recv_fast, no
 * ng_recv_done) or through the generic dispatch (ng_msg_from_fast + ng_recv_done). */
enum { GEN = 0, FAST = 1 };

struct step {
    ng_badge_t badge;
    ng_word_t label;
    unsigned len;
    ng_word_t w0, w1;
    int expect_reply;    /* 1: the handler's reply, 0: none (oneway, deferred): NG_EBADMSG for a caller */
    ng_word_t expect_label;
    int path;            /* FAST or GEN */
    unsigned ncaps;
};

static const struct step script[] = {
    { ECHO_BADGE_CLIENT_ECHO, ECHO_ADD_LABEL, 2, 40, 2, 1, NG_OK, FAST, 0 },
    /* the echo client may not call proc on the same endpoint */
    { ECHO_BADGE_CLIENT_ECHO, PROC_OWNER_LABEL, 0, 0, 0, 1, NG_ENOSYS, GEN, 0 },
    /* the proc client reaches proc (a malformed call: EBADMSG comes from proc's decoder) */
    { ECHO_BADGE_CLIENT_PROC, PROC_OWNER_LABEL, 0, 0, 0, 1, NG_EBADMSG, GEN, 0 },
    /* …but not echo, not even on the fast path */
    { ECHO_BADGE_CLIENT_PROC, ECHO_ADD_LABEL, 2, 1, 1, 1, NG_ENOSYS, GEN, 0 },
    /* a run-time badge reaches every served interface */
    { ECHO_DYNAMIC_BADGE_BASE + 3, ECHO_ADD_LABEL, 2, 1, 1, 1, NG_OK, FAST, 0 },
    { ECHO_DYNAMIC_BADGE_BASE + 3, PROC_OWNER_LABEL, 1, 0, 0, 1, NG_EBADMSG, GEN, 0 },
    /* an unknown static badge reaches nothing */
    { 77, ECHO_ADD_LABEL, 2, 1, 1, 1, NG_ENOSYS, GEN, 0 },
    /* a oneway (a string: generic) and a deferred call (fast): the loop only receives after them */
    { ECHO_BADGE_CLIENT_ECHO, ECHO_LOG_LABEL, 2, 1, 0, 0, 0, GEN, 0 },
    { ECHO_BADGE_CLIENT_ECHO, ECHO_WAIT_LABEL, 1, 5, 0, 0, 0, FAST, 0 },
    { ECHO_BADGE_CLIENT_ECHO, ECHO_PING_LABEL, 0, 0, 0, 1, NG_OK, FAST, 0 },
    /* fast path errors, with the dispatcher's rules: raised, generic, not raised, undeclared */
    { ECHO_BADGE_CLIENT_ECHO, ECHO_ADD_LABEL, 2, UINT64_MAX, 2, 1, ECHO_ERR_OVERFLOW, FAST, 0 },
    { ECHO_BADGE_CLIENT_ECHO, ECHO_ADD_LABEL, 2, 8, 0, 1, NG_EDENIED, FAST, 0 },
    { ECHO_BADGE_CLIENT_ECHO, ECHO_ADD_LABEL, 2, 7, 0, 1, NG_EINTERNAL, FAST, 0 },
    { ECHO_BADGE_CLIENT_ECHO, ECHO_ADD_LABEL, 2, 9, 0, 1, NG_EINTERNAL, FAST, 0 },
    /* a bad scalar leaves the fast path: the generic decoder answers NG_EBADMSG */
    { ECHO_BADGE_CLIENT_ECHO, ECHO_WAIT_LABEL, 1, (ng_word_t)UINT32_MAX + 1, 0, 1, NG_EBADMSG, GEN, 0 },
    /* no handler: NG_ENOSYS from the generic path (also with a value out of range) */
    { ECHO_BADGE_CLIENT_ECHO, ECHO_MISSING_LABEL, 1, 3, 0, 1, NG_ENOSYS, GEN, 0 },
    { ECHO_BADGE_CLIENT_ECHO, ECHO_MISSING_LABEL, 1, (ng_word_t)1 << 40, 0, 1, NG_ENOSYS, GEN, 0 },
    /* not the fast method's shape: a cap, 5 words, 1 word */
    { ECHO_BADGE_CLIENT_ECHO, ECHO_ADD_LABEL, 2, 1, 1, 1, NG_EBADMSG, GEN, 1 },
    { ECHO_BADGE_CLIENT_ECHO, ECHO_ADD_LABEL, 5, 1, 1, 1, NG_EBADMSG, GEN, 0 },
    { ECHO_BADGE_CLIENT_ECHO, ECHO_ADD_LABEL, 1, 1, 1, 1, NG_EBADMSG, GEN, 0 },
    /* back on the fast path after the generic replies */
    { ECHO_DYNAMIC_BADGE_BASE, ECHO_ADD_LABEL, 2, 20, 22, 1, NG_OK, FAST, 0 },
};

struct loop {
    unsigned next;
    unsigned generic; /* steps so far that took the generic path */
    unsigned fast_replies;
    struct state *st;
};

static void recv_hook(ng_server_t *s, const ng_msg_t *reply, ng_msg_t *m, ng_badge_t *badge)
{
    struct loop *lp = s->test;
    if (lp->next > 0) {
        const struct step *prev = &script[lp->next - 1];
        /* Every request is answered: a oneway or deferred one with the NG_EBADMSG a caller that
         * used call gets (the transport skips it when nobody waits). */
        CHECK(reply != NULL);
        if (reply != NULL && !prev->expect_reply) {
            CHECK(reply->label == NG_EBADMSG && reply->len == 0 && reply->ncaps == 0);
        }
        if (prev->path == GEN) {
            lp->generic++;
        } else {
            lp->fast_replies++;
        }
        if (reply != NULL && prev->expect_reply) {
            CHECK(reply->label == prev->expect_label);
            CHECK(reply->ncaps == 0);
            if (prev->label == ECHO_ADD_LABEL && prev->expect_label == NG_OK) {
                CHECK(reply->len == 1 && reply->mr[0] == prev->w0 + prev->w1);
            } else if (prev->expect_label != NG_OK) {
                CHECK(reply->len == 0);
            }
        }
        /* which path answered: ng_recv_done runs on the generic one only */
        CHECK(s->recv_done == lp->generic);
        CHECK(s->fast_replies == lp->fast_replies);
    }
    if (lp->next == sizeof(script) / sizeof(script[0])) {
        CHECK(lp->st->logs == 2 && s->nsaved == 1 && lp->st->saved_ticks == 5);
        CHECK(lp->generic == 12 && lp->fast_replies == 9);
        printf("dispatch: %u checks, %u failed\n", checks, failed);
        exit(failed != 0);
    }
    const struct step *st = &script[lp->next++];
    m->label = st->label;
    m->len = st->len;
    m->ncaps = st->ncaps;
    m->caps[0] = st->ncaps ? ECHO_CAP_RECV : 0;
    m->mr[0] = st->w0;
    m->mr[1] = st->w1;
    m->mr[2] = m->mr[3] = m->mr[4] = 0x5a5a;
    *badge = st->badge;
}

int main(void)
{
    struct state st;
    ng_server_t s;
    memset(&st, 0, sizeof(st));
    memset(&s, 0, sizeof(s));
    echo_server_init(&s);
    CHECK(s.ep == ECHO_CAP_EP && s.recv_slot == ECHO_CAP_RECV && s.nreply == 2);
    ng_stub_reply_hook = reply_hook;
    direct(&st, &s);

    struct loop lp = { 0, 0, 0, &st };
    const echo_server_ops_t ops = { .echo = &echo_ops, .proc = &proc_ops };
    memset(&st, 0, sizeof(st));
    st.logs = 1;
    s.nsaved = 0;
    s.recv_done = 0;
    s.test = &lp;
    s.recv_hook = recv_hook;
    echo_serve(&s, &ops, &st);
    return 2; /* not reached: the hook ends the program */
}
