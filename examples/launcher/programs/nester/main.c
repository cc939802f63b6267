/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A spawned child that spawns a child of its own (its service cap is minted by the root server
 * at spawn, badged for it) and waits for it; its parent kills it while it waits. The root server
 * then answers its wait to nobody and kills and reaps the grandchild: nothing is left behind.
 */
#include <stdio.h>

#include "server_gen.h"

int main(void)
{
    root_client_t root = nester_use_root();
    root_grant_t caps[ROOT_MAX_CAPS] = { { 0, 0 } };
    int32_t pid = 0, child;
    root_end_t how;
    int64_t code;
    uint64_t addr;
    int err = root_spawn(&root, ng_str(BLOCKER_PROGRAM), ng_str(""), ng_str(""), 0, caps, &pid);
    printf("nester: spawned blocker pid %d (%s); waiting for it\n", (int)pid, err == NG_OK ? "ok" : "FAILED");
    err = root_wait(&root, pid, false, &child, &how, &code, &addr);
    printf("nester: FAILED: wait returned %d\n", err);
    return 1;
}
