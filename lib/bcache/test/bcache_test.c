/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host checks of the block cache over a counting memory device: read-ahead cuts device calls on
 * sequential reads and stays off on random ones, re-reads of cached blocks are hits, LRU evicts
 * the oldest, writes stay in the cache until evicted (in runs) or synced (in block order),
 * bounds and device errors come back as errors. Prints "PASS bcache" at the end; the first
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
    printf("PASS bcache\n");
    return 0;
}
