/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * calc, the passive server of the MCS example: echo.add(a, b) returns a + b after spinning b
 * thousand iterations. It prints once while initialising (on its own scheduling context); after
 * that it has none and runs only when a caller lends it theirs.
 */
#include <stdio.h>

#include "server_gen.h"

static ng_server_t srv;

static int calc_add(void *ctx, ng_call_t *call, const echo_add_req_t *req, echo_add_rep_t *rep)
{
    (void)ctx;
    (void)call;
    for (volatile uint64_t i = 0; i < req->b * 1000u; i++) {
    }
    rep->sum = req->a + req->b;
    return NG_OK;
}

/* Only add: the other echo methods answer NG_ENOSYS. */
static const echo_ops_t echo_ops = {
    .add = calc_add,
    .echo_str = NULL,
    .echo_bytes = NULL,
    .ping = NULL,
    .share_ntfn = NULL,
    .bench = NULL,
};
static const calc_server_ops_t ops = { .echo = &echo_ops };

int main(void)
{
    printf("calc: initialising on its own scheduling context, then serving echo.add passively\n");
    calc_server_init(&srv);
    calc_serve(&srv, &ops, NULL);
    return 0;
}
