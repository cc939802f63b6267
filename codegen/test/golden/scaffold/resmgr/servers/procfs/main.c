/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The procfs resource manager: serves `fs` (idl/fs.idl) at /procfs, registered with the
 * pathname manager (personality-posix/README.md). It starts as one read-only file, `hello`; grow
 * it by filling in the handlers. The resource-manager library (personality-posix/lib/resmgr)
 * keeps the open files per client connection: resmgr_file_get() finds only the caller's own.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include <resmgr/register.h>
#include <resmgr/resmgr.h>

#define MAX_FILES 16
#define PUBLIC_BADGE RESMGR_PUBLIC_BADGE(PROCFS_DYNAMIC_BADGE_BASE)
#define PUBLIC_SLOT PROCFS_SLOT_FREE_FIRST

static const char hello[] = "hello from /procfs\n";
static int root_obj, hello_obj; /* what an open file names */

static resmgr_file_t files[MAX_FILES];
static resmgr_table_t table;
static ng_server_t srv;

/* The object a request's path names, or NULL. */
static void *lookup(ng_str_t s)
{
    char path[RESMGR_PATH_MAX + 1];
    if (resmgr_path_normalise(s.ptr, s.len, 0, path, sizeof path) != 0) return NULL;
    if (strcmp(path, "") == 0) return &root_obj;
    if (strcmp(path, "hello") == 0) return &hello_obj;
    return NULL;
}

static int procfs_open(void *ctx, ng_call_t *call, const fs_open_req_t *req, fs_open_rep_t *rep)
{
    (void)ctx;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED; /* connect first */
    void *obj = lookup(req->path);
    if (!obj) return FS_ERR_NOT_FOUND;
    if (req->flags & (FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_TRUNCATE)) return FS_ERR_READ_ONLY;
    resmgr_file_t *f = resmgr_file_open(&table, call->badge, req->flags, obj);
    if (!f) return FS_ERR_NO_SPACE;
    rep->h = f->handle;
    return NG_OK;
}

static int procfs_read(void *ctx, ng_call_t *call, const fs_read_req_t *req, fs_read_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    if (f->obj != &hello_obj) return FS_ERR_IS_DIR;
    size_t n = sizeof hello - 1, off = req->offset < n ? (size_t)req->offset : n;
    size_t len = req->len < n - off ? req->len : n - off;
    rep->data = ng_bytes((const uint8_t *)hello + off, len);
    return NG_OK;
}

static int procfs_close(void *ctx, ng_call_t *call, const fs_close_req_t *req)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    resmgr_file_close(f);
    return NG_OK;
}

static void fill_stat(const void *obj, fs_stat_t *st)
{
    memset(st, 0, sizeof *st);
    st->size = obj == &hello_obj ? sizeof hello - 1 : 0;
    st->mode = obj == &hello_obj ? 0444 : 0555;
    st->nlink = 1;
    st->type = obj == &hello_obj ? FS_FILE_TYPE_REGULAR : FS_FILE_TYPE_DIRECTORY;
}

static int procfs_stat(void *ctx, ng_call_t *call, const fs_stat_req_t *req, fs_stat_rep_t *rep)
{
    (void)ctx;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    void *obj = lookup(req->path);
    if (!obj) return FS_ERR_NOT_FOUND;
    fill_stat(obj, &rep->st);
    return NG_OK;
}

static int procfs_fstat(void *ctx, ng_call_t *call, const fs_fstat_req_t *req, fs_fstat_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    fill_stat(f->obj, &rep->st);
    return NG_OK;
}

static int procfs_readdir(void *ctx, ng_call_t *call, const fs_readdir_req_t *req, fs_readdir_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    if (f->obj != &root_obj) return FS_ERR_NOT_DIR;
    memset(rep, 0, sizeof *rep);
    for (unsigned i = 0; i < FS_DIRENT_BATCH; i++) rep->entries[i].type = FS_FILE_TYPE_REGULAR;
    if (req->index == 0) {
        strcpy(rep->entries[0].name, "hello");
        rep->entries[0].size = sizeof hello - 1;
        rep->count = 1;
    }
    return NG_OK;
}

/* NULL handlers answer NG_ENOSYS: fill them in as the file system grows. */
static const fs_ops_t fs_ops = {
    .open = procfs_open, .read = procfs_read, .write = NULL, .close = procfs_close,
    .stat = procfs_stat, .fstat = procfs_fstat, .readdir = procfs_readdir, .mkdir = NULL,
    .unlink = NULL, .rename = NULL, .truncate = NULL, .sync = NULL, .unmount = NULL, .cache_stats = NULL,
};

static const procfs_server_ops_t ops = { .fs = &fs_ops };

int main(void)
{
    pathreg_client_t reg = procfs_use_pathreg();
    uint32_t id = 0;
    procfs_server_init(&srv);
    /* Drop what an earlier instance registered (a restart), then register /procfs. */
    int err = resmgr_register_begin(&reg, PROCFS_CAP_EP_MINT, PUBLIC_SLOT, PUBLIC_BADGE);
    if (err == NG_OK) err = resmgr_register(&reg, PUBLIC_SLOT, "/procfs", PATHMGR_PREFIX_KIND_DIRECTORY, &id);
    if (err != NG_OK) {
        printf("procfs: cannot register /procfs (%d)\n", err);
        return 1;
    }
    resmgr_table_init(&table, files, MAX_FILES, id << 12, procfs_conn_live, NULL); /* files of closed connections make room */
    printf("procfs: serving /procfs\n");
    procfs_serve(&srv, &ops, NULL);
    return 0;
}
