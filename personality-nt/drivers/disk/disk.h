/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The NT disk driver's view of its block device (disk.c): geometry and whole-block transfers
 * with NTSTATUS results. main.c provides it over blockdev.idl; the host tests over memory.
 */
#pragma once

#include <stdbool.h>
#include <ddk/ntddk.h>

typedef struct disk_geometry {
    uint32_t block_size;   /* bytes per block */
    uint32_t max_transfer; /* bytes per call, a multiple of block_size */
    uint64_t num_blocks;
    bool read_only;
} disk_geometry_t;

typedef struct disk_backend {
    void *ctx;
    NTSTATUS (*info)(void *ctx, disk_geometry_t *g);
    NTSTATUS (*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);
    NTSTATUS (*write)(void *ctx, uint64_t lba, uint32_t count, const void *buf);
    NTSTATUS (*flush)(void *ctx);
} disk_backend_t;

/* The device DiskDriverEntry creates works on `b` (set it before). */
void DiskSetBackend(const disk_backend_t *b);
/* Creates \Device\Harddisk0\Partition0 and \??\C: -> it. */
NTSTATUS DiskDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
