/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FAT file-system server: serves `fs` (idl/fs.idl) over a FAT12/16/32 volume on the block
 * device it `uses` (idl/blockdev.idl), through the FAT library (lib/fat) and a block cache
 * (lib/bcache) inside this process. The system must name it `fat`; with `uses: ["timer"]` the
 * timestamps it writes come from the timer server (timer.idl counts from boot, so they are
 * FAT_SERVER_EPOCH plus the time since boot), otherwise FAT_SERVER_EPOCH.
 *
 * The cache is a library here rather than a server of its own: every file-system request that
 * hits it is then one round trip (client -> fat) instead of two, the cached data never crosses
 * an address space, and the FAT library's ordering (sync after frees and renames) reaches the
 * cache as plain calls. A server of its own would only pay off if several file systems shared
 * one disk's cache, which nothing here does.
 *
 * Handles are per client (badge) and index a table of open files and directories; handles on one
 * file share its size and chain, follow it through renames and close when it is removed.
 * Requests are checked (handle, access mode, lengths) before anything touches the volume.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include "disk.h"

#ifndef FAT_SERVER_EPOCH
#define FAT_SERVER_EPOCH 1767225600 /* 2026-01-01 00:00:00 UTC */
#endif
/* The cache takes three quarters of the heap the system gives this server (heap: in system.ts). */
#define FAT_CACHE_BYTES (FAT_VADDR_HEAP_SIZE / 4 * 3)
#define MAX_HANDLES 32

typedef struct fat_handle {
    int used;
    ng_badge_t badge;
    uint32_t flags;
    int is_dir;
    int written;
    uint32_t next_index; /* readdir: index of the entry d stands before */
    fat_file_t file;
    fat_dir_t dir;
} fat_handle_t;

typedef struct fat_server {
    fat_disk_t disk;
    fat_volume_t vol;
    int mounted;
#ifdef FAT_CAP_TIMER
    timer_client_t timer;
#endif
    fat_handle_t handles[MAX_HANDLES];
    uint8_t io[FS_MAX_IO];
    ng_server_t srv;
} fat_server_t;

static fat_server_t S;

static int64_t clock_now(void *ctx)
{
    (void)ctx;
#ifdef FAT_CAP_TIMER
    uint64_t ns;
    if (timer_now(&S.timer, &ns) == NG_OK) return FAT_SERVER_EPOCH + (int64_t)(ns / 1000000000u);
#endif
    return FAT_SERVER_EPOCH;
}

static int fs_error(fat_err_t e)
{
    switch (e) {
    case FAT_OK: return NG_OK;
    case FAT_ENOENT: return FS_ERR_NOT_FOUND;
    case FAT_EEXIST: return FS_ERR_EXISTS;
    case FAT_ENOTDIR: return FS_ERR_NOT_DIR;
    case FAT_EISDIR: return FS_ERR_IS_DIR;
    case FAT_ENOTEMPTY: return FS_ERR_NOT_EMPTY;
    case FAT_ENOSPC: case FAT_EFBIG: return FS_ERR_NO_SPACE;
    case FAT_EROFS: return FS_ERR_READ_ONLY;
    case FAT_EINVAL: case FAT_ENAMETOOLONG: return FS_ERR_NOT_FOUND; /* no such name can exist */
    case FAT_EIO: case FAT_ECORRUPT: return FS_ERR_IO_ERROR;
    }
    return FS_ERR_IO_ERROR;
}

/* Mounts on first use (and again after unmount). */
static int volume(void)
{
    if (S.mounted) return NG_OK;
    bcache_invalidate(&S.disk.cache);
    fat_err_t e = fat_mount(&S.vol, &S.disk.dev, S.disk.info.read_only ? FAT_MOUNT_READ_ONLY : 0);
    if (e != FAT_OK) {
        printf("fat: mount failed: %s\n", fat_strerror(e));
        return FS_ERR_IO_ERROR;
    }
    fat_set_clock(&S.vol, clock_now, NULL);
    S.mounted = 1;
    fat_info_t i;
    fat_get_info(&S.vol, &i);
    printf("fat: mounted FAT%d: %u clusters of %u bytes%s\n", i.type, i.clusters, i.cluster_size,
           S.vol.read_only ? ", read-only" : "");
    return NG_OK;
}

/* A request's path as a NUL-terminated string (fs paths are bounded by MAX_PATH). */
static const char *path_of(ng_str_t s, char *buf)
{
    size_t n = s.len < FS_MAX_PATH ? s.len : FS_MAX_PATH;
    memcpy(buf, s.ptr, n);
    buf[n] = 0;
    return buf;
}

static int public_badge(const ng_call_t *call)
{
#ifdef FAT_CAP_PATHREG
    return call->badge == (ng_badge_t)FAT_DYNAMIC_BADGE_BASE;
#else
    (void)call;
    return 0;
#endif
}

static fat_handle_t *handle_of(ng_badge_t badge, uint32_t h)
{
    if (h == 0 || h > MAX_HANDLES) return NULL;
    fat_handle_t *x = &S.handles[h - 1];
    return x->used && x->badge == badge ? x : NULL;
}

/* Whether two nodes are the same directory entry. */
static int same_entry(const fat_node_t *a, const fat_node_t *b)
{
    return !a->is_root && !b->is_root && a->entry_sector == b->entry_sector && a->entry_offset == b->entry_offset;
}

/* After a write or truncate through `src`, other handles on the same file see its new size and
 * chain (each fat_file_t keeps its own copy of the entry). */
static void share_node(const fat_handle_t *src)
{
    for (unsigned i = 0; i < MAX_HANDLES; i++) {
        fat_handle_t *x = &S.handles[i];
        if (x == src || !x->used || x->is_dir || !same_entry(&x->file.node, &src->file.node)) continue;
        x->file.node = src->file.node;
        x->file.pos_cluster = 0;
    }
}

/* Handles on the entry at `old` follow a rename to `now`, or die with an unlink (now NULL): the
 * clusters they would reach are free. */
static void move_handles(const fat_node_t *old, const fat_node_t *now)
{
    for (unsigned i = 0; i < MAX_HANDLES; i++) {
        fat_handle_t *x = &S.handles[i];
        fat_node_t *n = x->is_dir ? &x->dir.node : &x->file.node;
        if (!x->used || !same_entry(n, old)) continue;
        if (!now) {
            x->used = 0;
            continue;
        }
        n->entry_sector = now->entry_sector;
        n->entry_offset = now->entry_offset;
        n->dir_first = now->dir_first;
        n->entry_index = now->entry_index;
        n->name_index = now->name_index;
    }
}

static void fill_stat(const fat_node_t *n, fs_stat_t *st)
{
    memset(st, 0, sizeof *st);
    int dir = (n->attr & FAT_ATTR_DIRECTORY) != 0;
    st->size = n->size;
    st->blocks = ((uint64_t)n->size + S.vol.cluster_size - 1) / S.vol.cluster_size * (S.vol.cluster_size / 512);
    st->mtime_ns = n->is_root ? 0 : (uint64_t)fat_time_to_unix(n->wdate, n->wtime) * 1000000000u;
    st->mode = dir ? 0755 : (n->attr & FAT_ATTR_READ_ONLY) ? 0444 : 0644;
    st->nlink = 1;
    st->type = dir ? FS_FILE_TYPE_DIRECTORY : FS_FILE_TYPE_REGULAR;
}

static int fs_open(void *ctx, ng_call_t *call, const fs_open_req_t *req, fs_open_rep_t *rep)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    char path[FS_MAX_PATH + 1];
    int err = volume();
    if (err) return err;
    fat_handle_t *h = NULL;
    for (unsigned i = 0; i < MAX_HANDLES && !h; i++)
        if (!S.handles[i].used) h = &S.handles[i];
    if (!h) return FS_ERR_NO_SPACE;
    memset(h, 0, sizeof *h);
    path_of(req->path, path);
    fat_err_t e;
    if (req->flags & FS_OPEN_DIRECTORY) {
        e = fat_opendir(&S.vol, path, &h->dir);
        h->is_dir = 1;
    } else {
        unsigned f = (req->flags & FS_OPEN_CREATE ? FAT_O_CREATE : 0) | (req->flags & FS_OPEN_EXCLUSIVE ? FAT_O_EXCL : 0) |
                     (req->flags & FS_OPEN_TRUNCATE ? FAT_O_TRUNC : 0);
        if ((f & (FAT_O_CREATE | FAT_O_TRUNC)) && !(req->flags & FS_OPEN_WRITE)) return FS_ERR_READ_ONLY;
        e = fat_open(&S.vol, path, f, &h->file);
        if (e == FAT_EISDIR && !(req->flags & FS_OPEN_WRITE)) {
            e = fat_opendir(&S.vol, path, &h->dir);
            h->is_dir = 1;
        }
    }
    if (e) return fs_error(e);
    h->used = 1;
    h->badge = call->badge;
    h->flags = req->flags;
    rep->h = (uint32_t)(h - S.handles) + 1;
    return NG_OK;
}

static int fs_read(void *ctx, ng_call_t *call, const fs_read_req_t *req, fs_read_rep_t *rep)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    fat_handle_t *h = handle_of(call->badge, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    if (h->is_dir) return FS_ERR_IS_DIR;
    if (!(h->flags & FS_OPEN_READ)) return FS_ERR_ACCESS;
    if (req->offset > UINT32_MAX) {
        rep->data = ng_bytes(S.io, 0);
        return NG_OK;
    }
    size_t len = req->len < FS_MAX_IO ? req->len : FS_MAX_IO, done;
    /* The reply's bytes go at the start of the client's shared buffer: read straight into it
     * (the encoder's move is then onto itself) rather than through a buffer of our own. */
    uint8_t *to = call->msg && call->msg->shm && call->msg->shm_size >= len ? call->msg->shm : S.io;
    fat_err_t e = fat_read(&S.vol, &h->file, (uint32_t)req->offset, to, len, &done);
    if (e) return fs_error(e);
    rep->data = ng_bytes(to, done);
    return NG_OK;
}

static int fs_write(void *ctx, ng_call_t *call, const fs_write_req_t *req, fs_write_rep_t *rep)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    fat_handle_t *h = handle_of(call->badge, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    if (h->is_dir) return FS_ERR_IS_DIR;
    if (!(h->flags & FS_OPEN_WRITE)) return FS_ERR_ACCESS;
    if (req->offset > UINT32_MAX) return FS_ERR_NO_SPACE;
    size_t done;
    fat_err_t e = fat_write(&S.vol, &h->file, (uint32_t)req->offset, req->data.ptr, req->data.len, &done);
    h->written = 1;
    share_node(h);
    rep->written = (uint32_t)done;
    return e && done == 0 ? fs_error(e) : NG_OK;
}

static int fs_close(void *ctx, ng_call_t *call, const fs_close_req_t *req)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    fat_handle_t *h = handle_of(call->badge, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    int written = h->written;
    h->used = 0;
    /* Data written through a handle is on the device when close returns. */
    return written ? fs_error(fat_sync(&S.vol)) : NG_OK;
}

static int fs_stat(void *ctx, ng_call_t *call, const fs_stat_req_t *req, fs_stat_rep_t *rep)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    (void)call;
    char path[FS_MAX_PATH + 1];
    int err = volume();
    if (err) return err;
    fat_node_t n;
    fat_err_t e = fat_lookup(&S.vol, path_of(req->path, path), &n);
    if (e) return fs_error(e);
    fill_stat(&n, &rep->st);
    return NG_OK;
}

static int fs_fstat(void *ctx, ng_call_t *call, const fs_fstat_req_t *req, fs_fstat_rep_t *rep)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    fat_handle_t *h = handle_of(call->badge, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    fill_stat(h->is_dir ? &h->dir.node : &h->file.node, &rep->st);
    return NG_OK;
}

static void copy_name(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n > FS_MAX_NAME) {
        n = FS_MAX_NAME;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--; /* whole UTF-8 characters */
    }
    memcpy(dst, src, n);
    dst[n] = 0;
}

static int fs_readdir(void *ctx, ng_call_t *call, const fs_readdir_req_t *req, fs_readdir_rep_t *rep)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    fat_handle_t *h = handle_of(call->badge, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    if (!h->is_dir) return FS_ERR_NOT_DIR;
    static fat_dirent_t ent;
    if (req->index < h->next_index) { /* a rewind: start over */
        fat_node_t node = h->dir.node;
        memset(&h->dir, 0, sizeof h->dir);
        h->dir.node = node;
        h->next_index = 0;
    }
    memset(rep, 0, sizeof *rep);
    for (unsigned i = 0; i < FS_DIRENT_BATCH; i++) rep->entries[i].type = FS_FILE_TYPE_REGULAR; /* a valid enum even unused */
    fat_err_t e = FAT_OK;
    while (rep->count < FS_DIRENT_BATCH) {
        if ((e = fat_readdir(&S.vol, &h->dir, &ent))) break;
        if (h->next_index++ < req->index) continue;
        fs_dirent_t *d = &rep->entries[rep->count++];
        copy_name(d->name, ent.name);
        d->type = ent.attr & FAT_ATTR_DIRECTORY ? FS_FILE_TYPE_DIRECTORY : FS_FILE_TYPE_REGULAR;
        d->size = ent.size;
    }
    return e == FAT_OK || e == FAT_ENOENT ? NG_OK : fs_error(e);
}

static int fs_mkdir(void *ctx, ng_call_t *call, const fs_mkdir_req_t *req)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    (void)call;
    char path[FS_MAX_PATH + 1];
    int err = volume();
    return err ? err : fs_error(fat_mkdir(&S.vol, path_of(req->path, path)));
}

static int fs_unlink(void *ctx, ng_call_t *call, const fs_unlink_req_t *req)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    (void)call;
    char path[FS_MAX_PATH + 1];
    int err = volume();
    if (err) return err;
    fat_node_t old;
    int known = fat_lookup(&S.vol, path_of(req->path, path), &old) == FAT_OK;
    fat_err_t e = fat_unlink(&S.vol, path);
    if (e == FAT_OK && known) move_handles(&old, NULL);
    return fs_error(e);
}

static int fs_rename(void *ctx, ng_call_t *call, const fs_rename_req_t *req)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    (void)call;
    char from[FS_MAX_PATH + 1], to[FS_MAX_PATH + 1];
    int err = volume();
    if (err) return err;
    fat_node_t old, now;
    int known = fat_lookup(&S.vol, path_of(req->from, from), &old) == FAT_OK;
    fat_err_t e = fat_rename(&S.vol, from, path_of(req->to, to));
    if (e == FAT_OK && known) move_handles(&old, fat_lookup(&S.vol, to, &now) == FAT_OK ? &now : NULL);
    return fs_error(e);
}

static int fs_truncate(void *ctx, ng_call_t *call, const fs_truncate_req_t *req)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    fat_handle_t *h = handle_of(call->badge, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    if (h->is_dir) return FS_ERR_IS_DIR;
    if (!(h->flags & FS_OPEN_WRITE)) return FS_ERR_ACCESS;
    if (req->size > UINT32_MAX) return FS_ERR_NO_SPACE;
    h->written = 1;
    fat_err_t e = fat_truncate(&S.vol, &h->file, (uint32_t)req->size);
    share_node(h);
    return fs_error(e);
}

static int fs_sync(void *ctx, ng_call_t *call)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    (void)call;
    return S.mounted ? fs_error(fat_sync(&S.vol)) : NG_OK;
}

static int fs_unmount(void *ctx, ng_call_t *call)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    (void)call;
    if (!S.mounted) return NG_OK;
    for (unsigned i = 0; i < MAX_HANDLES; i++) S.handles[i].used = 0;
    fat_err_t e = fat_unmount(&S.vol);
    S.mounted = 0;
    /* Cleanly unmounted, nothing is dirty: the cache is dropped, and the next mount reads the
     * medium afresh (a medium changed meanwhile is seen as it is). */
    if (e == FAT_OK) bcache_invalidate(&S.disk.cache);
    const bcache_stats_t *st = &S.disk.cache.stats;
    printf("fat: unmounted %s; cache: %llu hits, %llu misses, %llu read-ahead, %llu device reads, %llu device writes\n",
           e ? fat_strerror(e) : "clean", (unsigned long long)st->hits, (unsigned long long)st->misses,
           (unsigned long long)st->readahead_blocks, (unsigned long long)st->dev_reads, (unsigned long long)st->dev_writes);
    return fs_error(e);
}

static int fs_cache_stats(void *ctx, ng_call_t *call, fs_cache_stats_rep_t *rep)
{
    if (public_badge(call)) return NG_EDENIED;
    (void)ctx;
    (void)call;
    const bcache_stats_t *st = &S.disk.cache.stats;
    rep->st.hits = st->hits;
    rep->st.misses = st->misses;
    rep->st.readahead = st->readahead_blocks + st->prefetch_blocks;
    rep->st.device_calls = S.disk.calls;
    return NG_OK;
}

/* Registered at /disk with the pathname manager (a system where fat uses pathreg), clients
 * reach it through a public cap whose badge opens connections only: a request on that badge
 * itself would share one open-file table among every client, so it is refused. */
#ifdef FAT_CAP_PATHREG
#include <resmgr/register.h>
#define PUBLIC_BADGE RESMGR_PUBLIC_BADGE(FAT_DYNAMIC_BADGE_BASE)
#define PUBLIC_SLOT FAT_SLOT_FREE_FIRST

static int register_disk(void)
{
    pathreg_client_t reg = fat_use_pathreg();
    uint32_t id = 0;
    int err = resmgr_register_begin(&reg, FAT_CAP_EP_MINT, PUBLIC_SLOT, PUBLIC_BADGE);
    if (err == NG_OK) err = resmgr_register(&reg, PUBLIC_SLOT, "/disk", PATHMGR_PREFIX_KIND_DIRECTORY, &id);
    if (err == NG_OK) printf("fat: serving /disk (registration %u)\n", (unsigned)id);
    else printf("fat: cannot register /disk (%d)\n", err);
    return err;
}
#endif

static const fs_ops_t fs_ops = {
    .open = fs_open, .read = fs_read, .write = fs_write, .close = fs_close, .stat = fs_stat, .fstat = fs_fstat,
    .readdir = fs_readdir, .mkdir = fs_mkdir, .unlink = fs_unlink, .rename = fs_rename, .truncate = fs_truncate,
    .sync = fs_sync, .unmount = fs_unmount, .cache_stats = fs_cache_stats,
};

static const fat_server_ops_t ops = { .fs = &fs_ops };

int main(void)
{
#ifdef FAT_CAP_TIMER
    S.timer = fat_use_timer();
#endif
    if (fat_disk_init(&S.disk, fat_use_blockdev(), FAT_CACHE_BYTES)) return 1;
    volume(); /* a volume that does not mount now is tried again at each call */
#ifdef FAT_CAP_PATHREG
    if (register_disk() != NG_OK) return 1;
#endif
    printf("fat: serving fs\n");
    fat_server_init(&S.srv);
    fat_serve(&S.srv, &ops, &S);
    return 0;
}
