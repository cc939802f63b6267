/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The server the hostile client attacks: echo's add, ping (counted) and share_ntfn. It checks
 * nothing itself: whatever reaches a handler passed the generated dispatcher and the transport.
 * It reports the ping flood once every ping of it arrived, in order.
 */
#include <stdio.h>

#include "server_gen.h"

#define FLOOD_FIRST 1000000u /* sequence numbers of the flood start here */

static ng_server_t srv;
static unsigned long flood_seen, flood_next = FLOOD_FIRST, other_pings;

static int do_add(void *ctx, ng_call_t *call, const echo_add_req_t *req, echo_add_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->sum = req->a + req->b;
    return NG_OK;
}

static void do_ping(void *ctx, ng_call_t *call, const echo_ping_req_t *req)
{
    (void)ctx;
    (void)call;
    if (req->seq < FLOOD_FIRST) {
        other_pings++;
        printf("target: ping %lu (not of the flood)\n", (unsigned long)req->seq);
        return;
    }
    if (req->seq == flood_next) {
        flood_next++;
    }
    flood_seen++;
}

static int do_share_ntfn(void *ctx, ng_call_t *call, const echo_share_ntfn_req_t *req, echo_share_ntfn_rep_t *rep)
{
    (void)ctx;
    (void)call;
    ng_signal(req->n);
    rep->ok = true;
    return NG_OK;
}

/* bench answers how many flood pings arrived in order: a + that count. */
static int do_bench(void *ctx, ng_call_t *call, const echo_bench_req_t *req, echo_bench_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->r = req->a + (flood_next == FLOOD_FIRST + flood_seen ? flood_seen : 0);
    return NG_OK;
}

static const echo_ops_t echo_ops = {
    .add = do_add,
    .echo_str = NULL, /* NG_ENOSYS */
    .echo_bytes = NULL,
    .ping = do_ping,
    .share_ntfn = do_share_ntfn,
    .bench = do_bench,
};

static const target_server_ops_t ops = { .echo = &echo_ops };

int main(void)
{
    printf("target: serving echo on slot %u\n", (unsigned)TARGET_CAP_EP);
    target_server_init(&srv);
    target_serve(&srv, &ops, NULL);
    return 0;
}
