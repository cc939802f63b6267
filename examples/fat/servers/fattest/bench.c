/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The storage benchmark (run under QEMU -icount, where PMCCNTR_EL0 counts guest instructions):
 * a raw sequential read of the file's size from the block driver in 64 KiB calls, the file read
 * sequentially through the FAT server (cold cache: read-ahead), read again (cached), and 4 KiB
 * reads of cached data, with the block-device calls the server made during them (from its
 * cache_stats), so the round trips per 4 KiB read are counted, not assumed.
 */
#include <inttypes.h>
#include <stdio.h>

#include "bench.h"

#define CHUNK 65536u

static inline uint64_t ccnt(void)
{
#if defined(__aarch64__)
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
#else
    return 0;
#endif
}

static void ccnt_enable(void)
{
#if defined(__aarch64__)
    uint64_t pmcr;
    __asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
    pmcr = (pmcr | 1u) & ~(uint64_t)(1u << 3);
    __asm__ volatile("msr pmcr_el0, %0\n\tmsr pmcntenset_el0, %1\n\tisb" ::"r"(pmcr), "r"((uint64_t)1 << 31));
#endif
}

static void report(const char *what, uint64_t counts, uint64_t bytes)
{
    printf("fattest: bench: %s: %" PRIu64 " KiB, %" PRIu64 " counts, %" PRIu64 ".%02" PRIu64 " per byte\n", what, bytes >> 10,
           counts, counts / bytes, counts * 100 / bytes % 100);
}

/* Reads the whole file in `len` calls; the bytes read. */
static uint64_t read_file(const fs_client_t *fs, uint32_t h, uint64_t size, uint32_t len, int *bad)
{
    uint64_t off = 0;
    while (off < size) {
        ng_bytes_t got;
        if (fs_read(fs, h, off, len, &got) != NG_OK || got.len == 0) {
            (*bad)++;
            break;
        }
        off += got.len;
    }
    return off;
}

static void ratio(const char *what, uint64_t num, uint64_t den)
{
    printf("fattest: bench: %s: %" PRIu64 ".%02" PRIu64 "x\n", what, den ? num / den : 0, den ? num * 100 / den % 100 : 0);
}

int fattest_bench(const fs_client_t *fs, const char *path, uint64_t size)
{
    blockdev_client_t bd = fattest_use_blockdev();
    blockdev_device_info_t info;
    int bad = 0;
    if (blockdev_info(&bd, &info) != NG_OK || info.block_size == 0) return 1;
    uint32_t per = CHUNK / info.block_size;
    ccnt_enable();

    /* Raw: the same number of bytes, sequentially, from block 0. Under -icount the driver's
     * waits for QEMU's I/O count too and vary from pass to pass: the best of three. */
    uint64_t t0 = 0, raw = UINT64_MAX;
    for (int pass = 0; pass < 3; pass++) {
        t0 = ccnt();
        for (uint64_t lba = 0; lba * info.block_size < size; lba += per) {
            ng_bytes_t got;
            bad += blockdev_read_blocks(&bd, lba, per, &got) != NG_OK;
        }
        uint64_t t = ccnt() - t0;
        printf("fattest: bench: raw pass %d: %" PRIu64 " counts\n", pass + 1, t);
        if (t < raw) raw = t;
    }

    uint32_t h;
    if (fs_open(fs, ng_str(path), FS_OPEN_READ, &h) != NG_OK) return 1;
    t0 = ccnt();
    uint64_t n = read_file(fs, h, size, CHUNK, &bad);
    uint64_t cold = ccnt() - t0;
    t0 = ccnt();
    read_file(fs, h, size, CHUNK, &bad);
    uint64_t warm = ccnt() - t0;

    /* 4 KiB reads of cached data: the round trips each costs. */
    fs_cache_stats_t s0, s1;
    const uint32_t reads = 1024;
    fs_cache_stats(fs, &s0);
    t0 = ccnt();
    for (uint32_t i = 0; i < reads; i++) {
        ng_bytes_t got;
        bad += fs_read(fs, h, (uint64_t)i * 4096 % size, 4096, &got) != NG_OK;
    }
    uint64_t small = ccnt() - t0;
    fs_cache_stats(fs, &s1);
    fs_close(fs, h);

    report("raw blockdev read (64 KiB calls, best of 3)", raw, size);
    report("fs read, cold cache (64 KiB calls)", cold, n);
    report("fs re-read, cached (64 KiB calls)", warm, n);
    ratio("fs cold read speed / raw read speed (goal >= 0.8)", raw, cold);
    ratio("fs cached re-read speed / raw read speed (goal >= 5)", raw, warm);
    uint64_t dev = s1.device_calls - s0.device_calls;
    printf("fattest: bench: %u cached 4 KiB reads: %" PRIu64 " counts each, %u fs round trips + %" PRIu64
           " blockdev calls = %" PRIu64 ".%02" PRIu64 " round trips per read (goal 1)\n",
           (unsigned)reads, small / reads, (unsigned)reads, dev, (reads + dev) / reads, (reads + dev) * 100 / reads % 100);
    printf("fattest: bench: cache %" PRIu64 " hits, %" PRIu64 " misses, %" PRIu64 " read ahead, %" PRIu64 " blockdev calls\n",
           s1.hits, s1.misses, s1.readahead, s1.device_calls);
    printf("fattest: bench %s\n", bad ? "FAILED" : "done");
    return bad != 0;
}
