/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The benchmark client: times BENCH_ROUNDS round trips (call + reply), after BENCH_WARMUP
 * untimed ones, of
 *   generated   echo_bench() (generated stub) to gensrv (generated dispatch)
 *   libsel4     seL4_SetMR x2 + seL4_Call + seL4_GetMR to rawsrv's libsel4 loop
 *   inline      `svc` with the message in x2..x3 to rawsrv's inline loop (the floor)
 *   libsel4-4w  / libsel4-5w: 4 and 5 words each way (5 words leave the kernel's fast path)
 * with the cycle counter PMCCNTR_EL0 (the kernel lets EL0 at the PMU with KernelArmExportPMUUser;
 * the counter is switched on here, and its filter PMCCFILTR_EL0 set to count EL0, EL1 and EL2, so
 * the kernel's instructions count whether it runs at EL1 or, as a hypervisor, at EL2). Under QEMU
 * with -icount shift=0 it counts instructions, so the figures are exact and repeat. Prints the
 * kernel configuration, `bench: <name>: <count per round trip>`, the ratios (x1000 as fixed
 * point, no floating point), then `bench: done` — or `bench: error: …` when a round trip is too
 * cheap to have gone through the kernel (the counter is not counting the kernel).
 */
#include <stdint.h>
#include <stdio.h>

#include <sel4/sel4.h>
#include <neptune/pmu.h>

#include "../../include/ipc_bench.h"
#include "server_gen.h"

#define BENCH_ROUNDS 10000u
#define BENCH_WARMUP 200u
/* No seL4 round trip (two traps, two kernel IPC paths) takes fewer guest instructions. */
#define BENCH_MIN_ROUND_TRIP 100u

#define BENCH_PMCCFILTR_NSH NG_PMU_FILTER_ALL_LEVELS

#ifdef CONFIG_KERNEL_MCS
#define BENCH_KERNEL_MCS "mcs"
#else
#define BENCH_KERNEL_MCS "non-mcs"
#endif
#ifdef CONFIG_ARM_HYPERVISOR_SUPPORT
#define BENCH_KERNEL_EL "el2"
#else
#define BENCH_KERNEL_EL "el1"
#endif


static unsigned long failures;

static uint64_t run_generated(const echo_client_t *c, unsigned n)
{
    uint64_t acc = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t r = 0;
        if (echo_bench(c, i, 1, &r) != NG_OK) failures++;
        acc += r;
    }
    return acc;
}

static uint64_t run_libsel4(seL4_CPtr ep, unsigned n)
{
    uint64_t acc = 0;
    for (unsigned i = 0; i < n; i++) {
        seL4_SetMR(0, i);
        seL4_SetMR(1, 1);
        seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(ECHO_BENCH_LABEL, 0, 0, 2));
        if (seL4_MessageInfo_get_label(info) != 0) failures++;
        acc += seL4_GetMR(0);
    }
    return acc;
}

/* The floor: seL4_SysCall by hand, x0 = cap, x1 = message info, x2..x3 = the message. */
static inline seL4_Word call_inline2(seL4_Word ep, seL4_Word a, seL4_Word b)
{
    register seL4_Word x0 __asm__("x0") = ep;
    register seL4_Word x1 __asm__("x1") = IPC_BENCH_INFO(ECHO_BENCH_LABEL, 2);
    register seL4_Word x2 __asm__("x2") = a;
    register seL4_Word x3 __asm__("x3") = b;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)seL4_SysCall;
    __asm__ volatile("svc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : "r"(x7) : "x4", "x5");
    return x2;
}

static uint64_t run_inline(seL4_CPtr ep, unsigned n)
{
    uint64_t acc = 0;
    for (unsigned i = 0; i < n; i++) {
        acc += call_inline2(ep, i, 1);
    }
    return acc;
}

/* `words` words each way through rawsrv's libsel4 loop. */
static uint64_t run_words(seL4_CPtr ep, unsigned n, unsigned words)
{
    uint64_t acc = 0;
    for (unsigned i = 0; i < n; i++) {
        for (unsigned w = 0; w < words; w++) seL4_SetMR(w, i + w);
        seL4_MessageInfo_t info = seL4_Call(ep, seL4_MessageInfo_new(IPC_BENCH_LABEL_ECHO_WORDS, 0, 0, words));
        if (seL4_MessageInfo_get_length(info) != words || seL4_GetMR(words - 1) != i + words - 1) failures++;
        acc += seL4_GetMR(0);
    }
    return acc;
}

typedef struct result {
    const char *name;
    uint64_t total;
} result_t;

/* count x 100 per round trip, printed as a number with two decimals. */
static void print_result(const result_t *r)
{
    uint64_t c100 = (r->total * 100 + BENCH_ROUNDS / 2) / BENCH_ROUNDS;
    printf("bench: %s: %lu.%02lu\n", r->name, (unsigned long)(c100 / 100), (unsigned long)(c100 % 100));
}

static void print_ratio(const char *name, const result_t *a, const result_t *b)
{
    uint64_t r1000 = b->total ? (a->total * 1000 + b->total / 2) / b->total : 0;
    printf("bench: ratio %s: %lu.%03lu\n", name, (unsigned long)(r1000 / 1000), (unsigned long)(r1000 % 1000));
}

/* Times one loop; a wrong sum of the replies counts as a failure. */
#define TIMED(res, expr, want)                                                                                 \
    do {                                                                                                       \
        uint64_t t0_ = ng_pmu_cycles();                                                                                 \
        uint64_t got_ = (expr);                                                                                \
        (res).total = ng_pmu_cycles() - t0_;                                                                            \
        if (got_ != (want)) failures++;                                                                        \
    } while (0)

int main(void)
{
    echo_client_t gen = bench_use_gen();
    seL4_CPtr raw = BENCH_CAP_RAW;
    uint64_t sink = 0;
    /* Sums of the replies: r = i + 1 for the echo.bench loops, word 0 = i for the echo loops. */
    const uint64_t sum_i = (uint64_t)BENCH_ROUNDS * (BENCH_ROUNDS - 1) / 2, sum_r = sum_i + BENCH_ROUNDS;
    result_t generated = { "generated" }, libsel4 = { "libsel4" }, floor_ = { "inline" };
    result_t w4 = { "libsel4-4w" }, w5 = { "libsel4-5w" };

    uint64_t filter = ng_pmu_enable();
    printf("bench: kernel: %s/%s, PMCCFILTR_EL0 0x%lx\n", BENCH_KERNEL_MCS, BENCH_KERNEL_EL, (unsigned long)filter);
    uint64_t a = ng_pmu_cycles(), b = ng_pmu_cycles();
    if (b == a) {
        printf("bench: error: the cycle counter PMCCNTR_EL0 does not count\n");
        return 1;
    }
    printf("bench: %u round trips per figure, after %u warm-up; unit: PMCCNTR_EL0 counts\n", BENCH_ROUNDS,
           BENCH_WARMUP);

    sink += run_generated(&gen, BENCH_WARMUP);
    TIMED(generated, run_generated(&gen, BENCH_ROUNDS), sum_r);
    sink += run_libsel4(raw, BENCH_WARMUP);
    TIMED(libsel4, run_libsel4(raw, BENCH_ROUNDS), sum_r);
    sink += run_words(raw, BENCH_WARMUP, 4);
    TIMED(w4, run_words(raw, BENCH_ROUNDS, 4), sum_i);
    sink += run_words(raw, BENCH_WARMUP, 5);
    TIMED(w5, run_words(raw, BENCH_ROUNDS, 5), sum_i);

    /* rawsrv leaves its libsel4 loop for the inline one; the call's reply comes from there. */
    seL4_Call(raw, seL4_MessageInfo_new(IPC_BENCH_LABEL_TO_INLINE, 0, 0, 0));
    sink += run_inline(raw, BENCH_WARMUP);
    TIMED(floor_, run_inline(raw, BENCH_ROUNDS), sum_r);

    print_result(&generated);
    print_result(&libsel4);
    print_result(&floor_);
    print_result(&w4);
    print_result(&w5);
    print_ratio("generated/libsel4", &generated, &libsel4);
    print_ratio("generated/inline", &generated, &floor_);
    print_ratio("5w/4w", &w5, &w4);
    /* Implausibly cheap: the counter missed the kernel (e.g. an EL2 kernel with NSH clear). */
    const result_t *all[] = { &generated, &libsel4, &floor_, &w4, &w5 };
    for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (all[i]->total < (uint64_t)BENCH_MIN_ROUND_TRIP * BENCH_ROUNDS) {
            printf("bench: error: %s: under %u counts per round trip: the kernel's instructions are not counted\n",
                   all[i]->name, BENCH_MIN_ROUND_TRIP);
        }
    }
    printf("bench: failed checks: %lu (checksum %lu)\n", failures, (unsigned long)(sink & 0xffff));
    printf("bench: done\n");
    return 0;
}
