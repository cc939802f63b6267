/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A child spawned with no caps: it tries echo.add through the slot where a spawner would put
 * its echo cap and through every free slot of its CSpace. It holds nothing there, so every call
 * fails: a child holds exactly what its spawner passed.
 */
#include <stdio.h>

#include "server_gen.h"

static unsigned tried, reached, no_cap;

static void try_slot(ng_cptr_t slot)
{
    echo_client_t c = { slot, NULL, 0 };
    uint64_t sum = 0;
    int err = echo_add(&c, 1, 1, &sum);
    tried++;
    no_cap += err == NG_EIPC;
    if (err == NG_OK) {
        reached++;
        printf("probe: REACHED echo through slot %lu\n", (unsigned long)slot);
    }
}

int main(void)
{
    try_slot(PROBE_CAP_ECHO);
    for (ng_cptr_t slot = PROBE_SLOT_FREE_FIRST; slot < PROBE_SLOT_FREE_END; slot++) {
        try_slot(slot);
    }
    if (reached == 0 && no_cap == tried) {
        printf("probe: cannot reach any server: %u calls through slot %u and slots %u..%u all failed with NG_EIPC (no capability)\n",
               tried, (unsigned)PROBE_CAP_ECHO, (unsigned)PROBE_SLOT_FREE_FIRST, (unsigned)PROBE_SLOT_FREE_END - 1);
        return 0;
    }
    printf("probe: %u of %u calls reached a server, %u failed otherwise\n", reached, tried, tried - no_cap - reached);
    return 1;
}
