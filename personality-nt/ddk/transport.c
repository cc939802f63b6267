/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The driver library's transport over the generated ntdrv client stubs (idl/ntdrv.idl): each
 * call is one round trip to the executive; bulk data travels in the connection's shared buffer.
 * A call that fails at the IPC level (the executive gone, a malformed reply) reads as
 * STATUS_UNSUCCESSFUL to the driver, and ends the receive loop.
 */
#include <stdio.h>

#include <ddk/ddk.h>
#include <ddk/transport.h>

static NTSTATUS ipc(int err, NTSTATUS st) { return err == NG_OK ? st : STATUS_UNSUCCESSFUL; }

static NTSTATUS t_driver_entry(void *ctx, const char *name, bool *restarted)
{
    NTSTATUS st = STATUS_SUCCESS;
    return ipc(ntdrv_driver_entry(ctx, ng_str(name), &st, restarted), st);
}

static NTSTATUS t_create_device(void *ctx, const char *name, uint32_t type, uint32_t ch, bool ex, uint64_t *dev)
{
    NTSTATUS st = STATUS_SUCCESS;
    return ipc(ntdrv_create_device(ctx, ng_str(name), type, ch, ex, &st, dev), st);
}

static NTSTATUS t_delete_device(void *ctx, uint64_t dev)
{
    NTSTATUS st = STATUS_SUCCESS;
    return ipc(ntdrv_delete_device(ctx, dev, &st), st);
}

static NTSTATUS t_get_device(void *ctx, const char *name, uint64_t *dev)
{
    NTSTATUS st = STATUS_SUCCESS;
    return ipc(ntdrv_get_device(ctx, ng_str(name), &st, dev), st);
}

static NTSTATUS t_attach_device(void *ctx, uint64_t src, uint64_t target, uint64_t *lower)
{
    NTSTATUS st = STATUS_SUCCESS;
    return ipc(ntdrv_attach_device(ctx, src, target, &st, lower), st);
}

static NTSTATUS t_register_file_system(void *ctx, uint64_t dev)
{
    NTSTATUS st = STATUS_SUCCESS;
    return ipc(ntdrv_register_file_system(ctx, dev, &st), st);
}

static NTSTATUS t_create_symbolic_link(void *ctx, const char *link, const char *target)
{
    NTSTATUS st = STATUS_SUCCESS;
    return ipc(ntdrv_create_symbolic_link(ctx, ng_str(link), ng_str(target), &st), st);
}

static NTSTATUS t_delete_symbolic_link(void *ctx, const char *link)
{
    NTSTATUS st = STATUS_SUCCESS;
    return ipc(ntdrv_delete_symbolic_link(ctx, ng_str(link), &st), st);
}

static NTSTATUS t_call_driver(void *ctx, const ntdrv_irp_t *irp, const void *in, size_t in_len, void *out, size_t cap,
                              size_t *out_len, uint64_t *info)
{
    NTSTATUS st = STATUS_SUCCESS;
    ng_bytes_t got = {0};
    *out_len = 0;
    *info = 0;
    int err = ntdrv_call_driver(ctx, irp, ng_bytes(in, in_len), &st, info, &got);
    if (err != NG_OK) return STATUS_UNSUCCESSFUL;
    size_t n = got.len < cap ? got.len : cap;
    if (n) memcpy(out, got.ptr, n); /* out of the shared buffer before the next call reuses it */
    *out_len = n;
    return st;
}

static int t_next_irp(void *ctx, const ntdrv_completion_t *done, const void *result, size_t result_len,
                      ntdrv_irp_t *irp, const void **data, size_t *data_len)
{
    ng_bytes_t in = {0};
    int err = ntdrv_next_irp(ctx, done, ng_bytes(result, result_len), irp, &in);
    if (err != NG_OK) return err;
    irp->name[sizeof irp->name - 1] = 0;
    *data = in.ptr;
    *data_len = in.len;
    return 0;
}

void ddk_ntdrv_transport(ntdrv_client_t *c, ddk_transport_t *t)
{
    *t = (ddk_transport_t){
        .ctx = c,
        .driver_entry = t_driver_entry,
        .create_device = t_create_device,
        .delete_device = t_delete_device,
        .get_device = t_get_device,
        .attach_device = t_attach_device,
        .register_file_system = t_register_file_system,
        .create_symbolic_link = t_create_symbolic_link,
        .delete_symbolic_link = t_delete_symbolic_link,
        .call_driver = t_call_driver,
        .next_irp = t_next_irp,
    };
}

int ddk_main(ntdrv_client_t client, const char *name, PDRIVER_INITIALIZE entry)
{
    static ntdrv_client_t c;
    static ddk_transport_t t;
    c = client;
    ddk_ntdrv_transport(&c, &t);
    NTSTATUS st = ddk_start(&t, name, entry);
    if (!NT_SUCCESS(st)) {
        printf("%s: DriverEntry failed: %s\n", name, nt_status_name(st));
        return 1;
    }
    printf("%s: driver started%s\n", name, ddk_restarted() ? " (restarted)" : "");
    int err = ddk_run();
    printf("%s: lost the executive (%d)\n", name, err);
    return 1;
}
