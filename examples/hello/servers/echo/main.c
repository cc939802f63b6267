/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The echo server: answers every method of idl/echo.idl. Strings and bytes come back as views
 * into the request (the generated dispatcher copies the request first, so that is safe); the
 * notification a client hands over is signalled once, then dropped with the receive slot.
 */
#include <stdio.h>

#include "server_gen.h"

static ng_server_t srv;
static unsigned long pings;

static int echo_do_add(void *ctx, ng_call_t *call, const echo_add_req_t *req, echo_add_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->sum = req->a + req->b;
    return NG_OK;
}

static int echo_do_str(void *ctx, ng_call_t *call, const echo_echo_str_req_t *req, echo_echo_str_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->s = req->s;
    return NG_OK;
}

static int echo_do_bytes(void *ctx, ng_call_t *call, const echo_echo_bytes_req_t *req, echo_echo_bytes_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->data = req->data;
    return NG_OK;
}

static void echo_do_ping(void *ctx, ng_call_t *call, const echo_ping_req_t *req)
{
    (void)ctx;
    pings++;
    printf("echo: ping %lu from badge %lu (%lu so far)\n", (unsigned long)req->seq, (unsigned long)call->badge, pings);
}

static int echo_do_share_ntfn(void *ctx, ng_call_t *call, const echo_share_ntfn_req_t *req, echo_share_ntfn_rep_t *rep)
{
    (void)ctx;
    printf("echo: got a notification cap from badge %lu in slot %lu; signalling it\n", (unsigned long)call->badge,
           (unsigned long)req->n);
    ng_signal(req->n);
    rep->ok = true;
    return NG_OK;
}

static int echo_do_bench(void *ctx, ng_call_t *call, const echo_bench_req_t *req, echo_bench_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->r = req->a + req->b;
    return NG_OK;
}

static const echo_ops_t echo_ops = {
    .add = echo_do_add,
    .echo_str = echo_do_str,
    .echo_bytes = echo_do_bytes,
    .ping = echo_do_ping,
    .share_ntfn = echo_do_share_ntfn,
    .bench = echo_do_bench,
};

static const echo_server_ops_t ops = { .echo = &echo_ops };

int main(void)
{
    printf("echo: serving echo on slot %u\n", (unsigned)ECHO_CAP_EP);
    echo_server_init(&srv);
    echo_serve(&srv, &ops, NULL);
    return 0;
}
