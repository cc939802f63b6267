/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * devfs: serves `fs` (idl/fs.idl) at /dev with three devices: `console` (writes go to the serial
 * driver it `uses`, in chunks of serial.MAX_CHUNK; reads return the bytes the driver has
 * buffered, or NG_EAGAIN when there are none — serial.read never blocks, and a blocking read is
 * not done yet), `null` (reads end at once, writes vanish)
 * and `zero` (reads give zeros). Registered with the pathname manager like tmpfs; handles are per
 * connection (the resource-manager library). The system must name it `devfs`.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include <resmgr/register.h>
#include <resmgr/resmgr.h>

#define MAX_FILES 32
#define PUBLIC_BADGE RESMGR_PUBLIC_BADGE(DEVFS_DYNAMIC_BADGE_BASE)
#define PUBLIC_SLOT DEVFS_SLOT_FREE_FIRST
#define RX_NTFN_SLOT (DEVFS_SLOT_FREE_FIRST + 1)

enum dev { DEV_ROOT, DEV_CONSOLE, DEV_NULL, DEV_ZERO, DEV_COUNT };
static const char *const names[DEV_COUNT] = { "", "console", "null", "zero" };
static int objs[DEV_COUNT]; /* a distinct address per device, for the file table */

static resmgr_file_t files[MAX_FILES];
static resmgr_table_t table;
static ng_server_t srv;
static serial_client_t serial;
static uint8_t io[FS_MAX_IO];

static int lookup(ng_str_t s, enum dev *d)
{
    char path[RESMGR_PATH_MAX + 1];
    if (resmgr_path_normalise(s.ptr, s.len, 0, path, sizeof path) != 0) return FS_ERR_NOT_FOUND;
    for (int i = 0; i < DEV_COUNT; i++) {
        if (strcmp(path, names[i]) == 0) {
            *d = (enum dev)i;
            return NG_OK;
        }
    }
    /* "console/x": a device is no directory; anything else does not exist. */
    const char *slash = strchr(path, '/');
    for (int i = 1; slash && i < DEV_COUNT; i++) {
        if (strlen(names[i]) == (size_t)(slash - path) && strncmp(path, names[i], (size_t)(slash - path)) == 0) return FS_ERR_NOT_DIR;
    }
    return FS_ERR_NOT_FOUND;
}

static enum dev dev_of(const resmgr_file_t *f)
{
    return (enum dev)((const int *)f->obj - objs);
}

static int df_open(void *ctx, ng_call_t *call, const fs_open_req_t *req, fs_open_rep_t *rep)
{
    (void)ctx;
    enum dev d;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    if ((req->flags & FS_OPEN_CREATE) && (req->flags & FS_OPEN_EXCLUSIVE) && lookup(req->path, &d) == NG_OK) return FS_ERR_EXISTS;
    int err = lookup(req->path, &d);
    if (err) return err; /* no new files here */
    if ((req->flags & FS_OPEN_DIRECTORY) && d != DEV_ROOT) return FS_ERR_NOT_DIR;
    if (d == DEV_ROOT && (req->flags & FS_OPEN_WRITE)) return FS_ERR_IS_DIR;
    resmgr_file_t *f = resmgr_file_open(&table, call->badge, req->flags, &objs[d]);
    if (!f) return FS_ERR_NO_SPACE;
    rep->h = f->handle;
    return NG_OK;
}

/* Console reads that wait for input (saved replies). When the serial driver signals that bytes
 * arrived (serial.rx_notify on our notification), each waiting read is answered NG_EAGAIN with
 * no data, and the client reads again at once (the C library layer does): nothing is written
 * into a waiting client's shared buffer, which is gone if the client was killed meanwhile (its
 * reply cap then is too, and the answer goes nowhere). */
#define CONSOLE_WAITERS 4
static struct {
    int used;
    ng_reply_t reply;
} waiting[CONSOLE_WAITERS];

/* Up to `len` typed bytes into `to`; their count, or -1 when the driver failed. */
static long console_take(uint8_t *to, size_t len)
{
    ng_bytes_t got = { NULL, 0 };
    int err = serial_read(&serial, (uint32_t)(len < SERIAL_MAX_CHUNK ? len : SERIAL_MAX_CHUNK), &got);
    if (err != NG_OK && err != SERIAL_ERR_OVERRUN) return -1;
    len = got.len <= len ? got.len : len;
    memmove(to, got.ptr, len);
    return (long)len;
}

/* Input arrived: wake the waiting reads. */
static void df_notify(void *ctx, ng_badge_t bits)
{
    (void)ctx;
    (void)bits;
    for (int i = 0; i < CONSOLE_WAITERS; i++) {
        if (!waiting[i].used) continue;
        waiting[i].used = 0;
        fs_read_reply(&srv, waiting[i].reply, NG_EAGAIN, NULL, NULL, 0);
    }
}

static int df_read(void *ctx, ng_call_t *call, const fs_read_req_t *req, fs_read_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    if (!(f->flags & FS_OPEN_READ)) return FS_ERR_ACCESS;
    size_t len = req->len < FS_MAX_IO ? req->len : FS_MAX_IO;
    uint8_t *to = call->msg && call->msg->shm && call->msg->shm_size >= len ? call->msg->shm : io;
    switch (dev_of(f)) {
    case DEV_ROOT: return FS_ERR_IS_DIR;
    case DEV_NULL: len = 0; break;
    case DEV_ZERO: memset(to, 0, len); break;
    case DEV_CONSOLE: {
        long n = console_take(to, len);
        if (n < 0) return FS_ERR_IO_ERROR;
        if (n == 0 && len > 0) {
            /* Nothing typed yet: opened OPEN_NONBLOCK, "try again" (a non-blocking tty's
             * EAGAIN, not 0 bytes: end of file); else wait for input. */
            if (f->flags & FS_OPEN_NONBLOCK) return NG_EAGAIN;
            for (int i = 0; i < CONSOLE_WAITERS; i++) {
                if (waiting[i].used) continue;
                int err = ng_reply_save(call->server, &waiting[i].reply);
                if (err != NG_OK) return err;
                waiting[i].used = 1;
                return NG_DEFERRED;
            }
            return NG_EAGAIN; /* more readers than we wait for */
        }
        len = (size_t)n;
        break;
    }
    default: return FS_ERR_IO_ERROR;
    }
    rep->data = ng_bytes(to, len);
    return NG_OK;
}

static int df_write(void *ctx, ng_call_t *call, const fs_write_req_t *req, fs_write_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    if (!(f->flags & FS_OPEN_WRITE)) return FS_ERR_ACCESS;
    switch (dev_of(f)) {
    case DEV_ROOT: return FS_ERR_IS_DIR;
    case DEV_CONSOLE: {
        size_t done = 0;
        while (done < req->data.len) {
            size_t k = req->data.len - done < SERIAL_MAX_CHUNK ? req->data.len - done : SERIAL_MAX_CHUNK;
            uint32_t w = 0;
            if (serial_write(&serial, ng_bytes(req->data.ptr + done, k), &w) != NG_OK) break;
            done += w;
            if (w == 0) break;
        }
        rep->written = (uint32_t)done;
        return done == 0 && req->data.len > 0 ? FS_ERR_IO_ERROR : NG_OK;
    }
    default: rep->written = (uint32_t)req->data.len; /* null and zero swallow writes */
    }
    return NG_OK;
}

static int df_close(void *ctx, ng_call_t *call, const fs_close_req_t *req)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    resmgr_file_close(f);
    return NG_OK;
}

static void fill_stat(enum dev d, fs_stat_t *st)
{
    memset(st, 0, sizeof *st);
    st->mode = d == DEV_ROOT ? 0755 : 0666;
    st->nlink = 1;
    st->type = d == DEV_ROOT ? FS_FILE_TYPE_DIRECTORY : FS_FILE_TYPE_DEVICE;
}

static int df_stat(void *ctx, ng_call_t *call, const fs_stat_req_t *req, fs_stat_rep_t *rep)
{
    (void)ctx;
    enum dev d;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    int err = lookup(req->path, &d);
    if (err) return err;
    fill_stat(d, &rep->st);
    return NG_OK;
}

static int df_fstat(void *ctx, ng_call_t *call, const fs_fstat_req_t *req, fs_fstat_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    fill_stat(dev_of(f), &rep->st);
    return NG_OK;
}

static int df_readdir(void *ctx, ng_call_t *call, const fs_readdir_req_t *req, fs_readdir_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    if (dev_of(f) != DEV_ROOT) return FS_ERR_NOT_DIR;
    memset(rep, 0, sizeof *rep);
    for (unsigned i = 0; i < FS_DIRENT_BATCH; i++) {
        rep->entries[i].type = FS_FILE_TYPE_REGULAR;
        uint32_t k = req->index + i + 1; /* entries after the root */
        if (k >= DEV_COUNT) continue;
        fs_dirent_t *e = &rep->entries[rep->count++];
        strcpy(e->name, names[k]);
        e->type = FS_FILE_TYPE_DEVICE;
    }
    return NG_OK;
}

/* No directories, removals or renames in /dev. */
static int df_mkdir(void *ctx, ng_call_t *call, const fs_mkdir_req_t *req)
{
    (void)ctx;
    (void)call;
    enum dev d;
    return lookup(req->path, &d) == NG_OK ? FS_ERR_EXISTS : FS_ERR_READ_ONLY;
}

static int df_unlink(void *ctx, ng_call_t *call, const fs_unlink_req_t *req)
{
    (void)ctx;
    (void)call;
    enum dev d;
    int err = lookup(req->path, &d);
    return err ? err : FS_ERR_READ_ONLY;
}

static int df_rename(void *ctx, ng_call_t *call, const fs_rename_req_t *req)
{
    (void)ctx;
    (void)call;
    enum dev d;
    int err = lookup(req->from, &d);
    return err ? err : FS_ERR_READ_ONLY;
}

static int df_truncate(void *ctx, ng_call_t *call, const fs_truncate_req_t *req)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    return dev_of(f) == DEV_ROOT ? FS_ERR_IS_DIR : NG_OK;
}

static int df_sync(void *ctx, ng_call_t *call)
{
    (void)ctx;
    (void)call;
    return NG_OK;
}

static int df_unmount(void *ctx, ng_call_t *call)
{
    (void)ctx;
    (void)call;
    return NG_OK;
}

static int df_cache_stats(void *ctx, ng_call_t *call, fs_cache_stats_rep_t *rep)
{
    (void)ctx;
    (void)call;
    memset(&rep->st, 0, sizeof rep->st);
    return NG_OK;
}

static const fs_ops_t fs_ops = {
    .open = df_open, .read = df_read, .write = df_write, .close = df_close, .stat = df_stat, .fstat = df_fstat,
    .readdir = df_readdir, .mkdir = df_mkdir, .unlink = df_unlink, .rename = df_rename, .truncate = df_truncate,
    .sync = df_sync, .unmount = df_unmount, .cache_stats = df_cache_stats,
};
static const devfs_server_ops_t ops = { .fs = &fs_ops, .notify = df_notify };

int main(void)
{
    pathreg_client_t reg = devfs_use_pathreg();
    uint32_t id = 0;
    serial = devfs_use_serial();
    /* The driver signals our notification when input arrives: waiting console reads go on. It
     * gets a copy badged with the notification mark (an unbadged signal would reach our loop
     * as badge 0, which is no notification). */
    if (ng_cap_mint(DEVFS_CAP_NTFN, RX_NTFN_SLOT, DEVFS_NTFN_BADGE_MARK | 1u) == NG_OK) serial_rx_notify(&serial, RX_NTFN_SLOT);
    else printf("devfs: cannot mint its notification: console reads will not wait for input\n");
    devfs_server_init(&srv);
    int err = resmgr_register_begin(&reg, DEVFS_CAP_EP_MINT, PUBLIC_SLOT, PUBLIC_BADGE);
    if (err == NG_OK) err = resmgr_register(&reg, PUBLIC_SLOT, "/dev", PATHMGR_PREFIX_KIND_DIRECTORY, &id);
    if (err != NG_OK) {
        printf("devfs: cannot register /dev (%d)\n", err);
        return 1;
    }
    resmgr_table_init(&table, files, MAX_FILES, id << 12, devfs_conn_live, NULL);
    printf("devfs: serving /dev: console, null, zero (registration %u)\n", (unsigned)id);
    devfs_serve(&srv, &ops, NULL);
    return 0;
}
