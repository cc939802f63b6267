/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probedrv: a driver process written straight to idl/ntdrv.idl (no ddk), for the executive's
 * tests. Before it registers, and with malformed or impossible requests, the executive must
 * answer with an error and go on; then it serves \Device\Probe (\??\P:): CREATE and CLOSE
 * succeed, READ answers "probe data", WRITE takes the data — except "die", on which it faults
 * while holding the IRP (the root server restarts it; the executive fails that IRP and deletes
 * the device, and this new instance registers afresh). It also completes an IRP it never got.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include <nt/status.h>

static unsigned passed, failed;

/* A fault on purpose (UBSan would report it first on the host target). */
__attribute__((no_sanitize("undefined"), noinline)) static void die(void)
{
    *(volatile int *)0 = 0;
}

static void check(const char *what, int32_t got, int32_t want)
{
    if (got == want) passed++;
    else failed++;
    printf("probedrv: %s: %s (%s)\n", what, nt_status_name(got), got == want ? "ok" : "FAILED");
}

static void first_checks(const ntdrv_client_t *c, uint64_t dev)
{
    int32_t st = 0;
    uint64_t other = 0, lower = 0, info = 0;
    check("a second \\Device\\Probe", ntdrv_create_device(c, ng_str("Probe"), NTDRV_FILE_DEVICE_NULL, 0, false, &st, &other) == NG_OK ? st : -1,
          STATUS_OBJECT_NAME_COLLISION);
    check("delete a device that does not exist", ntdrv_delete_device(c, 999999, &st) == NG_OK ? st : -1, STATUS_NO_SUCH_DEVICE);
    check("attach a device to itself", ntdrv_attach_device(c, dev, dev, &st, &lower) == NG_OK ? st : -1, STATUS_INVALID_PARAMETER);
    check("register an unknown device as a file system", ntdrv_register_file_system(c, 424242, &st) == NG_OK ? st : -1, STATUS_NO_SUCH_DEVICE);
    uint64_t found = 0;
    ntdrv_get_device(c, ng_str("\\Device\\Probe"), &st, &found);
    check("get \\Device\\Probe", found == dev ? st : STATUS_UNSUCCESSFUL, STATUS_SUCCESS);
    check("get \\Device\\Nope", ntdrv_get_device(c, ng_str("\\Device\\Nope"), &st, &found) == NG_OK ? st : -1, STATUS_OBJECT_NAME_NOT_FOUND);
    check("a link to a relative name", ntdrv_create_symbolic_link(c, ng_str("\\??\\Q:"), ng_str("Device\\Probe"), &st) == NG_OK ? st : -1,
          STATUS_OBJECT_PATH_SYNTAX_BAD);
    /* IoCallDriver on its own device would wait for itself; on a device that does not exist. */
    ntdrv_irp_t irp;
    memset(&irp, 0, sizeof irp);
    irp.device = dev;
    irp.major = NTDRV_IRP_MJ_READ;
    ng_bytes_t out;
    check("call_driver on its own device", ntdrv_call_driver(c, &irp, ng_bytes(NULL, 0), &st, &info, &out) == NG_OK ? st : -1,
          STATUS_INVALID_DEVICE_REQUEST);
    irp.device = 777777;
    check("call_driver on a device that does not exist", ntdrv_call_driver(c, &irp, ng_bytes(NULL, 0), &st, &info, &out) == NG_OK ? st : -1,
          STATUS_DEVICE_DOES_NOT_EXIST);
    printf("probedrv: %u checks passed, %u failed\n", passed, failed);
}

int main(void)
{
    ntdrv_client_t c = probedrv_use_ntdrv();
    int32_t st = 0;
    bool restarted = false;
    uint64_t dev = 0;
    int err = ntdrv_create_device(&c, ng_str("Early"), NTDRV_FILE_DEVICE_NULL, 0, false, &st, &dev);
    int32_t early = err == NG_OK ? st : -1;
    ntdrv_driver_entry(&c, ng_str(""), &st, &restarted);
    int32_t empty = st;
    ntdrv_driver_entry(&c, ng_str("probe"), &st, &restarted);
    /* Only the first instance: its badge had no driver before. */
    if (!restarted) check("create a device before DriverEntry", early, STATUS_INVALID_DEVICE_STATE);
    check("DriverEntry with an empty name", empty, STATUS_OBJECT_NAME_INVALID);
    check(restarted ? "DriverEntry again (restarted)" : "DriverEntry", st, STATUS_SUCCESS);
    check("create \\Device\\Probe", ntdrv_create_device(&c, ng_str("Probe"), NTDRV_FILE_DEVICE_NULL, 0, false, &st, &dev) == NG_OK ? st : -1,
          STATUS_SUCCESS);
    check("link \\??\\P:", ntdrv_create_symbolic_link(&c, ng_str("\\??\\P:"), ng_str("\\Device\\Probe"), &st) == NG_OK ? st : -1, STATUS_SUCCESS);
    if (!restarted) first_checks(&c, dev);
    printf("probedrv: serving \\Device\\Probe%s\n", restarted ? " (restarted)" : "");

    /* The first completion names an IRP it never got: the executive ignores it. */
    ntdrv_completion_t done = { .id = 0x5eed, .status = STATUS_SUCCESS };
    static const char reply[] = "probe data";
    ng_bytes_t result = ng_bytes(NULL, 0);
    for (;;) {
        ntdrv_irp_t irp;
        ng_bytes_t data;
        err = ntdrv_next_irp(&c, &done, result, &irp, &data);
        memset(&done, 0, sizeof done);
        result = ng_bytes(NULL, 0);
        if (err != NG_OK) continue;
        done.id = irp.id;
        done.status = STATUS_SUCCESS;
        switch (irp.major) {
        case NTDRV_IRP_MJ_CREATE:
            done.information = 1; /* FILE_OPENED */
            break;
        case NTDRV_IRP_MJ_READ:
            result = ng_bytes(reply, irp.length < sizeof reply - 1 ? irp.length : sizeof reply - 1);
            done.information = result.len;
            break;
        case NTDRV_IRP_MJ_WRITE:
            if (data.len == 3 && memcmp(data.ptr, "die", 3) == 0) {
                printf("probedrv: dying with the WRITE IRP held\n");
                die();
            }
            done.information = data.len;
            break;
        case NTDRV_IRP_MJ_CLEANUP:
        case NTDRV_IRP_MJ_CLOSE:
            break;
        default:
            done.status = STATUS_INVALID_DEVICE_REQUEST;
            break;
        }
    }
}
