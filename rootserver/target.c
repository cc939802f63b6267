/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the shared root-server code (common/) needs from seL4: the console prefix, the kernel's
 * limits for the table check, and a clock for the restart rate limit. On Arm the clock is the
 * generic timer's virtual counter, which the kernel lets user mode read (KernelArmExportVCNTUser,
 * sel4-config/settings.cmake); elsewhere there is none and rs_clock_ms() returns 0 (the restart
 * limit then counts restarts in all, see common/include/rootserver/common.h).
 */
#include <autoconf.h>
#include <sel4/sel4.h>

#include <rootserver/common.h>

const rs_target_t rs_target = {
    .prefix = "neptune rootserver: ",
    .max_cnode_bits = 16,
    .max_priority = seL4_MaxPrio - 1,
    .page_bits = seL4_PageBits,
    .large_page_bits = seL4_LargePageBits,
};

uint64_t rs_clock_ms(void)
{
#if defined(CONFIG_ARCH_AARCH64) && defined(CONFIG_EXPORT_VCNT_USER)
    uint64_t count, freq;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(count));
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    if (freq == 0) {
        return 0;
    }
    return count / (freq / 1000u ? freq / 1000u : 1u);
#else
    return 0;
#endif
}
