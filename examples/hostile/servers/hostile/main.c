/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hostile client: everything a client can get wrong, on purpose, against `target`, one
 * outcome line per case,
 *   hostile: <case>: <what came back>
 * the same on seL4 and on the host target (docs/transport.md says why each is what it is).
 * Messages are built by hand (ng_msg_start, raw words, labels and caps) where the generated stubs
 * would not let it go wrong.
 */
#include <stdio.h>

#include "server_gen.h"

#define FLOOD 2000u
#define FLOOD_FIRST 1000000u /* target tells flood pings by their sequence numbers */

static const char *err_name(ng_word_t e)
{
    switch (e) {
    case NG_OK:
        return "NG_OK";
    case NG_EBADMSG:
        return "NG_EBADMSG";
    case NG_ENOSYS:
        return "NG_ENOSYS";
    case NG_EDENIED:
        return "NG_EDENIED";
    case NG_ENOMEM:
        return "NG_ENOMEM";
    case NG_EINTERNAL:
        return "NG_EINTERNAL";
    case NG_EIPC:
        return "NG_EIPC";
    default:
        return "another error";
    }
}

/* A raw call: what came back is the transport's error, or else the reply's label. */
static ng_word_t raw_call(ng_cptr_t ep, ng_word_t label, unsigned len, unsigned ncaps, ng_cptr_t cap)
{
    ng_msg_t m;
    ng_msg_start(&m, label);
    for (unsigned i = 0; i < len && i < NG_MSG_MAX_WORDS; i++) {
        m.mr[i] = i + 1;
    }
    m.len = len;
    for (unsigned i = 0; i < ncaps && i < NG_MSG_MAX_CAPS; i++) {
        m.caps[i] = cap;
    }
    m.ncaps = ncaps;
    int err = ng_call(ep, &m);
    return err != NG_OK ? (ng_word_t)err : m.label;
}

static void outcome(const char *what, ng_word_t got)
{
    printf("hostile: %s: %s\n", what, err_name(got));
}

/* share_ntfn with `cap` as its notification (ncaps 0: none). */
static void share(const char *what, unsigned ncaps, ng_cptr_t cap)
{
    outcome(what, raw_call(HOSTILE_CAP_ECHO, ECHO_SHARE_NTFN_LABEL, 0, ncaps, cap));
}

static void flood(void)
{
    echo_client_t echo = hostile_use_echo();
    unsigned sent = 0, enosys = 0;
    for (unsigned i = 0; i < FLOOD; i++) {
        sent += echo_ping(&echo, FLOOD_FIRST + i) == NG_OK;
    }
    for (unsigned i = 0; i < FLOOD; i++) {
        enosys += raw_call(HOSTILE_CAP_ECHO, 0x7777 + (i % 64), i % 8, 0, 0) == NG_ENOSYS;
    }
    /* target's bench answers a + the flood pings it saw in order */
    uint64_t seen = 0;
    int err = echo_bench(&echo, 0, 0, &seen);
    printf("hostile: flood: %u of %u oneways sent, %llu arrived in order (%s)\n", sent, FLOOD,
           (unsigned long long)seen, err_name((ng_word_t)err));
    printf("hostile: flood: %u of %u calls with unknown labels got NG_ENOSYS\n", enosys, FLOOD);
}

int main(void)
{
    echo_client_t echo = hostile_use_echo();
    uint64_t sum = 0;
    int err = echo_add(&echo, 2, 3, &sum);
    printf("hostile: add(2, 3) through the stub: %s, sum %llu\n", err_name((ng_word_t)err), (unsigned long long)sum);

    /* Malformed requests the server's dispatcher answers. */
    outcome("unknown label", raw_call(HOSTILE_CAP_ECHO, 0x7777, 0, 0, 0));
    outcome("add with 1 word instead of 2", raw_call(HOSTILE_CAP_ECHO, ECHO_ADD_LABEL, 1, 0, 0));
    outcome("add with 3 words instead of 2", raw_call(HOSTILE_CAP_ECHO, ECHO_ADD_LABEL, 3, 0, 0));
    outcome("add with a cap it does not declare", raw_call(HOSTILE_CAP_ECHO, ECHO_ADD_LABEL, 2, 1, HOSTILE_CAP_NTFN));

    /* Messages no transport carries: refused before anything is sent. */
    outcome("call with a length of 100000 words", raw_call(HOSTILE_CAP_ECHO, ECHO_ADD_LABEL, 100000, 0, 0));
    outcome("call with 4 caps", raw_call(HOSTILE_CAP_ECHO, ECHO_ADD_LABEL, 2, 4, HOSTILE_CAP_NTFN));
    outcome("call with a label of 2^60", raw_call(HOSTILE_CAP_ECHO, (ng_word_t)1 << 60, 0, 0, 0));
    ng_msg_t m;
    ng_msg_start(&m, ECHO_PING_LABEL);
    m.len = 100000;
    outcome("send with a length of 100000 words", (ng_word_t)ng_send(HOSTILE_CAP_ECHO, &m));

    /* Slots that hold no endpoint. */
    outcome("call through an empty slot", raw_call(HOSTILE_SLOT_FREE_FIRST, ECHO_ADD_LABEL, 2, 0, 0));
    outcome("call through the null slot 0", raw_call(0, ECHO_ADD_LABEL, 2, 0, 0));
    outcome("call through its own notification", raw_call(HOSTILE_CAP_NTFN, ECHO_ADD_LABEL, 2, 0, 0));
    ng_msg_start(&m, ECHO_PING_LABEL);
    m.mr[0] = 1;
    m.len = 1;
    outcome("send through an empty slot (dropped)", (ng_word_t)ng_send(HOSTILE_SLOT_FREE_FIRST, &m));

    /* A oneway sent with call: handled as the oneway it is, and the caller is answered. */
    ng_msg_start(&m, ECHO_PING_LABEL);
    m.mr[0] = 7;
    m.len = 1;
    err = ng_call(HOSTILE_CAP_ECHO, &m);
    outcome("oneway ping sent with call", err != NG_OK ? (ng_word_t)err : m.label);

    /* Caps of the wrong kind where share_ntfn declares a notification. */
    share("share_ntfn with its own notification", 1, HOSTILE_CAP_NTFN);
    share("share_ntfn with an endpoint", 1, HOSTILE_CAP_OTHER);
    share("share_ntfn with target's own endpoint (unwrapped to a badge)", 1, HOSTILE_CAP_ECHO);
    share("share_ntfn with its own CNode (slot 1)", 1, 1);
    share("share_ntfn with an empty slot", 1, HOSTILE_SLOT_FREE_FIRST);
    share("share_ntfn without a cap", 0, 0);

    flood();

    err = echo_add(&echo, 40, 2, &sum);
    printf("hostile: add(40, 2) after all that: %s, sum %llu\n", err_name((ng_word_t)err), (unsigned long long)sum);
    printf("hostile: done\n");
    return 0;
}
