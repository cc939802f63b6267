/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRP_MJ_FILE_SYSTEM_CONTROL and IRP_MJ_SHUTDOWN. On the control device: IRP_MN_MOUNT_VOLUME
 * (ask the disk its geometry, mount it with lib/fat through the block cache, create an unnamed
 * volume device and name it in the VPB). On a volume: FSCTL_LOCK_VOLUME (only when nothing but
 * the caller's volume handle is open), FSCTL_UNLOCK_VOLUME, FSCTL_DISMOUNT_VOLUME (unmount clean,
 * delete the volume device), FSCTL_IS_VOLUME_MOUNTED, FSCTL_GET_RETRIEVAL_POINTERS (a file's
 * cluster runs: LCN 0 is the first data cluster, at volume byte first_cluster_offset) and
 * neptune's FSCTL_NEPTUNE_FAULT_AFTER. Shutdown unmounts every volume clean.
 */
#include <stdlib.h>

#include <ddk/ddk.h>

#include "fastfat.h"

static NTSTATUS mount(PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PDEVICE_OBJECT disk = sp->Parameters.MountVolume.DeviceObject;
    PVPB vpb = sp->Parameters.MountVolume.Vpb;
    if (!disk) return STATUS_INVALID_PARAMETER;
    /* A disk mounted here already: its volume (two caches over one disk would corrupt it). */
    for (ff_vcb_t *v = FatData.volumes; v; v = v->next)
        if (!v->dismounted && v->disk == disk) {
            if (vpb) vpb->DeviceObject = v->volume;
            Irp->IoStatus.Information = v->volume->NeptuneId;
            return STATUS_SUCCESS;
        }
    ff_vcb_t *vcb = ExAllocatePoolWithTag(NonPagedPool, sizeof *vcb, 0);
    if (!vcb) return STATUS_INSUFFICIENT_RESOURCES;
    memset(vcb, 0, sizeof *vcb);
    NTSTATUS st = FatDiskInit(vcb, disk);
    if (!NT_SUCCESS(st)) {
        ExFreePool(vcb);
        return st;
    }
    fat_blockdev_t dev = FatBlockdevTemplate;
    dev.ctx = &vcb->cache;
    dev.block_size = vcb->block_size;
    dev.num_blocks = vcb->num_blocks;
    vcb->io_status = STATUS_SUCCESS;
    fat_err_t e = fat_mount(&vcb->vol, &dev, 0);
    if (e) {
        /* Not a FAT volume (or a broken one): the executive offers it to the next file system. */
        st = e == FAT_EIO ? FatStatus(vcb, e) : STATUS_UNRECOGNIZED_MEDIA;
        DbgPrint("fastfat: not mounted: %s\n", fat_strerror(e));
        FatDiskFree(vcb);
        ExFreePool(vcb);
        return st;
    }
    fat_set_clock(&vcb->vol, FatData.clock, FatData.clock_ctx);
    PDEVICE_OBJECT volume;
    st = IoCreateDevice(FatData.driver, sizeof(ff_vcb_t *), NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &volume);
    if (!NT_SUCCESS(st)) {
        fat_unmount(&vcb->vol);
        FatDiskFree(vcb);
        ExFreePool(vcb);
        return st;
    }
    *(ff_vcb_t **)volume->DeviceExtension = vcb;
    volume->Vpb = vpb;
    volume->SectorSize = (USHORT)vcb->vol.bps;
    volume->Flags &= ~DO_DEVICE_INITIALIZING;
    vcb->volume = volume;
    vcb->mounted = true;
    vcb->next = FatData.volumes;
    FatData.volumes = vcb;
    if (vpb) {
        vpb->DeviceObject = volume;
        vpb->Flags |= VPB_MOUNTED;
    }
    fat_info_t i;
    fat_get_info(&vcb->vol, &i);
    DbgPrint("fastfat: mounted FAT%d: %u clusters of %u bytes\n", i.type, (unsigned)i.clusters, (unsigned)i.cluster_size);
    Irp->IoStatus.Information = volume->NeptuneId;
    return STATUS_SUCCESS;
}

NTSTATUS FatDismount(ff_vcb_t *vcb)
{
    if (vcb->dismounted) return STATUS_SUCCESS;
    vcb->io_status = STATUS_SUCCESS;
    fat_err_t e = vcb->mounted ? fat_unmount(&vcb->vol) : FAT_OK;
    NTSTATUS st = FatStatus(vcb, e);
    const bcache_stats_t *s = &vcb->cache.stats;
    DbgPrint("fastfat: dismounted (%s); cache: %llu hits, %llu misses, %llu device reads, %llu device writes\n",
             e ? fat_strerror(e) : "clean", (unsigned long long)s->hits, (unsigned long long)s->misses,
             (unsigned long long)s->dev_reads, (unsigned long long)s->dev_writes);
    vcb->mounted = false;
    vcb->dismounted = true;
    vcb->locked = false;
    if (vcb->volume) {
        if (vcb->volume->Vpb) vcb->volume->Vpb->Flags &= (USHORT)~VPB_MOUNTED;
        IoDeleteDevice(vcb->volume);
        vcb->volume = NULL;
    }
    FatFreeVcbIfUnused(vcb);
    return st;
}

static NTSTATUS lock(ff_vcb_t *vcb, PFILE_OBJECT fo)
{
    ff_fcb_t *fcb = fo ? fo->FsContext : NULL;
    if (!fcb || !fcb->is_volume) return STATUS_INVALID_PARAMETER;
    if (vcb->locked) return STATUS_ACCESS_DENIED;
    for (ff_fcb_t *f = vcb->fcbs; f; f = f->next)
        if (f->handles) return STATUS_ACCESS_DENIED;
    if (vcb->volume_fcb.handles > 1) return STATUS_ACCESS_DENIED;
    NTSTATUS st = FatFlushVolume(vcb);
    if (!NT_SUCCESS(st)) return st;
    vcb->locked = true;
    vcb->lock_owner = fo;
    return STATUS_SUCCESS;
}

/* FSCTL_GET_RETRIEVAL_POINTERS: runs from the input's starting VCN, as many as fit. */
static NTSTATUS retrieval_pointers(ff_vcb_t *vcb, PIRP Irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ff_fcb_t *fcb = sp->FileObject ? sp->FileObject->FsContext : NULL;
    ULONG in_len = sp->Parameters.FileSystemControl.InputBufferLength;
    ULONG out_len = sp->Parameters.FileSystemControl.OutputBufferLength;
    if (out_len > Irp->NeptuneBufferLength) out_len = Irp->NeptuneBufferLength;
    if (!fcb || fcb->is_volume || fcb->is_root || fcb->deleted) return FatComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (in_len < sizeof(int64_t)) return FatComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (out_len < sizeof(nt_retrieval_pointers_t) + sizeof(nt_retrieval_run_t))
        return FatComplete(Irp, STATUS_BUFFER_TOO_SMALL, 0);
    int64_t start;
    memcpy(&start, Irp->AssociatedIrp.SystemBuffer, sizeof start);
    fat_volume_t *v = &vcb->vol;
    uint32_t cs = v->cluster_size;
    uint64_t clusters = fcb->is_dir ? UINT32_MAX : ((uint64_t)fcb->file.node.size + cs - 1) / cs;
    if (start < 0 || (uint64_t)start >= clusters || fcb->file.node.first_cluster == 0)
        return FatComplete(Irp, STATUS_END_OF_FILE, 0);
    uint8_t *out = Irp->AssociatedIrp.SystemBuffer;
    nt_retrieval_pointers_t head = {.count = 0, .cluster_bytes = cs, .starting_vcn = start,
                                    .first_cluster_offset = (int64_t)v->data_sector * v->bps};
    uint32_t max_runs = (uint32_t)((out_len - sizeof head) / sizeof(nt_retrieval_run_t));
    nt_retrieval_run_t run = {0, -1};
    uint32_t c = fcb->file.node.first_cluster, prev = 0;
    NTSTATUS st = STATUS_SUCCESS;
    vcb->io_status = STATUS_SUCCESS;
    for (uint64_t vcn = 0; c != 0 && vcn < clusters; vcn++) {
        if (vcn > v->clusters) return FatComplete(Irp, STATUS_DISK_CORRUPT_ERROR, 0); /* a loop */
        if (vcn >= (uint64_t)start) {
            if (run.lcn >= 0 && c == prev + 1) {
                run.next_vcn = (int64_t)vcn + 1;
            } else {
                if (run.lcn >= 0) {
                    if (head.count == max_runs) {
                        st = STATUS_BUFFER_OVERFLOW;
                        break;
                    }
                    memcpy(out + sizeof head + head.count++ * sizeof run, &run, sizeof run);
                }
                run.lcn = (int64_t)c - 2;
                run.next_vcn = (int64_t)vcn + 1;
            }
        }
        prev = c;
        fat_err_t e = fat_chain_next(v, c, &c);
        if (e) return FatComplete(Irp, FatStatus(vcb, e), 0);
    }
    if (st == STATUS_SUCCESS && run.lcn >= 0) {
        if (head.count == max_runs) st = STATUS_BUFFER_OVERFLOW;
        else memcpy(out + sizeof head + head.count++ * sizeof run, &run, sizeof run);
    }
    memcpy(out, &head, sizeof head);
    return FatComplete(Irp, st, sizeof head + head.count * sizeof run);
}

NTSTATUS FatFileSystemControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ff_vcb_t *vcb = FatVcb(DeviceObject);
    if (sp->MinorFunction == IRP_MN_MOUNT_VOLUME) {
        if (vcb) return FatComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
        NTSTATUS st = mount(Irp);
        return FatComplete(Irp, st, NT_SUCCESS(st) ? Irp->IoStatus.Information : 0);
    }
    if (sp->MinorFunction != IRP_MN_USER_FS_REQUEST) return FatComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    ULONG code = sp->Parameters.FileSystemControl.FsControlCode;
    if (code == FSCTL_NEPTUNE_FAULT_AFTER) {
        uint32_t n;
        if (sp->Parameters.FileSystemControl.InputBufferLength < sizeof n) return FatComplete(Irp, STATUS_INVALID_PARAMETER, 0);
        memcpy(&n, Irp->AssociatedIrp.SystemBuffer, sizeof n);
        FatData.fault_countdown = n;
        DbgPrint("fastfat: will fault at IRP %u from now\n", (unsigned)n);
        return FatComplete(Irp, STATUS_SUCCESS, 0);
    }
    if (!vcb) return FatComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    if (vcb->dismounted) {
        /* umount's unlock comes after the dismount: nothing is locked any more. */
        if (code == FSCTL_UNLOCK_VOLUME || code == FSCTL_DISMOUNT_VOLUME) return FatComplete(Irp, STATUS_SUCCESS, 0);
        return FatComplete(Irp, STATUS_VOLUME_DISMOUNTED, 0);
    }
    switch (code) {
    case FSCTL_LOCK_VOLUME:
        return FatComplete(Irp, lock(vcb, sp->FileObject), 0);
    case FSCTL_UNLOCK_VOLUME:
        if (!vcb->locked) return FatComplete(Irp, STATUS_INVALID_DEVICE_STATE, 0);
        vcb->locked = false;
        vcb->lock_owner = NULL;
        return FatComplete(Irp, STATUS_SUCCESS, 0);
    case FSCTL_DISMOUNT_VOLUME:
        return FatComplete(Irp, FatDismount(vcb), 0);
    case FSCTL_IS_VOLUME_MOUNTED:
        return FatComplete(Irp, STATUS_SUCCESS, 0);
    case FSCTL_GET_RETRIEVAL_POINTERS:
        return retrieval_pointers(vcb, Irp);
    default:
        return FatComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

NTSTATUS FatShutdown(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    UNREFERENCED_PARAMETER(DeviceObject);
    NTSTATUS st = STATUS_SUCCESS;
    for (ff_vcb_t *v = FatData.volumes, *next; v; v = next) {
        next = v->next;
        NTSTATUS s = FatDismount(v);
        if (!NT_SUCCESS(s)) st = s;
    }
    return FatComplete(Irp, st, 0);
}
