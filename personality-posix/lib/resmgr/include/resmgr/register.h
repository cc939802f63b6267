/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Registration of a resource manager with the pathname manager (idl/pathmgr.idl, pathreg), for
 * servers that `use` pathreg and take run-time connections. Include it after the server's
 * server_gen.h.
 *
 * The cap a manager registers is a badged copy of its own endpoint without Read (minted from
 * <S>_CAP_EP_MINT with RESMGR_PUBLIC_BADGE(S) by ng_cap_mint_send, so a holder can call but never
 * receive the manager's requests): pathmgr hands it to every client that resolves into the prefix,
 * and a client uses it only to open a run-time connection (<proc>_connect), which gives it a cap
 * with a badge of its own. Requests that arrive on the public badge itself are refused
 * (resmgr_badge_ok), so clients never share an open-file table.
 */
#pragma once

#include <neptune/ipc.h>
#include <pathreg_client_gen.h>

/* The badge of a manager's registered (public) cap: the first run-time badge, below the
 * connection badges the generated loop mints. */
#define RESMGR_PUBLIC_BADGE(dynamic_base) ((ng_badge_t)(dynamic_base))

/* Drops whatever an earlier instance of this manager registered (a restart), then mints the
 * public cap (send-only) into `slot` (emptied first) from the unbadged `mint_ep`. */
static inline int resmgr_register_begin(const pathreg_client_t *reg, ng_cptr_t mint_ep, ng_cptr_t slot, ng_badge_t badge)
{
    uint32_t dropped = 0;
    int err = pathreg_reset(reg, &dropped);
    if (err != NG_OK) return err;
    (void)ng_cap_delete(slot);
    return ng_cap_mint_send(mint_ep, slot, badge);
}

/* Registers `prefix` (absolute, normalised) on the public cap in `slot`. */
static inline int resmgr_register(const pathreg_client_t *reg, ng_cptr_t slot, const char *prefix,
                                  pathmgr_prefix_kind_t kind, uint32_t *id)
{
    return pathreg_register_prefix(reg, ng_str(prefix), kind, slot, id);
}

/* Whether a request's badge may touch files: anything but the shared public badge. */
static inline int resmgr_badge_ok(ng_badge_t badge, ng_badge_t public_badge)
{
    return badge != public_badge;
}
