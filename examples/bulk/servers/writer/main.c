/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The writer: moves 64 KiB each way through `store`, first over the shared buffer the layout
 * maps for it, then over run-time connections (what a spawned process does: a buffer from its
 * own shared-memory quota, handed over once). Every byte that comes back is checked, and the
 * root server's accounting of its shared memory must end where it began.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"

#define CYCLES 20

static uint8_t pattern[BULK_MAX];

static void fill(uint32_t seed)
{
    for (size_t i = 0; i < sizeof(pattern); i++) {
        seed = seed * 1103515245u + 12345u;
        pattern[i] = (uint8_t)(seed >> 16);
    }
}

/* One 64 KiB round trip: every byte must come back xor'ed with key. */
static int check_transform(const bulk_client_t *c, uint8_t key, const char *how)
{
    ng_bytes_t got;
    int err = bulk_transform(c, ng_bytes(pattern, sizeof(pattern)), key, &got);
    if (err != NG_OK) {
        printf("writer: %s: transform failed (%d)\n", how, err);
        return -1;
    }
    if (got.len != sizeof(pattern)) {
        printf("writer: %s: transform returned %zu bytes, not %zu\n", how, got.len, sizeof(pattern));
        return -1;
    }
    for (size_t i = 0; i < got.len; i++) {
        if (got.ptr[i] != (uint8_t)(pattern[i] ^ key)) {
            printf("writer: %s: byte %zu is 0x%02x, not 0x%02x\n", how, i, got.ptr[i], pattern[i] ^ key);
            return -1;
        }
    }
    uint64_t want = 0, total = 0;
    for (size_t i = 0; i < sizeof(pattern); i++) {
        want += pattern[i];
    }
    err = bulk_sum(c, ng_bytes(pattern, sizeof(pattern)), &total);
    if (err != NG_OK || total != want) {
        printf("writer: %s: sum %llu, expected %llu (%d)\n", how, (unsigned long long)total,
               (unsigned long long)want, err);
        return -1;
    }
    return 0;
}

static int stats(uint32_t *objects, uint32_t *pages)
{
    rootmem_client_t root = { WRITER_CAP_ROOT, NULL, 0 };
    uint32_t quota;
    return rootmem_stats(&root, objects, pages, &quota);
}

int main(void)
{
    bulk_client_t fixed = writer_use_bulk();
    int failed = 0;

    fill(1);
    if (check_transform(&fixed, 0x5a, "layout buffer") == 0) {
        printf("writer: 64 KiB round trip through the layout's shared buffer: identical (ok)\n");
    } else {
        failed++;
    }

    uint32_t objects0, pages0, objects1, pages1;
    if (stats(&objects0, &pages0) != NG_OK) {
        printf("writer: rootmem.stats failed\n");
        return 1;
    }
    const ng_cptr_t obj_slot = WRITER_SLOT_FREE_FIRST, conn_slot = WRITER_SLOT_FREE_FIRST + 1;
    int ok = 0;
    for (int i = 0; i < CYCLES; i++) {
        bulk_client_t c = { 0, NULL, 0 };
        int err = writer_connect(WRITER_CAP_BULK, BULK_SHM_BYTES, obj_slot, conn_slot, &c.ep, &c.shm, &c.shm_size);
        if (err != NG_OK) {
            printf("writer: connect %d failed (%d)\n", i, err);
            failed++;
            break;
        }
        fill((uint32_t)i + 2);
        if (check_transform(&c, (uint8_t)(i + 1), "run-time connection") == 0) {
            ok++;
        } else {
            failed++;
        }
        if (i == 0) {
            printf("writer: run-time connection: badge-named cap in slot %lu, buffer %zu bytes at %p\n",
                   (unsigned long)c.ep, c.shm_size, (void *)c.shm);
        }
        err = writer_disconnect(c.ep, obj_slot);
        if (err != NG_OK) {
            printf("writer: disconnect %d failed (%d)\n", i, err);
            failed++;
            break;
        }
        /* The closed connection's cap is gone: a call through its slot must fail. */
        uint64_t a = 0;
        if (bulk_nop(&c, 7, &a) == NG_OK) {
            printf("writer: a call through a closed connection succeeded\n");
            failed++;
        }
    }
    printf("writer: %d of %d run-time connections moved 64 KiB each way, byte for byte\n", ok, CYCLES);
    if (stats(&objects1, &pages1) != NG_OK) {
        printf("writer: rootmem.stats failed\n");
        return 1;
    }
    printf("writer: shared memory before: %u objects, %u pages; after %d connect/disconnect cycles: "
           "%u objects, %u pages (%s)\n",
           objects0, pages0, CYCLES, objects1, pages1,
           objects0 == objects1 && pages0 == pages1 ? "ok" : "LEAK");
    if (objects0 != objects1 || pages0 != pages1) {
        failed++;
    }
    printf("writer: %s\n", failed ? "FAILED" : "done");
    return failed;
}
