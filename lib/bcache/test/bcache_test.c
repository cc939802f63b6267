/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host checks of the block cache over a counting memory device: read-ahead cuts device calls on
 * sequential reads and stays off on random ones, re-reads of cached blocks are hits, LRU evicts
 * the oldest, writes stay in the cache until evicted (in runs) or synced (in block order),
 * bounds and device errors come back as errors; with a device that prefetches and lends its
 * buffer, sequential misses are whole aligned transfers matching earlier prefetches. Prints "PASS bcache" at the end; the first
 * failed check prints its line and exits 1.
 */
#include <bcache/bcache.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BS 512u
#define DEV_BLOCKS 4096u

static uint8_t disk[DEV_BLOCKS * BS];
static unsigned reads, writes, flushes, fail_reads;

static int m_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    (void)ctx;
    reads++;
    if (fail_reads) return -1;
    memcpy(buf, disk + lba * BS, (size_t)count * BS);
    return 0;
}

static int m_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
    (void)ctx;
    writes++;
    memcpy(disk + lba * BS, buf, (size_t)count * BS);
    return 0;
}

static int m_flush(void *ctx)
{
    (void)ctx;
    flushes++;
    return 0;
}

/* A second device that lends its buffer (read_ref) and takes prefetches: it remembers the
 * ranges prefetched and not yet read, holds at most PF_HOLD of them (more are declined), and
 * scribbles over the lent buffer on every write, so a cache that wrote back while copying out
 * of it would copy garbage. */
#define PF_HOLD 3u
static uint8_t lend[64 * BS];
static struct { uint64_t lba; uint32_t count; } held[PF_HOLD];
static unsigned nheld, pf_calls, pf_declined, pf_matched, pf_misaligned, ref_reads;

static int p_read_ref(void *ctx, uint64_t lba, uint32_t count, const void **data)
{
    (void)ctx;
    ref_reads++;
    if (count > 64) return -1;
    for (unsigned i = 0; i < nheld; i++) {
        if (held[i].lba == lba && held[i].count == count) {
            pf_matched++;
            held[i] = held[--nheld];
            break;
        }
    }
    memcpy(lend, disk + lba * BS, (size_t)count * BS);
    *data = lend;
    return 0;
}

static int p_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
    memset(lend, 0xee, sizeof lend);
    return m_write(ctx, lba, count, buf);
}

static int p_prefetch(void *ctx, uint64_t lba, uint32_t count)
{
    (void)ctx;
    pf_calls++;
    if (lba % 64 != 0 || count > 64) pf_misaligned++;
    if (nheld == PF_HOLD) {
        pf_declined++;
        return -1;
    }
    held[nheld].lba = lba;
    held[nheld++].count = count;
    return 0;
}

#define CHECK(c)                                                         \
    do {                                                                 \
        if (!(c)) {                                                      \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);          \
            exit(1);                                                     \
        }                                                                \
    } while (0)

static void fill(uint8_t *b, uint64_t lba, uint8_t salt)
{
    for (unsigned i = 0; i < BS; i++) b[i] = (uint8_t)(lba * 7 + i + salt);
}

int main(void)
{
    for (uint64_t b = 0; b < DEV_BLOCKS; b++) fill(disk + b * BS, b, 0);
    bcache_dev_t dev = {.ctx = NULL, .block_size = BS, .num_blocks = DEV_BLOCKS, .read = m_read, .write = m_write, .flush = m_flush};
    const uint32_t cap = 256, stage = 64;
    size_t need = bcache_mem_size(BS, cap, stage);
    void *mem = malloc(need);
    bcache_t c;
    CHECK(bcache_init(&c, &dev, mem, need - 1, cap, stage, 64) != 0); /* too little memory */
    CHECK(bcache_init(&c, &dev, mem, need, cap, stage, 64) == 0);
    uint8_t buf[8 * BS], want[BS];

    /* Sequential: 1024 blocks in reads of 8; read-ahead makes far fewer device calls. */
    for (uint64_t lba = 0; lba < 1024; lba += 8) {
        CHECK(bcache_read(&c, lba, 8, buf) == 0);
        for (unsigned k = 0; k < 8; k++) {
            fill(want, lba + k, 0);
            CHECK(memcmp(buf + k * BS, want, BS) == 0);
        }
    }
    printf("sequential: %u device reads, hits %llu, misses %llu, read-ahead %llu\n", reads,
           (unsigned long long)c.stats.hits, (unsigned long long)c.stats.misses, (unsigned long long)c.stats.readahead_blocks);
    CHECK(reads <= 1024 / 64 + 4);
    CHECK(c.stats.hits + c.stats.misses == 1024);
    CHECK(c.stats.hits >= 800);

    /* Cached re-read: the last 100 blocks are still there, the first ones were evicted. */
    unsigned before = reads;
    uint64_t hits = c.stats.hits;
    for (uint64_t lba = 1024 - 100; lba < 1024; lba++) CHECK(bcache_read(&c, lba, 1, buf) == 0);
    CHECK(reads == before && c.stats.hits == hits + 100);
    CHECK(bcache_read(&c, 0, 1, buf) == 0 && reads == before + 1);

    /* Random single blocks: no read-ahead. */
    uint64_t ra = c.stats.readahead_blocks;
    for (unsigned i = 0; i < 50; i++) CHECK(bcache_read(&c, 2000 + (i * 37) % 1000, 1, buf) == 0);
    CHECK(c.stats.readahead_blocks == ra);

    /* Write-back: nothing reaches the device before sync; then one call for the run. */
    for (uint64_t lba = 3000; lba < 3010; lba++) {
        fill(buf, lba, 9);
        CHECK(bcache_write(&c, lba, 1, buf) == 0);
    }
    CHECK(writes == 0 && bcache_dirty_count(&c) == 10);
    fill(want, 3005, 9);
    CHECK(memcmp(disk + 3005 * BS, want, BS) != 0);
    CHECK(bcache_read(&c, 3005, 1, buf) == 0 && memcmp(buf, want, BS) == 0); /* reads see the cache */
    CHECK(bcache_sync(&c) == 0);
    CHECK(writes == 1 && flushes == 1 && bcache_dirty_count(&c) == 0);
    CHECK(memcmp(disk + 3005 * BS, want, BS) == 0);

    /* More dirty blocks than the cache holds: evictions write runs, sync the rest, all land. */
    writes = 0;
    for (uint64_t lba = 100; lba < 100 + cap + 40; lba++) {
        fill(buf, lba, 5);
        CHECK(bcache_write(&c, lba, 1, buf) == 0);
    }
    CHECK(writes > 0 && writes < 20);
    CHECK(bcache_sync(&c) == 0);
    for (uint64_t lba = 100; lba < 100 + cap + 40; lba++) {
        fill(want, lba, 5);
        CHECK(memcmp(disk + lba * BS, want, BS) == 0);
    }

    /* Bounds and device errors. */
    CHECK(bcache_read(&c, DEV_BLOCKS - 1, 2, buf) != 0);
    CHECK(bcache_write(&c, DEV_BLOCKS, 1, buf) != 0);
    fail_reads = 1;
    CHECK(bcache_read(&c, 3500, 1, buf) != 0);
    fail_reads = 0;
    CHECK(bcache_read(&c, 3500, 1, buf) == 0);
    free(mem);

    /* Prefetching device: a sequential reader's misses become whole aligned transfers that
     * were each prefetched before, never more than the device holds; data is right. */
    for (uint64_t b = 0; b < DEV_BLOCKS; b++) fill(disk + b * BS, b, 3);
    bcache_dev_t pdev = {.ctx = NULL, .block_size = BS, .num_blocks = DEV_BLOCKS, .read = m_read, .write = p_write,
                         .flush = m_flush, .read_ref = p_read_ref, .prefetch = p_prefetch};
    need = bcache_mem_size(BS, cap, stage);
    mem = malloc(need);
    CHECK(bcache_init(&c, &pdev, mem, need, cap, stage, 64) == 0);
    bcache_set_prefetch(&c, 3 * stage + 5);
    CHECK(c.prefetch_max == 3 * stage);
    for (uint64_t lba = 8; lba < 8 + 2048; lba += 8) {
        CHECK(bcache_read(&c, lba, 8, buf) == 0);
        for (unsigned k = 0; k < 8; k++) {
            fill(want, lba + k, 3);
            CHECK(memcmp(buf + k * BS, want, BS) == 0);
        }
    }
    printf("prefetching: %u reads, %u prefetches (%u declined), %u reads matched a prefetch\n", ref_reads, pf_calls,
           pf_declined, pf_matched);
    CHECK(pf_misaligned == 0 && pf_declined == 0);
    CHECK(ref_reads <= 2048 / 64 + 3);
    CHECK(pf_matched + 3 >= ref_reads);
    CHECK(c.stats.prefetch_blocks == (uint64_t)pf_calls * 64);

    /* Random reads start no prefetch. */
    unsigned calls = pf_calls;
    for (unsigned i = 0; i < 40; i++) CHECK(bcache_read(&c, 3000 + (i * 53) % 1000, 1, buf) == 0);
    CHECK(pf_calls == calls);

    /* A full cache of dirty blocks, then a sequential read: evictions write back (scribbling
     * the lent buffer) before the read, so what is copied out of it is still the data. */
    for (uint64_t lba = 0; lba < cap; lba++) {
        fill(buf, lba, 4);
        CHECK(bcache_write(&c, lba, 1, buf) == 0);
    }
    writes = 0;
    for (uint64_t lba = 2048; lba < 2048 + 512; lba += 8) {
        CHECK(bcache_read(&c, lba, 8, buf) == 0);
        for (unsigned k = 0; k < 8; k++) {
            fill(want, lba + k, 3);
            CHECK(memcmp(buf + k * BS, want, BS) == 0);
        }
    }
    CHECK(writes > 0);
    CHECK(bcache_sync(&c) == 0);
    for (uint64_t lba = 0; lba < cap; lba++) {
        fill(want, lba, 4);
        CHECK(memcmp(disk + lba * BS, want, BS) == 0);
    }
    /* A device that declines every prefetch: reads still right, retried at the next miss. */
    nheld = PF_HOLD;
    pf_declined = 0;
    bcache_invalidate(&c);
    for (uint64_t lba = 0; lba < 512; lba += 8) CHECK(bcache_read(&c, lba, 8, buf) == 0);
    CHECK(pf_declined > 1);
    free(mem);
    printf("PASS bcache\n");
    return 0;
}
