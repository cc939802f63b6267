/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command prompt's commands (commands.c): one line in, its output on the console. Every
 * failure prints the NTSTATUS name (nt_status_name), so that transcripts can be compared.
 */
#ifndef CMD_CMD_H
#define CMD_CMD_H

#include "path.h"

typedef struct cmd_state {
    char cwd[CMD_PATH_MAX + 1]; /* "C:\dir" */
    int halted;                 /* after shutdown: nothing more to do */
} cmd_state_t;

/* Runs one command line (changed in place). */
void cmd_run(cmd_state_t *s, char *line);

#endif
