/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FAT server's disk: the block driver reached through blockdev client stubs, the block
 * cache in front of it, and the fat_blockdev_t the FAT library mounts.
 */
#pragma once

#include <stdbool.h>

#include <bcache/bcache.h>
#include <fat/fat.h>
#include <blockdev_client_gen.h>

typedef struct fat_disk {
    blockdev_client_t client;
    blockdev_device_info_t info;
    bcache_t cache;
    fat_blockdev_t dev; /* the cache, as the FAT library sees it */
    uint64_t calls;     /* blockdev calls made (read, write, flush, prefetch) */
    bool no_prefetch;   /* the driver does not read ahead: no blockdev.prefetch, or never takes one */
    uint32_t prefetch_taken, prefetch_declined;
} fat_disk_t;

/* Asks the driver for its geometry and sets the cache up in `cache_bytes` from the heap;
 * 0 on success, else a message was printed. */
int fat_disk_init(fat_disk_t *d, blockdev_client_t client, size_t cache_bytes);
