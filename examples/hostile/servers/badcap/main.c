/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sends target a message whose cap names a slot beyond its CSpace: on seL4 the kernel's lookup
 * of the extra cap fails and the sender takes a cap fault (reported by the root server); the
 * host test bench does the same. Never returns from the send.
 */
#include <stdio.h>

#include "server_gen.h"

int main(void)
{
    ng_cptr_t beyond = ((ng_cptr_t)1 << BADCAP_CNODE_BITS) + 1;
    ng_msg_t m;
    ng_msg_start(&m, ECHO_SHARE_NTFN_LABEL);
    m.caps[0] = beyond;
    m.ncaps = 1;
    printf("badcap: sending a cap from slot 0x%lx, beyond its CSpace\n", (unsigned long)beyond);
    int err = ng_send(BADCAP_CAP_ECHO, &m);
    printf("badcap: STILL RUNNING after the send (%d)\n", err);
    return 0;
}
