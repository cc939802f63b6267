/* SPDX-License-Identifier: BSD-2-Clause */
/* The device models of the host root server (one file each); devices.c lists where they sit. */
#pragma once

#include <neptune/host_dev.h>

/* ARM PL011 UART: transmitted bytes go to stdout, received bytes come from stdin. */
extern const ng_host_dev_ops_t hr_pl011_ops;
void *hr_pl011_create(ng_host_object_t *irq);

/* ARM PL031 real-time clock: the counter is the host's CLOCK_REALTIME seconds; the match
 * interrupt is raised by a host thread when the counter reaches the match register. */
extern const ng_host_dev_ops_t hr_pl031_ops;
void *hr_pl031_create(ng_host_object_t *irq);

/* virtio-mmio transports of QEMU virt in a window (a page of them, or a run): the disk (a
 * virtio-blk device backed by the image file hr_virtio_disk_path, NULL for none) on transport
 * 31 as QEMU puts the first one, if the window holds it; register layout version
 * hr_virtio_version (1 legacy, 2 modern). */
extern const char *hr_virtio_disk_path;
extern int hr_virtio_version;
extern const ng_host_dev_ops_t hr_virtio_ops;
void *hr_virtio_create_window(uint64_t paddr, uint64_t bytes,
                              ng_host_object_t *(*irq_of)(const void *ctx, uint32_t irq),
                              const void *ctx);

/* The Raspberry Pi's mini UART (BCM2835 AUX page): stdout and stdin, like the PL011 model. */
extern const ng_host_dev_ops_t hr_miniuart_ops;
void *hr_miniuart_create(ng_host_object_t *irq);

/* The BCM2835 system timer: a microsecond counter over the host's monotonic clock; channel 1's
 * compare interrupt raised by a host thread. */
extern const ng_host_dev_ops_t hr_systimer_ops;
void *hr_systimer_create(ng_host_object_t *irq);

/* The SD Host Controller of the Raspberry Pi 3 (Arasan, 0x3f300000) with an SD card backed by
 * the image file hr_sd_disk_path (NULL: an empty slot); the image's size must be a power of two,
 * as QEMU's SD card requires. */
extern const char *hr_sd_disk_path;
extern const ng_host_dev_ops_t hr_sdhci_ops;
void *hr_sdhci_create(ng_host_object_t *irq);

/* The BCM2835 GPIO block: registers that keep what is written (pin routing). */
extern const ng_host_dev_ops_t hr_gpio_ops;
void *hr_gpio_create(ng_host_object_t *irq);
