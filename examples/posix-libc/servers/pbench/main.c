/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The POSIX layer's benchmark (run under QEMU -icount): each operation done N times through the
 * ordinary POSIX calls, counted in instructions retired (PMU event 0x08) and in the round trips
 * the layer made (ng_posix_round_trips_made), next to a plain round trip of the same boot:
 * root.stats through its generated stub (no arguments, 4 words back). Not plain POSIX itself
 * (the counters), but every measured call is.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <neptune/posix.h>

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

static int failures;

static void report(const char *what, uint64_t total, uint64_t trips, unsigned n, uint64_t plain)
{
    uint64_t per = total / n;
    printf("pbench: %s: %" PRIu64 " instructions, %" PRIu64 ".%02" PRIu64 " round trips each", what, per, trips / n,
           trips * 100 / n % 100);
    if (plain) printf(" (%" PRIu64 ".%02" PRIu64 "x the plain round trip)", per / plain, per * 100 / plain % 100);
    printf("\n");
}

int main(void)
{
    enum { N = 200, SPAWNS = 10 };
    static char buf[65536];
    pmu_start();

    /* The plain round trip: root.stats (0 words in, 4 out). */
    root_client_t root = pbench_use_root();
    int32_t me;
    uint64_t ut, slots;
    uint32_t procs;
    root_stats(&root, &me, &ut, &slots, &procs);
    uint64_t t0 = insts();
    for (int i = 0; i < N; i++) root_stats(&root, &me, &ut, &slots, &procs);
    uint64_t plain = (uint32_t)(insts() - t0) / N;
    printf("pbench: plain round trip (root.stats, 4 words back): %" PRIu64 " instructions\n", plain);

    /* A 64 KiB file, read once so the FAT server's cache holds it. */
    int fd = open("/disk/bench.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
    memset(buf, 'b', sizeof buf);
    failures += fd < 0 || write(fd, buf, sizeof buf) != (ssize_t)sizeof buf;
    failures += lseek(fd, 0, SEEK_SET) != 0 || read(fd, buf, sizeof buf) != (ssize_t)sizeof buf;

    uint64_t r0 = ng_posix_round_trips_made();
    t0 = insts();
    for (int i = 0; i < N; i++) {
        int f = open("/disk/bench.dat", O_RDONLY);
        failures += f < 0 || close(f) != 0;
    }
    report("open + close (/disk, a mount of the layout)", (uint32_t)(insts() - t0), ng_posix_round_trips_made() - r0, N, plain);

    /* The same through the pathname manager: resolve, then open at tmpfs; close. */
    int tf = open("/tmp/bench.dat", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    failures += tf < 0 || close(tf) != 0;
    r0 = ng_posix_round_trips_made();
    t0 = insts();
    for (int i = 0; i < N; i++) {
        int f = open("/tmp/bench.dat", O_RDONLY);
        failures += f < 0 || close(f) != 0;
    }
    report("open + close (/tmp, resolved by pathmgr)", (uint32_t)(insts() - t0), ng_posix_round_trips_made() - r0, N, plain);

    struct stat st;
    r0 = ng_posix_round_trips_made();
    t0 = insts();
    for (int i = 0; i < N; i++) failures += stat("/disk/bench.dat", &st) != 0 || st.st_size != (off_t)sizeof buf;
    report("stat", (uint32_t)(insts() - t0), ng_posix_round_trips_made() - r0, N, plain);

    r0 = ng_posix_round_trips_made();
    t0 = insts();
    for (int i = 0; i < N; i++) {
        off_t at = (off_t)(i % 16) * 4096;
        failures += pread(fd, buf, 4096, at) != 4096;
    }
    uint64_t pr = (uint32_t)(insts() - t0), prt = ng_posix_round_trips_made() - r0;
    r0 = ng_posix_round_trips_made();
    t0 = insts();
    failures += lseek(fd, 0, SEEK_SET) != 0;
    for (int i = 0; i < N; i++) {
        if (i % 16 == 0) failures += lseek(fd, 0, SEEK_SET) != 0;
        failures += read(fd, buf, 4096) != 4096;
    }
    report("4 KiB read, cached (read)", (uint32_t)(insts() - t0), ng_posix_round_trips_made() - r0, N, plain);
    report("4 KiB read, cached (pread)", pr, prt, N, plain);
    close(fd);

    char *argv[] = {"ptrue", NULL};
    r0 = ng_posix_round_trips_made();
    t0 = insts();
    for (int i = 0; i < SPAWNS; i++) {
        pid_t pid;
        int status;
        failures += posix_spawn(&pid, "/bin/ptrue", NULL, NULL, argv, NULL) != 0;
        failures += waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    report("posix_spawn + waitpid (ptrue)", (uint32_t)(insts() - t0), ng_posix_round_trips_made() - r0, SPAWNS, plain);

    unlink("/disk/bench.dat");
    unlink("/tmp/bench.dat");
    printf("pbench: done (%d failures)\n", failures);
    return failures != 0;
}
