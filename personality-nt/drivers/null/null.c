/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * \Device\Null, written to the driver library as an NT driver: opens and closes succeed, reads
 * find the end of the file at once (STATUS_END_OF_FILE), writes succeed and the data is dropped.
 */
#include <ddk/ntddk.h>

#include "null.h"

static NTSTATUS complete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS NullCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return complete(Irp, STATUS_SUCCESS, IoGetCurrentIrpStackLocation(Irp)->MajorFunction == IRP_MJ_CREATE ? FILE_OPENED : 0);
}

static NTSTATUS NullRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return complete(Irp, STATUS_END_OF_FILE, 0);
}

static NTSTATUS NullWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return complete(Irp, STATUS_SUCCESS, IoGetCurrentIrpStackLocation(Irp)->Parameters.Write.Length);
}

static NTSTATUS NullFlush(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return complete(Irp, STATUS_SUCCESS, 0);
}

NTSTATUS NullDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    UNICODE_STRING name;
    PDEVICE_OBJECT device;
    RtlInitUnicodeString(&name, u"\\Device\\Null");
    NTSTATUS status = IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_NULL, FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status)) return status;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = NullCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = NullCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = NullCreateClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = NullRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = NullWrite;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = NullFlush;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
