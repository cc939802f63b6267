/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the shared root-server code (rootserver/common/) needs from the host: the console prefix,
 * the limits the seL4 root server checks the tables against (the same tables boot both), and a
 * clock for the restart rate limit (CLOCK_MONOTONIC).
 */
#include <time.h>

#include <rootserver/common.h>

#include "root.h"

const rs_target_t rs_target = {
    .prefix = HR_PREFIX,
    .max_cnode_bits = 16,
    .max_priority = 254,
    .page_bits = 12,
    .large_page_bits = 21,
};

uint64_t rs_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
