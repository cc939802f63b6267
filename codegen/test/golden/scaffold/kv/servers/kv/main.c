/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kv server: serves idl/kv.idl. server_gen.h (generated) holds its capability slots,
 * the interface's types and the receive loop; this file holds the handlers.
 */
#include <stdio.h>

#include "server_gen.h"

static ng_server_t srv;

static int kv_increment(void *ctx, ng_call_t *call, const kv_increment_req_t *req, kv_increment_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->result = req->value + 1;
    return NG_OK;
}

static const kv_ops_t kv_ops = {
    .increment = kv_increment,
};

static const kv_server_ops_t ops = { .kv = &kv_ops };

int main(void)
{
    printf("kv: serving kv on slot %u\n", (unsigned)KV_CAP_EP);
    kv_server_init(&srv);
    kv_serve(&srv, &ops, NULL);
    return 0;
}
