/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The driver library's own interface (what is not NT's): the transport the core talks through
 * (idl/ntdrv.idl's calls, as function pointers, so that the core runs without seL4 or any IPC:
 * the real one is ddk_ntdrv_transport over the generated stubs, tests bring their own), starting
 * a driver (ddk_start: driver_entry, then DriverEntry), handling one IRP (ddk_dispatch: the wire
 * IRP and its data turned into IRP/IO_STACK_LOCATION/FILE_OBJECT, the dispatch routine run, the
 * completion built) and the receive loop (ddk_run).
 */
#ifndef DDK_DDK_H
#define DDK_DDK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ddk/ntddk.h>
#include <ntdrv_gen.h>

/* Largest payload of one IRP (ntdrv.MAX_DATA). */
#define DDK_MAX_DATA 65536u

typedef struct ddk_transport {
    void *ctx;
    NTSTATUS (*driver_entry)(void *ctx, const char *name, bool *restarted);
    NTSTATUS (*create_device)(void *ctx, const char *name, uint32_t type, uint32_t characteristics, bool exclusive,
                              uint64_t *device);
    NTSTATUS (*delete_device)(void *ctx, uint64_t device);
    NTSTATUS (*get_device)(void *ctx, const char *name, uint64_t *device);
    NTSTATUS (*attach_device)(void *ctx, uint64_t source, uint64_t target, uint64_t *lower);
    NTSTATUS (*register_file_system)(void *ctx, uint64_t device);
    NTSTATUS (*create_symbolic_link)(void *ctx, const char *link, const char *target);
    NTSTATUS (*delete_symbolic_link)(void *ctx, const char *link);
    /* IoCallDriver of an IRP built here to a device of another driver: answers the IRP's status
     * and information and copies at most out_cap bytes of its output to `out` (*out_len). */
    NTSTATUS (*call_driver)(void *ctx, const ntdrv_irp_t *irp, const void *in, size_t in_len, void *out, size_t out_cap,
                            size_t *out_len, uint64_t *information);
    /* Completes (or forwards) `done` with its output `result`, then waits for the next IRP:
     * *data points at its input until the next call through the transport. 0, else the
     * transport failed (the loop ends). */
    int (*next_irp)(void *ctx, const ntdrv_completion_t *done, const void *result, size_t result_len, ntdrv_irp_t *irp,
                    const void **data, size_t *data_len);
} ddk_transport_t;

/* Registers the driver `name` (\Driver\<name>) and runs `entry` on the driver object. */
NTSTATUS ddk_start(const ddk_transport_t *t, const char *name, PDRIVER_INITIALIZE entry);
/* The driver object (after ddk_start). */
PDRIVER_OBJECT ddk_driver(void);
/* Whether the executive said this start is a restart. */
bool ddk_restarted(void);

/* Handles one IRP from the executive: `data` is copied before the dispatch routine runs (it may
 * lie in the shared buffer that IoCallDriver reuses). Fills the completion and points *result
 * at its output (valid until the next ddk_dispatch). */
void ddk_dispatch(const ntdrv_irp_t *irp, const void *data, size_t len, ntdrv_completion_t *done, const void **result,
                  size_t *result_len);
/* The receive loop: next_irp, dispatch, next_irp with the completion, ... Returns only when
 * the transport fails. */
int ddk_run(void);

/* Forgets the driver, its devices, stand-ins and file objects (host tests run several drivers
 * in one process, one after the other). */
void ddk_reset(void);

/* The device object of ours, or the stand-in for a foreign one, the executive calls `id`;
 * NULL for 0 (a stand-in is created on first use). */
PDEVICE_OBJECT ddk_device(uint64_t id);

/* Memory for the library's objects: malloc, or a small static arena for drivers with no heap. */
void *ddk_alloc(size_t n);
void ddk_free(void *p);

#endif /* DDK_DDK_H */
