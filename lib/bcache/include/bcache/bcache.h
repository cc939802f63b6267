/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A block cache between a file system and a block device, as a library: bounded memory the
 * caller supplies, least-recently-used replacement, read-ahead that widens while reads stay
 * sequential, write-back (dirty blocks reach the device when evicted, in runs, or on
 * bcache_sync), and counters for benchmarks. No seL4, transport or allocator dependency.
 */
#ifndef BCACHE_BCACHE_H
#define BCACHE_BCACHE_H

#include <stddef.h>
#include <stdint.h>

/* The device below: whole blocks; a nonzero return is an I/O error. Optional (NULL if the
 * device has none):
 *   read_ref  reads like `read` but lends its own buffer instead of copying into one of the
 *             cache's (*data is valid until the next call to the device);
 *   prefetch  starts reading a range the cache will probably ask for next and returns without
 *             waiting; a later read inside that range finds it under way or done. Nonzero:
 *             not started (a hint declined, not an error). Calls never exceed the largest
 *             transfer and are aligned to it, so each later read of a whole aligned run matches
 *             one prefetch. */
typedef struct bcache_dev {
    void *ctx;
    uint32_t block_size;
    uint64_t num_blocks;
    int (*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);
    int (*write)(void *ctx, uint64_t lba, uint32_t count, const void *buf);
    int (*flush)(void *ctx);
    int (*read_ref)(void *ctx, uint64_t lba, uint32_t count, const void **data);
    int (*prefetch)(void *ctx, uint64_t lba, uint32_t count);
} bcache_dev_t;

typedef struct bcache_stats {
    uint64_t hits;             /* blocks read from the cache */
    uint64_t misses;           /* blocks that had to come from the device */
    uint64_t dev_reads;        /* read calls to the device */
    uint64_t dev_read_blocks;
    uint64_t dev_writes;       /* write calls to the device */
    uint64_t dev_write_blocks;
    uint64_t readahead_blocks; /* blocks read before anyone asked */
    uint64_t dev_flushes;
    uint64_t prefetch_blocks;  /* blocks in prefetches the device took */
} bcache_stats_t;

typedef struct bcache_entry {
    uint64_t lba;
    uint32_t prev, next; /* LRU list, most recent first */
    uint32_t hnext;      /* hash chain */
    uint8_t valid, dirty;
} bcache_entry_t;

typedef struct bcache {
    bcache_dev_t dev;
    uint32_t capacity;      /* blocks held */
    uint32_t stage_blocks;  /* largest device transfer */
    uint32_t readahead_max; /* blocks */
    uint32_t readahead;     /* current window */
    uint64_t seq_next;      /* where a sequential read would continue */
    uint32_t prefetch_max;  /* blocks to keep prefetched ahead of a sequential reader (0: none) */
    uint64_t prefetch_end;  /* prefetches have been started up to here */
    uint32_t nbuckets;
    uint32_t mru, lru;
    bcache_entry_t *e;
    uint32_t *hash;
    uint32_t *order;
    uint8_t *data;
    uint8_t *stage_r, *stage_w;
    bcache_stats_t stats;
} bcache_t;

/* Bytes of memory a cache of `blocks` blocks with transfers of `stage_blocks` needs. */
size_t bcache_mem_size(uint32_t block_size, uint32_t blocks, uint32_t stage_blocks);
/* Sets up the cache in `mem` (8-byte aligned, at least bcache_mem_size bytes); 0 on success. */
int bcache_init(bcache_t *bc, const bcache_dev_t *dev, void *mem, size_t mem_size, uint32_t blocks,
                uint32_t stage_blocks, uint32_t readahead_max);
/* With a device that prefetches: keep up to `blocks` (rounded down to whole transfers) read
 * ahead of a sequential reader, so the device works on them while the caller does other things;
 * 0 turns it off. Without it (or without dev->prefetch) read-ahead is synchronous. */
void bcache_set_prefetch(bcache_t *bc, uint32_t blocks);
int bcache_read(bcache_t *bc, uint64_t lba, uint32_t count, void *buf);
int bcache_write(bcache_t *bc, uint64_t lba, uint32_t count, const void *buf);
/* Writes every dirty block back (in runs, in block order), then flushes the device. */
int bcache_sync(bcache_t *bc);
/* Forgets every block (dirty ones are lost: sync first). */
void bcache_invalidate(bcache_t *bc);
/* Dirty blocks not yet written back. */
uint32_t bcache_dirty_count(const bcache_t *bc);

#endif /* BCACHE_BCACHE_H */
