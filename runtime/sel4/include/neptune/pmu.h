/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The AArch64 cycle counter for benchmarks on seL4 (the kernel exports the PMU to user mode:
 * KernelArmExportPMUUser). Under QEMU -icount PMCCNTR_EL0 counts guest instructions, which is
 * how the project's benchmarks compare figures from one boot. ng_pmu_enable() also sets the
 * counter's filter so that every exception level the kernel runs at is counted: EL0 and EL1
 * always, EL2 when the kernel is built with hypervisor support (PMCCFILTR_EL0.NSH).
 */
#pragma once

#include <stdint.h>

#if !defined(__aarch64__)
#error "<neptune/pmu.h> is for AArch64 targets"
#endif

/* PMCCFILTR_EL0: P (31) and U (30) clear count EL1 and EL0; NSK (29) equal to P keeps
 * Non-secure EL1 counted; NSH (27) set counts EL2. */
#define NG_PMU_FILTER_ALL_LEVELS ((uint64_t)1 << 27)

static inline uint64_t ng_pmu_cycles(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

/* PMCR_EL0.E (bit 0), PMCNTENSET_EL0.C (bit 31) and the filter; PMUSERENR_EL0.EN lets EL0
 * write all three. Returns the filter as read back. */
static inline uint64_t ng_pmu_enable(void)
{
    uint64_t pmcr, filter;
    __asm__ volatile("msr pmccfiltr_el0, %0\n\tisb" ::"r"(NG_PMU_FILTER_ALL_LEVELS));
    __asm__ volatile("mrs %0, pmccfiltr_el0" : "=r"(filter));
    __asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr));
    pmcr |= 1u;
    pmcr &= ~(uint64_t)(1u << 3); /* D: count every cycle, not every 64th */
    __asm__ volatile("msr pmcr_el0, %0\n\tmsr pmcntenset_el0, %1\n\tisb" ::"r"(pmcr), "r"((uint64_t)1 << 31));
    return filter;
}

/* Event counter 0 counting instructions retired (event 0x08, INST_RETIRED) at every level the
 * cycle counter counts. Unlike the cycle counter, which QEMU derives from its virtual clock
 * (so under -icount it also advances while the guest idles waiting for a device), this counts
 * only instructions executed: the CPU work of a path, without device time. 32 bits wide on
 * PMUv3 (differences of reads are taken modulo 2^32: at most 4G instructions apart). Returns
 * the event type as read back (0 if the PMU has no such event). */
static inline uint64_t ng_pmu_enable_instructions(void)
{
    uint64_t type = 0x08u | NG_PMU_FILTER_ALL_LEVELS, back;
    __asm__ volatile("msr pmselr_el0, xzr\n\tisb\n\tmsr pmxevtyper_el0, %0\n\tisb" ::"r"(type));
    __asm__ volatile("mrs %0, pmxevtyper_el0" : "=r"(back));
    __asm__ volatile("msr pmcntenset_el0, %0\n\tisb" ::"r"((uint64_t)1));
    return back & 0xffffu;
}

static inline uint32_t ng_pmu_instructions(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, pmevcntr0_el0" : "=r"(v)::"memory");
    return (uint32_t)v;
}
