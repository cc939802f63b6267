/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device access for drivers: register reads and writes and interrupt acknowledgement. Driver
 * sources use only these, so the same driver runs on seL4 (volatile accesses to the uncached
 * window the layout maps, seL4_IRQHandler_Ack) and on the host test bench (device models behind
 * the same addresses). The include path selects <neptune/dev_target.h>, as for the transport.
 *
 * Every target provides:
 *   uint32_t ng_reg_read32(uintptr_t addr);
 *   void ng_reg_write32(uintptr_t addr, uint32_t value);
 *   uint8_t ng_reg_read8(uintptr_t addr);                 byte registers (16550 UART)
 *   void ng_reg_write8(uintptr_t addr, uint8_t value);
 * and on x86 (seL4), through a device's I/O port cap:
 *   uint8_t ng_port_in8(ng_cptr_t ioport, uint16_t port);
 *   void ng_port_out8(ng_cptr_t ioport, uint16_t port, uint8_t value);
 *   int ng_irq_ack(ng_cptr_t irq_handler);   NG_OK, or NG_EIPC if the cap is not an IRQ handler
 */
#pragma once

#include <stdint.h>

#include <neptune/msg.h>
#include <neptune/dev_target.h>
