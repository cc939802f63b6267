/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The storage benchmark (run under QEMU -icount, where PMCCNTR_EL0 counts guest instructions):
 * a raw sequential read of the file's size from the block driver in 64 KiB calls (one at a time,
 * and with prefetches ahead), the file read sequentially through the FAT server (cold cache:
 * read-ahead and prefetch), read again (cached), and 4 KiB
 * reads of cached data, with the block-device calls the server made during them (from its
 * cache_stats), so the round trips per 4 KiB read are counted, not assumed.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

static uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const uint8_t *p) { return le16(p) | le16(p + 2) << 16; }

/* Where the blocks of `name83` (a short name in the root directory of a FAT32 volume with
 * 512-byte sectors) start, read raw from the device, if the file lies in one run (as mcopy
 * leaves it on a fresh volume): then the raw read reads the very blocks the file system does.
 * 0 (and the raw read starts at block 0) if not. */
static uint64_t file_blocks(const blockdev_client_t *bd, const char *name83, uint64_t size)
{
    ng_bytes_t b;
    if (blockdev_read_blocks(bd, 0, 1, &b) != NG_OK || b.len != 512) return 0;
    const uint8_t *bs = b.ptr;
    uint32_t spc = bs[13], reserved = le16(bs + 14), nfats = bs[16], fatsz = le32(bs + 36), root = le32(bs + 44);
    if (le16(bs + 11) != 512 || le16(bs + 22) != 0 || spc == 0 || spc > CHUNK / 512 || root < 2) return 0;
    uint64_t data = reserved + (uint64_t)nfats * fatsz;
    if (blockdev_read_blocks(bd, data + (uint64_t)(root - 2) * spc, spc, &b) != NG_OK) return 0;
    uint32_t first = 0;
    for (size_t at = 0; at + 32 <= b.len && !first; at += 32) {
        const uint8_t *e = (const uint8_t *)b.ptr + at;
        if (e[11] != 0x0f && memcmp(e, name83, 11) == 0) first = le16(e + 20) << 16 | le16(e + 26);
    }
    if (first < 2) return 0;
    /* Every cluster of the file followed by the next one in the FAT. */
    uint64_t clusters = (size + spc * 512u - 1) / (spc * 512u);
    uint64_t loaded = UINT64_MAX;
    for (uint64_t k = 0; k + 1 < clusters; k++) {
        uint64_t c = first + k, at = c * 4;
        if (at / 512 != loaded && blockdev_read_blocks(bd, reserved + at / 512, 1, &b) != NG_OK) return 0;
        loaded = at / 512;
        if ((le32((const uint8_t *)b.ptr + at % 512) & 0x0fffffff) != c + 1) return 0;
    }
    return data + (uint64_t)(first - 2) * spc;
}

/* One raw pass over `size` bytes from block `start` in CHUNK calls; with `ahead` > 0 it keeps
 * that many chunks prefetched (blockdev.prefetch) in front of the read, as the FAT server does. */
static stamp_t raw_pass(const blockdev_client_t *bd, uint32_t block_size, uint64_t start, uint64_t size, uint32_t ahead,
                        int *bad)
{
    uint32_t per = CHUNK / block_size;
    uint64_t end = start + (size + block_size - 1) / block_size, next_pf = start + per;
    stamp_t t0 = now();
    for (uint64_t lba = start; lba < end; lba += per) {
        ng_bytes_t got;
        *bad += blockdev_read_blocks(bd, lba, per, &got) != NG_OK;
        for (; ahead && next_pf < end && next_pf <= lba + (uint64_t)ahead * per; next_pf += per) {
            bool queued = false;
            if (blockdev_prefetch(bd, next_pf, per, &queued) != NG_OK) (*bad)++;
            if (!queued) break;
        }
    }
    return since(t0);
}

static void keep_best(stamp_t *best, stamp_t t)
{
    if (t.cycles < best->cycles) best->cycles = t.cycles;
    if (t.insts < best->insts) best->insts = t.insts;
}

int fattest_bench(const fs_client_t *fs, const char *path, uint64_t size)
{
    blockdev_client_t bd = fattest_use_blockdev();
    blockdev_device_info_t info;
    int bad = 0;
    if (blockdev_info(&bd, &info) != NG_OK || info.block_size == 0) return 1;
    pmu_start();

    /* Under -icount the waits for QEMU's I/O count too and vary from pass to pass: every
     * figure below is the best of three passes. Raw: the file's blocks (or as many from block
     * 0), sequentially, one call at a time (the baseline), and keeping 3 chunks prefetched. */
    uint64_t start = info.block_size == 512 ? file_blocks(&bd, "BENCH   BIN", size) : 0;
    if (start) printf("fattest: bench: raw reads read the file's own blocks: %" PRIu64 "..%" PRIu64 ", one run\n", start,
                      start + size / info.block_size - 1);
    else printf("fattest: bench: raw reads from block 0 (the file is not one run of a FAT32 volume's blocks)\n");
    stamp_t raw = {UINT64_MAX, UINT64_MAX}, rawpf = {UINT64_MAX, UINT64_MAX};
    for (int pass = 0; pass < 3; pass++) {
        stamp_t t = raw_pass(&bd, info.block_size, start, size, 0, &bad);
        printf("fattest: bench: raw pass %d: %" PRIu64 " counts, %" PRIu64 " instructions\n", pass + 1, t.cycles, t.insts);
        keep_best(&raw, t);
        t = raw_pass(&bd, info.block_size, start, size, 3, &bad);
        printf("fattest: bench: raw prefetching pass %d: %" PRIu64 " counts, %" PRIu64 " instructions\n", pass + 1, t.cycles,
               t.insts);
        keep_best(&rawpf, t);
    }

    /* Through the file system from a cold cache: a clean unmount drops the server's cache (and
     * closes handles), so each pass reads the medium again. */
    uint32_t h = 0;
    uint64_t n = 0;
    stamp_t cold = {UINT64_MAX, UINT64_MAX};
    for (int pass = 0; pass < 3; pass++) {
        if (fs_unmount(fs) != NG_OK || fs_open(fs, ng_str(path), FS_OPEN_READ, &h) != NG_OK) return 1;
        stamp_t t0 = now();
        n = read_file(fs, h, size, CHUNK, &bad);
        stamp_t t = since(t0);
        printf("fattest: bench: fs cold pass %d: %" PRIu64 " counts, %" PRIu64 " instructions\n", pass + 1, t.cycles, t.insts);
        keep_best(&cold, t);
    }
    stamp_t warm = {UINT64_MAX, UINT64_MAX};
    for (int pass = 0; pass < 3; pass++) {
        stamp_t t0 = now();
        read_file(fs, h, size, CHUNK, &bad);
        keep_best(&warm, since(t0));
    }

    /* 4 KiB reads of cached data: the round trips each costs. */
    fs_cache_stats_t s0, s1;
    const uint32_t reads = 1024;
    fs_cache_stats(fs, &s0);
    stamp_t t0 = now();
    for (uint32_t i = 0; i < reads; i++) {
        ng_bytes_t got;
        bad += fs_read(fs, h, (uint64_t)i * 4096 % size, 4096, &got) != NG_OK;
    }
    stamp_t small = since(t0);
    fs_cache_stats(fs, &s1);
    fs_close(fs, h);

    report("raw blockdev read (64 KiB calls, one at a time)", raw, size);
    report("raw blockdev read (64 KiB calls, 3 prefetched ahead)", rawpf, size);
    report("fs read, cold cache (64 KiB calls)", cold, n);
    report("fs re-read, cached (64 KiB calls)", warm, n);
    ratio("fs cold read speed / raw read speed (goal >= 0.8)", raw.cycles, cold.cycles);
    ratio("fs cold read speed / raw prefetching read speed", rawpf.cycles, cold.cycles);
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
