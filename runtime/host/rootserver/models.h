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

/* virtio-mmio transports of QEMU virt, the disk (a virtio-blk device backed by the image file
 * hr_virtio_disk_path, NULL for none) on transport 31 as QEMU puts the first one; register
 * layout version hr_virtio_version (1 legacy, 2 modern). */
extern const char *hr_virtio_disk_path;
extern int hr_virtio_version;
extern const ng_host_dev_ops_t hr_virtio_ops;
void *hr_virtio_blk_create(ng_host_object_t *irq);   /* the window at 0x0a003000 */
void *hr_virtio_empty_create(ng_host_object_t *irq); /* the three windows below it */
