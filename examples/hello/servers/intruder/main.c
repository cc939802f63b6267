/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The intruder: granted nothing but its own notification, it tries to call echo.add through
 * every other slot of its CSpace, including the one where the client holds its echo cap. The
 * kernel finds no cap in any of them, so every call fails: least privilege, shown at run time.
 */
#include <stdio.h>

#include "server_gen.h"
#include "echo_client_gen.h" /* not granted echo: its wrapper does not include the stubs */

int main(void)
{
    unsigned tried = 0, reached = 0, no_cap = 0;
    for (ng_cptr_t slot = INTRUDER_SLOT_FREE_FIRST; slot < INTRUDER_SLOT_FREE_END; slot++) {
        echo_client_t c = { slot, NULL, 0 };
        uint64_t sum = 0;
        int err = echo_add(&c, 1, 1, &sum);
        tried++;
        if (err == NG_EIPC) no_cap++;
        if (err == NG_OK) {
            reached++;
            printf("intruder: REACHED echo through slot %lu\n", (unsigned long)slot);
        }
    }
    if (reached == 0 && no_cap == tried) {
        printf("intruder: cannot reach echo: %u calls through slots %u..%u all failed with NG_EIPC (no capability)\n",
               tried, (unsigned)INTRUDER_SLOT_FREE_FIRST, (unsigned)INTRUDER_SLOT_FREE_END - 1);
    } else if (reached == 0) {
        printf("intruder: cannot reach echo, but %u of %u calls failed otherwise\n", tried - no_cap, tried);
    }
    return 0;
}
