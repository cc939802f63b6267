/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ps: every process the root server knows (boot servers and spawned programs, ended ones not
 * yet reaped too): pid, parent (0 for a boot server), state and name. Plain POSIX has no call
 * for this, so ps is one of the two utilities that speak an IDL interface themselves: it asks
 * the root server's process service (idl/root.idl `query`) about pids 1..PID_MAX through the
 * root cap its layout gives every program with shared memory (`PS_CAP_ROOT`).
 */
#include <stdio.h>

#include "root_client_gen.h"
#include "server_gen.h"

/* Pids are never reused: after a long run they pass this and ps stops seeing new ones. */
#define PID_MAX 1024

static const char *state(root_end_t how)
{
    switch (how) {
    case ROOT_END_RUNNING: return "running";
    case ROOT_END_WAITING: return "waiting";
    case ROOT_END_EXITED: return "exited";
    case ROOT_END_KILLED: return "killed";
    default: return "faulted";
    }
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: ps\n");
        return 2;
    }
    root_client_t root = {PS_CAP_ROOT, NULL, 0};
    printf("  PID  PPID STATE   NAME\n");
    int found = 0;
    for (int32_t pid = 1; pid <= PID_MAX; pid++) {
        root_end_t how;
        int32_t parent;
        ng_str_t name;
        int err = root_query(&root, pid, &how, &parent, &name);
        if (err == ROOT_ERR_NO_SUCH_PROCESS) continue;
        if (err != NG_OK) {
            fprintf(stderr, "ps: root.query(%d): error %d\n", (int)pid, err);
            return 1;
        }
        printf("%5d %5d %-7s %.*s\n", (int)pid, (int)parent, state(how), (int)name.len, name.ptr);
        found++;
    }
    return found > 0 ? 0 : 1;
}
