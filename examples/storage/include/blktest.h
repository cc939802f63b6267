/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The block-device test both clients of examples/storage run (each on its own range of the
 * disk, at the same time, so the driver has several requests in flight): geometry, then
 * BLKTEST_CHUNKS writes of 64 KiB with a pattern of its own, read back and compared by FNV-1a
 * checksum (a read of every chunk first, so a stale disk cannot pass), bad requests that must be
 * refused (past the end, zero and oversized lengths, a partial block, a malformed message),
 * flush; with `bench`, the raw-read figure: reads of BLKTEST_BENCH_BYTES in 64 KiB calls timed
 * with PMCCNTR_EL0 (guest instructions under QEMU -icount), printed as instructions per byte.
 *
 * The two clients print nothing while both run (their lines would interleave on seL4's debug
 * console): each collects its report, B signals A when its work is done, A then runs the
 * benchmark alone, asks the driver for its statistics (blockdev.stats: the most requests in
 * flight at once), prints its report and signals B, which prints its own.
 *
 * Included by one main.c per client (their generated constants differ by server name).
 */
#pragma once

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <blockdev_client_gen.h>

#define BLKTEST_CHUNK 65536u
#define BLKTEST_CHUNKS 8u
#define BLKTEST_BENCH_BYTES (4u << 20)

static uint8_t blktest_buf[BLKTEST_CHUNK];
static char blktest_out[8192];
static size_t blktest_outlen;

/* The report, printed in one piece at the end. */
__attribute__((format(printf, 1, 2))) static void blktest_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(blktest_out + blktest_outlen, sizeof blktest_out - blktest_outlen, fmt, ap);
    va_end(ap);
    if (n > 0) {
        blktest_outlen += (size_t)n;
        if (blktest_outlen >= sizeof blktest_out) blktest_outlen = sizeof blktest_out - 1;
    }
}

static void blktest_flush_log(void)
{
    fputs(blktest_out, stdout);
    fflush(stdout);
    blktest_outlen = 0;
    blktest_out[0] = '\0';
}

/* How the two clients take turns: `peer` signals the other, `own` is this one's notification;
 * `first` is the one that waits for the other's work, then benchmarks and prints first. */
typedef struct blktest_sync {
    ng_cptr_t peer;
    ng_cptr_t own;
    bool first;
} blktest_sync_t;

static uint64_t blktest_fnv(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

static void blktest_fill(uint8_t *p, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}

static inline uint64_t blktest_ccnt(void)
{
#if defined(__aarch64__)
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
#else
    return 0;
#endif
}

static void blktest_ccnt_enable(void)
{
#if defined(__aarch64__)
    uint64_t pmcr;
    __asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
    pmcr |= 1u;
    pmcr &= ~(uint64_t)(1u << 3);
    __asm__ volatile("msr pmcr_el0, %0\n\tmsr pmcntenset_el0, %1\n\tisb" ::"r"(pmcr), "r"((uint64_t)1 << 31));
#endif
}

static int blktest_expect(const char *name, const char *what, int got, int want)
{
    bool ok = got == want;
    blktest_log("%s: %s -> %d (%s)\n", name, what, got, ok ? "refused as expected" : "WRONG");
    return ok ? 0 : 1;
}

static int blktest_work(const char *name, const blockdev_client_t *c, uint64_t first, uint32_t seed)
{
    int failures = 0;
    blockdev_device_info_t info;
    int err = blockdev_info(c, &info);
    if (err != NG_OK) {
        blktest_log("%s: info failed: %d\n", name, err);
        return 1;
    }
    blktest_log("%s: disk \"%s\": %" PRIu64 " blocks of %u bytes, max transfer %u\n", name, info.model,
           info.num_blocks, (unsigned)info.block_size, (unsigned)info.max_transfer);
    const uint32_t per = BLKTEST_CHUNK / info.block_size;
    if (info.num_blocks < first + BLKTEST_CHUNKS * per) {
        blktest_log("%s: the disk is too small for the test (needs %" PRIu64 " blocks)\n", name, first + BLKTEST_CHUNKS * per);
        return 1;
    }

    /* A run counter in the block before the range makes every run's pattern new. */
    ng_bytes_t cnt;
    uint32_t run = 0;
    if (blockdev_read_blocks(c, first - 1, 1, &cnt) == NG_OK && cnt.len == info.block_size) {
        memcpy(&run, cnt.ptr, sizeof run);
    }
    run++;
    memset(blktest_buf, 0, info.block_size);
    memcpy(blktest_buf, &run, sizeof run);
    if (blockdev_write_blocks(c, first - 1, ng_bytes(blktest_buf, info.block_size)) != NG_OK) {
        blktest_log("%s: cannot write the run counter\n", name);
        failures++;
    }
    seed += run * 0x100u;
    blktest_log("%s: run %u on this disk\n", name, (unsigned)run);

    /* What is there now must differ from what this run writes (a stale disk cannot pass). */
    uint64_t sums[BLKTEST_CHUNKS];
    unsigned same_before = 0;
    for (unsigned k = 0; k < BLKTEST_CHUNKS; k++) {
        blktest_fill(blktest_buf, BLKTEST_CHUNK, seed + k);
        sums[k] = blktest_fnv(blktest_buf, BLKTEST_CHUNK);
        ng_bytes_t got;
        if (blockdev_read_blocks(c, first + k * per, per, &got) == NG_OK && got.len == BLKTEST_CHUNK &&
            blktest_fnv(got.ptr, got.len) == sums[k]) {
            same_before++;
        }
    }
    for (unsigned k = 0; k < BLKTEST_CHUNKS; k++) {
        blktest_fill(blktest_buf, BLKTEST_CHUNK, seed + k);
        ng_bytes_t data = { blktest_buf, BLKTEST_CHUNK };
        err = blockdev_write_blocks(c, first + k * per, data);
        if (err != NG_OK) {
            blktest_log("%s: write of chunk %u failed: %d\n", name, k, err);
            failures++;
        }
    }
    unsigned match = 0;
    for (unsigned k = 0; k < BLKTEST_CHUNKS; k++) {
        ng_bytes_t got;
        err = blockdev_read_blocks(c, first + k * per, per, &got);
        if (err == NG_OK && got.len == BLKTEST_CHUNK && blktest_fnv(got.ptr, got.len) == sums[k]) {
            match++;
        } else {
            blktest_log("%s: chunk %u read back wrong (error %d, %zu bytes)\n", name, k, err, err == NG_OK ? got.len : 0);
        }
    }
    failures += match != BLKTEST_CHUNKS || same_before == BLKTEST_CHUNKS;
    blktest_log("%s: wrote %u x 64 KiB at block %" PRIu64 ", read back %u/%u with matching checksums (%u matched before "
           "writing) (%s)\n",
           name, BLKTEST_CHUNKS, first, match, BLKTEST_CHUNKS, same_before,
           match == BLKTEST_CHUNKS && same_before < BLKTEST_CHUNKS ? "ok" : "FAILED");

    /* Read-ahead the caller does not wait for (blockdev.prefetch): reads inside prefetched ranges
     * (whole and partial) return the data, and a write over a prefetched range wins over it.
     * A driver may decline (queued false: the SD driver always does), the data must not care. */
    unsigned queued_n = 0, pf_ok = 0;
    for (unsigned k = 0; k < BLKTEST_CHUNKS; k++) {
        bool queued = false;
        err = blockdev_prefetch(c, first + k * per, per, &queued);
        failures += err != NG_OK;
        queued_n += err == NG_OK && queued;
    }
    for (unsigned k = 0; k < BLKTEST_CHUNKS; k++) {
        ng_bytes_t got;
        if (k == 1) { /* a part from the middle of a range first, then the whole */
            blktest_fill(blktest_buf, BLKTEST_CHUNK, seed + k);
            err = blockdev_read_blocks(c, first + k * per + 16, 8, &got);
            pf_ok += err == NG_OK && got.len == 8u * info.block_size &&
                     memcmp(got.ptr, blktest_buf + 16u * info.block_size, got.len) == 0;
        }
        err = blockdev_read_blocks(c, first + k * per, per, &got);
        pf_ok += err == NG_OK && got.len == BLKTEST_CHUNK && blktest_fnv(got.ptr, got.len) == sums[k];
    }
    bool queued = false;
    blockdev_prefetch(c, first, per, &queued);
    blktest_fill(blktest_buf, BLKTEST_CHUNK, seed + 0x77);
    uint64_t newer = blktest_fnv(blktest_buf, BLKTEST_CHUNK);
    err = blockdev_write_blocks(c, first, (ng_bytes_t){ blktest_buf, BLKTEST_CHUNK });
    ng_bytes_t after;
    int rerr = blockdev_read_blocks(c, first, per, &after);
    bool newest = err == NG_OK && rerr == NG_OK && after.len == BLKTEST_CHUNK && blktest_fnv(after.ptr, after.len) == newer;
    failures += pf_ok != BLKTEST_CHUNKS + 1 || !newest;
    blktest_log("%s: prefetch: %u of %u queued, %u/%u reads right, a write over a prefetched range read back %s (%s)\n",
                name, queued_n, BLKTEST_CHUNKS, pf_ok, BLKTEST_CHUNKS + 1, newest ? "new" : "STALE",
                pf_ok == BLKTEST_CHUNKS + 1 && newest ? "ok" : "FAILED");

    /* Bad requests. */
    ng_bytes_t rep;
    bool q;
    failures += blktest_expect(name, "prefetch past the end", blockdev_prefetch(c, info.num_blocks - 1, 2, &q),
                               BLOCKDEV_ERR_OUT_OF_RANGE);
    failures += blktest_expect(name, "prefetch of 0 blocks", blockdev_prefetch(c, first, 0, &q), BLOCKDEV_ERR_BAD_LENGTH);
    failures += blktest_expect(name, "read past the end", blockdev_read_blocks(c, info.num_blocks - 1, 2, &rep),
                               BLOCKDEV_ERR_OUT_OF_RANGE);
    failures += blktest_expect(name, "read of 0 blocks", blockdev_read_blocks(c, first, 0, &rep), BLOCKDEV_ERR_BAD_LENGTH);
    failures += blktest_expect(name, "read of 129 blocks", blockdev_read_blocks(c, first, per + 1, &rep),
                               BLOCKDEV_ERR_BAD_LENGTH);
    ng_bytes_t partial = { blktest_buf, 100 };
    failures += blktest_expect(name, "write of 100 bytes", blockdev_write_blocks(c, first, partial), BLOCKDEV_ERR_BAD_LENGTH);
    ng_msg_t m;
    ng_msg_start(&m, BLOCKDEV_READ_BLOCKS_LABEL); /* no words: malformed */
    err = ng_call(c->ep, &m);
    failures += blktest_expect(name, "malformed read_blocks", err == NG_OK ? (int)m.label : err, NG_EBADMSG);
    err = blockdev_flush(c);
    blktest_log("%s: flush -> %d (%s)\n", name, err, err == NG_OK ? "ok" : "FAILED");
    failures += err != NG_OK;

    return failures;
}

static int blktest_bench(const char *name, const blockdev_client_t *c, uint64_t first)
{
    const uint32_t per = BLKTEST_CHUNK / 512u;
    int failures = 0;
    ng_bytes_t rep;
    {
        blktest_ccnt_enable();
        uint64_t t0 = blktest_ccnt();
        unsigned bad = 0;
        for (uint32_t done = 0; done < BLKTEST_BENCH_BYTES; done += BLKTEST_CHUNK) {
            uint64_t lba = (done / BLKTEST_CHUNK % BLKTEST_CHUNKS) * per + first;
            bad += blockdev_read_blocks(c, lba, per, &rep) != NG_OK;
        }
        uint64_t t1 = blktest_ccnt();
        failures += bad != 0;
        if (t1 != t0) {
            uint64_t n = t1 - t0;
            blktest_log("%s: bench: raw read of %u KiB in 64 KiB calls: %" PRIu64 " PMCCNTR_EL0 counts, %" PRIu64
                   ".%02" PRIu64 " per byte\n",
                   name, BLKTEST_BENCH_BYTES >> 10, n, n / BLKTEST_BENCH_BYTES, n * 100 / BLKTEST_BENCH_BYTES % 100);
        } else {
            blktest_log("%s: bench: raw read of %u KiB in 64 KiB calls (no cycle counter on this target)\n", name,
                   BLKTEST_BENCH_BYTES >> 10);
        }
    }
    return failures;
}

/* Returns the number of failures. */
static int blktest_run(const char *name, const blockdev_client_t *c, uint64_t first, uint32_t seed, blktest_sync_t sync)
{
    int failures = blktest_work(name, c, first, seed);
    if (sync.first) {
        ng_wait(sync.own); /* the other client's work is done */
        failures += blktest_bench(name, c, first);
        uint64_t completed = 0, refused = 0;
        uint32_t most = 0;
        int err = blockdev_stats(c, &completed, &most, &refused);
        blktest_log("%s: driver stats: %" PRIu64 " requests completed, at most %u in flight at once, %" PRIu64
                    " refused (%s)\n",
                    name, completed, (unsigned)most, refused, err == NG_OK && most >= 2 ? "ok" : "FAILED");
        failures += err != NG_OK || most < 2;
    } else {
        ng_signal(sync.peer);
        ng_wait(sync.own); /* the other has printed */
    }
    blktest_log("%s: %s\n", name, failures ? "FAILED" : "done");
    blktest_flush_log();
    if (sync.first) ng_signal(sync.peer);
    return failures;
}
