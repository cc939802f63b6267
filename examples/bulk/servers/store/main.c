/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The store server: answers idl/bulk.idl. Payloads arrive in the caller's shared buffer (the one
 * the layout maps for a known client, or the one a run-time connection handed over); handlers
 * read them in place and the generated encoder copies the result back in once.
 */
#include <stdio.h>

#include "server_gen.h"

static ng_server_t srv;
static uint8_t out[BULK_MAX];

static int store_transform(void *ctx, ng_call_t *call, const bulk_transform_req_t *req, bulk_transform_rep_t *rep)
{
    (void)ctx;
    (void)call;
    for (size_t i = 0; i < req->data.len; i++) {
        out[i] = req->data.ptr[i] ^ req->key;
    }
    rep->data = ng_bytes(out, req->data.len);
    return NG_OK;
}

static int store_echo(void *ctx, ng_call_t *call, const bulk_echo_req_t *req, bulk_echo_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->data = req->data;
    return NG_OK;
}

static int store_sum(void *ctx, ng_call_t *call, const bulk_sum_req_t *req, bulk_sum_rep_t *rep)
{
    (void)ctx;
    (void)call;
    uint64_t total = 0;
    for (size_t i = 0; i < req->data.len; i++) {
        total += req->data.ptr[i];
    }
    rep->total = total;
    return NG_OK;
}

static int store_nop(void *ctx, ng_call_t *call, const bulk_nop_req_t *req, bulk_nop_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->a = req->a;
    return NG_OK;
}

static const bulk_ops_t bulk_ops = { .transform = store_transform, .echo = store_echo, .sum = store_sum, .nop = store_nop };
static const store_server_ops_t ops = { .bulk = &bulk_ops };

int main(void)
{
    printf("store: serving bulk on slot %u (%u run-time connections)\n", (unsigned)STORE_CAP_EP,
           (unsigned)STORE_CONNECTIONS);
    store_server_init(&srv);
    store_serve(&srv, &ops, NULL);
    return 0;
}
