/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The NT personality's benchmark (run under QEMU -icount): the same files read through the NT
 * native API (ntdll -> the executive -> its cache, or the disk driver on a miss) and through the
 * POSIX layer (-> the FAT server), each operation done many times and counted in instructions
 * retired (PMU event 0x08), round trips to the executive (NtdllRoundTripsMade) or to the file
 * system (ng_posix_round_trips_made), and IRPs the executive sent to drivers (its
 * statistics), next to a plain round trip of the same boot (root.stats).
 *
 * Files (put on the image by scripts/bench-nt.ts): BENCH.BIN (1 MiB: hits) and COLD.BIN
 * (8 MiB: misses, a fresh 256 KiB view each time, NT at even and POSIX at odd views).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <neptune/posix.h>
#include <nt/ntdll.h>
#include <nt/status.h>

#include "server_gen.h"

#if defined(__aarch64__) && __has_include(<neptune/pmu.h>)
#include <neptune/pmu.h>
static uint64_t insts(void) { return ng_pmu_instructions(); }
static void pmu_start(void)
{
    ng_pmu_enable();
    ng_pmu_enable_instructions();
}
#else
static uint64_t insts(void) { return 0; }
static void pmu_start(void) {}
#endif

enum { N = 200, MISSES = 8, VIEW = 256 * 1024 };

static int failures;
static uint64_t plain;
static char buf[65536];

static void fail(const char *what, NTSTATUS st)
{
    printf("ntbench: FAILED: %s: %s\n", what, nt_status_name(st));
    failures++;
}

/* The executive's counters for this caller. */
typedef struct counters {
    uint64_t insts, requests, irps, hits, misses;
} counters_t;

static counters_t sample(void)
{
    counters_t c = { 0, NtdllRoundTripsMade(), 0, 0, 0 };
    NT_EXECUTIVE_STATISTICS s;
    NTSTATUS st = NtQueryExecutiveStatistics(&s);
    if (!NT_SUCCESS(st)) fail("NtQueryExecutiveStatistics", st);
    c.irps = s.Irps;
    c.hits = s.CacheHits;
    c.misses = s.CacheMisses;
    c.insts = insts(); /* last: the query's own instructions are not the operation's */
    return c;
}

/* One line per operation: instructions and round trips each; IRPs each for the NT side. The
 * statistics query that ends a measurement is one request, left out of the count. */
static void report(const char *side, const char *what, uint64_t total, uint64_t trips, int64_t irps, unsigned n)
{
    uint64_t per = total / n;
    printf("ntbench: %-5s %-44s %8" PRIu64 " instructions, %" PRIu64 ".%02" PRIu64 " round trips", side, what, per,
           trips / n, trips * 100 / n % 100);
    if (irps >= 0) printf(", %" PRId64 ".%02" PRId64 " IRPs", irps / n, irps * 100 / n % 100);
    if (plain) printf(" (%" PRIu64 ".%02" PRIu64 "x plain)", per / plain, per * 100 / plain % 100);
    printf(" each\n");
}

static void nt_report(const char *what, counters_t a, counters_t b, unsigned n)
{
    /* b's round trips include the statistics query that took a (made after a's count). */
    report("NT", what, b.insts - a.insts, b.requests - a.requests - 1, (int64_t)(b.irps - a.irps), n);
}

static NTSTATUS nt_open(HANDLE *h, const char *name)
{
    WCHAR w[NTEXEC_MAX_NAME + 1];
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    NTSTATUS st = RtlUtf8zToUnicodeString(&us, w, sizeof w, name);
    if (!NT_SUCCESS(st)) return st;
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    return NtCreateFile(h, GENERIC_READ | SYNCHRONIZE, &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL,
                        FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

static NTSTATUS nt_read(HANDLE h, uint64_t offset, ULONG len, ULONG *got)
{
    IO_STATUS_BLOCK iosb;
    LARGE_INTEGER at;
    at.QuadPart = (LONGLONG)offset;
    NTSTATUS st = NtReadFile(h, NULL, NULL, NULL, &iosb, buf, len, &at, NULL);
    *got = (ULONG)iosb.Information;
    return st;
}

static void nt_side(void)
{
    HANDLE h0, cold;
    NTSTATUS st = nt_open(&h0, "\\??\\C:\\BENCH.BIN");
    if (!NT_SUCCESS(st)) return fail("NtCreateFile C:\\BENCH.BIN", st);
    /* Warm the cache: the whole file once. */
    ULONG got;
    for (uint64_t at = 0; at < (1u << 20); at += sizeof buf)
        if (!NT_SUCCESS(st = nt_read(h0, at, sizeof buf, &got)) || got != sizeof buf) return fail("warming read", st);

    counters_t a = sample();
    for (unsigned i = 0; i < N; i++) {
        st = nt_read(h0, (uint64_t)(i % 256) * 4096, 4096, &got);
        if (!NT_SUCCESS(st) || got != 4096) fail("cached NtReadFile", st);
    }
    counters_t b = sample();
    nt_report("NtReadFile 4 KiB, cache hit", a, b, N);
    printf("ntbench: NT    (cache: %" PRIu64 " hits, %" PRIu64 " misses during the hits)\n", b.hits - a.hits, b.misses - a.misses);

    /* Misses: a fresh view each time (the file's extents are asked once, by the warm-up). */
    if (!NT_SUCCESS(st = nt_open(&cold, "\\??\\C:\\COLD.BIN"))) return fail("NtCreateFile C:\\COLD.BIN", st);
    if (!NT_SUCCESS(st = nt_read(cold, 0, 4096, &got))) return fail("first read of COLD.BIN", st);
    a = sample();
    for (unsigned i = 1; i <= MISSES; i++) {
        st = nt_read(cold, (uint64_t)i * 2 * VIEW, 4096, &got);
        if (!NT_SUCCESS(st) || got != 4096) fail("NtReadFile miss", st);
    }
    b = sample();
    nt_report("NtReadFile 4 KiB, cache miss (view read)", a, b, MISSES);
    printf("ntbench: NT    (cache: %" PRIu64 " misses for %u reads)\n", b.misses - a.misses, MISSES);

    /* NtCreateFile of a path that is open already (h0), then NtClose of the new handle. */
    a = sample();
    for (unsigned i = 0; i < N; i++) {
        HANDLE h;
        if (!NT_SUCCESS(st = nt_open(&h, "\\??\\C:\\BENCH.BIN"))) fail("NtCreateFile of an open path", st);
        else NtClose(h);
    }
    b = sample();
    nt_report("NtCreateFile (path already open) + NtClose", a, b, N);
    NtClose(cold);
    NtClose(h0);
}

static void posix_side(void)
{
    int fd = open("/disk/BENCH.BIN", O_RDONLY);
    if (fd < 0) return fail("open /disk/BENCH.BIN", STATUS_UNSUCCESSFUL);
    for (off_t at = 0; at < (1 << 20); at += (off_t)sizeof buf)
        if (pread(fd, buf, sizeof buf, at) != (ssize_t)sizeof buf) return fail("warming pread", STATUS_UNSUCCESSFUL);

    uint64_t r0 = ng_posix_round_trips_made(), t0 = insts();
    for (unsigned i = 0; i < N; i++)
        if (pread(fd, buf, 4096, (off_t)(i % 256) * 4096) != 4096) fail("cached pread", STATUS_UNSUCCESSFUL);
    report("POSIX", "pread 4 KiB, FAT server cache hit", insts() - t0, ng_posix_round_trips_made() - r0, -1, N);

    int cold = open("/disk/COLD.BIN", O_RDONLY);
    if (cold < 0 || pread(cold, buf, 4096, VIEW) != 4096) return fail("open /disk/COLD.BIN", STATUS_UNSUCCESSFUL);
    fs_client_t fs = ntbench_use_fs();
    fs_cache_stats_t c0, c1; /* the FAT server's counters */
    int e0 = fs_cache_stats(&fs, &c0);
    r0 = ng_posix_round_trips_made();
    t0 = insts();
    for (unsigned i = 1; i <= MISSES; i++)
        if (pread(cold, buf, 4096, (off_t)(i * 2 + 1) * VIEW) != 4096) fail("pread miss", STATUS_UNSUCCESSFUL);
    uint64_t t = insts() - t0, trips = ng_posix_round_trips_made() - r0;
    int e1 = fs_cache_stats(&fs, &c1);
    report("POSIX", "pread 4 KiB, FAT server cache miss", t, trips, -1, MISSES);
    if (e0 == NG_OK && e1 == NG_OK)
        printf("ntbench: POSIX (the FAT server made %" PRIu64 " block-device calls for %u reads)\n",
               c1.device_calls - c0.device_calls, MISSES);

    r0 = ng_posix_round_trips_made();
    t0 = insts();
    for (unsigned i = 0; i < N; i++) {
        int f = open("/disk/BENCH.BIN", O_RDONLY);
        if (f < 0 || close(f) != 0) fail("open + close", STATUS_UNSUCCESSFUL);
    }
    report("POSIX", "open (file already open) + close", insts() - t0, ng_posix_round_trips_made() - r0, -1, N);
    close(cold);
    close(fd);
}

int main(void)
{
    static ntexec_client_t nt;
    nt = ntbench_use_ntexec();
    NtdllInitialize(&nt);
    pmu_start();

    root_client_t root = ntbench_use_root();
    int32_t me;
    uint64_t ut, slots;
    uint32_t procs;
    root_stats(&root, &me, &ut, &slots, &procs);
    uint64_t t0 = insts();
    for (int i = 0; i < N; i++) root_stats(&root, &me, &ut, &slots, &procs);
    plain = (insts() - t0) / N;
    printf("ntbench: plain round trip (root.stats, 4 words back): %" PRIu64 " instructions\n", plain);

    nt_side();
    posix_side();
    printf("ntbench: done (%d failures)\n", failures);
    return failures != 0;
}
