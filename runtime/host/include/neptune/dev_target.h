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
