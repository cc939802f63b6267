/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The tables of a system with no servers: what the root server boots when the build has no
 * NEPTUNE_GEN_DIR (a smoke test of kernel, elfloader and root server).
 */
#include <rootserver/tables.h>

const rs_system_t rs_system = {
    .version = RS_TABLES_VERSION,
    .name = "empty",
    .fault_ep = RS_NO_OBJECT,
};
