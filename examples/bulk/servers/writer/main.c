/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The writer: moves 64 KiB each way through `store`, first over the shared buffer the layout
 * maps for it, then over run-time connections (a buffer from its own shared-memory quota, handed
 * over once), then has a spawned process do the same. Every byte that comes back is checked, and
 * the root server's free untyped memory and slots and its shared-memory accounting must end where
 * they began. Last it hands `peer` an object and destroys it: peer's next read faults, the
 * writer is unharmed. On seL4 (AArch64) it also times the round trips (scripts/bench-bulk.ts).
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"

#define CYCLES 20

#if defined(__aarch64__) && __has_include(<neptune/pmu.h>)
#include <neptune/pmu.h>
#define WRITER_BENCH 1
#define BENCH_ROUNDS 200u
#endif

static uint8_t pattern[BULK_MAX];
static unsigned failures;

static void fill(uint32_t seed)
{
    for (size_t i = 0; i < sizeof(pattern); i++) {
        seed = seed * 1103515245u + 12345u;
        pattern[i] = (uint8_t)(seed >> 16);
    }
}

/* One 64 KiB round trip: every byte must come back xor'ed with key; then their sum. */
static int check_transform(const bulk_client_t *c, uint8_t key, const char *how)
{
    ng_bytes_t got;
    int err = bulk_transform(c, ng_bytes(pattern, sizeof(pattern)), key, &got);
    if (err != NG_OK || got.len != sizeof(pattern)) {
        printf("writer: %s: transform failed (%d, %zu bytes)\n", how, err, got.len);
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

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("writer: FAILED: %s\n", what);
        failures++;
    }
}

static void root_free(uint64_t *untyped, uint64_t *slots)
{
    root_client_t root = writer_use_root();
    int32_t me;
    uint32_t procs;
    check(root_stats(&root, &me, untyped, slots, &procs) == NG_OK, "root.stats");
}

static void shm_stats(uint32_t *objects, uint32_t *pages)
{
    rootmem_client_t root = { WRITER_CAP_SPAWN, NULL, 0 };
    uint32_t quota;
    check(rootmem_stats(&root, objects, pages, &quota) == NG_OK, "rootmem.stats");
}

static void layout_buffer(void)
{
    bulk_client_t fixed = writer_use_bulk();
    fill(1);
    int ok = check_transform(&fixed, 0x5a, "layout buffer") == 0;
    check(ok, "64 KiB through the layout's buffer");
    if (ok) {
        printf("writer: 64 KiB round trip through the layout's shared buffer: identical (ok)\n");
    }
}

static void connections(void)
{
    uint32_t objects0 = 0, pages0 = 0, objects1, pages1;
    uint64_t utb, slotsb, ut0 = 0, slots0 = 0, ut1, slots1;
    root_free(&utb, &slotsb);
    const ng_cptr_t obj_slot = WRITER_SLOT_FREE_FIRST, conn_slot = WRITER_SLOT_FREE_FIRST + 1;
    int ok = 0;
    for (int i = 0; i < CYCLES; i++) {
        if (i == 1) {
            /* The first connection gave the writer's and store's address spaces the page tables
             * of their run-time mapping area; they stay with the address space (freed with the
             * process). From here on a cycle must leave nothing behind. */
            shm_stats(&objects0, &pages0);
            root_free(&ut0, &slots0);
            printf("writer: first connection: page tables of the run-time area took %llu bytes and %llu slots "
                   "(kept by the address spaces)\n",
                   (unsigned long long)(utb - ut0), (unsigned long long)(slotsb - slots0));
        }
        bulk_client_t c = { 0, NULL, 0 };
        int err = writer_connect(WRITER_CAP_BULK, BULK_SHM_BYTES, obj_slot, conn_slot, &c.ep, &c.shm, &c.shm_size);
        if (err != NG_OK) {
            printf("writer: connect %d failed (%d)\n", i, err);
            failures++;
            return;
        }
        fill((uint32_t)i + 2);
        ok += check_transform(&c, (uint8_t)(i + 1), "run-time connection") == 0;
        if (i == 0) {
            printf("writer: run-time connection: its own cap in slot %lu, buffer %zu bytes at %p\n",
                   (unsigned long)c.ep, c.shm_size, (void *)c.shm);
        }
        check(writer_disconnect(c.ep, obj_slot) == NG_OK, "disconnect");
        /* The closed connection's cap is gone: a call through its slot must fail. */
        uint64_t a = 0;
        check(bulk_nop(&c, 7, &a) != NG_OK, "a call through a closed connection fails");
    }
    printf("writer: %d of %d run-time connections moved 64 KiB each way, byte for byte\n", ok, CYCLES);
    check(ok == CYCLES, "every run-time connection");
    shm_stats(&objects1, &pages1);
    root_free(&ut1, &slots1);
    int same = objects0 == objects1 && pages0 == pages1 && ut0 == ut1 && slots0 == slots1;
    printf("writer: after %d more connect/disconnect cycles: shared memory %u -> %u objects, %u -> %u pages; "
           "root untyped free %llu -> %llu bytes, slots free %llu -> %llu (%s)\n",
           CYCLES - 1, objects0, objects1, pages0, pages1, (unsigned long long)ut0, (unsigned long long)ut1,
           (unsigned long long)slots0, (unsigned long long)slots1, same ? "equal" : "LEAKED");
    check(same, "accounting back where it began");
}

static void spawned_client(void)
{
    root_client_t root = writer_use_root();
    root_grant_t caps[ROOT_MAX_CAPS];
    memset(caps, 0, sizeof caps);
    caps[0].to = KID_CAP_BULK;
    caps[0].from = WRITER_CAP_BULK;
    int32_t pid = 0, child = 0;
    root_end_t how = 0;
    int64_t code = -1;
    uint64_t addr = 0;
    int err = root_spawn(&root, ng_str(KID_PROGRAM), ng_str("k"), ng_str(""), 1, caps, &pid);
    if (err == NG_OK) {
        err = root_wait(&root, pid, false, &child, &how, &code, &addr);
    }
    printf("writer: spawned kid (pid %d): %s, status %lld\n", (int)pid,
           err != NG_OK ? "spawn/wait failed" : how == ROOT_END_EXITED ? "exited" : "did not exit",
           (long long)code);
    check(err == NG_OK && how == ROOT_END_EXITED && code == 0, "a spawned client's 64 KiB round trip");
}

/* Every typed error of rootmem, and nothing left behind by them. */
static void negative(void)
{
    rootmem_client_t root = { WRITER_CAP_SPAWN, NULL, 0 };
    const ng_cptr_t slot = WRITER_SLOT_FREE_FIRST;
    ng_cptr_t obj = 0;
    uint64_t vaddr = 0, bytes = 0, ut0, slots0, ut1, slots1;
    uint32_t objects0, pages0, objects1, pages1, quota;
    rootmem_stats(&root, &objects0, &pages0, &quota);
    root_free(&ut0, &slots0);
    ng_recv_path_set(slot);
    int e1 = rootmem_create(&root, 0, &obj, &vaddr, &bytes);
    int e2 = rootmem_create(&root, quota + 1, &obj, &vaddr, &bytes);
    ng_recv_path_set(WRITER_CAP_RECV);
    int e3 = rootmem_map(&root, WRITER_CAP_NTFN, false, &vaddr, &bytes);
    ng_recv_path_set(slot);
    int ok = rootmem_create(&root, 1, &obj, &vaddr, &bytes) == NG_OK;
    ng_recv_path_set(WRITER_CAP_RECV);
    int e4 = rootmem_map(&root, obj, true, &vaddr, &bytes);
    ok &= rootmem_unmap(&root, obj) == NG_OK;
    int e5 = rootmem_unmap(&root, obj);
    ok &= rootmem_destroy(&root, obj) == NG_OK;
    (void)ng_cap_delete(obj);
    printf("writer: rootmem errors: 0 pages %d, past the quota %d, a cap that is no object %d, mapped twice %d, "
           "unmapped twice %d (%s)\n", e1, e2, e3, e4, e5,
           ok && e1 == ROOTMEM_ERR_BAD_SIZE && e2 == ROOTMEM_ERR_NO_MEMORY && e3 == NG_EBADMSG &&
                   e4 == ROOTMEM_ERR_MAPPED && e5 == ROOTMEM_ERR_NOT_MAPPED
               ? "ok"
               : "WRONG");
    check(ok && e1 == ROOTMEM_ERR_BAD_SIZE && e2 == ROOTMEM_ERR_NO_MEMORY && e3 == NG_EBADMSG &&
              e4 == ROOTMEM_ERR_MAPPED && e5 == ROOTMEM_ERR_NOT_MAPPED,
          "rootmem's typed errors");
    rootmem_stats(&root, &objects1, &pages1, &quota);
    root_free(&ut1, &slots1);
    int same = objects0 == objects1 && pages0 == pages1 && ut0 == ut1 && slots0 == slots1;
    printf("writer: after the rootmem errors: untyped free %llu -> %llu, slots free %llu -> %llu, %u -> %u objects (%s)\n",
           (unsigned long long)ut0, (unsigned long long)ut1, (unsigned long long)slots0, (unsigned long long)slots1,
           objects0, objects1, same ? "nothing leaked" : "LEAKED");
    check(same, "nothing left by the rootmem errors");
}

static void revoked_holder(void)
{
    rootmem_client_t root = { WRITER_CAP_SPAWN, NULL, 0 };
    holder_client_t peer = writer_use_holder();
    const ng_cptr_t slot = WRITER_SLOT_FREE_FIRST;
    ng_cptr_t obj = 0;
    uint64_t vaddr = 0, bytes = 0, first = 0;
    ng_recv_path_set(slot);
    int err = rootmem_create(&root, 1, &obj, &vaddr, &bytes);
    ng_recv_path_set(WRITER_CAP_RECV);
    check(err == NG_OK, "rootmem.create");
    if (err != NG_OK) {
        return;
    }
    *(volatile uint64_t *)(uintptr_t)vaddr = 0x5eed5eedull;
    err = holder_hold(&peer, obj, &first);
    check(err == NG_OK && first == 0x5eed5eedull, "peer sees what the writer wrote");
    printf("writer: peer mapped the object and read 0x%llx (%s)\n", (unsigned long long)first,
           err == NG_OK && first == 0x5eed5eedull ? "ok" : "WRONG");
    check(rootmem_destroy(&root, obj) == NG_OK, "rootmem.destroy");
    (void)ng_cap_delete(obj); /* empty already on seL4 (revoked); the host keeps no derivation tree */
    printf("writer: destroyed the object; peer's next read must fault\n");
    check(holder_touch(&peer) == NG_OK, "holder.touch sent");
}

#ifdef WRITER_BENCH
/* Guest instructions per operation (x100, integers), from the same boot: the plain round trip,
 * then 4 KiB and 64 KiB each way through a run-time connection. */
static void bench(void)
{
    (void)ng_pmu_enable();
    if (ng_pmu_cycles() == ng_pmu_cycles()) {
        printf("writer: bench: the cycle counter PMCCNTR_EL0 does not count\n");
        return;
    }
    bulk_client_t c = { 0, NULL, 0 };
    const ng_cptr_t obj_slot = WRITER_SLOT_FREE_FIRST, conn_slot = WRITER_SLOT_FREE_FIRST + 1;
    if (writer_connect(WRITER_CAP_BULK, BULK_SHM_BYTES, obj_slot, conn_slot, &c.ep, &c.shm, &c.shm_size) != NG_OK) {
        printf("writer: bench: connect failed\n");
        failures++;
        return;
    }
    static const size_t sizes[] = { 4096, BULK_MAX };
    uint64_t a = 0;
    ng_bytes_t got;
    for (unsigned i = 0; i < 20; i++) {
        bulk_nop(&c, i, &a);
        bulk_echo(&c, ng_bytes(pattern, sizes[1]), &got);
    }
    uint64_t t0 = ng_pmu_cycles();
    for (unsigned i = 0; i < BENCH_ROUNDS; i++) {
        bulk_nop(&c, i, &a);
    }
    uint64_t nop = (ng_pmu_cycles() - t0) * 100 / BENCH_ROUNDS;
    printf("writer: bench: nop round trip: %llu.%02llu\n", (unsigned long long)(nop / 100),
           (unsigned long long)(nop % 100));
    for (unsigned k = 0; k < 2; k++) {
        int ok = 1;
        t0 = ng_pmu_cycles();
        for (unsigned i = 0; i < BENCH_ROUNDS; i++) {
            ok &= bulk_echo(&c, ng_bytes(pattern, sizes[k]), &got) == NG_OK && got.len == sizes[k];
        }
        uint64_t per = (ng_pmu_cycles() - t0) * 100 / BENCH_ROUNDS;
        printf("writer: bench: echo %zu bytes: %llu.%02llu%s\n", sizes[k], (unsigned long long)(per / 100),
               (unsigned long long)(per % 100), ok ? "" : " (FAILED)");
        failures += !ok;
    }
    writer_disconnect(c.ep, obj_slot);
}
#endif

int main(void)
{
    layout_buffer();
    connections();
    negative();
    spawned_client();
#ifdef WRITER_BENCH
    bench();
#endif
    revoked_holder();
    printf("writer: %s (%u failures)\n", failures ? "FAILED" : "done", failures);
    return failures ? 1 : 0;
}
