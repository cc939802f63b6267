/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gensrv: echo.bench through the generated serve loop (its register fast path: bench has only
 * scalar words); every other echo method is left NULL (the dispatcher answers NG_ENOSYS). The ops
 * tables are `static const`, so the inlined loop calls (and inlines) gensrv_bench directly.
 * Includes no seL4 header: it is what a server written against neptune-gen looks like.
 */
#include <stdio.h>

#include "server_gen.h"

static ng_server_t srv;

static int gensrv_bench(void *ctx, ng_call_t *call, const echo_bench_req_t *req, echo_bench_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->r = req->a + req->b;
    return NG_OK;
}

static const echo_ops_t echo_ops = {
    .add = NULL,
    .echo_str = NULL,
    .echo_bytes = NULL,
    .ping = NULL,
    .share_ntfn = NULL,
    .bench = gensrv_bench,
};
static const gensrv_server_ops_t ops = { .echo = &echo_ops };

int main(void)
{
    printf("gensrv: serving echo (generated dispatch) on slot %u\n", (unsigned)GENSRV_CAP_EP);
    gensrv_server_init(&srv);
    gensrv_serve(&srv, &ops, NULL);
    return 0;
}
