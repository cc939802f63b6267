/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRP_MJ_CREATE, CLEANUP and CLOSE on a volume: names turned into lib/fat paths, the six create
 * dispositions, FILE_DIRECTORY_FILE (a new directory) and FILE_NON_DIRECTORY_FILE, opens of the
 * root ("\") and of the volume itself (""), one FCB per open file shared by its opens, and
 * delete-pending files removed at the cleanup of their last handle. A create answers
 * nt_create_result_t (nt/irp.h) so that the executive keeps the file's attributes.
 */
#include <stdio.h>

#include <ddk/ddk.h>

#include "fastfat.h"

NTSTATUS FatPathFromName(PCUNICODE_STRING name, char *out, size_t cap)
{
    size_t n = name->Length / 2;
    const WCHAR *s = name->Buffer;
    if (n == 0 || s[0] != '\\') return STATUS_OBJECT_NAME_INVALID;
    while (n > 1 && s[n - 1] == '\\') n--; /* "\dir\" names the directory */
    for (size_t i = 1; i < n; i++) {
        WCHAR c = s[i];
        if (c < 0x20 || c == '/' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|')
            return STATUS_OBJECT_NAME_INVALID;
        if (c == '\\' && s[i - 1] == '\\') return STATUS_OBJECT_NAME_INVALID; /* an empty component */
    }
    /* "." and ".." components are the executive's to resolve, never a FAT name. */
    for (size_t i = 1; i < n;) {
        size_t j = i;
        while (j < n && s[j] != '\\') j++;
        if ((j - i == 1 && s[i] == '.') || (j - i == 2 && s[i] == '.' && s[i + 1] == '.')) return STATUS_OBJECT_NAME_INVALID;
        i = j + 1;
    }
    ULONG got = 0;
    NTSTATUS st = n > 1 ? RtlUnicodeToUTF8N(out, (ULONG)cap - 1, &got, s + 1, (ULONG)(n - 1) * 2) : STATUS_SUCCESS;
    if (st == STATUS_BUFFER_TOO_SMALL) return STATUS_NAME_TOO_LONG;
    if (!NT_SUCCESS(st)) return STATUS_OBJECT_NAME_INVALID;
    out[got] = 0;
    for (ULONG i = 0; i < got; i++)
        if (out[i] == '\\') out[i] = '/';
    return STATUS_SUCCESS;
}

static bool same_entry(const fat_node_t *a, const fat_node_t *b)
{
    if (a->is_root || b->is_root) return a->is_root && b->is_root;
    return a->entry_sector == b->entry_sector && a->entry_offset == b->entry_offset;
}

ff_fcb_t *FatFindFcb(ff_vcb_t *vcb, const fat_node_t *node)
{
    for (ff_fcb_t *f = vcb->fcbs; f; f = f->next)
        if (!f->deleted && same_entry(&f->file.node, node)) return f;
    return NULL;
}

uint32_t FatAttributes(uint8_t attr)
{
    uint32_t a = attr & (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM |
                         FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_ARCHIVE);
    return a ? a : FILE_ATTRIBUTE_NORMAL;
}

static uint64_t file_id(const fat_node_t *n)
{
    return n->is_root ? 1 : (n->entry_sector << 12 | n->entry_offset);
}

void FatFillCreateResult(ff_vcb_t *vcb, ff_fcb_t *fcb, nt_create_result_t *r)
{
    memset(r, 0, sizeof *r);
    if (fcb->is_volume) return;
    const fat_node_t *n = &fcb->file.node;
    uint32_t cs = vcb->vol.cluster_size;
    r->file_id = file_id(n);
    r->end_of_file = fcb->is_dir ? 0 : n->size;
    r->allocation_size = fcb->is_dir ? 0 : ((int64_t)n->size + cs - 1) / cs * cs;
    r->creation_time = n->is_root ? FatNtTime(0, 0) : FatNtTime(n->cdate, n->ctime);
    r->last_write_time = r->change_time = r->last_access_time = n->is_root ? FatNtTime(0, 0) : FatNtTime(n->wdate, n->wtime);
    r->file_attributes = n->is_root ? FILE_ATTRIBUTE_DIRECTORY : FatAttributes(n->attr);
    r->directory = fcb->is_dir;
}

static ff_fcb_t *new_fcb(ff_vcb_t *vcb, const fat_node_t *node, const char *path)
{
    ff_fcb_t *f = ExAllocatePoolWithTag(NonPagedPool, sizeof *f, 0);
    if (!f) return NULL;
    memset(f, 0, sizeof *f);
    f->vcb = vcb;
    f->file.node = *node;
    f->is_root = node->is_root;
    f->is_dir = node->is_root || (node->attr & FAT_ATTR_DIRECTORY);
    snprintf(f->path, sizeof f->path, "%s", path);
    f->next = vcb->fcbs;
    vcb->fcbs = f;
    return f;
}

/* The parent of `path` exists as a directory: a missing name is then "not found", else the
 * path is (STATUS_OBJECT_PATH_NOT_FOUND). */
static NTSTATUS missing(ff_vcb_t *vcb, const char *path)
{
    char parent[FAT_PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash) return STATUS_OBJECT_NAME_NOT_FOUND;
    size_t n = (size_t)(slash - path);
    memcpy(parent, path, n);
    parent[n] = 0;
    fat_node_t node;
    fat_err_t e = fat_lookup(&vcb->vol, parent, &node);
    if (e == FAT_OK && (node.is_root || (node.attr & FAT_ATTR_DIRECTORY))) return STATUS_OBJECT_NAME_NOT_FOUND;
    if (e == FAT_OK || e == FAT_ENOENT || e == FAT_ENOTDIR) return STATUS_OBJECT_PATH_NOT_FOUND;
    return FatStatus(vcb, e);
}

static NTSTATUS open_volume(ff_vcb_t *vcb, PFILE_OBJECT fo, PIRP Irp)
{
    ff_ccb_t *ccb = ExAllocatePoolWithTag(NonPagedPool, sizeof *ccb, 0);
    if (!ccb) return FatComplete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    memset(ccb, 0, sizeof *ccb);
    ff_fcb_t *f = &vcb->volume_fcb;
    f->vcb = vcb;
    f->is_volume = true;
    f->handles++;
    f->refs++;
    fo->FsContext = f;
    fo->FsContext2 = ccb;
    fo->Vpb = vcb->volume->Vpb;
    FatFillCreateResult(vcb, f, Irp->AssociatedIrp.SystemBuffer);
    IoSetOutputLength(Irp, sizeof(nt_create_result_t));
    return FatComplete(Irp, STATUS_SUCCESS, FILE_OPENED);
}

static bool wants_write(ACCESS_MASK a) { return (a & (FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE)) != 0; }

NTSTATUS FatCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    ff_vcb_t *vcb = FatVcb(DeviceObject);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT fo = sp->FileObject;
    ULONG disposition = sp->Parameters.Create.Options >> 24, options = sp->Parameters.Create.Options & 0xffffff;
    ACCESS_MASK access = sp->Parameters.Create.SecurityContext ? sp->Parameters.Create.SecurityContext->DesiredAccess : 0;
    if (!fo) return FatComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (!vcb->mounted || vcb->dismounted) return FatComplete(Irp, STATUS_VOLUME_DISMOUNTED, 0);
    if (disposition > FILE_MAXIMUM_DISPOSITION || ((options & FILE_DIRECTORY_FILE) && (options & FILE_NON_DIRECTORY_FILE)))
        return FatComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (fo->FileName.Length == 0) return open_volume(vcb, fo, Irp);
    if (vcb->locked) return FatComplete(Irp, STATUS_ACCESS_DENIED, 0);

    static char path[FAT_PATH_MAX];
    NTSTATUS st = FatPathFromName(&fo->FileName, path, sizeof path);
    if (!NT_SUCCESS(st)) return FatComplete(Irp, st, 0);
    fat_node_t node;
    fat_err_t e = fat_lookup(&vcb->vol, path, &node);
    ULONG action = FILE_OPENED;
    bool wrote = false;
    ff_fcb_t *fcb = NULL;
    vcb->io_status = STATUS_SUCCESS;
    if (e == FAT_OK) {
        bool dir = node.is_root || (node.attr & FAT_ATTR_DIRECTORY);
        fcb = FatFindFcb(vcb, &node);
        if (fcb && fcb->delete_pending) return FatComplete(Irp, STATUS_DELETE_PENDING, 0);
        if (disposition == FILE_CREATE) return FatComplete(Irp, STATUS_OBJECT_NAME_COLLISION, 0);
        if (dir) {
            if (options & FILE_NON_DIRECTORY_FILE) return FatComplete(Irp, STATUS_FILE_IS_A_DIRECTORY, 0);
            if (disposition != FILE_OPEN && disposition != FILE_OPEN_IF)
                return FatComplete(Irp, node.is_root ? STATUS_ACCESS_DENIED : STATUS_FILE_IS_A_DIRECTORY, 0);
        } else {
            if (options & FILE_DIRECTORY_FILE) return FatComplete(Irp, STATUS_NOT_A_DIRECTORY, 0);
            bool overwrite = disposition == FILE_SUPERSEDE || disposition == FILE_OVERWRITE || disposition == FILE_OVERWRITE_IF;
            if ((overwrite || wants_write(access) || (options & FILE_DELETE_ON_CLOSE)) && (node.attr & FAT_ATTR_READ_ONLY))
                return FatComplete(Irp, (options & FILE_DELETE_ON_CLOSE) && !overwrite ? STATUS_CANNOT_DELETE : STATUS_ACCESS_DENIED, 0);
            if (overwrite) {
                if (!fcb && !(fcb = new_fcb(vcb, &node, path))) return FatComplete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
                e = fat_truncate(&vcb->vol, &fcb->file, 0);
                fcb->file.pos_cluster = 0;
                wrote = true;
                if (e) {
                    st = FatStatus(vcb, e);
                    goto fail;
                }
                action = disposition == FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
            }
        }
    } else if (e == FAT_ENOENT) {
        st = missing(vcb, path);
        if (st != STATUS_OBJECT_NAME_NOT_FOUND) return FatComplete(Irp, st, 0);
        if (disposition == FILE_OPEN || disposition == FILE_OVERWRITE) return FatComplete(Irp, st, 0);
        if (options & FILE_DIRECTORY_FILE) {
            e = fat_mkdir(&vcb->vol, path);
            if (e == FAT_OK) e = fat_lookup(&vcb->vol, path, &node);
        } else {
            fat_file_t f;
            e = fat_open(&vcb->vol, path, FAT_O_CREATE | FAT_O_EXCL, &f);
            node = f.node;
        }
        wrote = true;
        if (e) {
            st = FatStatus(vcb, e);
            goto fail;
        }
        action = FILE_CREATED;
    } else {
        return FatComplete(Irp, e == FAT_ENOTDIR ? STATUS_OBJECT_PATH_NOT_FOUND : FatStatus(vcb, e), 0);
    }

    ff_ccb_t *ccb = ExAllocatePoolWithTag(NonPagedPool, sizeof *ccb, 0);
    if (!fcb) fcb = new_fcb(vcb, &node, path);
    if (!ccb || !fcb) {
        if (ccb) ExFreePool(ccb);
        st = STATUS_INSUFFICIENT_RESOURCES;
        goto fail;
    }
    memset(ccb, 0, sizeof *ccb);
    if (wrote && !NT_SUCCESS(st = FatFlushVolume(vcb))) {
        ExFreePool(ccb);
        wrote = false;
        goto fail; /* not on the disk: the create failed */
    }
    ccb->delete_on_close = (options & FILE_DELETE_ON_CLOSE) != 0;
    fcb->handles++;
    fcb->refs++;
    fo->FsContext = fcb;
    fo->FsContext2 = ccb;
    fo->Vpb = DeviceObject->Vpb;
    FatFillCreateResult(vcb, fcb, Irp->AssociatedIrp.SystemBuffer);
    IoSetOutputLength(Irp, sizeof(nt_create_result_t));
    return FatComplete(Irp, STATUS_SUCCESS, action);

fail:
    if (fcb && fcb->refs == 0) {
        for (ff_fcb_t **p = &vcb->fcbs; *p; p = &(*p)->next)
            if (*p == fcb) {
                *p = fcb->next;
                break;
            }
        ExFreePool(fcb);
    }
    if (wrote) FatFlushVolume(vcb);
    return FatComplete(Irp, st, 0);
}

NTSTATUS FatCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    UNREFERENCED_PARAMETER(DeviceObject);
    PFILE_OBJECT fo = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    ff_fcb_t *fcb = fo ? fo->FsContext : NULL;
    ff_ccb_t *ccb = fo ? fo->FsContext2 : NULL;
    if (!fcb || !ccb) return FatComplete(Irp, STATUS_SUCCESS, 0);
    ff_vcb_t *vcb = fcb->vcb;
    NTSTATUS st = STATUS_SUCCESS;
    if (fcb->handles > 0) fcb->handles--;
    if (ccb->delete_on_close) fcb->delete_pending = true;
    if (fcb->is_volume && vcb->lock_owner == fo) {
        vcb->locked = false;
        vcb->lock_owner = NULL;
    }
    if (fcb->handles == 0 && fcb->delete_pending && !fcb->deleted && vcb->mounted && !vcb->dismounted) {
        vcb->io_status = STATUS_SUCCESS;
        fat_err_t e = fat_unlink(&vcb->vol, fcb->path);
        if (e) DbgPrint("fastfat: deleting %s: %s\n", fcb->path, fat_strerror(e));
        fcb->deleted = e == FAT_OK;
        st = FatFlushVolume(vcb);
    }
    fo->DeletePending = fcb->delete_pending;
    return FatComplete(Irp, st, 0);
}

void FatFreeVcbIfUnused(ff_vcb_t *vcb)
{
    if (!vcb->dismounted || vcb->fcbs || vcb->volume_fcb.refs) return;
    for (ff_vcb_t **p = &FatData.volumes; *p; p = &(*p)->next)
        if (*p == vcb) {
            *p = vcb->next;
            break;
        }
    FatDiskFree(vcb);
    ExFreePool(vcb);
}

NTSTATUS FatClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    UNREFERENCED_PARAMETER(DeviceObject);
    PFILE_OBJECT fo = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    ff_fcb_t *fcb = fo ? fo->FsContext : NULL;
    if (!fcb) return FatComplete(Irp, STATUS_SUCCESS, 0);
    ff_vcb_t *vcb = fcb->vcb;
    if (fo->FsContext2) ExFreePool(fo->FsContext2);
    fo->FsContext = fo->FsContext2 = NULL;
    if (fcb->refs > 0) fcb->refs--;
    if (fcb->refs == 0 && !fcb->is_volume) {
        for (ff_fcb_t **p = &vcb->fcbs; *p; p = &(*p)->next)
            if (*p == fcb) {
                *p = fcb->next;
                break;
            }
        ExFreePool(fcb);
    }
    FatFreeVcbIfUnused(vcb);
    return FatComplete(Irp, STATUS_SUCCESS, 0);
}
