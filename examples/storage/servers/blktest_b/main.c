/* SPDX-License-Identifier: BSD-2-Clause */
/* Block-device test client B (include/blktest.h): blocks 4096..; prints after A. */
#include "server_gen.h"
#include "../../include/blktest.h"

int main(void)
{
    blockdev_client_t c = blktest_b_use_blockdev();
    blktest_sync_t sync = { BLKTEST_B_CAP_SIGNAL_BLKTEST_A, BLKTEST_B_CAP_NTFN, false };
    return blktest_run("blktest_b", &c, 4096, 0xb000u, sync) ? 1 : 0;
}
