/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host device access behind <neptune/dev.h>: there are no device registers in a Linux process, so
 * a register access goes to the device model the host root server registered for that address
 * (<neptune/host_dev.h>), and an interrupt is acknowledged on the emulated IRQ handler. An access
 * outside every registered window, or to another server's window, is reported and ends the
 * driver as the vm fault it would be on seL4. Driver sources stay the same as on seL4.
 */
#pragma once

#include <stdint.h>

#include <neptune/msg.h>

uint32_t ng_reg_read32(uintptr_t addr);
void ng_reg_write32(uintptr_t addr, uint32_t value);
int ng_irq_ack(ng_cptr_t irq_handler);

/* Byte registers: the model sees a 32-bit access at the byte's own offset, the value truncated. */
static inline uint8_t ng_reg_read8(uintptr_t addr)
{
    return (uint8_t)ng_reg_read32(addr);
}

static inline void ng_reg_write8(uintptr_t addr, uint8_t value)
{
    ng_reg_write32(addr, value);
}
