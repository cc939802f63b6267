/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The device models the host target has, by platform and physical address of the MMIO window
 * the layout maps (as neptune-gen's platform tables place devices: codegen/src/model/platforms.ts).
 * Adding a model: an ng_host_dev_ops_t, a create function taking the window's IRQ handler, and
 * a line here (and its file in runtime/host/system/CMakeLists.txt).
 */
#include <string.h>

#include "models.h"
#include "root.h"

static const hr_model_t hr_models[] = {
    { "qemu-arm-virt", 0x09000000u, "pl011", &hr_pl011_ops, hr_pl011_create, NULL },
    { "qemu-arm-virt", 0x09010000u, "pl031", &hr_pl031_ops, hr_pl031_create, NULL },
    /* virtio-mmio: a window over one page of transports, or over a run of them (`count`). */
    { "qemu-arm-virt", 0x0a000000u, "virtio-mmio", &hr_virtio_ops, NULL, hr_virtio_create_window },
    { "qemu-arm-virt", 0x0a001000u, "virtio-mmio", &hr_virtio_ops, NULL, hr_virtio_create_window },
    { "qemu-arm-virt", 0x0a002000u, "virtio-mmio", &hr_virtio_ops, NULL, hr_virtio_create_window },
    { "qemu-arm-virt", 0x0a003000u, "virtio-mmio", &hr_virtio_ops, NULL, hr_virtio_create_window },
    { "rpi3", 0x3f201000u, "pl011", &hr_pl011_ops, hr_pl011_create, NULL },
    { "rpi3", 0x3f215000u, "mini UART", &hr_miniuart_ops, hr_miniuart_create, NULL },
    { "rpi3", 0x3f003000u, "system timer", &hr_systimer_ops, hr_systimer_create, NULL },
    { "rpi3", 0x3f300000u, "SD host controller", &hr_sdhci_ops, hr_sdhci_create, NULL },
    { "rpi3", 0x3f200000u, "GPIO", &hr_gpio_ops, hr_gpio_create, NULL },
    { "rpi4", 0xfe215000u, "mini UART", &hr_miniuart_ops, hr_miniuart_create, NULL },
    { "rpi4", 0xfe003000u, "system timer", &hr_systimer_ops, hr_systimer_create, NULL },
};

const hr_model_t *hr_model_find(const char *platform, uint64_t paddr)
{
    for (size_t i = 0; i < sizeof hr_models / sizeof hr_models[0]; i++) {
        const hr_model_t *m = &hr_models[i];
        if (m->paddr == paddr && (!m->platform || (platform && strcmp(m->platform, platform) == 0))) {
            return m;
        }
    }
    return NULL;
}
