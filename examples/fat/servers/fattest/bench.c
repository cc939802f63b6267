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

#if defined(__aarch64__) && __has_include(<neptune/pmu.h>)
#include <neptune/pmu.h>
#define HAVE_PMU 1
#endif

/* A point in time: the cycle counter (QEMU's virtual clock under -icount: device waits count)
 * and the instructions retired (CPU work only). Zero where there is no PMU (the host target). */
typedef struct {
    uint64_t cycles;
    uint64_t insts;
} stamp_t;

static stamp_t now(void)
{
#if HAVE_PMU
    return (stamp_t){ng_pmu_cycles(), ng_pmu_instructions()};
#else
    return (stamp_t){0, 0};
#endif
}

static stamp_t since(stamp_t t0)
{
    stamp_t t = now();
    return (stamp_t){t.cycles - t0.cycles, (uint32_t)(t.insts - t0.insts)};
}

static void pmu_start(void)
{
#if HAVE_PMU
    ng_pmu_enable();
    ng_pmu_enable_instructions();
#endif
}

static void report(const char *what, stamp_t t, uint64_t bytes)
{
    printf("fattest: bench: %s: %" PRIu64 " KiB, %" PRIu64 " counts (%" PRIu64 ".%02" PRIu64 " per byte), %" PRIu64
           " instructions (%" PRIu64 ".%02" PRIu64 " per byte)\n",
           what, bytes >> 10, t.cycles, t.cycles / bytes, t.cycles * 100 / bytes % 100, t.insts, t.insts / bytes,
           t.insts * 100 / bytes % 100);
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
    pmu_start();

    /* Raw: the same number of bytes, sequentially, from block 0. Under -icount the driver's
     * waits for QEMU's I/O count too and vary from pass to pass: the best of three. */
    stamp_t raw = {UINT64_MAX, UINT64_MAX};
    for (int pass = 0; pass < 3; pass++) {
        stamp_t t0 = now();
        for (uint64_t lba = 0; lba * info.block_size < size; lba += per) {
            ng_bytes_t got;
            bad += blockdev_read_blocks(&bd, lba, per, &got) != NG_OK;
        }
        stamp_t t = since(t0);
        printf("fattest: bench: raw pass %d: %" PRIu64 " counts, %" PRIu64 " instructions\n", pass + 1, t.cycles, t.insts);
        if (t.cycles < raw.cycles) raw.cycles = t.cycles;
        if (t.insts < raw.insts) raw.insts = t.insts;
    }

    uint32_t h;
    if (fs_open(fs, ng_str(path), FS_OPEN_READ, &h) != NG_OK) return 1;
    stamp_t t0 = now();
    uint64_t n = read_file(fs, h, size, CHUNK, &bad);
    stamp_t cold = since(t0);
    t0 = now();
    read_file(fs, h, size, CHUNK, &bad);
    stamp_t warm = since(t0);

    /* 4 KiB reads of cached data: the round trips each costs. */
    fs_cache_stats_t s0, s1;
    const uint32_t reads = 1024;
    fs_cache_stats(fs, &s0);
    t0 = now();
    for (uint32_t i = 0; i < reads; i++) {
        ng_bytes_t got;
        bad += fs_read(fs, h, (uint64_t)i * 4096 % size, 4096, &got) != NG_OK;
    }
    stamp_t small = since(t0);
    fs_cache_stats(fs, &s1);
    fs_close(fs, h);

    report("raw blockdev read (64 KiB calls, best of 3)", raw, size);
    report("fs read, cold cache (64 KiB calls)", cold, n);
    report("fs re-read, cached (64 KiB calls)", warm, n);
    ratio("fs cold read speed / raw read speed (goal >= 0.8)", raw.cycles, cold.cycles);
    ratio("fs cached re-read speed / raw read speed (goal >= 5)", raw.cycles, warm.cycles);
    ratio("fs cold read CPU work / raw read CPU work (instructions)", cold.insts, raw.insts);
    ratio("fs cached re-read CPU work / raw read CPU work (instructions)", warm.insts, raw.insts);
    uint64_t dev = s1.device_calls - s0.device_calls;
    printf("fattest: bench: %u cached 4 KiB reads: %" PRIu64 " counts, %" PRIu64 " instructions each, %u fs round trips + %" PRIu64
           " blockdev calls = %" PRIu64 ".%02" PRIu64 " round trips per read (goal 1)\n",
           (unsigned)reads, small.cycles / reads, small.insts / reads, (unsigned)reads, dev, (reads + dev) / reads, (reads + dev) * 100 / reads % 100);
    printf("fattest: bench: cache %" PRIu64 " hits, %" PRIu64 " misses, %" PRIu64 " read ahead, %" PRIu64 " blockdev calls\n",
           s1.hits, s1.misses, s1.readahead, s1.device_calls);
    printf("fattest: bench %s\n", bad ? "FAILED" : "done");
    return bad != 0;
}
