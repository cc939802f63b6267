/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File objects and the ntexec file methods: NtCreateFile (mounting a disk's volume on its first
 * open; a repeated open of an open file needs no IRP), NtReadFile/NtWriteFile through the cache
 * for files of a volume (hits answered here; misses read the rest of the view straight from the
 * disk at the extents FSCTL_GET_RETRIEVAL_POINTERS gave, or through the file system), write-back
 * as paging writes through the file system, directory queries, information, flush, controls,
 * close and shutdown. A request that needs IRPs becomes an op (io.h) that goes on each time its
 * IRPs complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include <nt/ioctl.h>

#define MAX_FILES 256
#define MAX_ROUNDS 256 /* steps of one op: an op that needs more fails rather than loops */
#define PAGING (NTDRV_IRP_PAGING_IO | NTDRV_IRP_NOCACHE)

static fcb_t fcbs[IO_MAX_FCBS];
static file_t *files[MAX_FILES];

fcb_t *file_fcb_at(uint32_t i) { return i < IO_MAX_FCBS ? &fcbs[i] : NULL; }

/* ---- file objects ------------------------------------------------------------------------- */

static void start_close(file_t *fo, op_t *op);

static void file_ob_destroy(ob_t *o)
{
    file_t *fo = o->body;
    o->body = NULL;
    if (fo) start_close(fo, NULL);
}

static file_t *file_new(device_t *dev, device_t *vol, uint64_t id, const char *path, ob_t **out)
{
    *out = NULL;
    /* A free slot, looked for from where the last one was found (usually free at once). */
    static int hint;
    int slot = -1;
    for (int k = 0; k < MAX_FILES && slot < 0; k++) {
        int i = (hint + k) % MAX_FILES;
        if (!files[i]) slot = i;
    }
    if (slot < 0) return NULL;
    hint = slot;
    ob_t *o;
    if (!NT_SUCCESS(ob_create(NULL, NULL, OB_FILE, 0, &o))) return NULL;
    file_t *fo = calloc(1, sizeof *fo);
    if (!fo) {
        ob_deref(o);
        return NULL;
    }
    fo->ob = o;
    fo->dev = dev;
    fo->vol = vol;
    fo->id = id;
    fo->slot = slot;
    size_t n = strnlen(path, sizeof fo->path - 1);
    memcpy(fo->path, path, n);
    fo->path[n] = 0;
    ob_ref(dev->ob);
    if (vol) ob_ref(vol->ob);
    o->body = fo;
    o->destroy = file_ob_destroy;
    files[slot] = fo;
    *out = o;
    return fo;
}

static void file_free(file_t *fo)
{
    if (fo->slot >= 0 && fo->slot < MAX_FILES && files[fo->slot] == fo) files[fo->slot] = NULL;
    if (fo->fcb && fo->last) {
        cc_drop(&fo->fcb->map);
        fo->fcb->used = 0;
    }
    ob_t *d = fo->dev ? fo->dev->ob : NULL, *v = fo->vol ? fo->vol->ob : NULL;
    free(fo);
    if (d) ob_deref(d);
    if (v) ob_deref(v);
}

void file_fcb_dismount(fcb_t *f)
{
    if (cc_map_dirty(&f->map) && !f->delete_pending) f->lost = 1;
    cc_drop(&f->map);
    f->dismounted = 1;
}

void file_dismount_volume(device_t *vol, file_t *keep)
{
    for (int i = 0; i < MAX_FILES; i++)
        if (files[i] && files[i]->vol == vol && files[i] != keep) files[i]->dismounted = 1;
}

/* ---- client helpers --------------------------------------------------------------------- */

static ht_table_t *table_of(uint64_t badge) { return ht_table(badge, 1); }

static NTSTATUS file_of(uint64_t badge, uint64_t h, uint32_t need, file_t **out, ob_t **obj)
{
    ob_t *o;
    *out = NULL;
    NTSTATUS s = ht_lookup(ht_table(badge, 0), h, OB_FILE, need, &o, NULL);
    if (!NT_SUCCESS(s)) return s;
    if (!o->body) return STATUS_FILE_CLOSED;
    *out = o->body;
    if (obj) *obj = o;
    return STATUS_SUCCESS;
}

static NTSTATUS usable(const file_t *fo)
{
    if (fo->dismounted || (fo->fcb && fo->fcb->dismounted)) return STATUS_VOLUME_DISMOUNTED;
    if (!fo->dev->driver) return STATUS_DEVICE_DOES_NOT_EXIST;
    if (ex.shutdown) return STATUS_DEVICE_NOT_READY;
    return STATUS_SUCCESS;
}

/* A new op for a client request on file object `o` (referenced by the op); the reply saved. */
static op_t *op_for(op_kind_t kind, ng_call_t *call, ob_t *o, op_fn run)
{
    op_t *op = io_op_new(kind, call->badge);
    if (!op) return NULL;
    if (!io_op_save(op, call)) {
        io_op_free(op);
        return NULL;
    }
    if (o) {
        ob_ref(o);
        op->obj = o;
        op->fo = o->body;
    }
    op->run = run;
    return op;
}

static irp_t *irp_for(op_t *op, device_t *dev, uint8_t major, uint64_t file, irp_done_fn done)
{
    irp_t *irp = io_irp_new(op, io_top(dev), major, done);
    if (irp) irp->s.file = file;
    return irp;
}

/* An op that could not issue an IRP it needs. */
static void no_irp(op_t *op)
{
    if (NT_SUCCESS(op->status)) op->status = STATUS_INSUFFICIENT_RESOURCES;
}

/* Keeps an IRP's output data for the op. */
static void keep_output(op_t *op, irp_t *irp)
{
    op->information = irp->information;
    free(op->result);
    op->result = irp->out;
    op->result_len = irp->out_len;
    irp->out = NULL;
    irp->out_len = 0;
}

/* ---- the cache: fills and write-back ------------------------------------------------------ */

static int view_still(irp_t *irp)
{
    return irp->view && irp->view->map == irp->map && irp->view->index == irp->vindex;
}

/* A fill's data goes from the driver's buffer straight into the view. */
static void fill_take(irp_t *irp, const uint8_t *data, uint32_t len)
{
    if (view_still(irp)) cc_fill_end(irp->view, irp->run, NT_SUCCESS(irp->status) ? data : NULL, len);
}

static void fill_done(op_t *op, irp_t *irp)
{
    (void)op;
    /* Not taken: it failed without reaching a driver (or its driver died). */
    if (!irp->taken && view_still(irp)) cc_fill_end(irp->view, irp->run, NULL, 0);
}

static void extents_done(op_t *op, irp_t *irp)
{
    fcb_t *f = op->fcb;
    if (f && f->used && !f->dismounted) {
        /* STATUS_BUFFER_OVERFLOW: more runs than fit; those that came are good (misses past
         * them read through the file system). */
        int ok = NT_SUCCESS(irp->status) || irp->status == STATUS_BUFFER_OVERFLOW;
        if (ok && cc_set_extents(&f->map, irp->out, irp->out_len) == 0 && f->map.nextents > 0)
            f->map.extents_known = 1;
        else
            f->map.extents_failed = 1;
    }
    irp->status = STATUS_SUCCESS; /* no extents is no failure: reads go through the file system */
}

static void write_done(op_t *op, irp_t *irp)
{
    int ok = NT_SUCCESS(irp->status);
    if (view_still(irp)) cc_write_end(irp->view, irp->run, ok);
    /* The file system may have allocated: the extents are asked again. */
    if (irp->map) irp->map->extents_known = 0;
    (void)op;
}

static irp_t *cache_irp(op_t *op, fcb_t *f, device_t *dev, uint8_t major, uint64_t file, irp_done_fn done, cc_view_t *v, cc_run_t r)
{
    irp_t *irp = irp_for(op, dev, major, file, done);
    if (!irp) return NULL;
    irp->view = v;
    irp->map = &f->map;
    irp->vindex = v->index;
    irp->run = r;
    irp->s.flags = PAGING;
    return irp;
}

/* Issues the reads of pages [r.first, r.first + r.count) of view v: from the disk where the
 * extents say, else through the file system. Returns the IRPs issued. */
static uint32_t issue_fill(op_t *op, fcb_t *f, cc_view_t *v, cc_run_t r)
{
    int64_t vstart = (int64_t)v->index * CC_VIEW_BYTES;
    int64_t at = vstart + (int64_t)r.first * CC_PAGE_BYTES, end = at + (int64_t)r.count * CC_PAGE_BYTES;
    int64_t size = f->map.size;
    uint32_t n = 0;
    while (at < end) {
        int64_t vol_off, contig, piece = end - at;
        int disk = f->map.extents_known && f->vol && f->vol->real && f->vol->real->driver &&
                   cc_extent_lookup(&f->map, at, &vol_off, &contig) == 0;
        if (disk) {
            if (piece > contig) piece = contig;
            if (piece > (int64_t)IO_MAX_DATA) piece = (int64_t)IO_MAX_DATA;
            int64_t stop = end < size ? end : size;
            if (piece % CC_PAGE_BYTES && at + piece < stop) {
                piece -= piece % CC_PAGE_BYTES;
                if (piece == 0) disk = 0; /* a page in pieces: the file system reads it */
            }
        }
        if (!disk) {
            piece = end - at;
            if (piece > (int64_t)IO_MAX_DATA) piece = (int64_t)IO_MAX_DATA;
        }
        uint32_t pages = (uint32_t)((piece + CC_PAGE_BYTES - 1) / CC_PAGE_BYTES);
        cc_run_t pr = { (uint32_t)((at - vstart) / CC_PAGE_BYTES), pages };
        irp_t *irp = disk ? cache_irp(op, f, f->vol->real, NTDRV_IRP_MJ_READ, 0, fill_done, v, pr)
                          : cache_irp(op, f, f->vol, NTDRV_IRP_MJ_READ, f->fs_file, fill_done, v, pr);
        if (!irp) break;
        irp->take = fill_take;
        irp->s.offset = disk ? vol_off : at;
        irp->s.length = (uint32_t)piece;
        cc_fill_begin(v, pr);
        io_irp_send(irp, NULL, 0);
        n++;
        at += (int64_t)pages * CC_PAGE_BYTES;
    }
    return n;
}

/* Write-back of one view's dirty pages, clipped to the end of file. */
static uint32_t write_back_view(op_t *op, fcb_t *f, cc_view_t *v)
{
    cc_run_t runs[CC_VIEW_PAGES];
    uint32_t nr = cc_dirty_runs(v, f->map.size, runs, CC_VIEW_PAGES), n = 0;
    int64_t vstart = (int64_t)v->index * CC_VIEW_BYTES;
    for (uint32_t i = 0; i < nr; i++) {
        for (uint32_t p = runs[i].first; p < runs[i].first + runs[i].count;) {
            uint32_t cnt = runs[i].first + runs[i].count - p;
            if (cnt > IO_MAX_DATA / CC_PAGE_BYTES) cnt = IO_MAX_DATA / CC_PAGE_BYTES;
            cc_run_t r = { p, cnt };
            int64_t off = vstart + (int64_t)p * CC_PAGE_BYTES;
            int64_t len = (int64_t)cnt * CC_PAGE_BYTES;
            if (off + len > f->map.size) len = f->map.size - off;
            if (len <= 0) break;
            uint8_t *data = malloc((size_t)len);
            irp_t *irp = data ? cache_irp(op, f, f->vol, NTDRV_IRP_MJ_WRITE, f->fs_file, write_done, v, r) : NULL;
            if (!irp) {
                free(data);
                return n;
            }
            memcpy(data, v->data + (size_t)p * CC_PAGE_BYTES, (size_t)len);
            irp->s.offset = off;
            irp->s.length = (uint32_t)len;
            cc_write_begin(v, r);
            io_irp_send(irp, data, (uint32_t)len);
            n++;
            p += cnt;
        }
    }
    return n;
}

uint32_t file_write_back(op_t *op, fcb_t *f)
{
    uint32_t n = 0;
    if (!f->used || f->dismounted || !f->vol || !f->vol->driver) return 0;
    for (uint32_t i = 0;; i++) {
        cc_view_t *v = cc_view_at(&f->map, i);
        if (!v) break;
        n += write_back_view(op, f, v);
    }
    return n;
}

static fcb_t *fcb_of_map(cc_map_t *m)
{
    for (int i = 0; i < IO_MAX_FCBS; i++)
        if (&fcbs[i].map == m) return &fcbs[i];
    return NULL;
}

/* A miss at `offset` of fcb f: asks the extents once, finds a view (writing back the least
 * recently used one if every view is dirty), and reads the rest of the view. Returns 1 when the
 * op now waits (IRPs issued, or blocked on another op's reads), 0 on failure (op->status). */
static int miss(op_t *op, fcb_t *f, int64_t offset)
{
    op->fcb = f;
    if (!f->map.extents_known && !f->map.extents_failed) {
        uint8_t *in = calloc(1, sizeof(int64_t));
        irp_t *irp = in ? irp_for(op, f->vol, NTDRV_IRP_MJ_FILE_SYSTEM_CONTROL, f->fs_file, extents_done) : NULL;
        if (!irp) {
            free(in);
            f->map.extents_failed = 1;
        } else {
            irp->s.minor = NTDRV_IRP_MN_USER_FS_REQUEST;
            irp->s.control_code = FSCTL_GET_RETRIEVAL_POINTERS;
            irp->s.length = 4096;
            io_irp_send(irp, in, sizeof(int64_t));
            return 1;
        }
    }
    cc_view_t *victim;
    cc_view_t *v = cc_get_view(&f->map, (uint64_t)offset / CC_VIEW_BYTES, &victim);
    if (!v) {
        fcb_t *vf = victim ? fcb_of_map(victim->map) : NULL;
        if (vf && write_back_view(op, vf, victim) > 0) return 1;
        op->blocked = 1;
        return 1;
    }
    cc_run_t runs[CC_VIEW_PAGES];
    uint32_t nr = cc_fill_runs(v, offset, f->map.size, runs, CC_VIEW_PAGES), issued = 0;
    cc_stats.misses++;
    for (uint32_t i = 0; i < nr; i++) issued += issue_fill(op, f, v, runs[i]);
    if (issued == 0) {
        if (nr > 0 && op->outstanding == 0) no_irp(op);
        if (!NT_SUCCESS(op->status)) return 0;
        op->blocked = 1; /* another op reads these pages */
    }
    return 1;
}

/* ---- NtCreateFile / NtOpenFile ------------------------------------------------------------ */

static const uint32_t WRITE_RIGHTS = HT_FILE_WRITE_DATA | HT_FILE_APPEND_DATA;

static void create_reply(op_t *op)
{
    ntexec_create_file_rep_t rep;
    memset(&rep, 0, sizeof rep);
    rep.status = op->status;
    rep.file = NT_SUCCESS(op->status) ? op->handle : 0;
    rep.iosb.status = op->status;
    rep.iosb.information = op->information;
    if (op->sync_rep) *op->sync_rep = rep; /* finished within its handler: answered from there */
    else if (op->has_reply) (void)ntexec_create_file_reply(&ex.srv, op->reply, NG_OK, &rep);
    io_op_free(op);
}

static fcb_t *fcb_find_path(device_t *vol, const char *path)
{
    for (int i = 0; i < IO_MAX_FCBS; i++) {
        fcb_t *f = &fcbs[i];
        if (f->used && f->vol == vol && !f->dismounted && !f->closing && !f->delete_pending && ob_name_eq(f->path, path)) return f;
    }
    return NULL;
}

static fcb_t *fcb_for(device_t *vol, const nt_create_result_t *r, uint64_t fs_file, const char *path)
{
    for (int i = 0; i < IO_MAX_FCBS; i++) {
        fcb_t *f = &fcbs[i];
        if (f->used && f->vol == vol && !f->dismounted && !f->closing && f->file_id == r->file_id) return f;
    }
    for (int i = 0; i < IO_MAX_FCBS; i++) {
        fcb_t *f = &fcbs[i];
        if (f->used) continue;
        memset(f, 0, sizeof *f);
        f->used = 1;
        f->vol = vol;
        f->file_id = r->file_id;
        f->fs_file = fs_file;
        f->attr = *r;
        snprintf(f->path, sizeof f->path, "%s", path);
        cc_map_init(&f->map, r->end_of_file);
        return f;
    }
    return NULL;
}

/* Share access as NT's IoCheckShareAccess keeps it: an open that reads, writes or deletes may
 * join a file's other such opens only if each of them shares what it does, and it shares what
 * each of them does. Opens for attributes only are not counted. */
static void share_of(uint32_t access, uint32_t share, uint8_t out[6])
{
    out[0] = (access & (HT_FILE_READ_DATA | HT_FILE_EXECUTE)) != 0;
    out[1] = (access & WRITE_RIGHTS) != 0;
    out[2] = (access & HT_DELETE) != 0;
    int counted = out[0] || out[1] || out[2];
    out[3] = counted && (share & NTEXEC_FILE_SHARE_READ);
    out[4] = counted && (share & NTEXEC_FILE_SHARE_WRITE);
    out[5] = counted && (share & NTEXEC_FILE_SHARE_DELETE);
}

static NTSTATUS share_check(const fcb_t *f, uint32_t access, uint32_t share)
{
    uint8_t b[6];
    share_of(access, share, b);
    if (!b[0] && !b[1] && !b[2]) return STATUS_SUCCESS;
    uint32_t n = f->share_opens;
    if ((b[0] && f->shared_read < n) || (b[1] && f->shared_write < n) || (b[2] && f->shared_delete < n) ||
        (f->readers && !b[3]) || (f->writers && !b[4]) || (f->deleters && !b[5]))
        return STATUS_SHARING_VIOLATION;
    return STATUS_SUCCESS;
}

static void share_update(fcb_t *f, const uint8_t b[6], int add)
{
    if (!b[0] && !b[1] && !b[2]) return;
    uint32_t d = add ? 1u : (uint32_t)-1;
    f->share_opens += d;
    f->readers += b[0] ? d : 0;
    f->writers += b[1] ? d : 0;
    f->deleters += b[2] ? d : 0;
    f->shared_read += b[3] ? d : 0;
    f->shared_write += b[4] ? d : 0;
    f->shared_delete += b[5] ? d : 0;
}

/* Makes the file object of a finished create and its handle. */
static void create_finish(op_t *op, uint64_t id, int own, fcb_t *f, int directory)
{
    ob_t *o;
    file_t *fo = file_new(op->target, op->vol, id, op->name, &o);
    if (!fo) {
        op->status = STATUS_INSUFFICIENT_RESOURCES;
        return;
    }
    fo->own_id = own;
    fo->directory = directory;
    fo->volume = op->vol && op->name[0] == 0;
    uint32_t access = ht_map_generic(OB_FILE, op->create.desired_access);
    NTSTATUS s = f ? share_check(f, access, op->create.share_access) : STATUS_SUCCESS;
    if (f && NT_SUCCESS(s)) {
        fo->fcb = f;
        f->opens++;
        share_of(access, op->create.share_access, fo->share);
        share_update(f, fo->share, 1);
    }
    ht_table_t *t = table_of(op->badge);
    if (NT_SUCCESS(s)) s = t ? ht_insert(t, o, access, &op->handle) : STATUS_INSUFFICIENT_RESOURCES;
    ob_deref(o); /* the handle holds it now, or it goes (closing the file in its driver) */
    op->status = s;
}

static void mount_done(op_t *op, irp_t *irp)
{
    device_t *disk = op->dev;
    disk->mounting = 0;
    device_t *vol = NT_SUCCESS(irp->status) ? io_device(irp->information) : NULL;
    device_t *fs = io_filesystem(op->fs_index - 1);
    if (vol && fs && vol->driver == fs->driver && !vol->real) {
        disk->mounted = vol;
        vol->real = disk;
        printf("ntexec: mounted %s on %s (%s)\n", vol->ob->name, disk->ob->name, fs->driver && fs->driver->ob ? fs->driver->ob->name : "?");
    }
    irp->status = STATUS_SUCCESS; /* a file system that does not know the volume is no failure */
}

static void create_done(op_t *op, irp_t *irp) { keep_output(op, irp); }

static void create_run(op_t *op)
{
    if (op->outstanding) return;
    if (!NT_SUCCESS(op->status) || op->rounds > MAX_ROUNDS) {
        if (NT_SUCCESS(op->status)) op->status = STATUS_UNSUCCESSFUL;
        create_reply(op);
        return;
    }
    device_t *dev = op->dev;
    for (;;) {
        switch (op->step) {
        case 0: /* mount: a disk's volume, on its first open */
            if (dev->type != NTDRV_FILE_DEVICE_DISK || dev->real) {
                op->target = io_top(dev);
                op->vol = dev->real ? dev : NULL;
                op->step = 1;
                continue;
            }
            if (dev->mounted && dev->mounted->driver) {
                op->vol = dev->mounted;
                op->target = io_top(dev->mounted);
                op->step = 1;
                continue;
            }
            if (dev->mounting) {
                op->blocked = 1;
                return;
            }
            while (op->fs_index < IO_MAX_FILESYSTEMS && !io_filesystem(op->fs_index)) op->fs_index++;
            if (op->fs_index >= IO_MAX_FILESYSTEMS) {
                op->status = STATUS_UNRECOGNIZED_MEDIA;
                create_reply(op);
                return;
            }
            {
                device_t *fs = io_filesystem(op->fs_index++);
                irp_t *irp = io_irp_new(op, fs, NTDRV_IRP_MJ_FILE_SYSTEM_CONTROL, mount_done);
                if (!irp) {
                    op->status = STATUS_INSUFFICIENT_RESOURCES;
                    create_reply(op);
                    return;
                }
                irp->s.minor = NTDRV_IRP_MN_MOUNT_VOLUME;
                irp->s.target = dev->id;
                dev->mounting = 1;
                io_irp_send(irp, NULL, 0);
            }
            return;
        case 1: { /* an open file opened again: no IRP */
            uint32_t disp = op->create.disposition, opts = op->create.create_options;
            fcb_t *f = op->vol && op->name[0] && strcmp(op->name, "\\") != 0 ? fcb_find_path(op->vol, op->name) : NULL;
            /* An open file that this open may not share: refused before the file system sees
             * (and perhaps overwrites) it. */
            if (f && disp != NTEXEC_CREATE_DISPOSITION_CREATE &&
                !NT_SUCCESS(op->status = share_check(f, ht_map_generic(OB_FILE, op->create.desired_access), op->create.share_access))) {
                create_reply(op);
                return;
            }
            if (f && (disp == NTEXEC_CREATE_DISPOSITION_OPEN || disp == NTEXEC_CREATE_DISPOSITION_OPEN_IF) &&
                !(opts & (NTEXEC_FILE_DIRECTORY_FILE | NTEXEC_FILE_DELETE_ON_CLOSE))) {
                uint32_t access = ht_map_generic(OB_FILE, op->create.desired_access);
                if ((access & WRITE_RIGHTS) && (f->attr.file_attributes & NTEXEC_FILE_ATTRIBUTE_READONLY)) {
                    op->status = STATUS_ACCESS_DENIED;
                } else {
                    op->information = NTEXEC_CREATE_ACTION_OPENED;
                    create_finish(op, f->fs_file, 0, f, 0);
                }
                create_reply(op);
                return;
            }
            op->file_id = io_new_file_id();
            irp_t *irp = irp_for(op, op->target, NTDRV_IRP_MJ_CREATE, op->file_id, create_done);
            if (!irp) {
                op->status = STATUS_INSUFFICIENT_RESOURCES;
                create_reply(op);
                return;
            }
            irp->s.device = op->target->id;
            snprintf(irp->s.name, sizeof irp->s.name, "%s", op->name);
            irp->s.desired_access = ht_map_generic(OB_FILE, op->create.desired_access);
            irp->s.share_access = op->create.share_access;
            irp->s.options = (disp << 24) | (opts & 0x00ffffffu);
            irp->s.file_attributes = op->create.file_attributes;
            irp->s.offset = op->create.allocation_size;
            op->step = 2;
            io_irp_send(irp, NULL, 0);
            return;
        }
        case 2: { /* created */
            nt_create_result_t r;
            int have = op->result_len >= sizeof r;
            if (have) memcpy(&r, op->result, sizeof r);
            int directory = have ? r.directory != 0 : (op->create.create_options & NTEXEC_FILE_DIRECTORY_FILE) != 0;
            fcb_t *f = NULL;
            if (have && op->vol && !directory && op->name[0] && strcmp(op->name, "\\") != 0) f = fcb_for(op->vol, &r, op->file_id, op->name);
            uint64_t info = op->information;
            if (f && f->opens > 0 && (info == NTEXEC_CREATE_ACTION_OVERWRITTEN || info == NTEXEC_CREATE_ACTION_SUPERSEDED)) {
                /* An open file overwritten through another open: its cache follows the file
                 * system's new size (what was dirty past it is gone with the old contents). */
                cc_truncate(&f->map, r.end_of_file);
                f->attr = r;
            }
            if (f && (op->create.create_options & NTEXEC_FILE_DELETE_ON_CLOSE)) f->delete_pending = 1;
            create_finish(op, op->file_id, 1, f, directory);
            op->information = info;
            create_reply(op);
            return;
        }
        default:
            op->status = STATUS_INTERNAL_ERROR;
            create_reply(op);
            return;
        }
    }
}

/* Resolves a create's name to a device and the rest of the name (op->dev, op->name). */
static NTSTATUS create_resolve(op_t *op, uint64_t badge, const ntexec_object_attributes_t *a)
{
    char name[OB_NAME_MAX + 1];
    size_t n = strnlen(a->object_name, sizeof a->object_name);
    if (n >= sizeof name) return STATUS_OBJECT_NAME_INVALID;
    memcpy(name, a->object_name, n);
    name[n] = 0;
    ob_parse_t p;
    if (a->root_directory) {
        ob_t *root;
        NTSTATUS s = ht_lookup(ht_table(badge, 0), a->root_directory, 0, 0, &root, NULL);
        if (!NT_SUCCESS(s)) return s;
        if (root->type == OB_FILE) {
            /* Relative to an open directory of a device: the same device, the joined path. */
            file_t *dir = root->body;
            if (!dir) return STATUS_INVALID_HANDLE;
            if (name[0] == '\\') return STATUS_OBJECT_PATH_SYNTAX_BAD;
            NTSTATUS u = usable(dir);
            if (!NT_SUCCESS(u)) return u;
            const char *base = strcmp(dir->path, "\\") == 0 ? "" : dir->path;
            if (strlen(base) + 1 + strlen(name) > OB_NAME_MAX) return STATUS_NAME_TOO_LONG;
            snprintf(op->name, sizeof op->name, "%s\\%s", base, name);
            op->dev = dir->vol ? dir->vol : dir->dev;
            op->devob = op->dev->ob;
            ob_ref(op->devob);
            return STATUS_SUCCESS;
        }
        if (root->type != OB_DIRECTORY) return STATUS_OBJECT_TYPE_MISMATCH;
        NTSTATUS s2 = ob_parse(root, name, 0, &p);
        if (!NT_SUCCESS(s2)) return s2;
    } else {
        NTSTATUS s = ob_parse(NULL, name, 0, &p);
        if (!NT_SUCCESS(s)) return s;
    }
    if (p.obj->type != OB_DEVICE || !p.obj->body) {
        ob_deref(p.obj);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    op->devob = p.obj;
    op->dev = p.obj->body;
    if (!op->dev->driver) return STATUS_NO_SUCH_DEVICE;
    snprintf(op->name, sizeof op->name, "%s", p.rest);
    return STATUS_SUCCESS;
}

static int start_create(ng_call_t *call, const ntexec_create_file_req_t *req, ntexec_create_file_rep_t *rep)
{
    if (ex.shutdown) return rep->status = rep->iosb.status = STATUS_DEVICE_NOT_READY, NG_OK;
    if (req->disposition > NTEXEC_CREATE_DISPOSITION_OVERWRITE_IF) return rep->status = rep->iosb.status = STATUS_INVALID_PARAMETER, NG_OK;
    if (!table_of(call->badge)) return rep->status = rep->iosb.status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    /* An open that needs no IRP (an open file opened again, a bad name) is answered at once;
     * the reply is saved only when IRPs went out. */
    op_t *op = io_op_new(OP_CREATE, call->badge);
    if (!op) return rep->status = rep->iosb.status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    op->run = create_run;
    op->create = *req;
    op->sync_rep = rep;
    op->status = create_resolve(op, call->badge, &req->attrs);
    io_op_run(op);
    if (!op->used) return NG_OK;
    op->sync_rep = NULL;
    int deferred = io_op_save(op, call);
    if (!deferred) rep->status = rep->iosb.status = STATUS_INSUFFICIENT_RESOURCES;
    io_drain();
    return deferred ? NG_DEFERRED : NG_OK;
}

static int f_create_file(void *ctx, ng_call_t *call, const ntexec_create_file_req_t *req, ntexec_create_file_rep_t *rep)
{
    (void)ctx;
    return start_create(call, req, rep);
}

static int f_open_file(void *ctx, ng_call_t *call, const ntexec_open_file_req_t *req, ntexec_open_file_rep_t *rep)
{
    (void)ctx;
    ntexec_create_file_req_t c;
    memset(&c, 0, sizeof c);
    c.desired_access = req->desired_access;
    c.attrs = req->attrs;
    c.share_access = req->share_access;
    c.disposition = NTEXEC_CREATE_DISPOSITION_OPEN;
    c.create_options = req->open_options;
    _Static_assert(sizeof(ntexec_open_file_rep_t) == sizeof(ntexec_create_file_rep_t), "open_file answers as create_file");
    return start_create(call, &c, (ntexec_create_file_rep_t *)rep);
}

/* ---- NtReadFile / NtWriteFile ------------------------------------------------------------ */

static uint8_t bounce[NTEXEC_MAX_IO];

static void read_reply(op_t *op)
{
    ntexec_read_file_rep_t rep;
    memset(&rep, 0, sizeof rep);
    rep.status = rep.iosb.status = op->status;
    rep.iosb.information = NT_SUCCESS(op->status) ? op->result_len : 0;
    rep.data = ng_bytes(op->result, NT_SUCCESS(op->status) ? op->result_len : 0);
    if (op->has_reply) {
        uint8_t *shm;
        size_t size;
        ex_shm_of(op->badge, &shm, &size);
        (void)ntexec_read_file_reply(&ex.srv, op->reply, NG_OK, &rep, shm, size);
    }
    io_op_free(op);
}

/* A cached read: 1 when the answer is ready (op->status, op->result), 0 when it waits. */
static int cached_read(op_t *op)
{
    fcb_t *f = op->fo->fcb;
    int64_t size = f->map.size;
    if (op->offset >= size) {
        op->status = STATUS_END_OF_FILE;
        return 1;
    }
    uint32_t n = op->length;
    if ((int64_t)n > size - op->offset) n = (uint32_t)(size - op->offset);
    if (cc_range_valid(&f->map, op->offset, n)) {
        op->result = malloc(n ? n : 1);
        if (!op->result) {
            op->status = STATUS_INSUFFICIENT_RESOURCES;
            return 1;
        }
        cc_copy_out(&f->map, op->offset, n, op->result);
        op->result_len = n;
        op->fo->position = op->offset + n;
        return 1;
    }
    /* The first page that is not there yet. */
    int64_t at = op->offset / CC_PAGE_BYTES * CC_PAGE_BYTES;
    while (at < op->offset + n) {
        if (!cc_range_valid(&f->map, at, 1)) break;
        at += CC_PAGE_BYTES;
    }
    if (!miss(op, f, at)) return 1;
    return 0;
}

static void read_done(op_t *op, irp_t *irp) { keep_output(op, irp); }

static void read_run(op_t *op)
{
    if (op->outstanding) return;
    file_t *fo = op->fo;
    if (NT_SUCCESS(op->status)) op->status = usable(fo);
    if (!NT_SUCCESS(op->status) || op->rounds > MAX_ROUNDS) {
        if (NT_SUCCESS(op->status)) op->status = STATUS_IO_DEVICE_ERROR;
        read_reply(op);
        return;
    }
    if (fo->fcb) {
        if (cached_read(op)) read_reply(op);
        return;
    }
    if (op->step == 0) {
        irp_t *irp = irp_for(op, fo->dev, NTDRV_IRP_MJ_READ, fo->id, read_done);
        if (!irp) {
            op->status = STATUS_INSUFFICIENT_RESOURCES;
            read_reply(op);
            return;
        }
        irp->s.offset = op->offset;
        irp->s.length = op->length;
        op->step = 1;
        io_irp_send(irp, NULL, 0);
        return;
    }
    if (op->result_len > op->length) op->result_len = op->length;
    if (NT_SUCCESS(op->status)) fo->position = op->offset + op->result_len;
    read_reply(op);
}

static int f_read_file(void *ctx, ng_call_t *call, const ntexec_read_file_req_t *req, ntexec_read_file_rep_t *rep)
{
    (void)ctx;
    file_t *fo;
    ob_t *o;
    NTSTATUS s = file_of(call->badge, req->file, HT_FILE_READ_DATA, &fo, &o);
    if (NT_SUCCESS(s)) s = usable(fo);
    if (NT_SUCCESS(s) && fo->directory) s = STATUS_INVALID_DEVICE_REQUEST;
    if (NT_SUCCESS(s) && req->byte_offset < -1) s = STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(s)) return rep->status = rep->iosb.status = s, NG_OK;
    int64_t offset = req->byte_offset == -1 ? fo->position : req->byte_offset;
    uint32_t length = req->length > NTEXEC_MAX_IO ? NTEXEC_MAX_IO : req->length;
    fcb_t *f = fo->fcb;
    if (f) {
        /* The hit: answered from the cache, no IRP. */
        int64_t size = f->map.size;
        if (offset >= size) return rep->status = rep->iosb.status = STATUS_END_OF_FILE, NG_OK;
        uint32_t n = length;
        if ((int64_t)n > size - offset) n = (uint32_t)(size - offset);
        if (cc_range_valid(&f->map, offset, n)) {
            cc_stats.hits++;
            const uint8_t *p = cc_span(&f->map, offset, n);
            if (!p) {
                cc_copy_out(&f->map, offset, n, bounce);
                p = bounce;
            }
            fo->position = offset + n;
            rep->status = rep->iosb.status = STATUS_SUCCESS;
            rep->iosb.information = n;
            rep->data = ng_bytes(p, n);
            return NG_OK;
        }
    }
    op_t *op = op_for(OP_READ, call, o, read_run);
    if (!op) return rep->status = rep->iosb.status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    op->offset = offset;
    op->length = length;
    io_op_run(op);
    io_drain();
    return NG_DEFERRED;
}

static void write_reply(op_t *op)
{
    ntexec_write_file_rep_t rep;
    memset(&rep, 0, sizeof rep);
    rep.status = rep.iosb.status = op->status;
    rep.iosb.information = NT_SUCCESS(op->status) ? op->information : 0;
    if (op->has_reply) (void)ntexec_write_file_reply(&ex.srv, op->reply, NG_OK, &rep);
    io_op_free(op);
}

/* A cached write: 1 when done (op->status), 0 when it waits for reads or room. */
static int cached_write(op_t *op, file_t *fo, const uint8_t *data, uint32_t len)
{
    fcb_t *f = fo->fcb;
    int64_t off = op->offset == -2 ? f->map.size : op->offset;
    if (len == 0) {
        op->status = STATUS_SUCCESS;
        op->information = 0;
        return 1;
    }
    if (off > INT64_MAX / 2) {
        op->status = STATUS_INVALID_PARAMETER;
        return 1;
    }
    int64_t need = cc_write_needs(&f->map, off, len, f->map.size);
    if (need >= 0) {
        if (!op->used) return 0;
        return miss(op, f, need) ? 0 : 1;
    }
    for (uint64_t vi = (uint64_t)off / CC_VIEW_BYTES; vi <= (uint64_t)(off + len - 1) / CC_VIEW_BYTES; vi++) {
        cc_view_t *victim;
        if (cc_get_view(&f->map, vi, &victim)) continue;
        if (!op->used) return 0;
        fcb_t *vf = victim ? fcb_of_map(victim->map) : NULL;
        if (!(vf && write_back_view(op, vf, victim) > 0)) op->blocked = 1;
        return 0;
    }
    if (cc_write(&f->map, off, data, len) != 0) {
        op->status = STATUS_INTERNAL_ERROR;
        return 1;
    }
    f->attr.end_of_file = f->map.size;
    if (f->attr.allocation_size < f->map.size) f->attr.allocation_size = f->map.size;
    fo->position = off + len;
    op->status = STATUS_SUCCESS;
    op->information = len;
    return 1;
}

static void write_irp_done(op_t *op, irp_t *irp) { op->information = irp->information; }

static void write_run(op_t *op)
{
    if (op->outstanding) return;
    file_t *fo = op->fo;
    if (NT_SUCCESS(op->status)) op->status = usable(fo);
    if (!NT_SUCCESS(op->status) || op->rounds > MAX_ROUNDS) {
        if (NT_SUCCESS(op->status)) op->status = STATUS_IO_DEVICE_ERROR;
        write_reply(op);
        return;
    }
    if (fo->fcb) {
        if (cached_write(op, fo, op->data, op->data_len)) write_reply(op);
        return;
    }
    if (op->step == 0) {
        irp_t *irp = irp_for(op, fo->dev, NTDRV_IRP_MJ_WRITE, fo->id, write_irp_done);
        if (!irp) {
            op->status = STATUS_INSUFFICIENT_RESOURCES;
            write_reply(op);
            return;
        }
        irp->s.offset = op->offset;
        irp->s.length = op->data_len;
        op->step = 1;
        io_irp_send(irp, op->data, op->data_len);
        op->data = NULL;
        return;
    }
    if (NT_SUCCESS(op->status) && op->offset >= 0) fo->position = op->offset + (int64_t)op->information;
    write_reply(op);
}

static int f_write_file(void *ctx, ng_call_t *call, const ntexec_write_file_req_t *req, ntexec_write_file_rep_t *rep)
{
    (void)ctx;
    file_t *fo;
    ob_t *o;
    uint32_t need = req->byte_offset == -2 ? HT_FILE_APPEND_DATA : HT_FILE_WRITE_DATA;
    NTSTATUS s = file_of(call->badge, req->file, 0, &fo, &o);
    if (NT_SUCCESS(s)) {
        uint32_t granted = 0;
        ob_t *dummy;
        ht_lookup(ht_table(call->badge, 0), req->file, OB_FILE, 0, &dummy, &granted);
        if (!(granted & need) && !(granted & HT_FILE_WRITE_DATA)) s = STATUS_ACCESS_DENIED;
    }
    if (NT_SUCCESS(s)) s = usable(fo);
    if (NT_SUCCESS(s) && fo->directory) s = STATUS_INVALID_DEVICE_REQUEST;
    if (NT_SUCCESS(s) && req->byte_offset < -2) s = STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(s)) return rep->status = rep->iosb.status = s, NG_OK;
    int64_t offset = req->byte_offset == -1 ? fo->position : req->byte_offset;
    if (fo->fcb) {
        /* Straight into the cache when every page is there. */
        op_t probe;
        memset(&probe, 0, sizeof probe);
        probe.offset = offset;
        if (cached_write(&probe, fo, req->data.ptr, (uint32_t)req->data.len)) {
            rep->status = rep->iosb.status = probe.status;
            rep->iosb.information = NT_SUCCESS(probe.status) ? probe.information : 0;
            return NG_OK;
        }
    }
    op_t *op = op_for(OP_WRITE, call, o, write_run);
    if (!op) return rep->status = rep->iosb.status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    op->offset = offset;
    op->data_len = (uint32_t)req->data.len;
    op->data = malloc(op->data_len ? op->data_len : 1);
    if (!op->data) {
        op->status = STATUS_INSUFFICIENT_RESOURCES;
    } else {
        memcpy(op->data, req->data.ptr, op->data_len);
    }
    io_op_run(op);
    io_drain();
    return NG_DEFERRED;
}

/* ---- directory queries, information ------------------------------------------------------- */

static void keep_done(op_t *op, irp_t *irp) { keep_output(op, irp); }

/* Sends one IRP for an op (info_class, flags, name, data set by the caller through `irp`). */
static irp_t *simple_irp(op_t *op, uint8_t major)
{
    irp_t *irp = irp_for(op, op->fo->dev, major, op->fo->id, keep_done);
    if (!irp) op->status = STATUS_INSUFFICIENT_RESOURCES;
    return irp;
}

static void query_dir_run(op_t *op)
{
    if (op->outstanding) return;
    if (NT_SUCCESS(op->status) && op->step == 0) {
        op->status = usable(op->fo);
        irp_t *irp = NT_SUCCESS(op->status) ? simple_irp(op, NTDRV_IRP_MJ_DIRECTORY_CONTROL) : NULL;
        if (irp) {
            irp->s.minor = NTDRV_IRP_MN_QUERY_DIRECTORY;
            irp->s.info_class = op->info_class;
            irp->s.flags = NTDRV_SL_RETURN_SINGLE_ENTRY | (op->code ? NTDRV_SL_RESTART_SCAN : 0);
            irp->s.length = sizeof(nt_dir_entry_t);
            snprintf(irp->s.name, sizeof irp->s.name, "%s", op->name);
            op->step = 1;
            io_irp_send(irp, NULL, 0);
            return;
        }
    }
    ntexec_query_directory_file_rep_t rep;
    memset(&rep, 0, sizeof rep);
    rep.status = rep.iosb.status = op->status;
    nt_dir_entry_t e;
    if (NT_SUCCESS(op->status) && op->result_len >= sizeof e) {
        memcpy(&e, op->result, sizeof e);
        e.short_name[sizeof e.short_name - 1] = 0;
        e.file_name[sizeof e.file_name - 1] = 0;
        rep.entry.file_index = e.file_index;
        rep.entry.creation_time = e.creation_time;
        rep.entry.last_access_time = e.last_access_time;
        rep.entry.last_write_time = e.last_write_time;
        rep.entry.change_time = e.change_time;
        rep.entry.end_of_file = e.end_of_file;
        rep.entry.allocation_size = e.allocation_size;
        rep.entry.file_attributes = e.file_attributes;
        memcpy(rep.entry.short_name, e.short_name, sizeof rep.entry.short_name);
        memcpy(rep.entry.file_name, e.file_name, sizeof rep.entry.file_name);
        /* An open file's size is the cache's (writes not yet written back). */
        for (int i = 0; i < IO_MAX_FCBS; i++) {
            fcb_t *f = &fcbs[i];
            if (!f->used || f->vol != op->fo->vol || f->dismounted || !op->fo->vol) continue;
            const char *slash = strrchr(f->path, '\\');
            size_t dl = slash ? (size_t)(slash - f->path) : 0;
            const char *dir = op->fo->path;
            size_t ol = strcmp(dir, "\\") == 0 ? 0 : strlen(dir);
            if (dl == ol && strncmp(f->path, dir, dl) == 0 && slash && ob_name_eq(slash + 1, e.file_name)) {
                rep.entry.end_of_file = f->map.size;
                if (rep.entry.allocation_size < f->map.size) rep.entry.allocation_size = f->map.size;
            }
        }
        rep.iosb.information = sizeof rep.entry;
    } else if (NT_SUCCESS(op->status)) {
        rep.status = rep.iosb.status = STATUS_NO_MORE_FILES;
    }
    if (op->has_reply) (void)ntexec_query_directory_file_reply(&ex.srv, op->reply, NG_OK, &rep);
    io_op_free(op);
}

static int f_query_directory_file(void *ctx, ng_call_t *call, const ntexec_query_directory_file_req_t *req, ntexec_query_directory_file_rep_t *rep)
{
    (void)ctx;
    file_t *fo;
    ob_t *o;
    NTSTATUS s = file_of(call->badge, req->dir, HT_FILE_READ_DATA, &fo, &o);
    if (NT_SUCCESS(s)) s = usable(fo);
    if (NT_SUCCESS(s) && !fo->directory) s = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(s) && req->file_name.len > OB_NAME_MAX) s = STATUS_OBJECT_NAME_INVALID;
    if (!NT_SUCCESS(s)) return rep->status = rep->iosb.status = s, NG_OK;
    /* The pattern first: saving the reply is a syscall, and the request may lie in the IPC buffer. */
    char pattern[OB_NAME_MAX + 1];
    memcpy(pattern, req->file_name.ptr, req->file_name.len);
    pattern[req->file_name.len] = 0;
    uint32_t info_class = req->info_class, restart = req->restart_scan;
    op_t *op = op_for(OP_QUERY_DIR, call, o, query_dir_run);
    if (!op) return rep->status = rep->iosb.status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    op->info_class = info_class;
    op->code = restart;
    memcpy(op->name, pattern, sizeof op->name);
    io_op_run(op);
    io_drain();
    return NG_DEFERRED;
}

static void query_info_run(op_t *op)
{
    if (op->outstanding) return;
    if (NT_SUCCESS(op->status) && op->step == 0) {
        op->status = usable(op->fo);
        irp_t *irp = NT_SUCCESS(op->status) ? simple_irp(op, NTDRV_IRP_MJ_QUERY_INFORMATION) : NULL;
        if (irp) {
            irp->s.info_class = op->info_class;
            irp->s.length = op->info_class == NTEXEC_FILE_INFORMATION_CLASS_BASIC ? sizeof(nt_file_basic_information_t)
                                                                                : sizeof(nt_file_standard_information_t);
            op->step = 1;
            io_irp_send(irp, NULL, 0);
            return;
        }
    }
    if (op->info_class == NTEXEC_FILE_INFORMATION_CLASS_BASIC) {
        ntexec_query_basic_information_rep_t rep;
        nt_file_basic_information_t b;
        memset(&rep, 0, sizeof rep);
        if (NT_SUCCESS(op->status) && op->result_len < sizeof b) op->status = STATUS_INFO_LENGTH_MISMATCH;
        rep.status = rep.iosb.status = op->status;
        if (NT_SUCCESS(op->status)) {
            memcpy(&b, op->result, sizeof b);
            rep.info = (ntexec_file_basic_information_t){ b.creation_time, b.last_access_time, b.last_write_time, b.change_time, b.file_attributes };
            rep.iosb.information = sizeof b;
        }
        if (op->has_reply) (void)ntexec_query_basic_information_reply(&ex.srv, op->reply, NG_OK, &rep);
    } else {
        ntexec_query_standard_information_rep_t rep;
        nt_file_standard_information_t b;
        memset(&rep, 0, sizeof rep);
        if (NT_SUCCESS(op->status) && op->result_len < sizeof b) op->status = STATUS_INFO_LENGTH_MISMATCH;
        rep.status = rep.iosb.status = op->status;
        if (NT_SUCCESS(op->status)) {
            memcpy(&b, op->result, sizeof b);
            rep.info = (ntexec_file_standard_information_t){ b.allocation_size, b.end_of_file, b.number_of_links, b.delete_pending != 0, b.directory != 0 };
            rep.iosb.information = sizeof b;
        }
        if (op->has_reply) (void)ntexec_query_standard_information_reply(&ex.srv, op->reply, NG_OK, &rep);
    }
    io_op_free(op);
}

static int start_query_info(ng_call_t *call, uint64_t h, uint32_t info_class, int32_t *status)
{
    file_t *fo;
    ob_t *o;
    NTSTATUS s = file_of(call->badge, h, HT_FILE_READ_ATTRIBUTES, &fo, &o);
    if (NT_SUCCESS(s)) s = usable(fo);
    if (!NT_SUCCESS(s)) return *status = s, NG_OK;
    op_t *op = op_for(OP_QUERY_BASIC, call, o, query_info_run);
    if (!op) return *status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    op->info_class = info_class;
    io_op_run(op);
    io_drain();
    return NG_DEFERRED;
}

static int f_query_basic_information(void *ctx, ng_call_t *call, const ntexec_query_basic_information_req_t *req, ntexec_query_basic_information_rep_t *rep)
{
    (void)ctx;
    file_t *fo;
    NTSTATUS s = file_of(call->badge, req->file, HT_FILE_READ_ATTRIBUTES, &fo, NULL);
    if (NT_SUCCESS(s) && fo->fcb) {
        /* An open file's attributes are the executive's. */
        s = usable(fo);
        const nt_create_result_t *a = &fo->fcb->attr;
        if (NT_SUCCESS(s)) rep->info = (ntexec_file_basic_information_t){ a->creation_time, a->last_access_time, a->last_write_time, a->change_time, a->file_attributes };
        rep->status = rep->iosb.status = s;
        rep->iosb.information = NT_SUCCESS(s) ? sizeof(nt_file_basic_information_t) : 0;
        return NG_OK;
    }
    int r = start_query_info(call, req->file, NTEXEC_FILE_INFORMATION_CLASS_BASIC, &rep->status);
    rep->iosb.status = rep->status;
    return r;
}

static int f_query_standard_information(void *ctx, ng_call_t *call, const ntexec_query_standard_information_req_t *req, ntexec_query_standard_information_rep_t *rep)
{
    (void)ctx;
    file_t *fo;
    NTSTATUS s = file_of(call->badge, req->file, HT_FILE_READ_ATTRIBUTES, &fo, NULL);
    if (NT_SUCCESS(s) && fo->fcb) {
        s = usable(fo);
        fcb_t *f = fo->fcb;
        int64_t alloc = f->attr.allocation_size > f->map.size ? f->attr.allocation_size : f->map.size;
        if (NT_SUCCESS(s)) rep->info = (ntexec_file_standard_information_t){ alloc, f->map.size, 1, f->delete_pending != 0, false };
        rep->status = rep->iosb.status = s;
        rep->iosb.information = NT_SUCCESS(s) ? sizeof(nt_file_standard_information_t) : 0;
        return NG_OK;
    }
    int r = start_query_info(call, req->file, NTEXEC_FILE_INFORMATION_CLASS_STANDARD, &rep->status);
    rep->iosb.status = rep->status;
    return r;
}

static int f_query_position(void *ctx, ng_call_t *call, const ntexec_query_position_req_t *req, ntexec_query_position_rep_t *rep)
{
    (void)ctx;
    file_t *fo;
    NTSTATUS s = file_of(call->badge, req->file, 0, &fo, NULL);
    if (NT_SUCCESS(s)) rep->position = fo->position;
    rep->status = rep->iosb.status = s;
    rep->iosb.information = NT_SUCCESS(s) ? sizeof(int64_t) : 0;
    return NG_OK;
}

/* ---- NtSetInformationFile, NtFlushBuffersFile --------------------------------------------- */

/* Writes the op's fcb back (step a), then flushes it in the file system (step b). Returns 1
 * while it waits, 0 once both are done. */
static int write_back_then_flush(op_t *op, fcb_t *f, int flush)
{
    if (f && f->used && !f->dismounted && cc_map_dirty(&f->map) && op->step < 10 && NT_SUCCESS(op->status)) {
        if (file_write_back(op, f) > 0) return 1;
        if (op->outstanding == 0) no_irp(op);
        return 0;
    }
    if (flush && op->step < 10 && NT_SUCCESS(op->status)) {
        op->step = 10;
        irp_t *irp = f && f->vol ? irp_for(op, f->vol, NTDRV_IRP_MJ_FLUSH_BUFFERS, f->fs_file, NULL)
                                 : irp_for(op, op->fo->dev, NTDRV_IRP_MJ_FLUSH_BUFFERS, op->fo->id, NULL);
        if (!irp) {
            no_irp(op);
            return 0;
        }
        io_irp_send(irp, NULL, 0);
        return 1;
    }
    return 0;
}

static void set_info_reply(op_t *op)
{
    ntexec_set_information_file_rep_t rep;
    memset(&rep, 0, sizeof rep);
    rep.status = rep.iosb.status = op->status;
    if (op->has_reply) (void)ntexec_set_information_file_reply(&ex.srv, op->reply, NG_OK, &rep);
    io_op_free(op);
}

/* The rename target as a path on the file's volume (op->name). */
static NTSTATUS rename_target(op_t *op)
{
    file_t *fo = op->fo;
    const char *n = op->set.new_name;
    if (!strchr(n, '\\')) {
        const char *slash = strrchr(fo->path, '\\');
        size_t dl = slash ? (size_t)(slash - fo->path) : 0;
        if (!n[0] || dl + 1 + strlen(n) > OB_NAME_MAX) return STATUS_OBJECT_NAME_INVALID;
        snprintf(op->name, sizeof op->name, "%.*s\\%s", (int)dl, fo->path, n);
        return STATUS_SUCCESS;
    }
    if (n[0] != '\\') return STATUS_OBJECT_NAME_INVALID;
    ob_parse_t p;
    NTSTATUS s = ob_parse(NULL, n, 0, &p);
    if (s == STATUS_OBJECT_NAME_NOT_FOUND || s == STATUS_OBJECT_PATH_NOT_FOUND) {
        /* A path on the volume already ("\dir\new.txt"). */
        snprintf(op->name, sizeof op->name, "%s", n);
        return STATUS_SUCCESS;
    }
    if (!NT_SUCCESS(s)) return s;
    device_t *d = p.obj->type == OB_DEVICE ? p.obj->body : NULL;
    device_t *vol = d ? (d->real ? d : d->mounted) : NULL;
    if (!vol || vol != fo->vol || !p.rest[0]) s = STATUS_INVALID_PARAMETER;
    else snprintf(op->name, sizeof op->name, "%s", p.rest);
    ob_deref(p.obj);
    return s;
}

static void set_info_run(op_t *op)
{
    if (op->outstanding) return;
    file_t *fo = op->fo;
    fcb_t *f = fo->fcb;
    if (NT_SUCCESS(op->status)) op->status = usable(fo);
    if (!NT_SUCCESS(op->status) || op->rounds > MAX_ROUNDS) {
        if (NT_SUCCESS(op->status)) op->status = STATUS_IO_DEVICE_ERROR;
        set_info_reply(op);
        return;
    }
    uint32_t ic = op->info_class;
    if (op->step < 20) {
        /* Dirty data goes back before a rename or a size change. */
        if ((ic == NTEXEC_FILE_INFORMATION_CLASS_RENAME || ic == NTEXEC_FILE_INFORMATION_CLASS_END_OF_FILE ||
             ic == NTEXEC_FILE_INFORMATION_CLASS_ALLOCATION) &&
            write_back_then_flush(op, f, 0))
            return;
        if (!NT_SUCCESS(op->status)) {
            set_info_reply(op);
            return;
        }
        uint8_t *in = NULL;
        uint32_t len = 0;
        if (ic == NTEXEC_FILE_INFORMATION_CLASS_RENAME) {
            op->status = rename_target(op);
            nt_file_rename_information_t *r = NT_SUCCESS(op->status) ? calloc(1, sizeof *r) : NULL;
            if (NT_SUCCESS(op->status) && !r) op->status = STATUS_INSUFFICIENT_RESOURCES;
            if (r) {
                r->replace_if_exists = op->set.replace_if_exists;
                r->name_length = (uint32_t)strlen(op->name);
                memcpy(r->name, op->name, r->name_length);
                in = (uint8_t *)r;
                len = sizeof *r;
            }
        } else if (ic == NTEXEC_FILE_INFORMATION_CLASS_DISPOSITION) {
            nt_file_disposition_information_t *d = calloc(1, sizeof *d);
            if (d) d->delete_file = op->set.delete_file;
            in = (uint8_t *)d;
            len = sizeof *d;
        } else {
            nt_file_end_of_file_information_t *e = calloc(1, sizeof *e);
            if (e) e->end_of_file = op->set.value;
            in = (uint8_t *)e;
            len = sizeof *e;
        }
        if (!NT_SUCCESS(op->status) || !in) {
            free(in);
            if (NT_SUCCESS(op->status)) op->status = STATUS_INSUFFICIENT_RESOURCES;
            set_info_reply(op);
            return;
        }
        irp_t *irp = f && f->vol ? irp_for(op, f->vol, NTDRV_IRP_MJ_SET_INFORMATION, f->fs_file, NULL)
                                 : irp_for(op, fo->dev, NTDRV_IRP_MJ_SET_INFORMATION, fo->id, NULL);
        if (!irp) {
            free(in);
            op->status = STATUS_INSUFFICIENT_RESOURCES;
            set_info_reply(op);
            return;
        }
        irp->s.info_class = ic;
        irp->s.length = len;
        op->step = 20;
        io_irp_send(irp, in, len);
        return;
    }
    /* Done in the file system: the executive's copies follow. */
    if (ic == NTEXEC_FILE_INFORMATION_CLASS_RENAME) {
        if (f) {
            snprintf(f->path, sizeof f->path, "%s", op->name);
            for (int i = 0; i < MAX_FILES; i++)
                if (files[i] && files[i]->fcb == f) snprintf(files[i]->path, sizeof files[i]->path, "%s", op->name);
        } else {
            snprintf(fo->path, sizeof fo->path, "%s", op->name);
        }
    } else if (ic == NTEXEC_FILE_INFORMATION_CLASS_DISPOSITION) {
        if (f) f->delete_pending = op->set.delete_file;
    } else if (ic == NTEXEC_FILE_INFORMATION_CLASS_END_OF_FILE && f) {
        cc_truncate(&f->map, op->set.value);
        f->attr.end_of_file = op->set.value;
    } else if (ic == NTEXEC_FILE_INFORMATION_CLASS_ALLOCATION && f) {
        f->attr.allocation_size = op->set.value;
        if (op->set.value < f->map.size) {
            cc_truncate(&f->map, op->set.value);
            f->attr.end_of_file = op->set.value;
        }
    }
    set_info_reply(op);
}

static int f_set_information_file(void *ctx, ng_call_t *call, const ntexec_set_information_file_req_t *req, ntexec_set_information_file_rep_t *rep)
{
    (void)ctx;
    uint32_t ic = req->info_class, need;
    switch (ic) {
    case NTEXEC_FILE_INFORMATION_CLASS_RENAME:
    case NTEXEC_FILE_INFORMATION_CLASS_DISPOSITION: need = HT_DELETE; break;
    case NTEXEC_FILE_INFORMATION_CLASS_END_OF_FILE:
    case NTEXEC_FILE_INFORMATION_CLASS_ALLOCATION: need = HT_FILE_WRITE_DATA; break;
    case NTEXEC_FILE_INFORMATION_CLASS_POSITION: need = 0; break;
    default: return rep->status = rep->iosb.status = STATUS_INVALID_INFO_CLASS, NG_OK;
    }
    file_t *fo;
    ob_t *o;
    NTSTATUS s = file_of(call->badge, req->file, need, &fo, &o);
    if (NT_SUCCESS(s)) s = usable(fo);
    if (NT_SUCCESS(s) && (ic == NTEXEC_FILE_INFORMATION_CLASS_POSITION || ic == NTEXEC_FILE_INFORMATION_CLASS_END_OF_FILE ||
                          ic == NTEXEC_FILE_INFORMATION_CLASS_ALLOCATION) && req->info.value < 0)
        s = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(s) && ic == NTEXEC_FILE_INFORMATION_CLASS_POSITION) {
        fo->position = req->info.value;
        return rep->status = rep->iosb.status = STATUS_SUCCESS, NG_OK;
    }
    if (!NT_SUCCESS(s)) return rep->status = rep->iosb.status = s, NG_OK;
    ntexec_file_set_information_t info = req->info; /* before the syscall of op_for */
    op_t *op = op_for(OP_SET_INFO, call, o, set_info_run);
    if (!op) return rep->status = rep->iosb.status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    op->info_class = ic;
    op->set = info;
    op->set.new_name[sizeof op->set.new_name - 1] = 0;
    io_op_run(op);
    io_drain();
    return NG_DEFERRED;
}

static void flush_run(op_t *op)
{
    if (op->outstanding) return;
    if (NT_SUCCESS(op->status)) op->status = usable(op->fo);
    if (NT_SUCCESS(op->status) && op->rounds <= MAX_ROUNDS && write_back_then_flush(op, op->fo->fcb, 1)) return;
    ntexec_flush_buffers_file_rep_t rep;
    memset(&rep, 0, sizeof rep);
    rep.status = rep.iosb.status = op->status;
    if (op->has_reply) (void)ntexec_flush_buffers_file_reply(&ex.srv, op->reply, NG_OK, &rep);
    io_op_free(op);
}

static int f_flush_buffers_file(void *ctx, ng_call_t *call, const ntexec_flush_buffers_file_req_t *req, ntexec_flush_buffers_file_rep_t *rep)
{
    (void)ctx;
    file_t *fo;
    ob_t *o;
    NTSTATUS s = file_of(call->badge, req->file, 0, &fo, &o);
    if (NT_SUCCESS(s)) {
        uint32_t granted = 0;
        ob_t *dummy;
        ht_lookup(ht_table(call->badge, 0), req->file, OB_FILE, 0, &dummy, &granted);
        if (!(granted & (HT_FILE_WRITE_DATA | HT_FILE_APPEND_DATA))) s = STATUS_ACCESS_DENIED;
    }
    if (NT_SUCCESS(s)) s = usable(fo);
    if (!NT_SUCCESS(s)) return rep->status = rep->iosb.status = s, NG_OK;
    op_t *op = op_for(OP_FLUSH, call, o, flush_run);
    if (!op) return rep->status = rep->iosb.status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    io_op_run(op);
    io_drain();
    return NG_DEFERRED;
}

/* ---- NtFsControlFile, NtDeviceIoControlFile ----------------------------------------------- */

static void control_reply(op_t *op)
{
    uint32_t n = NT_SUCCESS(op->status) || op->status == STATUS_BUFFER_OVERFLOW ? op->result_len : 0;
    if (n > op->out_len) n = op->out_len;
    if (n > NTEXEC_MAX_CONTROL) n = NTEXEC_MAX_CONTROL;
    if (op->kind == OP_FSCTL) {
        ntexec_fs_control_file_rep_t rep;
        memset(&rep, 0, sizeof rep);
        rep.status = rep.iosb.status = op->status;
        rep.iosb.information = n;
        rep.output = ng_bytes(op->result, n);
        if (op->has_reply) (void)ntexec_fs_control_file_reply(&ex.srv, op->reply, NG_OK, &rep);
    } else {
        ntexec_device_io_control_file_rep_t rep;
        memset(&rep, 0, sizeof rep);
        rep.status = rep.iosb.status = op->status;
        rep.iosb.information = n;
        rep.output = ng_bytes(op->result, n);
        if (op->has_reply) (void)ntexec_device_io_control_file_reply(&ex.srv, op->reply, NG_OK, &rep);
    }
    io_op_free(op);
}

static void control_run(op_t *op)
{
    if (op->outstanding) return;
    file_t *fo = op->fo;
    if (NT_SUCCESS(op->status) && op->step < 20) op->status = usable(fo);
    if (!NT_SUCCESS(op->status) || op->rounds > MAX_ROUNDS) {
        if (NT_SUCCESS(op->status)) op->status = STATUS_IO_DEVICE_ERROR;
        control_reply(op);
        return;
    }
    int volume_op = op->kind == OP_FSCTL && (op->code == FSCTL_LOCK_VOLUME || op->code == FSCTL_DISMOUNT_VOLUME);
    if (op->step < 20) {
        /* Locking or dismounting a volume writes its cached files back first. */
        if (volume_op && fo->vol) {
            uint32_t issued = 0;
            for (int i = 0; i < IO_MAX_FCBS; i++)
                if (fcbs[i].used && fcbs[i].vol == fo->vol && !fcbs[i].dismounted && cc_map_dirty(&fcbs[i].map))
                    issued += file_write_back(op, &fcbs[i]);
            if (issued) return;
        }
        irp_t *irp = simple_irp(op, op->kind == OP_FSCTL ? NTDRV_IRP_MJ_FILE_SYSTEM_CONTROL : NTDRV_IRP_MJ_DEVICE_CONTROL);
        if (!irp) {
            control_reply(op);
            return;
        }
        irp->s.minor = op->kind == OP_FSCTL ? NTDRV_IRP_MN_USER_FS_REQUEST : 0;
        irp->s.control_code = op->code;
        irp->s.length = op->out_len;
        op->step = 20;
        io_irp_send(irp, op->data, op->data_len);
        op->data = NULL;
        return;
    }
    if (op->kind == OP_FSCTL && op->code == FSCTL_DISMOUNT_VOLUME && NT_SUCCESS(op->status) && fo->vol) {
        device_t *vol = fo->vol;
        fo->dismounted = 1; /* the handle stays, for FSCTL_UNLOCK_VOLUME and close */
        printf("ntexec: dismounted %s\n", vol->real && vol->real->ob ? vol->real->ob->name : vol->ob->name);
        file_dismount_volume(vol, fo);
        io_dismount(vol);
    }
    control_reply(op);
}

static int start_control(ng_call_t *call, op_kind_t kind, uint64_t h, uint32_t code, ng_bytes_t input, uint32_t out_len, int32_t *status)
{
    /* The access the code asks for (CTL_CODE bits 14-15). */
    uint32_t need = 0, a = (code >> 14) & 3;
    if (a & FILE_READ_ACCESS) need |= HT_FILE_READ_DATA;
    if (a & FILE_WRITE_ACCESS) need |= HT_FILE_WRITE_DATA;
    file_t *fo;
    ob_t *o;
    NTSTATUS s = file_of(call->badge, h, need, &fo, &o);
    /* Unlocking a volume that was dismounted meanwhile: nothing is locked any more. */
    if (NT_SUCCESS(s) && kind == OP_FSCTL && code == FSCTL_UNLOCK_VOLUME && fo->volume && !NT_SUCCESS(usable(fo)))
        return *status = STATUS_SUCCESS, NG_OK;
    if (NT_SUCCESS(s)) s = usable(fo);
    if (NT_SUCCESS(s) && input.len > NTEXEC_MAX_CONTROL) s = STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(s)) return *status = s, NG_OK;
    /* The input first: saving the reply is a syscall, and the input may lie in the IPC buffer. */
    uint8_t *in = input.len ? malloc(input.len) : NULL;
    if (input.len && !in) return *status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    if (in) memcpy(in, input.ptr, input.len);
    op_t *op = op_for(kind, call, o, control_run);
    if (!op) {
        free(in);
        return *status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    }
    op->code = code;
    op->out_len = out_len > NTEXEC_MAX_CONTROL ? NTEXEC_MAX_CONTROL : out_len;
    op->data = in;
    op->data_len = (uint32_t)input.len;
    io_op_run(op);
    io_drain();
    return NG_DEFERRED;
}

static int f_fs_control_file(void *ctx, ng_call_t *call, const ntexec_fs_control_file_req_t *req, ntexec_fs_control_file_rep_t *rep)
{
    (void)ctx;
    int r = start_control(call, OP_FSCTL, req->file, req->fs_control_code, req->input, req->output_length, &rep->status);
    rep->iosb.status = rep->status;
    return r;
}

static int f_device_io_control_file(void *ctx, ng_call_t *call, const ntexec_device_io_control_file_req_t *req, ntexec_device_io_control_file_rep_t *rep)
{
    (void)ctx;
    int r = start_control(call, OP_IOCTL, req->file, req->io_control_code, req->input, req->output_length, &rep->status);
    rep->iosb.status = rep->status;
    return r;
}

/* ---- close -------------------------------------------------------------------------------- */

/* A file object's end: its cached data goes back when it was the file's last open (or is
 * discarded when the file was deleted), then CLEANUP and CLOSE reach the file system. */
static void close_run(op_t *op)
{
    if (op->outstanding) return;
    file_t *fo = op->fo;
    fcb_t *f = fo->fcb;
    int last = fo->last;
    int alive = !fo->dismounted && fo->dev->driver && !(f && f->dismounted);
    if (op->step < 30 && alive && f && last && op->rounds <= MAX_ROUNDS) {
        if (f->delete_pending) {
            cc_drop(&f->map);
        } else {
            if (cc_map_dirty(&f->map) && op->step < 10 && NT_SUCCESS(op->status)) {
                if (file_write_back(op, f) > 0) {
                    op->step = 1;
                    return;
                }
            }
            if (op->step == 1 && NT_SUCCESS(op->status)) {
                op->step = 2;
                irp_t *irp = irp_for(op, f->vol, NTDRV_IRP_MJ_FLUSH_BUFFERS, f->fs_file, NULL);
                if (irp) {
                    io_irp_send(irp, NULL, 0);
                    return;
                }
            }
        }
    }
    if (op->step < 30) {
        /* What the write-back came to (the close reports lost data); CLEANUP/CLOSE failures of
         * a dead driver are no news to the caller. */
        op->code = (uint32_t)op->status;
        if (f && last && f->lost && NT_SUCCESS(op->status)) op->code = (uint32_t)STATUS_VOLUME_DISMOUNTED;
        /* The file system's FILE_OBJECT: this one's own, or the fcb's with its last open. */
        uint64_t id = 0;
        if (f) {
            if (fo->own_id && fo->id != f->fs_file) id = fo->id;
            if (last) {
                if (id) {
                    /* Both ids go: send this one's now and the fcb's below. */
                    irp_t *c = alive ? irp_for(op, fo->dev, NTDRV_IRP_MJ_CLEANUP, id, NULL) : NULL;
                    if (c) io_irp_send(c, NULL, 0);
                    irp_t *k = alive ? irp_for(op, fo->dev, NTDRV_IRP_MJ_CLOSE, id, NULL) : NULL;
                    if (k) io_irp_send(k, NULL, 0);
                }
                id = f->fs_file;
            }
        } else if (fo->own_id) {
            id = fo->id;
        }
        op->step = 30;
        if (id && alive) {
            irp_t *c = irp_for(op, f && f->vol ? f->vol : fo->dev, NTDRV_IRP_MJ_CLEANUP, id, NULL);
            if (c) io_irp_send(c, NULL, 0);
            irp_t *k = irp_for(op, f && f->vol ? f->vol : fo->dev, NTDRV_IRP_MJ_CLOSE, id, NULL);
            if (k) io_irp_send(k, NULL, 0);
            if (op->outstanding) return;
        }
    }
    /* The handle is gone either way; the status says whether the file's data reached its
     * file system. */
    NTSTATUS s = (NTSTATUS)op->code;
    file_free(fo);
    op->fo = NULL;
    if (op->sync_status) {
        *op->sync_status = s; /* finished within its handler: answered from there */
    } else if (op->has_reply) {
        ntexec_close_rep_t rep = { .status = s };
        (void)ntexec_close_reply(&ex.srv, op->reply, NG_OK, &rep);
    }
    io_op_free(op);
}

static void start_close(file_t *fo, op_t *op)
{
    if (!op) op = io_op_new(OP_CLOSE, 0);
    if (!op) {
        /* No op left: the file system is not told (its state leaks), the executive's is freed. */
        file_free(fo);
        return;
    }
    op->fo = fo;
    op->run = close_run;
    fo->closing = 1;
    if (fo->fcb) {
        share_update(fo->fcb, fo->share, 0);
        memset(fo->share, 0, sizeof fo->share);
        if (fo->fcb->opens > 0) fo->fcb->opens--;
        fo->last = fo->fcb->opens == 0;
        if (fo->last) fo->fcb->closing = 1;
    }
    io_op_run(op);
}

static int f_close(void *ctx, ng_call_t *call, const ntexec_close_req_t *req, ntexec_close_rep_t *rep)
{
    (void)ctx;
    ob_t *o;
    NTSTATUS s = ht_remove(ht_table(call->badge, 0), req->h, &o);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    if (o->type != OB_FILE || o->refs > 1 || !o->body) {
        ob_deref(o);
        return rep->status = STATUS_SUCCESS, NG_OK;
    }
    /* The last reference of a file object: answered once the file system has it closed (at
     * once when that needs no IRP; the reply is saved only when IRPs went out). */
    file_t *fo = o->body;
    op_t *op = io_op_new(OP_CLOSE, call->badge);
    o->body = NULL;
    ob_deref(o);
    rep->status = STATUS_SUCCESS;
    if (op) op->sync_status = &rep->status;
    start_close(fo, op);
    if (!op || !op->used) return NG_OK;
    op->sync_status = NULL;
    int deferred = io_op_save(op, call);
    io_drain();
    return deferred ? NG_DEFERRED : NG_OK;
}

/* ---- NtShutdownSystem --------------------------------------------------------------------- */

static void shutdown_run(op_t *op)
{
    if (op->outstanding) return;
    if (op->step == 0 && op->rounds <= MAX_ROUNDS && NT_SUCCESS(op->status)) {
        uint32_t issued = 0;
        for (int i = 0; i < IO_MAX_FCBS; i++)
            if (fcbs[i].used && !fcbs[i].dismounted && !fcbs[i].delete_pending && cc_map_dirty(&fcbs[i].map))
                issued += file_write_back(op, &fcbs[i]);
        if (issued) return;
        op->step = 1;
        for (uint32_t i = 0; i < IO_MAX_DEVICES; i++) {
            device_t *d = io_device_at(i);
            if (!d || !d->real || !d->driver) continue;
            irp_t *irp = io_irp_new(op, io_top(d), NTDRV_IRP_MJ_SHUTDOWN, NULL);
            if (irp) io_irp_send(irp, NULL, 0);
        }
        if (op->outstanding) return;
    }
    ex.shutdown = 1;
    printf("ntexec: shutdown: cached data written back, file systems told\n");
    ntexec_shutdown_system_rep_t rep = { .status = op->status };
    if (op->has_reply) (void)ntexec_shutdown_system_reply(&ex.srv, op->reply, NG_OK, &rep);
    io_op_free(op);
}

static int f_shutdown_system(void *ctx, ng_call_t *call, ntexec_shutdown_system_rep_t *rep)
{
    (void)ctx;
    op_t *op = op_for(OP_SHUTDOWN, call, NULL, shutdown_run);
    if (!op) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    io_op_run(op);
    io_drain();
    return NG_DEFERRED;
}

const ntexec_ops_t *file_ntexec_ops(ntexec_ops_t *ops)
{
    ops->create_file = f_create_file;
    ops->open_file = f_open_file;
    ops->read_file = f_read_file;
    ops->write_file = f_write_file;
    ops->query_directory_file = f_query_directory_file;
    ops->query_basic_information = f_query_basic_information;
    ops->query_standard_information = f_query_standard_information;
    ops->query_position = f_query_position;
    ops->set_information_file = f_set_information_file;
    ops->flush_buffers_file = f_flush_buffers_file;
    ops->fs_control_file = f_fs_control_file;
    ops->device_io_control_file = f_device_io_control_file;
    ops->close = f_close;
    ops->shutdown_system = f_shutdown_system;
    return ops;
}
