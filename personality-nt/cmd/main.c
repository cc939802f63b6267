/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cmd: the NT personality's command prompt on the serial console. A server of the static
 * layout (examples/nt/system.ts: uses ntexec, serial, timer): ntdll over its layout's ntexec
 * connection, input from the serial driver (woken by rx_notify on its own notification),
 * output through the same driver. Reads a line at the `C:\> ` prompt and runs it (commands.c).
 */
#include <string.h>

#include <nt/ntdll.h>

#include "cmd.h"
#include "console.h"

static char line[512];

int main(void)
{
    static cmd_state_t state;
    ntexec_client_t ntexec = cmd_use_ntexec();
    NtdllInitialize(&ntexec);
    con_init(cmd_use_serial(), CMD_CAP_NTFN);
    strcpy(state.cwd, "C:\\");
    con_puts("cmd: the NT command prompt (type help)\n");
    while (!state.halted) {
        con_printf("%s> ", state.cwd);
        if (con_read_line(line, sizeof line) < 0) {
            con_puts("cmd: the console failed\n");
            return 1;
        }
        cmd_run(&state, line);
    }
    for (;;) ng_wait(CMD_CAP_NTFN); /* shut down: the system stays as it is */
}
