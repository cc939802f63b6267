/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The block-device test of examples/storage/rpi3.ts (include/blktest.h) for a driver that serves
 * one request at a time (drivers/sdhci: PIO, answered before the next is taken): the same writes,
 * read-backs, bad requests and benchmark as blktest_a and blktest_b, by one client, and the
 * driver's statistics without the several-in-flight requirement.
 */
#include "server_gen.h"
#include "../../include/blktest.h"

int main(void)
{
    blockdev_client_t c = sdtest_use_blockdev();
    int failures = blktest_work("sdtest", &c, 2048, 0x5d000u);
    failures += blktest_bench("sdtest", &c, 2048);
    uint64_t completed = 0, refused = 0;
    uint32_t most = 0;
    int err = blockdev_stats(&c, &completed, &most, &refused);
    bool ok = err == NG_OK && most == 1 && refused >= 4;
    blktest_log("sdtest: driver stats: %" PRIu64 " requests completed, at most %u in flight at once, %" PRIu64
                " refused (%s)\n",
                completed, (unsigned)most, refused, ok ? "ok" : "FAILED");
    failures += !ok;
    blktest_log("sdtest: %s\n", failures ? "FAILED" : "done");
    blktest_flush_log();
    return failures ? 1 : 0;
}
