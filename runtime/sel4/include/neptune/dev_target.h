/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * seL4 device access: the layout maps each MMIO window uncached at a fixed address, so a
 * register is a volatile load or store; interrupts are acknowledged on the IRQ handler cap.
 */
#pragma once

#include <stdint.h>

#include <sel4/sel4.h>

static inline uint32_t ng_reg_read32(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void ng_reg_write32(uintptr_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}

/* Byte registers (the 16550 UART's, one byte apart). */
static inline uint8_t ng_reg_read8(uintptr_t addr)
{
    return *(volatile uint8_t *)addr;
}

static inline void ng_reg_write8(uintptr_t addr, uint8_t value)
{
    *(volatile uint8_t *)addr = value;
}

#if defined(CONFIG_ARCH_X86)
/* x86 I/O ports, through the I/O port cap the layout gives a device (<SERVER>_CAP_IOPORT_<DEV>). */
static inline uint8_t ng_port_in8(ng_cptr_t ioport, uint16_t port)
{
    return (uint8_t)seL4_X86_IOPort_In8(ioport, port).result;
}

static inline void ng_port_out8(ng_cptr_t ioport, uint16_t port, uint8_t value)
{
    seL4_X86_IOPort_Out8(ioport, port, value);
}
#endif

static inline int ng_irq_ack(ng_cptr_t irq_handler)
{
    return seL4_IRQHandler_Ack(irq_handler) == seL4_NoError ? NG_OK : NG_EIPC;
}
