/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root server's own malloc heap. sel4muslcsys' static morecore area is off
 * (LibSel4MuslcSysMorecoreBytes 0) so that servers get the heap their layout maps instead of a
 * fixed one in every ELF; the root server brings its own, installed before anything allocates.
 */
#include <stddef.h>

#include <utils/util.h>

#define RS_HEAP_BYTES (8u << 20)

extern char *morecore_area;
extern size_t morecore_size;

static char __attribute__((aligned(4096))) rs_heap[RS_HEAP_BYTES];

static void __attribute__((constructor(101))) rs_heap_install(void)
{
    morecore_area = rs_heap;
    morecore_size = sizeof(rs_heap);
}
