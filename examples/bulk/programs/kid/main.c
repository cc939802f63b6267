/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A spawned client of `store`: the layout maps it no shared buffer (store did not know it at
 * build time), so it opens a run-time connection through the cap its spawner passed — a buffer
 * from its own shared-memory quota, handed to store once — and moves 64 KiB each way through
 * it, checked byte for byte. Exits 0 when every byte came back right.
 */
#include <stdio.h>

#include "server_gen.h"

static uint8_t pattern[BULK_MAX];

int main(int argc, char **argv)
{
    unsigned seed = argc > 1 ? (unsigned)argv[1][0] : 1u;
    for (size_t i = 0; i < sizeof(pattern); i++) {
        seed = seed * 1103515245u + 12345u;
        pattern[i] = (uint8_t)(seed >> 16);
    }
    bulk_client_t c = { 0, NULL, 0 };
    const ng_cptr_t obj_slot = KID_SLOT_FREE_FIRST, conn_slot = KID_SLOT_FREE_FIRST + 1;
    int err = kid_connect(KID_CAP_BULK, BULK_SHM_BYTES, obj_slot, conn_slot, &c.ep, &c.shm, &c.shm_size);
    if (err != NG_OK) {
        printf("kid: connect failed (%d)\n", err);
        return 2;
    }
    ng_bytes_t got;
    err = bulk_transform(&c, ng_bytes(pattern, sizeof(pattern)), 0xa5, &got);
    size_t bad = got.len == sizeof(pattern) ? 0 : 1;
    for (size_t i = 0; err == NG_OK && bad == 0 && i < got.len; i++) {
        bad += got.ptr[i] != (uint8_t)(pattern[i] ^ 0xa5);
    }
    printf("kid: spawned process, run-time connection: 64 KiB each way, %s\n",
           err == NG_OK && bad == 0 ? "identical (ok)" : "DIFFERENT");
    if (kid_disconnect(c.ep, obj_slot) != NG_OK) {
        printf("kid: disconnect failed\n");
        return 3;
    }
    return err == NG_OK && bad == 0 ? 0 : 1;
}
