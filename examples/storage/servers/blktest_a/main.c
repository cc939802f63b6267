/* SPDX-License-Identifier: BSD-2-Clause */
/* Block-device test client A (include/blktest.h): blocks 2048.., then the raw-read benchmark. */
#include "server_gen.h"
#include "../../include/blktest.h"

int main(void)
{
    blockdev_client_t c = blktest_a_use_blockdev();
    return blktest_run("blktest_a", &c, 2048, 0xa000u, true) ? 1 : 0;
}
