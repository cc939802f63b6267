/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fastfat: the FAT file system driver as a driver process (the system must name it `fastfat`).
 * With `uses: ["timer"]` the times it writes are FF_EPOCH plus the time since boot.
 */
#include <ddk/transport.h>

#include "server_gen.h"
#include "fastfat.h"

#ifdef FASTFAT_CAP_TIMER
static timer_client_t timer;

static int64_t clock_now(void *ctx)
{
    (void)ctx;
    uint64_t ns;
    if (timer_now(&timer, &ns) == NG_OK) return FF_EPOCH + (int64_t)(ns / 1000000000u);
    return FF_EPOCH;
}
#endif

int main(void)
{
#ifdef FASTFAT_CAP_TIMER
    timer = fastfat_use_timer();
    FatSetClock(clock_now, NULL);
#endif
    return ddk_main(fastfat_use_ntdrv(), "fastfat", FatDriverEntry);
}
