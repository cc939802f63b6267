/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DMA memory of a driver (system.ts: driver({ …, dma: "64K" })): physically contiguous frames the
 * root server maps at <DRIVER>_VADDR_DMA, and a read-only info page at <DRIVER>_VADDR_DMA_INFO
 * where it writes, before the driver starts, where that memory is for a device. A driver reads
 * the info page once and hands devices `paddr + (p - vaddr)` for a pointer p into the region.
 *
 * On seL4 `paddr` is the physical address of the untyped the frames were retyped from. On the
 * host target it is the address at which the host root server (and its device models) see the
 * same memory: not the driver's own mapping, so mixing the two up fails there too.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* "NGDMAINF", little endian: the info page was filled in. */
#define NG_DMA_INFO_MAGIC 0x464e49414d44474eull

typedef struct ng_dma_info {
    uint64_t magic; /* NG_DMA_INFO_MAGIC */
    uint64_t paddr; /* device (physical) address of the first byte */
    uint64_t bytes; /* size of the region */
} ng_dma_info_t;

/* The info page at `info_vaddr`, or NULL if the root server did not fill it in. */
static inline const ng_dma_info_t *ng_dma_info(uintptr_t info_vaddr)
{
    const volatile ng_dma_info_t *i = (const volatile ng_dma_info_t *)info_vaddr;
    return i->magic == NG_DMA_INFO_MAGIC ? (const ng_dma_info_t *)info_vaddr : NULL;
}
