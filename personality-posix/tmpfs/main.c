/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs: an in-memory file system serving `fs` (idl/fs.idl) at /tmp, registered with the pathname
 * manager (it must `use` pathreg). Files and directories live in tree.c's fixed node array and
 * block pool (1 MiB by default: full means no_space). Clients reach it through the cap pathmgr
 * hands out and open a run-time connection on it; handles are per connection (the resource-
 * manager library's table, keyed by badge), so a client can neither use nor guess another's.
 * The public cap itself touches no file (NG_EDENIED). With `serves: ["faultinj"]` (a test's
 * interface) a `crash` message makes it fault, to show restart and re-registration.
 * The system must name it `tmpfs`.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include <resmgr/register.h>
#include <resmgr/resmgr.h>

#include "tree.h"

#define MAX_FILES 32
#define PUBLIC_BADGE RESMGR_PUBLIC_BADGE(TMPFS_DYNAMIC_BADGE_BASE)
#define PUBLIC_SLOT TMPFS_SLOT_FREE_FIRST

static tmpfs_t fs;
static resmgr_file_t files[MAX_FILES];
static resmgr_table_t table;
static ng_server_t srv;
static uint8_t io[FS_MAX_IO];

static int fs_err(int e)
{
    switch (e) {
    case TMPFS_OK: return NG_OK;
    case TMPFS_NOT_FOUND: case TMPFS_INVALID: return FS_ERR_NOT_FOUND;
    case TMPFS_EXISTS: return FS_ERR_EXISTS;
    case TMPFS_NOT_DIR: return FS_ERR_NOT_DIR;
    case TMPFS_IS_DIR: return FS_ERR_IS_DIR;
    case TMPFS_NOT_EMPTY: return FS_ERR_NOT_EMPTY;
    default: return FS_ERR_NO_SPACE;
    }
}

/* Whether a connection badge is still open (the table drops files of closed ones when full). */
/* Decode a request's path: normalised, relative to /tmp. */
static int path_of(ng_str_t s, char *out)
{
    return resmgr_path_normalise(s.ptr, s.len, 0, out, RESMGR_PATH_MAX + 1) == 0 ? NG_OK : FS_ERR_NOT_FOUND;
}

static resmgr_file_t *file_of(ng_call_t *call, uint32_t h)
{
    return resmgr_file_get(&table, call->badge, h);
}

static int tf_open(void *ctx, ng_call_t *call, const fs_open_req_t *req, fs_open_rep_t *rep)
{
    (void)ctx;
    char path[RESMGR_PATH_MAX + 1];
    tmpfs_node_t *n;
    uint32_t f = req->flags;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    int err = path_of(req->path, path);
    if (err) return err;
    int e = tmpfs_lookup(&fs, path, &n);
    if (e == TMPFS_OK && (f & FS_OPEN_CREATE) && (f & FS_OPEN_EXCLUSIVE)) return FS_ERR_EXISTS;
    if (e == TMPFS_NOT_FOUND && (f & FS_OPEN_CREATE) && !(f & FS_OPEN_DIRECTORY)) e = tmpfs_create(&fs, path, 0, &n);
    if (e) return fs_err(e);
    if ((f & FS_OPEN_DIRECTORY) && !n->dir) return FS_ERR_NOT_DIR;
    if (n->dir && (f & (FS_OPEN_WRITE | FS_OPEN_TRUNCATE))) return FS_ERR_IS_DIR;
    resmgr_file_t *h = resmgr_file_open(&table, call->badge, f, n);
    if (!h) return FS_ERR_NO_SPACE;
    if ((f & FS_OPEN_TRUNCATE) && (f & FS_OPEN_WRITE)) tmpfs_truncate(&fs, n, 0);
    rep->h = h->handle;
    return NG_OK;
}

static int tf_read(void *ctx, ng_call_t *call, const fs_read_req_t *req, fs_read_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *h = file_of(call, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    tmpfs_node_t *n = h->obj;
    if (n->dir) return FS_ERR_IS_DIR;
    if (!(h->flags & FS_OPEN_READ)) return FS_ERR_ACCESS;
    size_t len = req->len < FS_MAX_IO ? req->len : FS_MAX_IO, done;
    /* Read straight into the client's shared buffer, where the reply's bytes go. */
    uint8_t *to = call->msg && call->msg->shm && call->msg->shm_size >= len ? call->msg->shm : io;
    tmpfs_read(&fs, n, req->offset, to, len, &done);
    rep->data = ng_bytes(to, done);
    return NG_OK;
}

static int tf_write(void *ctx, ng_call_t *call, const fs_write_req_t *req, fs_write_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *h = file_of(call, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    tmpfs_node_t *n = h->obj;
    if (n->dir) return FS_ERR_IS_DIR;
    if (!(h->flags & FS_OPEN_WRITE)) return FS_ERR_ACCESS;
    size_t done;
    int e = tmpfs_write(&fs, n, req->offset, req->data.ptr, req->data.len, &done);
    rep->written = (uint32_t)done;
    return e && done == 0 ? fs_err(e) : NG_OK;
}

static int tf_close(void *ctx, ng_call_t *call, const fs_close_req_t *req)
{
    (void)ctx;
    resmgr_file_t *h = file_of(call, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    resmgr_file_close(h);
    return NG_OK;
}

static void fill_stat(const tmpfs_node_t *n, fs_stat_t *st)
{
    memset(st, 0, sizeof *st);
    st->size = n->dir ? 0 : n->size;
    st->blocks = (uint64_t)n->nblocks * (TMPFS_BLOCK / 512);
    st->mode = n->dir ? 0755 : 0644;
    st->nlink = 1;
    st->type = n->dir ? FS_FILE_TYPE_DIRECTORY : FS_FILE_TYPE_REGULAR;
}

static int tf_stat(void *ctx, ng_call_t *call, const fs_stat_req_t *req, fs_stat_rep_t *rep)
{
    (void)ctx;
    char path[RESMGR_PATH_MAX + 1];
    tmpfs_node_t *n;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    int err = path_of(req->path, path);
    if (err) return err;
    int e = tmpfs_lookup(&fs, path, &n);
    if (e) return fs_err(e);
    fill_stat(n, &rep->st);
    return NG_OK;
}

static int tf_fstat(void *ctx, ng_call_t *call, const fs_fstat_req_t *req, fs_fstat_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *h = file_of(call, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    fill_stat(h->obj, &rep->st);
    return NG_OK;
}

static int tf_readdir(void *ctx, ng_call_t *call, const fs_readdir_req_t *req, fs_readdir_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *h = file_of(call, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    tmpfs_node_t *d = h->obj;
    if (!d->dir) return FS_ERR_NOT_DIR;
    memset(rep, 0, sizeof *rep);
    for (unsigned i = 0; i < FS_DIRENT_BATCH; i++) {
        rep->entries[i].type = FS_FILE_TYPE_REGULAR; /* a valid enum even unused */
        tmpfs_node_t *c = tmpfs_child(&fs, d, req->index + i);
        if (!c) continue;
        fs_dirent_t *e = &rep->entries[rep->count++];
        strcpy(e->name, c->name);
        e->type = c->dir ? FS_FILE_TYPE_DIRECTORY : FS_FILE_TYPE_REGULAR;
        e->size = c->dir ? 0 : c->size;
    }
    return NG_OK;
}

static int tf_mkdir(void *ctx, ng_call_t *call, const fs_mkdir_req_t *req)
{
    (void)ctx;
    char path[RESMGR_PATH_MAX + 1];
    tmpfs_node_t *n;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    int err = path_of(req->path, path);
    return err ? err : fs_err(tmpfs_create(&fs, path, 1, &n));
}

static void close_file(resmgr_file_t *f, void *ctx)
{
    (void)ctx;
    resmgr_file_close(f);
}

static int tf_unlink(void *ctx, ng_call_t *call, const fs_unlink_req_t *req)
{
    (void)ctx;
    char path[RESMGR_PATH_MAX + 1];
    tmpfs_node_t *n;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    int err = path_of(req->path, path);
    if (err) return err;
    int e = tmpfs_lookup(&fs, path, &n);
    if (e == TMPFS_OK) e = tmpfs_remove(&fs, n);
    /* Handles on a removed node close with it (its node may be reused). */
    if (e == TMPFS_OK) resmgr_each_of(&table, n, close_file, NULL);
    return fs_err(e);
}

static int tf_rename(void *ctx, ng_call_t *call, const fs_rename_req_t *req)
{
    (void)ctx;
    char from[RESMGR_PATH_MAX + 1], to[RESMGR_PATH_MAX + 1];
    tmpfs_node_t *moved, *replaced;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    int err = path_of(req->from, from);
    if (!err) err = path_of(req->to, to);
    if (err) return err;
    int e = tmpfs_rename(&fs, from, to, &moved, &replaced);
    if (e == TMPFS_OK && replaced) resmgr_each_of(&table, replaced, close_file, NULL);
    return fs_err(e);
}

static int tf_truncate(void *ctx, ng_call_t *call, const fs_truncate_req_t *req)
{
    (void)ctx;
    resmgr_file_t *h = file_of(call, req->h);
    if (!h) return FS_ERR_BAD_HANDLE;
    if (((tmpfs_node_t *)h->obj)->dir) return FS_ERR_IS_DIR;
    if (!(h->flags & FS_OPEN_WRITE)) return FS_ERR_ACCESS;
    return fs_err(tmpfs_truncate(&fs, h->obj, req->size));
}

static int tf_sync(void *ctx, ng_call_t *call)
{
    (void)ctx;
    (void)call;
    return NG_OK;
}

static int tf_unmount(void *ctx, ng_call_t *call)
{
    (void)ctx;
    (void)call;
    return NG_OK; /* nothing to write back; memory stays */
}

static int tf_cache_stats(void *ctx, ng_call_t *call, fs_cache_stats_rep_t *rep)
{
    (void)ctx;
    (void)call;
    memset(&rep->st, 0, sizeof rep->st);
    return NG_OK;
}

static const fs_ops_t fs_ops = {
    .open = tf_open, .read = tf_read, .write = tf_write, .close = tf_close, .stat = tf_stat, .fstat = tf_fstat,
    .readdir = tf_readdir, .mkdir = tf_mkdir, .unlink = tf_unlink, .rename = tf_rename, .truncate = tf_truncate,
    .sync = tf_sync, .unmount = tf_unmount, .cache_stats = tf_cache_stats,
};

#ifdef FAULTINJ_CRASH_LABEL
/* A test's fault injection: a real vm fault, handled by the root server's restart policy. */
__attribute__((no_sanitize("null"))) static void tf_crash(void *ctx, ng_call_t *call)
{
    (void)ctx;
    (void)call;
    printf("tmpfs: crashing on request (%u files open)\n", resmgr_open_count(&table));
    *(volatile int *)0 = 1;
}
static const faultinj_ops_t faultinj_ops = { .crash = tf_crash };
#endif

/* Filled in main: which interfaces tmpfs serves depends on the system (faultinj or not). */
static tmpfs_server_ops_t ops;

int main(void)
{
    pathreg_client_t reg = tmpfs_use_pathreg();
    uint32_t id = 0;
    ops.fs = &fs_ops;
#ifdef FAULTINJ_CRASH_LABEL
    ops.faultinj = &faultinj_ops;
#endif
    tmpfs_init(&fs);
    tmpfs_server_init(&srv);
    int err = resmgr_register_begin(&reg, TMPFS_CAP_EP_MINT, PUBLIC_SLOT, PUBLIC_BADGE);
    if (err == NG_OK) err = resmgr_register(&reg, PUBLIC_SLOT, "/tmp", PATHMGR_PREFIX_KIND_DIRECTORY, &id);
    if (err != NG_OK) {
        printf("tmpfs: cannot register /tmp (%d)\n", err);
        return 1;
    }
    /* Handles of this instance start from its registration id: a restarted tmpfs (a new id)
     * never hands out a handle its previous instance gave. */
    resmgr_table_init(&table, files, MAX_FILES, id << 12, tmpfs_conn_live, NULL);
    printf("tmpfs: serving /tmp (registration %u, %u KiB)\n", (unsigned)id, (unsigned)(TMPFS_BLOCKS * TMPFS_BLOCK / 1024));
    tmpfs_serve(&srv, &ops, NULL);
    return 0;
}
