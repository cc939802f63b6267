/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A client that tries to steal tmpfs's requests: it resolves /tmp like any client, then receives
 * on the cap pathmgr handed it, as if it were tmpfs. That cap was minted without Read
 * (ng_cap_mint_send), so the receive is a cap fault, reported by the root server; thief stays
 * stopped and tmpfs's clients are unaffected. If the receive ever returned, it prints FAILED.
 */
#include <stdio.h>

#include "server_gen.h"

int main(void)
{
    pathmgr_client_t pm = thief_use_pathmgr();
    const ng_cptr_t slot = THIEF_SLOT_FREE_FIRST;
    ng_cptr_t ep = 0;
    ng_str_t rest;
    pathmgr_prefix_kind_t kind;
    uint32_t id = 0;
    int err = NG_EIPC;
    for (int i = 0; i < 100000 && err != NG_OK; i++) {
        (void)ng_cap_delete(slot);
        ng_recv_path_set(slot);
        err = pathmgr_resolve(&pm, ng_str("/tmp"), 0, &ep, &rest, &kind, &id);
        ng_recv_path_set(THIEF_CAP_RECV);
    }
    if (err != NG_OK) {
        printf("thief: FAILED: cannot resolve /tmp (%d)\n", err);
        return 1;
    }
    printf("thief: got tmpfs's cap from pathmgr; receiving on it\n");
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_server_init(&s, slot, THIEF_CAP_RECV, NULL, 0);
    ng_recv(&s, &m, &badge);
    printf("thief: FAILED: received a request meant for tmpfs (label %lu)\n", (unsigned long)m.label);
    return 1;
}
