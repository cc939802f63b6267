/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The driver library over the generated ntdrv client stubs: what a driver's main() calls.
 *
 *   int main(void) { return ddk_main(ntnull_use_ntdrv(), "ntnull", DriverEntry); }
 */
#ifndef DDK_TRANSPORT_H
#define DDK_TRANSPORT_H

#include <ddk/ddk.h>
#include <ntdrv_client_gen.h>

/* The transport whose calls go through client `c` (which must outlive it). */
void ddk_ntdrv_transport(ntdrv_client_t *c, ddk_transport_t *t);
/* Registers as \Driver\<name>, runs DriverEntry, then serves IRPs until the executive is gone
 * (returns nonzero then, or when DriverEntry fails). */
int ddk_main(ntdrv_client_t client, const char *name, PDRIVER_INITIALIZE entry);

#endif /* DDK_TRANSPORT_H */
