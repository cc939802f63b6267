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
