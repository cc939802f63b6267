/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The launcher: spawns programs through the root server's process service (idl/root.idl) and
 * checks what comes back. In order: 100 children in turn, each given the launcher's echo cap
 * and its index as argv[1], each waited for and its exit status checked against its index; a
 * child that dereferences NULL, reported as a vm fault; a child given no caps (it reports that
 * every call failed); the typed errors, with the root server's free untyped memory and slots
 * unchanged after them; 1000 spawn/reap cycles, free memory and slots printed before and after;
 * then (on seL4, AArch64) the cost of spawn+wait of a trivial program next to two plain round
 * trips of the same boot, counted with PMCCNTR_EL0 (= guest instructions under QEMU -icount;
 * scripts/bench-spawn.ts).
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"

#ifndef LAUNCHER_CHILDREN
#define LAUNCHER_CHILDREN 100
#endif
#ifndef LAUNCHER_CYCLES
#define LAUNCHER_CYCLES 1000
#endif
#define BENCH_SPAWNS 20u
#define BENCH_ROUNDS 1000u

#if defined(__aarch64__) && __has_include(<neptune/pmu.h>)
#include <neptune/pmu.h>
#define LAUNCHER_BENCH 1
#endif

static root_client_t root;
static unsigned failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        failures++;
        printf("launcher: FAILED: %s\n", what);
    }
}

static int spawn(const char *program, const char *argv, const root_grant_t *grants, uint8_t ngrants,
                 int32_t *pid)
{
    root_grant_t caps[ROOT_MAX_CAPS];
    memset(caps, 0, sizeof caps);
    if (ngrants > 0) {
        memcpy(caps, grants, ngrants * sizeof(*grants));
    }
    /* argv: NUL-separated; one string here, so its length is the string's. */
    return root_spawn(&root, ng_str(program), ng_str(argv), ng_str(""), ngrants, caps, pid);
}

static void stats(uint64_t *ut, uint64_t *slots, uint32_t *procs)
{
    int32_t me;
    int err = root_stats(&root, &me, ut, slots, procs);
    check(err == NG_OK, "root.stats");
}

static void hundred_children(void)
{
    const root_grant_t echo = { .to = CHILD_CAP_ECHO, .from = LAUNCHER_CAP_ECHO };
    unsigned ok = 0;
    for (int i = 1; i <= LAUNCHER_CHILDREN; i++) {
        char arg[16];
        snprintf(arg, sizeof arg, "%d", i);
        int32_t pid = 0, child = 0;
        root_end_t how = 0;
        int64_t code = 0;
        uint64_t addr = 0;
        int err = spawn(CHILD_PROGRAM, arg, &echo, 1, &pid);
        if (err != NG_OK) {
            printf("launcher: spawn of child %d failed: %d\n", i, err);
            failures++;
            continue;
        }
        err = root_wait(&root, pid, false, &child, &how, &code, &addr);
        if (err == NG_OK && child == pid && how == ROOT_END_EXITED && code == i) {
            ok++;
        } else {
            printf("launcher: child %d (pid %d): wait %d, how %u, code %ld\n", i, (int)pid, err,
                   (unsigned)how, (long)code);
            failures++;
        }
    }
    printf("launcher: %u of %d children exited with their index (%s)\n", ok, LAUNCHER_CHILDREN,
           ok == LAUNCHER_CHILDREN ? "ok" : "FAILED");
}

static void crasher(void)
{
    int32_t pid = 0, child = 0;
    root_end_t how = 0;
    int64_t code = 0;
    uint64_t addr = 1;
    int err = spawn(CRASHER_PROGRAM, "", NULL, 0, &pid);
    if (err == NG_OK) {
        err = root_wait(&root, 0, false, &child, &how, &code, &addr);
    }
    int ok = err == NG_OK && child == pid && how == ROOT_END_VM_FAULT && addr == 0;
    printf("launcher: crasher (pid %d) ended with a vm fault at 0x%lx pc 0x%lx (%s)\n", (int)pid,
           (unsigned long)addr, (unsigned long)code, ok ? "ok" : "FAILED");
    failures += !ok;
}

static void probe(void)
{
    int32_t pid = 0, child = 0;
    root_end_t how = 0;
    int64_t code = -1;
    uint64_t addr = 0;
    int err = spawn(PROBE_PROGRAM, "", NULL, 0, &pid);
    if (err == NG_OK) {
        err = root_wait(&root, pid, false, &child, &how, &code, &addr);
    }
    int ok = err == NG_OK && how == ROOT_END_EXITED && code == 0;
    printf("launcher: probe, given no caps, reached no server (%s)\n", ok ? "ok" : "FAILED");
    failures += !ok;
}

static void expect_err(int got, int want, const char *what)
{
    printf("launcher: %s: error %d (%s)\n", what, got, got == want ? "ok" : "FAILED");
    failures += got != want;
}

static void negative(void)
{
    uint64_t ut0, slots0, ut1, slots1;
    uint32_t n0, n1;
    int32_t pid = 0, child;
    root_end_t how;
    int64_t code;
    uint64_t addr;
    stats(&ut0, &slots0, &n0);

    expect_err(spawn("nosuch", "", NULL, 0, &pid), ROOT_ERR_UNKNOWN_PROGRAM, "spawn of an unknown program");
    const root_grant_t empty = { .to = CHILD_CAP_ECHO, .from = LAUNCHER_SLOT_FREE_FIRST };
    expect_err(spawn(CHILD_PROGRAM, "1", &empty, 1, &pid), ROOT_ERR_NO_SUCH_CAP, "spawn with a cap it does not hold");
    const root_grant_t wrong = { .to = LAUNCHER_SLOT_FREE_FIRST, .from = LAUNCHER_CAP_ECHO };
    expect_err(spawn(CHILD_PROGRAM, "1", &wrong, 1, &pid), ROOT_ERR_BAD_SLOT, "spawn into a slot the program does not declare");
    expect_err(spawn(BIG_PROGRAM, "", NULL, 0, &pid), ROOT_ERR_NO_MEMORY, "spawn past the memory budget");
    int32_t me;
    uint64_t x, y;
    uint32_t z;
    root_stats(&root, &me, &x, &y, &z);
    expect_err(root_wait(&root, me, false, &child, &how, &code, &addr), ROOT_ERR_NOT_A_CHILD, "wait on a pid that is not a child (its own)");
    expect_err(root_wait(&root, 1, false, &child, &how, &code, &addr), ROOT_ERR_NOT_A_CHILD, "wait on a pid that is not a child (a boot server)");
    expect_err(root_wait(&root, 99999, false, &child, &how, &code, &addr), ROOT_ERR_NO_SUCH_PROCESS, "wait on a pid that does not exist");
    expect_err(root_wait(&root, 0, false, &child, &how, &code, &addr), ROOT_ERR_NO_CHILD, "wait with no child");

    /* Past the process limit (spawn.maxProcesses 3): three blockers, then one more. */
    int32_t blockers[3];
    int spawned = 0;
    for (int i = 0; i < 3; i++) {
        spawned += spawn(BLOCKER_PROGRAM, "", NULL, 0, &blockers[i]) == NG_OK;
    }
    check(spawned == 3, "three blockers spawned");
    root_end_t state = ROOT_END_EXITED;
    int32_t parent = 0;
    ng_str_t name = { NULL, 0 };
    int err = root_query(&root, blockers[0], &state, &parent, &name);
    int qok = err == NG_OK && state == ROOT_END_RUNNING && parent == me && name.len == 7 &&
              memcmp(name.ptr, "blocker", 7) == 0;
    printf("launcher: query(%d): running, parent %d, name %.*s (%s)\n", (int)blockers[0], (int)parent,
           (int)name.len, name.ptr ? name.ptr : "", qok ? "ok" : "FAILED");
    failures += !qok;
    expect_err(spawn(TRIVIAL_PROGRAM, "", NULL, 0, &pid), ROOT_ERR_NO_PROCESSES, "spawn past the process limit");
    expect_err(root_wait(&root, 0, true, &child, &how, &code, &addr), ROOT_ERR_WOULD_BLOCK, "wait with nohang while they run");
    unsigned killed = 0;
    for (int i = 0; i < spawned; i++) {
        int err = root_kill(&root, blockers[i]);
        if (err == NG_OK) {
            err = root_wait(&root, blockers[i], false, &child, &how, &code, &addr);
        }
        killed += err == NG_OK && how == ROOT_END_KILLED;
    }
    printf("launcher: %u blockers killed and reaped (%s)\n", killed, killed == 3 ? "ok" : "FAILED");
    failures += killed != 3;

    /* A child with a child of its own, killed while it waits for it. */
    int32_t nester = 0;
    int nok = spawn(NESTER_PROGRAM, "", NULL, 0, &nester) == NG_OK;
    root_end_t nstate = ROOT_END_RUNNING, gstate = ROOT_END_EXITED;
    int32_t nparent = 0, gparent = 0;
    ng_str_t nname, gname;
    for (unsigned tries = 0; nok && tries < 1000000u; tries++) {
        /* On seL4 the nester (priority 110) has spawned, printed and is waiting before this
         * runs; on the host it runs beside us, so we wait until query says it waits (killing it
         * earlier could lose its line). */
        if (root_query(&root, nester, &nstate, &nparent, &nname) == NG_OK && nstate == ROOT_END_WAITING) {
            break;
        }
    }
    nok = nok && nstate == ROOT_END_WAITING &&
          root_query(&root, nester + 1, &gstate, &gparent, &gname) == NG_OK;
    nok = nok && gstate == ROOT_END_RUNNING && gparent == nester;
    if (nok) {
        nok = root_kill(&root, nester) == NG_OK &&
              root_wait(&root, nester, false, &child, &how, &code, &addr) == NG_OK && how == ROOT_END_KILLED &&
              root_query(&root, nester + 1, &gstate, &gparent, &gname) == ROOT_ERR_NO_SUCH_PROCESS;
    }
    printf("launcher: nester (pid %d) killed while waiting for its child %d; both gone (%s)\n", (int)nester,
           (int)nester + 1, nok ? "ok" : "FAILED");
    failures += !nok;

    stats(&ut1, &slots1, &n1);
    int same = ut0 == ut1 && slots0 == slots1 && n0 == n1;
    printf("launcher: after the negative tests: untyped free %lu -> %lu bytes, slots free %lu -> %lu (%s)\n",
           (unsigned long)ut0, (unsigned long)ut1, (unsigned long)slots0, (unsigned long)slots1,
           same ? "nothing leaked" : "LEAKED");
    failures += !same;
}

static void cycles(void)
{
    uint64_t ut0, slots0, ut1, slots1;
    uint32_t n0, n1;
    stats(&ut0, &slots0, &n0);
    unsigned ok = 0;
    for (int i = 0; i < LAUNCHER_CYCLES; i++) {
        int32_t pid = 0, child = 0;
        root_end_t how = 0;
        int64_t code = 0;
        uint64_t addr = 0;
        int err = spawn(TRIVIAL_PROGRAM, "", NULL, 0, &pid);
        if (err == NG_OK) {
            err = root_wait(&root, pid, false, &child, &how, &code, &addr);
        }
        ok += err == NG_OK && how == ROOT_END_EXITED && code == 7;
    }
    stats(&ut1, &slots1, &n1);
    int same = ut0 == ut1 && slots0 == slots1 && n0 == n1;
    printf("launcher: %u of %d spawn/reap cycles ok; untyped free %lu -> %lu bytes, slots free %lu -> %lu (%s)\n",
           ok, LAUNCHER_CYCLES, (unsigned long)ut0, (unsigned long)ut1, (unsigned long)slots0,
           (unsigned long)slots1, same ? "equal" : "LEAKED");
    failures += !same || ok != LAUNCHER_CYCLES;
}

#ifdef LAUNCHER_BENCH
/* Counts per operation: spawn+wait of `trivial`, echo.add (2 words in, 1 out), root.stats (none
 * in, 4 out: the root server's fast path). Integers with two decimals, no floating point. */
static void bench(void)
{
    (void)ng_pmu_enable();
    if (ng_pmu_cycles() == ng_pmu_cycles()) {
        printf("launcher: bench: the cycle counter PMCCNTR_EL0 does not count\n");
        return;
    }
    echo_client_t echo = launcher_use_echo();
    uint64_t sum = 0, x, y;
    int32_t me;
    uint32_t z;
    for (unsigned i = 0; i < 100; i++) {
        echo_add(&echo, i, 1, &sum);
        root_stats(&root, &me, &x, &y, &z);
    }
    uint64_t t0 = ng_pmu_cycles();
    for (unsigned i = 0; i < BENCH_ROUNDS; i++) {
        echo_add(&echo, i, 1, &sum);
    }
    uint64_t t1 = ng_pmu_cycles();
    for (unsigned i = 0; i < BENCH_ROUNDS; i++) {
        root_stats(&root, &me, &x, &y, &z);
    }
    uint64_t t2 = ng_pmu_cycles();
    unsigned ok = 0;
    for (unsigned i = 0; i < BENCH_SPAWNS; i++) {
        int32_t pid = 0, child = 0;
        root_end_t how = 0;
        int64_t code = 0;
        uint64_t addr = 0;
        if (spawn(TRIVIAL_PROGRAM, "", NULL, 0, &pid) == NG_OK &&
            root_wait(&root, pid, false, &child, &how, &code, &addr) == NG_OK && code == 7) {
            ok++;
        }
    }
    uint64_t t3 = ng_pmu_cycles();
    uint64_t rt = (t1 - t0) * 100 / BENCH_ROUNDS, st = (t2 - t1) * 100 / BENCH_ROUNDS;
    uint64_t sp = (t3 - t2) * 100 / BENCH_SPAWNS;
    printf("launcher: bench: spawn+wait (trivial, %u of %u ok): %lu.%02lu\n", ok, BENCH_SPAWNS,
           (unsigned long)(sp / 100), (unsigned long)(sp % 100));
    printf("launcher: bench: echo.add round trip: %lu.%02lu\n", (unsigned long)(rt / 100), (unsigned long)(rt % 100));
    printf("launcher: bench: root.stats round trip: %lu.%02lu\n", (unsigned long)(st / 100), (unsigned long)(st % 100));
    failures += ok != BENCH_SPAWNS;
}
#endif

int main(void)
{
    root = launcher_use_root();
    uint64_t ut, slots;
    uint32_t procs;
    stats(&ut, &slots, &procs);
    printf("launcher: root server has %lu KiB untyped and %lu slots free\n", (unsigned long)(ut >> 10),
           (unsigned long)slots);
    hundred_children();
    crasher();
    probe();
    negative();
    cycles();
#ifdef LAUNCHER_BENCH
    bench();
#endif
    printf("launcher: done (%u failures)\n", failures);
    return failures ? 1 : 0;
}
