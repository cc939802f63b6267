/* SPDX-License-Identifier: BSD-2-Clause */
/* Block-device test client B (include/blktest.h): blocks 4096.. */
#include "server_gen.h"
#include "../../include/blktest.h"

int main(void)
{
    blockdev_client_t c = blktest_b_use_blockdev();
    return blktest_run("blktest_b", &c, 4096, 0xb000u, false) ? 1 : 0;
}
