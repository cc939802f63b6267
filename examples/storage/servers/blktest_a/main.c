/* SPDX-License-Identifier: BSD-2-Clause */
/* Block-device test client A (include/blktest.h): blocks 2048..; when B is done, the raw-read
 * benchmark and the driver's statistics; prints first. */
#include "server_gen.h"
#include "../../include/blktest.h"

int main(void)
{
    blockdev_client_t c = blktest_a_use_blockdev();
    blktest_sync_t sync = { BLKTEST_A_CAP_SIGNAL_BLKTEST_B, BLKTEST_A_CAP_NTFN, true };
    return blktest_run("blktest_a", &c, 2048, 0xa000u, sync) ? 1 : 0;
}
