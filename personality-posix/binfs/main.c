/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * binfs: /bin of the POSIX personality, serving `fs` (idl/fs.idl): one read-only file per
 * program of the system (what posix_spawn("/bin/<name>") starts), its contents the program's
 * executable. Names, sizes and bytes come from the root server's process service
 * (root.programs, root.program_read: its boot archive), so nothing is copied at build time.
 * Registered with the pathname manager like tmpfs; handles are per connection. The system must
 * name it `binfs`.
 */
#include <stdio.h>
#include <string.h>

#include "root_client_gen.h"
#include "server_gen.h"
#include <resmgr/register.h>
#include <resmgr/resmgr.h>

#define MAX_FILES 32
#define MAX_PROGRAMS 64
#define PUBLIC_BADGE RESMGR_PUBLIC_BADGE(BINFS_DYNAMIC_BADGE_BASE)
#define PUBLIC_SLOT BINFS_SLOT_FREE_FIRST

static struct {
    char name[ROOT_MAX_NAME + 1];
    uint64_t bytes;
} progs[MAX_PROGRAMS];
static unsigned nprogs;
static int root_obj; /* the directory's object in the file table */
static resmgr_file_t files[MAX_FILES];
static resmgr_table_t table;
static ng_server_t srv;
static root_client_t root;
static uint8_t io[FS_MAX_IO];

/* The program a path below /bin names (-1: the directory itself); an fs error. */
static int lookup(ng_str_t s, int *which)
{
    char path[RESMGR_PATH_MAX + 1];
    if (resmgr_path_normalise(s.ptr, s.len, 0, path, sizeof path) != 0) return FS_ERR_NOT_FOUND;
    if (path[0] == '\0') {
        *which = -1;
        return NG_OK;
    }
    for (unsigned i = 0; i < nprogs; i++)
        if (strcmp(path, progs[i].name) == 0) {
            *which = (int)i;
            return NG_OK;
        }
    for (unsigned i = 0; i < nprogs; i++) {
        size_t n = strlen(progs[i].name);
        if (strncmp(path, progs[i].name, n) == 0 && path[n] == '/') return FS_ERR_NOT_DIR;
    }
    return FS_ERR_NOT_FOUND;
}

static void fill_stat(int which, fs_stat_t *st)
{
    memset(st, 0, sizeof *st);
    st->nlink = 1;
    if (which < 0) {
        st->mode = 0555;
        st->type = FS_FILE_TYPE_DIRECTORY;
        return;
    }
    st->mode = 0555;
    st->type = FS_FILE_TYPE_REGULAR;
    st->size = progs[which].bytes;
    st->blocks = (progs[which].bytes + 511) / 512;
}

static int which_of(const resmgr_file_t *f)
{
    return f->obj == &root_obj ? -1 : (int)(f->aux);
}

static int b_open(void *ctx, ng_call_t *call, const fs_open_req_t *req, fs_open_rep_t *rep)
{
    (void)ctx;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    int which;
    int err = lookup(req->path, &which);
    if (err) return err == FS_ERR_NOT_FOUND && (req->flags & FS_OPEN_CREATE) ? FS_ERR_READ_ONLY : err;
    if (req->flags & (FS_OPEN_WRITE | FS_OPEN_TRUNCATE)) return which < 0 ? FS_ERR_IS_DIR : FS_ERR_READ_ONLY;
    if ((req->flags & FS_OPEN_CREATE) && (req->flags & FS_OPEN_EXCLUSIVE)) return FS_ERR_EXISTS;
    if ((req->flags & FS_OPEN_DIRECTORY) && which >= 0) return FS_ERR_NOT_DIR;
    resmgr_file_t *f = resmgr_file_open(&table, call->badge, req->flags, which < 0 ? (void *)&root_obj : (void *)progs);
    if (!f) return FS_ERR_NO_SPACE;
    f->aux = which < 0 ? 0 : (uint64_t)which;
    rep->h = f->handle;
    return NG_OK;
}

static int b_read(void *ctx, ng_call_t *call, const fs_read_req_t *req, fs_read_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    int which = which_of(f);
    if (which < 0) return FS_ERR_IS_DIR;
    if (!(f->flags & FS_OPEN_READ)) return FS_ERR_ACCESS;
    size_t len = req->len < FS_MAX_IO ? req->len : FS_MAX_IO, done = 0;
    uint8_t *to = call->msg && call->msg->shm && call->msg->shm_size >= len ? call->msg->shm : io;
    /* The root server hands out ROOT_PROGRAM_CHUNK bytes a call. */
    while (done < len) {
        ng_bytes_t got;
        if (root_program_read(&root, ng_str(progs[which].name), req->offset + done, &got) != NG_OK) return FS_ERR_IO_ERROR;
        if (got.len == 0) break;
        size_t n = got.len < len - done ? got.len : len - done;
        memcpy(to + done, got.ptr, n);
        done += n;
    }
    rep->data = ng_bytes(to, done);
    return NG_OK;
}

static int b_write(void *ctx, ng_call_t *call, const fs_write_req_t *req, fs_write_rep_t *rep)
{
    (void)ctx;
    (void)rep;
    return resmgr_file_get(&table, call->badge, req->h) ? FS_ERR_READ_ONLY : FS_ERR_BAD_HANDLE;
}

static int b_close(void *ctx, ng_call_t *call, const fs_close_req_t *req)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    resmgr_file_close(f);
    return NG_OK;
}

static int b_stat(void *ctx, ng_call_t *call, const fs_stat_req_t *req, fs_stat_rep_t *rep)
{
    (void)ctx;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    int which;
    int err = lookup(req->path, &which);
    if (err) return err;
    fill_stat(which, &rep->st);
    return NG_OK;
}

static int b_fstat(void *ctx, ng_call_t *call, const fs_fstat_req_t *req, fs_fstat_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    fill_stat(which_of(f), &rep->st);
    return NG_OK;
}

static int b_readdir(void *ctx, ng_call_t *call, const fs_readdir_req_t *req, fs_readdir_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    if (which_of(f) >= 0) return FS_ERR_NOT_DIR;
    memset(rep, 0, sizeof *rep);
    /* Unused entries travel too: their type must still be one the decoder accepts. */
    for (unsigned i = 0; i < FS_DIRENT_BATCH; i++) rep->entries[i].type = FS_FILE_TYPE_REGULAR;
    for (unsigned i = 0; i < FS_DIRENT_BATCH && req->index + i < nprogs; i++) {
        fs_dirent_t *e = &rep->entries[rep->count++];
        snprintf(e->name, sizeof e->name, "%s", progs[req->index + i].name);
        e->type = FS_FILE_TYPE_REGULAR;
        e->size = progs[req->index + i].bytes;
    }
    return NG_OK;
}

static int b_mkdir(void *ctx, ng_call_t *call, const fs_mkdir_req_t *req)
{
    (void)ctx;
    (void)call;
    int which;
    return lookup(req->path, &which) == NG_OK ? FS_ERR_EXISTS : FS_ERR_READ_ONLY;
}

static int b_unlink(void *ctx, ng_call_t *call, const fs_unlink_req_t *req)
{
    (void)ctx;
    (void)call;
    int which;
    int err = lookup(req->path, &which);
    return err ? err : FS_ERR_READ_ONLY;
}

static int b_rename(void *ctx, ng_call_t *call, const fs_rename_req_t *req)
{
    (void)ctx;
    (void)call;
    int which;
    int err = lookup(req->from, &which);
    return err ? err : FS_ERR_READ_ONLY;
}

static int b_truncate(void *ctx, ng_call_t *call, const fs_truncate_req_t *req)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return FS_ERR_BAD_HANDLE;
    return which_of(f) < 0 ? FS_ERR_IS_DIR : FS_ERR_READ_ONLY;
}

static int b_sync(void *ctx, ng_call_t *call)
{
    (void)ctx;
    (void)call;
    return NG_OK;
}

static int b_cache_stats(void *ctx, ng_call_t *call, fs_cache_stats_rep_t *rep)
{
    (void)ctx;
    (void)call;
    memset(&rep->st, 0, sizeof rep->st);
    return NG_OK;
}

static const fs_ops_t fs_ops = {
    .open = b_open, .read = b_read, .write = b_write, .close = b_close, .stat = b_stat, .fstat = b_fstat,
    .readdir = b_readdir, .mkdir = b_mkdir, .unlink = b_unlink, .rename = b_rename, .truncate = b_truncate,
    .sync = b_sync, .unmount = b_sync, .cache_stats = b_cache_stats,
};
static const binfs_server_ops_t ops = {.fs = &fs_ops};

int main(void)
{
    pathreg_client_t reg = binfs_use_pathreg();
    root = (root_client_t){BINFS_CAP_ROOT, NULL, 0};
    bool more = true;
    for (uint32_t i = 0; more && nprogs < MAX_PROGRAMS; i++) {
        ng_str_t name;
        uint64_t bytes;
        if (root_programs(&root, i, &name, &bytes, &more) != NG_OK) break;
        snprintf(progs[nprogs].name, sizeof progs[nprogs].name, "%.*s", (int)name.len, name.ptr);
        progs[nprogs++].bytes = bytes;
    }
    binfs_server_init(&srv);
    uint32_t id = 0;
    int err = resmgr_register_begin(&reg, BINFS_CAP_EP_MINT, PUBLIC_SLOT, PUBLIC_BADGE);
    if (err == NG_OK) err = resmgr_register(&reg, PUBLIC_SLOT, "/bin", PATHMGR_PREFIX_KIND_DIRECTORY, &id);
    if (err != NG_OK) {
        printf("binfs: cannot register /bin (%d)\n", err);
        return 1;
    }
    resmgr_table_init(&table, files, MAX_FILES, id << 12, binfs_conn_live, NULL);
    printf("binfs: serving /bin: %u programs (registration %u)\n", nprogs, (unsigned)id);
    binfs_serve(&srv, &ops, NULL);
    return 0;
}
