/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pathname manager of the POSIX personality: serves `pathmgr` (resolve, list) to every
 * client and `pathreg` (register, unregister, reset) to the resource managers system.ts lets use
 * it — two interfaces on one endpoint, and the generated loop lets a static badge reach only the
 * interface it was granted for, so registering is a capability, not a check in this file.
 *
 * A registration keeps the manager's cap in a slot of this server's own (one per table entry)
 * and hands a copy to every client that resolves into it; the client then talks to the manager
 * directly. Registrations are keyed by the registrant's badge: a manager registering a prefix it
 * already holds replaces that entry, and `reset` (which a manager calls first when it starts)
 * drops all of its entries, so a restarted manager never leaves its dead instance's caps behind.
 * The system must name it `pathmgr`.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include "table.h"

#define NENTRIES (PATHMGR_SLOT_FREE_END - PATHMGR_SLOT_FREE_FIRST < PATHMGR_MAX_PREFIXES \
                      ? PATHMGR_SLOT_FREE_END - PATHMGR_SLOT_FREE_FIRST                  \
                      : PATHMGR_MAX_PREFIXES)

static pm_entry_t entries[NENTRIES];
static pm_table_t table;
static ng_server_t srv;
static char norm[PM_PATH_MAX + 1];

static int reg_error(int e)
{
    switch (e) {
    case PM_OK: return NG_OK;
    case PM_BAD_PREFIX: return PATHREG_ERR_BAD_PREFIX;
    case PM_FULL: return PATHREG_ERR_TABLE_FULL;
    case PM_NOT_OWNER: return PATHREG_ERR_NOT_OWNER;
    default: return PATHREG_ERR_NOT_FOUND;
    }
}

static int reg_register(void *ctx, ng_call_t *call, const pathreg_register_prefix_req_t *req, pathreg_register_prefix_rep_t *rep)
{
    (void)ctx;
    pm_entry_t *e;
    int replaced;
    int err = pm_register(&table, call->badge, req->prefix.ptr, req->prefix.len, (uint8_t)req->kind, &e, &replaced);
    if (err) return reg_error(err);
    if (replaced) (void)ng_cap_delete((ng_cptr_t)e->slot);
    if (ng_cap_move((ng_server_t *)call->server, req->ep, (ng_cptr_t)e->slot) != NG_OK) {
        e->id = 0;
        return NG_EBADMSG;
    }
    printf("pathmgr: %s %s (id %u, badge %llu)\n", replaced ? "re-registered" : "registered", e->prefix,
           (unsigned)e->id, (unsigned long long)call->badge);
    rep->id = e->id;
    return NG_OK;
}

static int reg_unregister(void *ctx, ng_call_t *call, const pathreg_unregister_prefix_req_t *req)
{
    (void)ctx;
    pm_entry_t old;
    int err = pm_unregister(&table, call->badge, req->id, &old);
    if (err) return reg_error(err);
    (void)ng_cap_delete((ng_cptr_t)old.slot);
    printf("pathmgr: unregistered %s (id %u)\n", old.prefix, (unsigned)old.id);
    return NG_OK;
}

static void drop_cap(const pm_entry_t *e, void *ctx)
{
    (void)ctx;
    (void)ng_cap_delete((ng_cptr_t)e->slot);
    printf("pathmgr: dropped %s (id %u) of a restarted manager\n", e->prefix, (unsigned)e->id);
}

static int reg_reset(void *ctx, ng_call_t *call, pathreg_reset_rep_t *rep)
{
    (void)ctx;
    rep->dropped = pm_reset(&table, call->badge, drop_cap, NULL);
    return NG_OK;
}

static int pm_resolve_h(void *ctx, ng_call_t *call, const pathmgr_resolve_req_t *req, pathmgr_resolve_rep_t *rep)
{
    (void)ctx;
    (void)call;
    const pm_entry_t *e;
    const char *rest;
    int err = pm_resolve(&table, req->path.ptr, req->path.len, req->after, norm, &e, &rest);
    if (err == PM_BAD_PREFIX) return PATHMGR_ERR_BAD_PREFIX;
    if (err) return PATHMGR_ERR_NOT_FOUND;
    rep->server = (ng_cptr_t)e->slot;
    rep->rest = ng_str(rest);
    rep->kind = (pathmgr_prefix_kind_t)e->kind;
    rep->id = e->id;
    return NG_OK;
}

static int pm_list_h(void *ctx, ng_call_t *call, const pathmgr_list_req_t *req, pathmgr_list_rep_t *rep)
{
    (void)ctx;
    (void)call;
    int more;
    const pm_entry_t *e = pm_list(&table, req->index, &more);
    if (!e) return PATHMGR_ERR_NOT_FOUND;
    rep->prefix = ng_str(e->prefix);
    rep->kind = (pathmgr_prefix_kind_t)e->kind;
    rep->id = e->id;
    rep->more = more != 0;
    return NG_OK;
}

static const pathmgr_ops_t pathmgr_ops = { .resolve = pm_resolve_h, .list = pm_list_h };
static const pathreg_ops_t pathreg_ops = { .register_prefix = reg_register, .unregister_prefix = reg_unregister, .reset = reg_reset };
static const pathmgr_server_ops_t ops = { .pathmgr = &pathmgr_ops, .pathreg = &pathreg_ops };

int main(void)
{
    pm_table_init(&table, entries, NENTRIES, PATHMGR_SLOT_FREE_FIRST);
    printf("pathmgr: serving pathmgr and pathreg (%u prefixes)\n", (unsigned)NENTRIES);
    pathmgr_server_init(&srv);
    pathmgr_serve(&srv, &ops, NULL);
    return 0;
}
