/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The block cache's device: reads and writes split into the driver's largest transfer, data
 * through the shared buffer the blockdev stubs use, flush passed on. A read of one transfer
 * lends the shared buffer to the cache (read_ref: the data is copied once, into the cache),
 * and the cache's read-ahead goes out as blockdev.prefetch, which the driver answers at once:
 * up to PREFETCH_TRANSFERS transfers are read while this server serves its clients. Errors
 * are the driver's, reported to the cache (and from there to the FAT library) as a failed call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk.h"

/* Transfers a sequential reader keeps prefetched ahead of it (the driver may take fewer). */
#define PREFETCH_TRANSFERS 3u

static uint32_t per_call(const fat_disk_t *d)
{
    uint32_t n = d->info.max_transfer / d->info.block_size;
    return n ? n : 1;
}

/* One call's worth of blocks (at most per_call): the driver's reply, in the shared buffer,
 * lent until the next blockdev call. */
static int raw_read_ref(void *ctx, uint64_t lba, uint32_t count, const void **data)
{
    fat_disk_t *d = ctx;
    if (count > per_call(d)) return -1;
    ng_bytes_t got;
    d->calls++;
    if (blockdev_read_blocks(&d->client, lba, count, &got) != NG_OK) return -1;
    if (got.len != (size_t)count * d->info.block_size) return -1;
    *data = got.ptr;
    return 0;
}

static int raw_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    fat_disk_t *d = ctx;
    uint8_t *out = buf;
    while (count > 0) {
        uint32_t n = count < per_call(d) ? count : per_call(d);
        const void *got;
        if (raw_read_ref(d, lba, n, &got)) return -1;
        memcpy(out, got, (size_t)n * d->info.block_size);
        out += (size_t)n * d->info.block_size;
        lba += n;
        count -= n;
    }
    return 0;
}

/* A driver that has declined this many hints and never taken one does not read ahead (the SD
 * card's PIO driver): no more are sent, each would be a round trip for nothing. */
#define PREFETCH_NEVER 16u

static int raw_prefetch(void *ctx, uint64_t lba, uint32_t count)
{
    fat_disk_t *d = ctx;
    if (d->no_prefetch) return -1;
    bool queued = false;
    d->calls++;
    int err = blockdev_prefetch(&d->client, lba, count, &queued);
    if (err == NG_OK && queued) {
        d->prefetch_taken++;
        return 0;
    }
    if (err == NG_ENOSYS || (d->prefetch_taken == 0 && ++d->prefetch_declined >= PREFETCH_NEVER)) d->no_prefetch = true;
    return -1;
}

static int raw_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
    fat_disk_t *d = ctx;
    const uint8_t *in = buf;
    while (count > 0) {
        uint32_t n = count < per_call(d) ? count : per_call(d);
        size_t len = (size_t)n * d->info.block_size;
        d->calls++;
        if (blockdev_write_blocks(&d->client, lba, ng_bytes(in, len)) != NG_OK) return -1;
        in += len;
        lba += n;
        count -= n;
    }
    return 0;
}

static int raw_flush(void *ctx)
{
    fat_disk_t *d = ctx;
    d->calls++;
    int err = blockdev_flush(&d->client);
    return err == NG_OK ? 0 : -1;
}

static int c_read(void *ctx, uint64_t lba, uint32_t count, void *buf) { return bcache_read(ctx, lba, count, buf); }
static int c_write(void *ctx, uint64_t lba, uint32_t count, const void *buf) { return bcache_write(ctx, lba, count, buf); }
static int c_flush(void *ctx) { return bcache_sync(ctx); }

int fat_disk_init(fat_disk_t *d, blockdev_client_t client, size_t cache_bytes)
{
    memset(d, 0, sizeof *d);
    d->client = client;
    int err = blockdev_info(&d->client, &d->info);
    if (err != NG_OK) {
        printf("fat: blockdev.info failed: %d\n", err);
        return -1;
    }
    if (d->info.block_size < 512 || d->info.block_size > FAT_SECTOR_MAX || d->info.max_transfer < d->info.block_size) {
        printf("fat: unusable block device: blocks of %u bytes, transfers of %u\n", (unsigned)d->info.block_size,
               (unsigned)d->info.max_transfer);
        return -1;
    }
    bcache_dev_t raw = {.ctx = d, .block_size = d->info.block_size, .num_blocks = d->info.num_blocks,
                        .read = raw_read, .write = raw_write, .flush = raw_flush,
                        .read_ref = raw_read_ref, .prefetch = raw_prefetch};
    uint32_t stage = per_call(d);
    size_t fixed = bcache_mem_size(d->info.block_size, 0, stage);
    size_t per_block = bcache_mem_size(d->info.block_size, 2, 0) / 2 + 8;
    uint32_t blocks = cache_bytes > fixed ? (uint32_t)((cache_bytes - fixed) / per_block) : 0;
    size_t need = bcache_mem_size(d->info.block_size, blocks, stage);
    void *mem = malloc(need);
    if (!mem || bcache_init(&d->cache, &raw, mem, need, blocks, stage, stage)) {
        printf("fat: no memory for a block cache of %zu bytes\n", cache_bytes);
        return -1;
    }
    bcache_set_prefetch(&d->cache, PREFETCH_TRANSFERS * stage);
    d->dev = (fat_blockdev_t){.ctx = &d->cache, .block_size = d->info.block_size, .num_blocks = d->info.num_blocks,
                              .read = c_read, .write = c_write, .flush = c_flush};
    printf("fat: disk \"%s\": %llu blocks of %u bytes; cache of %u blocks (%zu KiB), read-ahead up to %u, "
           "prefetch up to %u ahead\n",
           d->info.model, (unsigned long long)d->info.num_blocks, (unsigned)d->info.block_size, (unsigned)blocks,
           need >> 10, (unsigned)stage, (unsigned)(PREFETCH_TRANSFERS * stage));
    return 0;
}
