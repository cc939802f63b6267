/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What happens when a server's main() returns: the status goes to the root server as a message
 * on the server's fault endpoint (slot 2, the one cap every server holds), and the server
 * blocks forever; the root server reports it and applies the restart policy.
 */
#include <sel4/sel4.h>
#include <sel4runtime.h>

#include "neptune_exit.h"

#define NEPTUNE_FAULT_EP_SLOT 2

static void neptune_server_exit(int code)
{
    for (;;) {
        seL4_SetMR(0, (seL4_Word)code);
        seL4_Call(NEPTUNE_FAULT_EP_SLOT, seL4_MessageInfo_new(NEPTUNE_EXIT_LABEL, 0, 0, 1));
    }
}

static void __attribute__((constructor)) neptune_server_exit_install(void)
{
    sel4runtime_set_exit(neptune_server_exit);
}
