/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fastfat's DriverEntry and what its dispatch routines share: the control device
 * (\FileSystem\Fat, registered with IoRegisterFileSystem so the executive offers it every new
 * volume), the MajorFunction table, completing IRPs, FAT errors as NTSTATUS values, writing a
 * volume back before an IRP that changed it completes, and the fault the fault test asks for.
 */
#include "fastfat.h"

ff_state_t FatData;

static int64_t default_clock(void *ctx)
{
    (void)ctx;
    return FF_EPOCH;
}

void FatSetClock(fat_clock_fn clock, void *ctx)
{
    FatData.clock = clock;
    FatData.clock_ctx = ctx;
}

NTSTATUS FatComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

NTSTATUS FatStatus(ff_vcb_t *vcb, fat_err_t e)
{
    switch (e) {
    case FAT_OK: return STATUS_SUCCESS;
    case FAT_ENOENT: return STATUS_OBJECT_NAME_NOT_FOUND;
    case FAT_EEXIST: return STATUS_OBJECT_NAME_COLLISION;
    case FAT_ENOTDIR: return STATUS_NOT_A_DIRECTORY;
    case FAT_EISDIR: return STATUS_FILE_IS_A_DIRECTORY;
    case FAT_ENOTEMPTY: return STATUS_DIRECTORY_NOT_EMPTY;
    case FAT_ENOSPC: return STATUS_DISK_FULL;
    case FAT_EFBIG: return STATUS_FILE_TOO_LARGE;
    case FAT_EROFS: return STATUS_MEDIA_WRITE_PROTECTED;
    case FAT_EINVAL: return STATUS_OBJECT_NAME_INVALID;
    case FAT_ENAMETOOLONG: return STATUS_NAME_TOO_LONG;
    case FAT_ECORRUPT: return STATUS_DISK_CORRUPT_ERROR;
    case FAT_EIO: return vcb && !NT_SUCCESS(vcb->io_status) ? vcb->io_status : STATUS_IO_DEVICE_ERROR;
    }
    return STATUS_INTERNAL_ERROR;
}

/* Every dispatch routine starts here: FSCTL_NEPTUNE_FAULT_AFTER's countdown. The fault is a
 * real one (a vm fault on seL4, SIGSEGV on the host), left to the root server's restart policy:
 * UBSan must not turn it into a report of its own. */
__attribute__((no_sanitize("null"))) void FatEnter(void)
{
    if (FatData.fault_countdown && --FatData.fault_countdown == 0) {
        DbgPrint("fastfat: faulting on purpose (FSCTL_NEPTUNE_FAULT_AFTER)\n");
        *(volatile int *)(uintptr_t)0 = 0;
    }
}

NTSTATUS FatFlushVolume(ff_vcb_t *vcb)
{
    if (!vcb->mounted) return STATUS_SUCCESS;
    vcb->io_status = STATUS_SUCCESS;
    return FatStatus(vcb, fat_sync(&vcb->vol));
}

int64_t FatNtTime(uint16_t date, uint16_t time)
{
    return date ? nt_time_from_unix(fat_time_to_unix(date, time)) : nt_time_from_unix(315532800); /* 1980 */
}

static NTSTATUS FatControlCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    if (FatVcb(DeviceObject)) return FatCreate(DeviceObject, Irp);
    FatEnter();
    return FatComplete(Irp, STATUS_SUCCESS, FILE_OPENED); /* the file system itself */
}

NTSTATUS FatDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(RegistryPath);
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, u"\\FileSystem\\Fat");
    FatData.driver = DriverObject;
    if (!FatData.clock) FatSetClock(default_clock, NULL);
    NTSTATUS status = IoCreateDevice(DriverObject, sizeof(ff_vcb_t *), &name, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE,
                                     &FatData.control);
    if (!NT_SUCCESS(status)) return status;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = FatControlCreate;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = FatCleanup;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = FatClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = FatRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = FatWrite;
    DriverObject->MajorFunction[IRP_MJ_QUERY_INFORMATION] = FatQueryInformation;
    DriverObject->MajorFunction[IRP_MJ_SET_INFORMATION] = FatSetInformation;
    DriverObject->MajorFunction[IRP_MJ_DIRECTORY_CONTROL] = FatDirectoryControl;
    DriverObject->MajorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = FatFileSystemControl;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = FatFlushBuffers;
    DriverObject->MajorFunction[IRP_MJ_SHUTDOWN] = FatShutdown;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = FatDeviceControl;
    FatData.control->Flags &= ~DO_DEVICE_INITIALIZING;
    IoRegisterFileSystem(FatData.control);
    return STATUS_SUCCESS;
}
