/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Calls echo.add through a slot beyond its CSpace: on seL4 the lookup of that cptr fails and
 * the kernel faults the caller (a cap fault, reported by the root server); the host test bench
 * does the same. Never returns from the call.
 */
#include <stdio.h>

#include "server_gen.h"

int main(void)
{
    ng_cptr_t beyond = (ng_cptr_t)1 << BADSLOT_CNODE_BITS;
    echo_client_t c = { beyond, NULL, 0 };
    uint64_t sum = 0;
    printf("badslot: calling through slot 0x%lx, beyond its CSpace\n", (unsigned long)beyond);
    int err = echo_add(&c, 1, 2, &sum);
    printf("badslot: STILL RUNNING after the call (%d)\n", err);
    return 0;
}
