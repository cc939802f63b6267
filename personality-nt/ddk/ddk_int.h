/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the driver library: its state (one driver per process) and file objects.
 */
#ifndef DDK_INT_H
#define DDK_INT_H

#include <ddk/ddk.h>

/* A FILE_OBJECT with its name's storage. */
typedef struct ddk_file {
    FILE_OBJECT fo;
    struct ddk_file *next;
    WCHAR name[];
} ddk_file_t;

typedef struct ddk_state {
    const ddk_transport_t *t;
    char name[NTDRV_MAX_DRIVER + 1];
    DRIVER_OBJECT driver;
    WCHAR driver_name[48];
    bool restarted;
    PDEVICE_OBJECT deleted;  /* our deleted devices that file objects still name */
    PDEVICE_OBJECT foreign;  /* stand-ins for other drivers' devices */
    ddk_file_t *files;       /* open file objects, by the executive's id */
    IRP irp;                 /* the executive's IRP being handled */
    _Alignas(16) uint8_t buf[DDK_MAX_DATA]; /* its SystemBuffer */
    IO_SECURITY_CONTEXT security;
    VPB vpb;
    UNICODE_STRING pattern;
    WCHAR pattern_buf[NT_NAME_MAX + 1];
} ddk_state_t;

extern ddk_state_t ddk_g;

PDEVICE_OBJECT ddk_own_device(uint64_t id);

#endif /* DDK_INT_H */
