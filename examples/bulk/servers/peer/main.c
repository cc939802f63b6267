/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The peer: maps a shared-memory object a client hands it (rootmem.map through its own root
 * service cap) and reads it. After the creator destroys the object, its next read faults: the
 * root server unmapped it everywhere, so a holder never reads or writes pages that went back.
 */
#include <stdio.h>

#include "server_gen.h"

static ng_server_t srv;
static volatile const uint64_t *view;

static int peer_hold(void *ctx, ng_call_t *call, const holder_hold_req_t *req, holder_hold_rep_t *rep)
{
    (void)ctx;
    (void)call;
    rootmem_client_t root = { PEER_CAP_ROOT, NULL, 0 };
    uint64_t vaddr = 0, bytes = 0;
    int err = rootmem_map(&root, req->obj, false, &vaddr, &bytes);
    if (err != NG_OK) {
        return err;
    }
    view = (volatile const uint64_t *)(uintptr_t)vaddr;
    rep->first = view[0];
    printf("peer: mapped a %llu-byte object at %p; it starts with 0x%llx\n", (unsigned long long)bytes,
           (void *)(uintptr_t)vaddr, (unsigned long long)rep->first);
    return NG_OK;
}

static void peer_touch(void *ctx, ng_call_t *call)
{
    (void)ctx;
    (void)call;
    printf("peer: reading the object again\n");
    printf("peer: still readable: 0x%llx (it should not be)\n", (unsigned long long)view[0]);
}

static const holder_ops_t holder_ops = { .hold = peer_hold, .touch = peer_touch };
static const peer_server_ops_t ops = { .holder = &holder_ops };

int main(void)
{
    peer_server_init(&srv);
    peer_serve(&srv, &ops, NULL);
    return 0;
}
