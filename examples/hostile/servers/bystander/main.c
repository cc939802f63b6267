/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A second echo server: its endpoint is the cap of the wrong kind the hostile client hands to
 * target where a notification is declared. It only adds.
 */
#include "server_gen.h"

static ng_server_t srv;

static int do_add(void *ctx, ng_call_t *call, const echo_add_req_t *req, echo_add_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rep->sum = req->a + req->b;
    return NG_OK;
}

/* Everything else answers NG_ENOSYS. */
static const echo_ops_t echo_ops = {
    .add = do_add,
    .echo_str = NULL,
    .echo_bytes = NULL,
    .ping = NULL,
    .share_ntfn = NULL,
    .bench = NULL,
};
static const bystander_server_ops_t ops = { .echo = &echo_ops };

int main(void)
{
    bystander_server_init(&srv);
    bystander_serve(&srv, &ops, NULL);
    return 0;
}
