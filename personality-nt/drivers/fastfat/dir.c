/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY: one nt_dir_entry_t per IRP. The scan
 * position lives in the open's CCB; the first query or one with SL_RESTART_SCAN starts over and
 * takes its pattern from the IRP's name (none or "*.*": every entry). Names match the pattern
 * (* and ?, case-insensitive) by their long or their 8.3 name. After the last entry:
 * STATUS_NO_MORE_FILES, or STATUS_NO_SUCH_FILE when nothing matched at all.
 */
#include <ddk/ddk.h>

#include "fastfat.h"

static bool matches(ff_ccb_t *ccb, const char *name)
{
    WCHAR w[FAT_NAME_MAX + 1];
    ULONG n = 0;
    if (!NT_SUCCESS(RtlUTF8ToUnicodeN(w, sizeof w, &n, name, (ULONG)strlen(name)))) return false;
    UNICODE_STRING s = {(USHORT)n, (USHORT)sizeof w, w};
    UNICODE_STRING e = {ccb->pattern_len, (USHORT)sizeof ccb->pattern, ccb->pattern};
    return FsRtlIsNameInExpression(&e, &s, TRUE, NULL);
}

static void restart(ff_fcb_t *fcb, ff_ccb_t *ccb, PUNICODE_STRING pattern)
{
    memset(&ccb->dir, 0, sizeof ccb->dir);
    ccb->dir.node = fcb->file.node;
    ccb->scanning = true;
    ccb->matched = ccb->ended = false;
    ccb->pattern_len = 0;
    static const WCHAR star_dot_star[] = {'*', '.', '*'};
    if (pattern && pattern->Length && !(pattern->Length == 6 && memcmp(pattern->Buffer, star_dot_star, 6) == 0) &&
        pattern->Length <= sizeof ccb->pattern) {
        memcpy(ccb->pattern, pattern->Buffer, pattern->Length);
        ccb->pattern_len = pattern->Length;
    } else {
        ccb->pattern[0] = '*';
        ccb->pattern_len = 2;
    }
}

NTSTATUS FatDirectoryControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    FatEnter();
    UNREFERENCED_PARAMETER(DeviceObject);
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT fo = sp->FileObject;
    ff_fcb_t *fcb = fo ? fo->FsContext : NULL;
    ff_ccb_t *ccb = fo ? fo->FsContext2 : NULL;
    if (sp->MinorFunction != IRP_MN_QUERY_DIRECTORY) return FatComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    if (!fcb || !ccb) return FatComplete(Irp, fo ? STATUS_FILE_CLOSED : STATUS_INVALID_PARAMETER, 0);
    ff_vcb_t *vcb = fcb->vcb;
    if (!vcb->mounted || vcb->dismounted) return FatComplete(Irp, STATUS_VOLUME_DISMOUNTED, 0);
    if (!fcb->is_dir || fcb->deleted) return FatComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (sp->Parameters.QueryDirectory.Length < sizeof(nt_dir_entry_t) || Irp->NeptuneBufferLength < sizeof(nt_dir_entry_t))
        return FatComplete(Irp, STATUS_INFO_LENGTH_MISMATCH, 0);
    if ((sp->Flags & SL_RESTART_SCAN) || !ccb->scanning) restart(fcb, ccb, sp->Parameters.QueryDirectory.FileName);
    if (ccb->ended) return FatComplete(Irp, STATUS_NO_MORE_FILES, 0);

    static fat_dirent_t ent;
    vcb->io_status = STATUS_SUCCESS;
    for (;;) {
        uint32_t index = ccb->dir.index;
        fat_err_t e = fat_readdir(&vcb->vol, &ccb->dir, &ent);
        if (e == FAT_ENOENT) {
            ccb->ended = true;
            return FatComplete(Irp, ccb->matched ? STATUS_NO_MORE_FILES : STATUS_NO_SUCH_FILE, 0);
        }
        if (e) return FatComplete(Irp, FatStatus(vcb, e), 0);
        if (!matches(ccb, ent.name) && !matches(ccb, ent.short_name)) continue;
        ccb->matched = true;
        nt_dir_entry_t *d = Irp->AssociatedIrp.SystemBuffer;
        memset(d, 0, sizeof *d);
        uint32_t cs = vcb->vol.cluster_size;
        bool dir = (ent.attr & FAT_ATTR_DIRECTORY) != 0;
        d->file_index = index;
        d->file_attributes = FatAttributes(ent.attr);
        d->creation_time = d->last_access_time = d->last_write_time = d->change_time = nt_time_from_unix(ent.mtime);
        d->end_of_file = dir ? 0 : ent.size;
        d->allocation_size = dir ? 0 : ((int64_t)ent.size + cs - 1) / cs * cs;
        if (strcmp(ent.name, ent.short_name) != 0) memcpy(d->short_name, ent.short_name, sizeof d->short_name);
        size_t n = strlen(ent.name);
        if (n > NT_NAME_MAX) {
            n = NT_NAME_MAX;
            while (n > 0 && ((unsigned char)ent.name[n] & 0xC0) == 0x80) n--; /* whole UTF-8 characters */
        }
        memcpy(d->file_name, ent.name, n);
        d->file_name[n] = 0;
        return FatComplete(Irp, STATUS_SUCCESS, sizeof *d);
    }
}
