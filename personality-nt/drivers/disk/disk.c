/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The NT disk driver on the driver library: \Device\Harddisk0\Partition0 (FILE_DEVICE_DISK,
 * drive C: by a symbolic link \??\C:) over a block device. Reads and writes are at byte offsets
 * that must be whole blocks (else STATUS_INVALID_PARAMETER); one that starts past the end is
 * STATUS_END_OF_FILE, one that runs past it is cut short; they go to the device in pieces of its
 * largest transfer. IOCTL_DISK_GET_LENGTH_INFO and IOCTL_DISK_GET_DRIVE_GEOMETRY answer the
 * geometry, which is asked again while the device has none (no medium at start).
 */
#include <ddk/ntddk.h>

#include "disk.h"

typedef struct disk_ext {
    const disk_backend_t *b;
    disk_geometry_t g;
    bool known;
} disk_ext_t;

static disk_backend_t backend;

void DiskSetBackend(const disk_backend_t *b) { backend = *b; }

static NTSTATUS complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS geometry(disk_ext_t *x)
{
    if (x->known) return STATUS_SUCCESS;
    disk_geometry_t g;
    NTSTATUS st = x->b->info(x->b->ctx, &g);
    if (!NT_SUCCESS(st)) return st;
    if (g.block_size < 512 || (g.block_size & (g.block_size - 1)) || g.max_transfer < g.block_size)
        return STATUS_IO_DEVICE_ERROR;
    g.max_transfer -= g.max_transfer % g.block_size;
    x->g = g;
    x->known = true;
    return STATUS_SUCCESS;
}

static NTSTATUS DiskCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return complete(Irp, STATUS_SUCCESS, IoGetCurrentIrpStackLocation(Irp)->MajorFunction == IRP_MJ_CREATE ? FILE_OPENED : 0);
}

static NTSTATUS DiskReadWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    disk_ext_t *x = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    bool write = sp->MajorFunction == IRP_MJ_WRITE;
    LONGLONG offset = sp->Parameters.Read.ByteOffset.QuadPart;
    ULONG length = sp->Parameters.Read.Length;
    NTSTATUS st = geometry(x);
    if (!NT_SUCCESS(st)) return complete(Irp, st, 0);
    uint32_t bs = x->g.block_size;
    if (offset < 0 || offset % bs || length % bs || length > Irp->NeptuneBufferLength)
        return complete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (write && x->g.read_only) return complete(Irp, STATUS_MEDIA_WRITE_PROTECTED, 0);
    if (length == 0) return complete(Irp, STATUS_SUCCESS, 0);
    uint64_t lba = (uint64_t)offset / bs;
    if (lba >= x->g.num_blocks) return complete(Irp, STATUS_END_OF_FILE, 0);
    uint64_t count = length / bs;
    if (count > x->g.num_blocks - lba) count = x->g.num_blocks - lba;
    uint8_t *buf = Irp->AssociatedIrp.SystemBuffer;
    uint32_t per = x->g.max_transfer / bs;
    uint64_t done = 0;
    while (done < count) {
        uint32_t n = count - done < per ? (uint32_t)(count - done) : per;
        st = write ? x->b->write(x->b->ctx, lba + done, n, buf + done * bs) : x->b->read(x->b->ctx, lba + done, n, buf + done * bs);
        if (!NT_SUCCESS(st)) return complete(Irp, st, done * bs);
        done += n;
    }
    return complete(Irp, STATUS_SUCCESS, done * bs);
}

static NTSTATUS DiskFlush(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    disk_ext_t *x = DeviceObject->DeviceExtension;
    NTSTATUS st = geometry(x);
    if (NT_SUCCESS(st) && !x->g.read_only) st = x->b->flush(x->b->ctx);
    return complete(Irp, st, 0);
}

static NTSTATUS DiskDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    disk_ext_t *x = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG out = sp->Parameters.DeviceIoControl.OutputBufferLength;
    NTSTATUS st = geometry(x);
    switch (sp->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_DISK_GET_LENGTH_INFO: {
        if (!NT_SUCCESS(st)) return complete(Irp, st, 0);
        if (out < sizeof(nt_get_length_information_t)) return complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        nt_get_length_information_t li = {.length = (int64_t)(x->g.num_blocks * x->g.block_size)};
        memcpy(Irp->AssociatedIrp.SystemBuffer, &li, sizeof li);
        return complete(Irp, STATUS_SUCCESS, sizeof li);
    }
    case IOCTL_DISK_GET_DRIVE_GEOMETRY: {
        if (!NT_SUCCESS(st)) return complete(Irp, st, 0);
        if (out < sizeof(nt_disk_geometry_t)) return complete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
        nt_disk_geometry_t g = {.media_type = 12, .tracks_per_cylinder = 255, .sectors_per_track = 63,
                                .bytes_per_sector = x->g.block_size};
        g.cylinders = (int64_t)(x->g.num_blocks / (255 * 63));
        memcpy(Irp->AssociatedIrp.SystemBuffer, &g, sizeof g);
        return complete(Irp, STATUS_SUCCESS, sizeof g);
    }
    default:
        return complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

NTSTATUS DiskDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    UNICODE_STRING name, link;
    PDEVICE_OBJECT device;
    RtlInitUnicodeString(&name, u"\\Device\\Harddisk0\\Partition0");
    NTSTATUS status = IoCreateDevice(DriverObject, sizeof(disk_ext_t), &name, FILE_DEVICE_DISK, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    disk_ext_t *x = device->DeviceExtension;
    x->b = &backend;
    if (NT_SUCCESS(geometry(x))) {
        device->SectorSize = (USHORT)x->g.block_size;
        if (x->g.read_only) device->Characteristics |= FILE_READ_ONLY_DEVICE;
        DbgPrint("ntdisk: \\Device\\Harddisk0\\Partition0: %llu blocks of %u bytes%s\n",
                 (unsigned long long)x->g.num_blocks, (unsigned)x->g.block_size, x->g.read_only ? ", read-only" : "");
    } else {
        DbgPrint("ntdisk: \\Device\\Harddisk0\\Partition0: no medium yet\n");
    }
    RtlInitUnicodeString(&link, u"\\??\\C:");
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) DbgPrint("ntdisk: \\??\\C: not created: %s\n", nt_status_name(status));
    DriverObject->MajorFunction[IRP_MJ_CREATE] = DiskCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = DiskCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = DiskCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = DiskReadWrite;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = DiskReadWrite;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = DiskFlush;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = DiskDeviceControl;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
