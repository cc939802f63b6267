/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PL031 register logic (ARM PrimeCell Real Time Clock PL031 TRM, DDI 0224): data register (the
 * counter), match register, control register (start bit), the match interrupt's mask and clear
 * registers, and the peripheral ID. The load register stays untouched: the counter keeps the
 * time QEMU or the firmware gave it, so it never goes backwards under the driver.
 */
#include <neptune/dev.h>

#include "pl031.h"

#define PL031_DR 0x00   /* data: the counter, read-only */
#define PL031_MR 0x04   /* match */
#define PL031_CR 0x0c   /* control: bit 0 starts the counter */
#define PL031_IMSC 0x10 /* interrupt mask set/clear: bit 0 enables the match interrupt */
#define PL031_ICR 0x1c  /* interrupt clear, write-only */
#define PL031_PERIPH_ID0 0xfe0
#define PL031_PERIPH_ID1 0xfe4

#define PL031_CR_START (1u << 0)
#define PL031_INT_MATCH (1u << 0)

bool pl031_init(pl031_t *r, uintptr_t base)
{
    r->base = base;
    uint32_t id = (ng_reg_read32(base + PL031_PERIPH_ID0) & 0xffu) |
                  (ng_reg_read32(base + PL031_PERIPH_ID1) & 0xffu) << 8;
    if ((id & 0xfffu) != 0x031u) return false; /* part number 0x031 */
    /* Starting a running counter changes nothing; a stopped one starts from where it stands. */
    if (!(ng_reg_read32(base + PL031_CR) & PL031_CR_START)) ng_reg_write32(base + PL031_CR, PL031_CR_START);
    pl031_alarm_off(r);
    pl031_alarm_clear(r);
    return true;
}

uint32_t pl031_now(pl031_t *r)
{
    return ng_reg_read32(r->base + PL031_DR);
}

void pl031_alarm_set(pl031_t *r, uint32_t at)
{
    ng_reg_write32(r->base + PL031_MR, at);
    /* A match the counter passed while masked left the raw status set: drop it, or unmasking
     * would interrupt at once for nothing. (If the counter reaches `at` between these writes,
     * the caller sees it by reading the counter again.) */
    ng_reg_write32(r->base + PL031_ICR, PL031_INT_MATCH);
    ng_reg_write32(r->base + PL031_IMSC, PL031_INT_MATCH);
}

void pl031_alarm_off(pl031_t *r)
{
    ng_reg_write32(r->base + PL031_IMSC, 0);
}

void pl031_alarm_clear(pl031_t *r)
{
    ng_reg_write32(r->base + PL031_ICR, PL031_INT_MATCH);
}
