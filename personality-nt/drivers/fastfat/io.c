/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRP_MJ_READ, WRITE, QUERY_INFORMATION, SET_INFORMATION and FLUSH_BUFFERS on open files: reads
 * stop at the end of file (STATUS_END_OF_FILE at or past it), writes (the cache manager's paging
 * writes too) may extend the file and are on the disk before the IRP completes; reads of the
 * volume itself pass down to the disk, and so do writes through the handle that locked it;
 * basic, standard and internal information; rename
 * (replacing a target when asked; lib/fat works by path, so the FCB's path and node follow, and
 * so do the paths of FCBs below a renamed directory), delete disposition, end of file and
 * allocation size.
 */
#include <stddef.h>
#include <stdio.h>

#include <ddk/ddk.h>

#include "fastfat.h"

/* The FCB and CCB of the IRP's file object, or a status. */
static NTSTATUS file_of(PIRP Irp, ff_fcb_t **fcb, ff_ccb_t **ccb)
{
    PFILE_OBJECT fo = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    *fcb = fo ? fo->FsContext : NULL;
    if (ccb) *ccb = fo ? fo->FsContext2 : NULL;
    if (!*fcb) return fo ? STATUS_FILE_CLOSED : STATUS_INVALID_PARAMETER;
    if (!(*fcb)->vcb->mounted || (*fcb)->vcb->dismounted) return STATUS_VOLUME_DISMOUNTED;
    if ((*fcb)->deleted) return STATUS_DELETE_PENDING;
    return STATUS_SUCCESS;
}

/* Reads and writes of the volume handle go to the disk as they are. */
static NTSTATUS pass_down(ff_fcb_t *fcb, PIRP Irp)
{
    IoSkipCurrentIrpStackLocation(Irp);
    return IoCallDriver(fcb->vcb->disk, Irp);
}

/* Device controls on any file of a mounted volume are the disk's (IOCTL_DISK_GET_LENGTH_INFO…),
 * as NT's FAT passes them down. */
NTSTATUS FatDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    UNREFERENCED_PARAMETER(DeviceObject);
    ff_fcb_t *fcb;
    NTSTATUS st = file_of(Irp, &fcb, NULL);
    if (!NT_SUCCESS(st)) return FatComplete(Irp, st, 0);
    return pass_down(fcb, Irp);
}

NTSTATUS FatRead(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    UNREFERENCED_PARAMETER(DeviceObject);
    ff_fcb_t *fcb;
    NTSTATUS st = file_of(Irp, &fcb, NULL);
    if (!NT_SUCCESS(st)) return FatComplete(Irp, st, 0);
    if (fcb->is_volume) return pass_down(fcb, Irp);
    if (fcb->is_dir) return FatComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    LONGLONG offset = sp->Parameters.Read.ByteOffset.QuadPart;
    ULONG len = sp->Parameters.Read.Length;
    if (offset < 0 || len > Irp->NeptuneBufferLength) return FatComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (len == 0) return FatComplete(Irp, STATUS_SUCCESS, 0);
    if (offset >= fcb->file.node.size) return FatComplete(Irp, STATUS_END_OF_FILE, 0);
    size_t done = 0;
    ff_vcb_t *vcb = fcb->vcb;
    vcb->io_status = STATUS_SUCCESS;
    fat_err_t e = fat_read(&vcb->vol, &fcb->file, (uint32_t)offset, Irp->AssociatedIrp.SystemBuffer, len, &done);
    if (e) return FatComplete(Irp, FatStatus(vcb, e), 0);
    return FatComplete(Irp, STATUS_SUCCESS, done);
}

NTSTATUS FatWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    UNREFERENCED_PARAMETER(DeviceObject);
    ff_fcb_t *fcb;
    NTSTATUS st = file_of(Irp, &fcb, NULL);
    if (!NT_SUCCESS(st)) return FatComplete(Irp, st, 0);
    if (fcb->is_volume) {
        /* Raw writes under a mounted file system only through the handle that locked it. */
        if (!fcb->vcb->locked || fcb->vcb->lock_owner != IoGetCurrentIrpStackLocation(Irp)->FileObject)
            return FatComplete(Irp, STATUS_ACCESS_DENIED, 0);
        return pass_down(fcb, Irp);
    }
    if (fcb->is_dir) return FatComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    LONGLONG offset = sp->Parameters.Write.ByteOffset.QuadPart;
    ULONG len = sp->Parameters.Write.Length;
    if (offset == -1) offset = fcb->file.node.size; /* FILE_WRITE_TO_END_OF_FILE */
    if (offset < 0 || len > Irp->NeptuneBufferLength) return FatComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (len == 0) return FatComplete(Irp, STATUS_SUCCESS, 0);
    if ((uint64_t)offset + len > UINT32_MAX) return FatComplete(Irp, STATUS_FILE_TOO_LARGE, 0);
    ff_vcb_t *vcb = fcb->vcb;
    size_t done = 0;
    vcb->io_status = STATUS_SUCCESS;
    fat_err_t e = fat_write(&vcb->vol, &fcb->file, (uint32_t)offset, Irp->AssociatedIrp.SystemBuffer, len, &done);
    st = FatFlushVolume(vcb);
    if (e && done == 0) return FatComplete(Irp, FatStatus(vcb, e), 0);
    return FatComplete(Irp, NT_SUCCESS(st) ? STATUS_SUCCESS : st, NT_SUCCESS(st) ? done : 0);
}

NTSTATUS FatQueryInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    UNREFERENCED_PARAMETER(DeviceObject);
    ff_fcb_t *fcb;
    NTSTATUS st = file_of(Irp, &fcb, NULL);
    if (!NT_SUCCESS(st)) return FatComplete(Irp, st, 0);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG len = sp->Parameters.QueryFile.Length;
    nt_create_result_t r;
    FatFillCreateResult(fcb->vcb, fcb, &r);
    void *out = Irp->AssociatedIrp.SystemBuffer;
    switch (sp->Parameters.QueryFile.FileInformationClass) {
    case FileBasicInformation: {
        nt_file_basic_information_t b = {.creation_time = r.creation_time, .last_access_time = r.last_access_time,
                                         .last_write_time = r.last_write_time, .change_time = r.change_time,
                                         .file_attributes = r.file_attributes};
        if (len < sizeof b) return FatComplete(Irp, STATUS_INFO_LENGTH_MISMATCH, 0);
        memcpy(out, &b, sizeof b);
        return FatComplete(Irp, STATUS_SUCCESS, sizeof b);
    }
    case FileStandardInformation: {
        nt_file_standard_information_t s = {.allocation_size = r.allocation_size, .end_of_file = r.end_of_file,
                                            .number_of_links = 1, .delete_pending = fcb->delete_pending,
                                            .directory = fcb->is_dir};
        if (len < sizeof s) return FatComplete(Irp, STATUS_INFO_LENGTH_MISMATCH, 0);
        memcpy(out, &s, sizeof s);
        return FatComplete(Irp, STATUS_SUCCESS, sizeof s);
    }
    case FileInternalInformation: {
        if (len < sizeof r.file_id) return FatComplete(Irp, STATUS_INFO_LENGTH_MISMATCH, 0);
        memcpy(out, &r.file_id, sizeof r.file_id);
        return FatComplete(Irp, STATUS_SUCCESS, sizeof r.file_id);
    }
    default:
        return FatComplete(Irp, STATUS_INVALID_INFO_CLASS, 0);
    }
}

static bool same_entry(const fat_node_t *a, const fat_node_t *b)
{
    if (a->is_root || b->is_root) return a->is_root && b->is_root;
    return a->entry_sector == b->entry_sector && a->entry_offset == b->entry_offset;
}

/* ASCII-case-insensitive "prefix/..." test (FAT names compare so). */
static bool below(const char *path, const char *dir, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char a = path[i], b = dir[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z') b = (char)(b + 32);
        if (a != b || !a) return false;
    }
    return path[n] == '/';
}

static NTSTATUS rename_to(ff_vcb_t *vcb, ff_fcb_t *fcb, const char *to, bool replace)
{
    fat_volume_t *v = &vcb->vol;
    fat_node_t tn;
    fat_err_t e = fat_lookup(v, to, &tn);
    if (e == FAT_OK) {
        if (same_entry(&tn, &fcb->file.node)) {
            if (strcmp(to, fcb->path) == 0) return STATUS_SUCCESS;
            /* A new spelling of the same name: through a temporary name. */
            char tmp[FAT_PATH_MAX + 8];
            if (strlen(fcb->path) + 6 > FAT_PATH_MAX) return STATUS_NAME_TOO_LONG;
            snprintf(tmp, sizeof tmp, "%s.~ren", fcb->path);
            if ((e = fat_rename(v, fcb->path, tmp))) return FatStatus(vcb, e);
            if ((e = fat_rename(v, tmp, to))) {
                fat_rename(v, tmp, fcb->path);
                return FatStatus(vcb, e);
            }
            goto moved;
        }
        if (!replace) return STATUS_OBJECT_NAME_COLLISION;
        if (tn.is_root || (tn.attr & FAT_ATTR_DIRECTORY)) return STATUS_ACCESS_DENIED;
        ff_fcb_t *open = FatFindFcb(vcb, &tn);
        if (open && open->handles) return STATUS_ACCESS_DENIED;
        if ((e = fat_unlink(v, to))) return FatStatus(vcb, e);
        if (open) open->deleted = true;
    } else if (e == FAT_ENOENT) {
        const char *slash = strrchr(to, '/');
        if (slash) {
            char parent[FAT_PATH_MAX];
            memcpy(parent, to, (size_t)(slash - to));
            parent[slash - to] = 0;
            fat_node_t pn;
            if (fat_lookup(v, parent, &pn) != FAT_OK || !(pn.is_root || (pn.attr & FAT_ATTR_DIRECTORY)))
                return STATUS_OBJECT_PATH_NOT_FOUND;
        }
    } else {
        return e == FAT_ENOTDIR ? STATUS_OBJECT_PATH_NOT_FOUND : FatStatus(vcb, e);
    }
    if ((e = fat_rename(v, fcb->path, to))) return e == FAT_EINVAL ? STATUS_INVALID_PARAMETER : FatStatus(vcb, e);
moved:;
    /* lib/fat works by path: the FCB follows its new name, FCBs below a directory their new path. */
    char old[FAT_PATH_MAX];
    snprintf(old, sizeof old, "%s", fcb->path);
    size_t n = strlen(old);
    for (ff_fcb_t *f = vcb->fcbs; f; f = f->next) {
        if (f == fcb || f->deleted || !below(f->path, old, n)) continue;
        char moved[2 * FAT_PATH_MAX];
        snprintf(moved, sizeof moved, "%s%s", to, f->path + n);
        if (strlen(moved) >= sizeof f->path) continue; /* cannot be: lib/fat bounds paths */
        memcpy(f->path, moved, strlen(moved) + 1);
    }
    snprintf(fcb->path, sizeof fcb->path, "%s", to);
    fat_node_t now;
    if ((e = fat_lookup(v, to, &now))) return FatStatus(vcb, e);
    fcb->file.node = now;
    fcb->file.pos_cluster = 0;
    return STATUS_SUCCESS;
}

static NTSTATUS set_rename(ff_fcb_t *fcb, const uint8_t *in, ULONG len)
{
    nt_file_rename_information_t ri;
    const size_t head = offsetof(nt_file_rename_information_t, name);
    if (len < head) return STATUS_INFO_LENGTH_MISMATCH;
    memcpy(&ri, in, head);
    if (ri.name_length == 0 || ri.name_length > NT_NAME_MAX || head + ri.name_length > len) return STATUS_INVALID_PARAMETER;
    if (fcb->is_root || fcb->is_volume) return STATUS_ACCESS_DENIED;
    UNICODE_STRING u;
    NTSTATUS st = RtlCreateUnicodeStringFromUtf8(&u, (const char *)in + head, ri.name_length);
    if (!NT_SUCCESS(st)) return st;
    static char to[FAT_PATH_MAX];
    st = FatPathFromName(&u, to, sizeof to);
    RtlFreeUnicodeString(&u);
    if (!NT_SUCCESS(st)) return st;
    if (to[0] == 0) return STATUS_ACCESS_DENIED; /* onto the root */
    return rename_to(fcb->vcb, fcb, to, ri.replace_if_exists != 0);
}

static NTSTATUS set_disposition(ff_fcb_t *fcb, bool del)
{
    ff_vcb_t *vcb = fcb->vcb;
    if (!del) {
        fcb->delete_pending = false;
        return STATUS_SUCCESS;
    }
    if (fcb->is_root || fcb->is_volume || (fcb->file.node.attr & FAT_ATTR_READ_ONLY)) return STATUS_CANNOT_DELETE;
    if (fcb->is_dir) {
        fat_dir_t d;
        static fat_dirent_t ent;
        fat_err_t e = fat_opendir(&vcb->vol, fcb->path, &d);
        if (e == FAT_OK) e = fat_readdir(&vcb->vol, &d, &ent);
        if (e == FAT_OK) return STATUS_DIRECTORY_NOT_EMPTY;
        if (e != FAT_ENOENT) return FatStatus(vcb, e);
    }
    fcb->delete_pending = true;
    return STATUS_SUCCESS;
}

NTSTATUS FatSetInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    UNREFERENCED_PARAMETER(DeviceObject);
    ff_fcb_t *fcb;
    NTSTATUS st = file_of(Irp, &fcb, NULL);
    if (!NT_SUCCESS(st)) return FatComplete(Irp, st, 0);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    ULONG len = sp->Parameters.SetFile.Length;
    const uint8_t *in = Irp->AssociatedIrp.SystemBuffer;
    ff_vcb_t *vcb = fcb->vcb;
    vcb->io_status = STATUS_SUCCESS;
    bool wrote = false;
    switch (sp->Parameters.SetFile.FileInformationClass) {
    case FileRenameInformation:
        st = set_rename(fcb, in, len);
        wrote = true;
        break;
    case FileDispositionInformation:
        st = len < 1 ? STATUS_INFO_LENGTH_MISMATCH : set_disposition(fcb, in[0] != 0);
        if (NT_SUCCESS(st)) IoGetCurrentIrpStackLocation(Irp)->FileObject->DeletePending = fcb->delete_pending;
        break;
    case FileEndOfFileInformation:
    case FileAllocationInformation: {
        nt_file_end_of_file_information_t eof;
        if (len < sizeof eof) {
            st = STATUS_INFO_LENGTH_MISMATCH;
            break;
        }
        memcpy(&eof, in, sizeof eof);
        if (fcb->is_dir || fcb->is_volume) st = STATUS_INVALID_PARAMETER;
        else if (eof.end_of_file < 0) st = STATUS_INVALID_PARAMETER;
        else if (eof.end_of_file > UINT32_MAX) st = STATUS_DISK_FULL;
        else if (sp->Parameters.SetFile.FileInformationClass == FileAllocationInformation &&
                 eof.end_of_file >= fcb->file.node.size)
            st = STATUS_SUCCESS; /* no preallocation: the chain grows with the data */
        else {
            fat_err_t e = fat_truncate(&vcb->vol, &fcb->file, (uint32_t)eof.end_of_file);
            fcb->file.pos_cluster = 0;
            st = FatStatus(vcb, e);
            wrote = true;
        }
        break;
    }
    case FileBasicInformation:
    case FilePositionInformation:
        st = STATUS_SUCCESS; /* times and attributes stay as FAT keeps them; the position is the executive's */
        break;
    default:
        st = STATUS_INVALID_INFO_CLASS;
        break;
    }
    if (wrote) {
        NTSTATUS f = FatFlushVolume(vcb);
        if (NT_SUCCESS(st) && !NT_SUCCESS(f)) st = f;
    }
    return FatComplete(Irp, st, 0);
}

NTSTATUS FatFlushBuffers(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    ff_vcb_t *vcb = FatVcb(DeviceObject);
    if (!vcb) return FatComplete(Irp, STATUS_SUCCESS, 0);
    if (!vcb->mounted || vcb->dismounted) return FatComplete(Irp, STATUS_VOLUME_DISMOUNTED, 0);
    return FatComplete(Irp, FatFlushVolume(vcb), 0);
}
