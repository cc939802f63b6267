/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A server's malloc heap: the frames the root server maps at the layout's heap address, handed
 * to sel4muslcsys' morecore before anything allocates. Compiled into each server with
 * NEPTUNE_HEAP_VADDR and NEPTUNE_HEAP_BYTES from its layout (servers.cmake); a server without a
 * heap gets none (malloc fails).
 */
#include <stddef.h>
#include <stdint.h>

#if !defined(NEPTUNE_HEAP_VADDR) || !defined(NEPTUNE_HEAP_BYTES)
#define NEPTUNE_HEAP_VADDR 0
#define NEPTUNE_HEAP_BYTES 0
#endif

extern char *morecore_area;
extern size_t morecore_size;

static void __attribute__((constructor(101))) neptune_server_heap_install(void)
{
    if (NEPTUNE_HEAP_BYTES > 0) {
        morecore_area = (char *)(uintptr_t)NEPTUNE_HEAP_VADDR;
        morecore_size = NEPTUNE_HEAP_BYTES;
    }
}
