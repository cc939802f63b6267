/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device models for the host target: a model emulates one device's registers and is registered
 * for the MMIO window the layout maps for a driver. ng_reg_read32/ng_reg_write32
 * (<neptune/dev.h>) at an address inside the window call the model with the offset from the
 * window's start, on the driver's thread. Interrupts go through an IRQ handler object
 * (<neptune/host.h>: ng_host_irq_set_level, ng_host_irq_pulse).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <neptune/host.h>

typedef struct ng_host_dev_ops {
    uint32_t (*read32)(void *dev, uintptr_t offset);
    void (*write32)(void *dev, uintptr_t offset, uint32_t value);
} ng_host_dev_ops_t;

/* Register a model for [vaddr, vaddr + size). Only a thread whose CSpace is `owner` (the driver
 * the window is mapped for) may access it. Registering the same window again replaces its
 * owner and model (a restarted driver). Returns NG_OK, NG_EBADMSG if it overlaps another
 * window, or NG_ENOMEM. */
int ng_host_dev_map(ng_host_cspace_t *owner, uintptr_t vaddr, size_t size,
                    const ng_host_dev_ops_t *ops, void *dev);
