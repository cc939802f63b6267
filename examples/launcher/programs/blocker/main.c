/* SPDX-License-Identifier: BSD-2-Clause */
/* Waits on its own notification, which nobody signals, until its spawner kills it. */
#include "server_gen.h"

int main(void)
{
    for (;;) {
        ng_wait(BLOCKER_CAP_NTFN);
    }
    return 0;
}
