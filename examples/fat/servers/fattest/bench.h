/* SPDX-License-Identifier: BSD-2-Clause */
/* The storage benchmark of the FAT test client (bench.c). */
#pragma once

#include <stdint.h>

#include "server_gen.h"

/* Reads `path` (size bytes) through the file system and the same amount raw from the block
 * driver, timed with PMCCNTR_EL0; prints the figures; returns 0 when every read succeeded. */
int fattest_bench(const fs_client_t *fs, const char *path, uint64_t size);
