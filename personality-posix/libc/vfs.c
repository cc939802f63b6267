/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The POSIX layer's files: the mount table (file systems served over idl/fs.idl), the working
 * directory, open-file descriptions (a handle on a server, an offset, the open flags; shared
 * by descriptors that dup made) and the descriptor table, with the file calls of POSIX on top:
 * open, close, read, write, lseek, fstat/stat, getdents64, mkdir, unlink/rmdir, rename, dup,
 * dup3, getcwd, chdir, isatty. Descriptors 0-2 start as the console. Errors are -errno.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <neptune/posix.h>

#include "fs_client_gen.h"
#include "pathmgr_client_gen.h"
#include "pipe_client_gen.h"
#include "rootmem_client_gen.h"
#include "vfs.h"
#include "vfs_calls.h"

typedef enum { F_FREE = 0, F_CONSOLE, F_FILE, F_DIR, F_PIPE } kind_t;

typedef struct {
    kind_t kind;
    uint32_t refs;
    uint32_t mount;
    uint32_t h;          /* the server's handle */
    uint64_t off;        /* file offset, or the next directory index */
    int flags;           /* O_ACCMODE | O_APPEND */
    char path[NG_POSIX_PATH_MAX];
} file_t;

/* The environment variable a parent's posix_spawn leaves its child's descriptors in. */
#define FDS_VAR "NG_POSIX_FDS"


/* A mount as calls see it: the cap or connection they go through and its shared buffer. */
typedef struct {
    ng_cptr_t ep;
    uint8_t *shm;
    size_t shm_size;
    ng_cptr_t obj; /* the connection's shared-memory object (0: the layout's buffer) */
} path_t;

/* Mounts: the layout's (static) first, then the ones the pathname manager resolved, cached by
 * registration id so each manager is connected to once. */
#define MOUNTS 16
#define FREE_SLOTS 16

static struct {
    ng_posix_mount_t mounts[MOUNTS];
    char names[MOUNTS][NG_POSIX_PATH_MAX];
    uint32_t ids[MOUNTS]; /* pathmgr registration id; 0: from the layout */
    path_t via[MOUNTS];
    uint8_t ready[MOUNTS];
    uint32_t nstatic;
    ng_cptr_t root, recv, pathmgr, next_slot, slot_end;
    ng_cptr_t free_slots[FREE_SLOTS];
    uint32_t nfree;
    uint32_t nmounts;
    char cwd[NG_POSIX_PATH_MAX];
    file_t files[NG_POSIX_MAX_FILES];
    int fds[NG_POSIX_MAX_FDS]; /* index into files + 1; 0 = closed */
    uint8_t cloexec[NG_POSIX_MAX_FDS];
    int inherited; /* FDS_VAR read (at the first descriptor call: it may need IPC) */
} V;

static ssize_t (*console_write)(const void *buf, size_t len);

uint64_t ng_posix_round_trips;

uint64_t ng_posix_round_trips_made(void)
{
    return ng_posix_round_trips;
}

ng_cptr_t ng_vfs_slot_alloc(void)
{
    if (V.nfree > 0) return V.free_slots[--V.nfree];
    return V.next_slot < V.slot_end ? V.next_slot++ : 0;
}

/* Empties `slot` and keeps it for the next allocation. */
static void slot_free(ng_cptr_t slot)
{
    (void)ng_cap_delete(slot);
    if (V.nfree < FREE_SLOTS) V.free_slots[V.nfree++] = slot;
}

/* A run-time connection through `cap` (docs/idl.md, "Bulk data"): a shared buffer from this
 * process's quota, handed to the server, which answers with a connection cap of its own badge.
 * Every process talks to a file system through its own connection, so the cap it hands to a
 * child reaches none of its open files. */
static int connect_mount(ng_cptr_t cap, path_t *out)
{
    ng_cptr_t obj_slot = ng_vfs_slot_alloc(), conn_slot = ng_vfs_slot_alloc();
    if (V.root == 0 || obj_slot == 0 || conn_slot == 0) return NG_EBADMSG;
    rootmem_client_t root = {V.root, NULL, 0};
    ng_cptr_t obj = 0;
    uint64_t vaddr = 0, got = 0;
    ng_msg_t m;
    ng_recv_path_set(obj_slot);
    ng_posix_round_trips += 2; /* create, connect */
    size_t bytes = FS_SHM_BYTES > PIPE_SHM_BYTES ? FS_SHM_BYTES : PIPE_SHM_BYTES;
    int err = rootmem_create(&root, (uint32_t)((bytes + 4095u) / 4096u), &obj, &vaddr, &got);
    if (err == NG_OK) {
        ng_recv_path_set(conn_slot);
        ng_msg_start(&m, NG_LABEL_CONNECT);
        m.ncaps = 1;
        m.caps[0] = obj_slot;
        err = ng_call(cap, &m);
        if (err == NG_OK && m.label != NG_OK) err = ng_reply_error(&m);
        else if (err == NG_OK && (m.ncaps != 1 || m.caps[0] != conn_slot)) err = NG_EBADMSG;
        if (err != NG_OK) {
            (void)rootmem_destroy(&root, obj_slot);
            (void)ng_cap_delete(obj_slot);
            (void)ng_cap_delete(conn_slot);
        }
    }
    ng_recv_path_set(V.recv);
    if (err != NG_OK) return err;
    *out = (path_t){conn_slot, (uint8_t *)(uintptr_t)vaddr, (size_t)got, obj_slot};
    return NG_OK;
}

void ng_vfs_init(const ng_posix_config_t *cfg, ssize_t (*cw)(const void *, size_t))
{
    memset(&V, 0, sizeof V);
    V.root = cfg->root;
    V.recv = cfg->recv;
    V.pathmgr = cfg->pathmgr;
    V.next_slot = cfg->slot_first;
    V.slot_end = cfg->slot_end;
    for (uint32_t i = 0; i < cfg->nmounts && i < NG_POSIX_MAX_MOUNTS; i++) V.mounts[V.nmounts++] = cfg->mounts[i];
    V.nstatic = V.nmounts;
    strcpy(V.cwd, "/");
    console_write = cw;
    V.files[0] = (file_t){.kind = F_CONSOLE, .refs = 3, .flags = O_RDWR};
    strcpy(V.files[0].path, "/dev/console");
    for (int fd = 0; fd < 3; fd++) V.fds[fd] = 1;
}

static fs_client_t client(uint32_t m)
{
    /* Connected at first use, not at start: on the host the start-up runs in the loader's
     * thread, which has no CSpace to call from. Its own connection where it can make one; else
     * the layout's cap and buffer. */
    if (!V.ready[m]) {
        const ng_posix_mount_t *mt = &V.mounts[m];
        if (connect_mount(mt->cap, &V.via[m]) != NG_OK) V.via[m] = (path_t){mt->cap, mt->shm, mt->shm_size, 0};
        V.ready[m] = 1;
    }
    fs_client_t c = {V.via[m].ep, V.via[m].shm, V.via[m].shm_size};
    return c;
}

const ng_posix_mount_t *ng_vfs_mount(uint32_t i)
{
    return i < V.nmounts ? &V.mounts[i] : NULL;
}

static int errno_of(int err)
{
    switch (err) {
    case FS_ERR_NOT_FOUND: return -ENOENT;
    case FS_ERR_EXISTS: return -EEXIST;
    case FS_ERR_NOT_DIR: return -ENOTDIR;
    case FS_ERR_IS_DIR: return -EISDIR;
    case FS_ERR_NOT_EMPTY: return -ENOTEMPTY;
    case FS_ERR_NO_SPACE: return -ENOSPC;
    case FS_ERR_BAD_HANDLE: return -EBADF;
    case FS_ERR_ACCESS: return -EACCES;
    case FS_ERR_READ_ONLY: return -EROFS;
    case NG_EAGAIN: return -EAGAIN;
    default: return -EIO; /* io_error, and the server gone (an IPC failure) */
    }
}

static void inherit(void);

/* Asks the pathname manager for `abs` (the candidate after registration `after`, 0 for the
 * first): the mount serving it, cached by registration id, and the path below its prefix. */
static int resolve(const char *abs, uint32_t after, uint32_t *mount, const char **rest)
{
    if (V.pathmgr == 0) return -ENOENT;
    ng_cptr_t slot = ng_vfs_slot_alloc();
    if (slot == 0) return -EMFILE;
    pathmgr_client_t pm = {V.pathmgr, NULL, 0};
    ng_cptr_t ep = 0;
    ng_str_t r = {NULL, 0};
    pathmgr_prefix_kind_t kind;
    uint32_t id = 0;
    ng_recv_path_set(slot);
    int err = NG_POSIX_COUNT(pathmgr_resolve)(&pm, ng_str(abs), after, &ep, &r, &kind, &id);
    ng_recv_path_set(V.recv);
    size_t alen = strlen(abs);
    if (err == NG_OK && (ep != slot || id == 0 || r.len > alen || memcmp(abs + alen - r.len, r.ptr, r.len) != 0)) err = NG_EBADMSG;
    if (err != NG_OK) {
        slot_free(slot);
        return err == PATHMGR_ERR_NOT_FOUND ? -ENOENT : -EIO;
    }
    *rest = abs + alen - r.len;
    for (uint32_t i = V.nstatic; i < V.nmounts; i++)
        if (V.ids[i] == id) {
            slot_free(slot); /* connected already: the new copy is not needed */
            *mount = i;
            return 0;
        }
    uint32_t i = V.nmounts;
    if (i == MOUNTS) {
        /* Full: reuse a resolved mount no open file uses (its connection is dropped). */
        for (i = V.nstatic; i < MOUNTS; i++) {
            int used = 0;
            for (uint32_t f = 0; f < NG_POSIX_MAX_FILES; f++) used |= V.files[f].kind != F_FREE && V.files[f].mount == i;
            if (!used) break;
        }
        if (i == MOUNTS) {
            slot_free(slot);
            return -ENFILE;
        }
        if (V.ready[i] && V.via[i].obj != 0) {
            rootmem_client_t root = {V.root, NULL, 0};
            slot_free(V.via[i].ep);
            if (NG_POSIX_COUNT(rootmem_destroy)(&root, V.via[i].obj) == NG_OK) slot_free(V.via[i].obj);
        }
        slot_free(V.mounts[i].cap);
    } else {
        V.nmounts++;
    }
    size_t plen = alen - r.len - (r.len > 0 ? 1 : 0);
    memcpy(V.names[i], abs, plen);
    V.names[i][plen] = '\0';
    if (plen == 0) strcpy(V.names[i], "/");
    V.mounts[i] = (ng_posix_mount_t){V.names[i], NULL, slot, NULL, 0};
    V.ids[i] = id;
    V.ready[i] = 0;
    *mount = i;
    return 0;
}

/* The mount holding `path` (normalised into abs) and the path below it; -errno. The layout's
 * mounts are matched first (longest prefix); then the pathname manager is asked. */
static int lookup(const char *path, char *abs, uint32_t *mount, const char **rest)
{
    inherit(); /* the working directory the parent handed over, before the first relative path */
    if (path == NULL) return -EFAULT;
    if (path[0] == '\0') return -ENOENT;
    if (ng_path_normalize(V.cwd, path, abs, NG_POSIX_PATH_MAX)) return -ENAMETOOLONG;
    size_t best = 0;
    int found = -1;
    for (uint32_t i = 0; i < V.nstatic; i++) {
        const char *r = ng_path_below(abs, V.mounts[i].prefix);
        size_t n = strlen(V.mounts[i].prefix);
        if (r != NULL && (found < 0 || n > best)) {
            best = n;
            found = (int)i;
            *rest = r;
        }
    }
    if (found >= 0) {
        *mount = (uint32_t)found;
        return 0;
    }
    return resolve(abs, 0, mount, rest);
}

/* The next manager stacked on the prefix that mount m came from (union), for a lookup that
 * found nothing there; -ENOENT when there is none. */
static int lookup_next(const char *abs, uint32_t *mount, const char **rest)
{
    if (*mount < V.nstatic) return -ENOENT;
    return resolve(abs, V.ids[*mount], mount, rest);
}


static file_t *file_of(int fd)
{
    inherit();
    if (fd < 0 || fd >= NG_POSIX_MAX_FDS || V.fds[fd] == 0) return NULL;
    return &V.files[V.fds[fd] - 1];
}

static int fd_alloc(int from)
{
    inherit();
    for (int fd = from < 0 ? 0 : from; fd < NG_POSIX_MAX_FDS; fd++)
        if (V.fds[fd] == 0) return fd;
    return -EMFILE;
}

static pipe_client_t pclient(uint32_t m)
{
    fs_client_t c = client(m);
    pipe_client_t p = {c.ep, c.shm, c.shm_size};
    return p;
}

static void file_release(file_t *f)
{
    if (--f->refs > 0) return;
    if (f->kind == F_FILE || f->kind == F_DIR) {
        fs_client_t c = client(f->mount);
        (void)NG_POSIX_COUNT(fs_close)(&c, f->h);
    } else if (f->kind == F_PIPE) {
        pipe_client_t c = pclient(f->mount);
        (void)NG_POSIX_COUNT(pipe_close)(&c, f->h);
    }
    f->kind = F_FREE;
}

static file_t *file_new(void)
{
    for (uint32_t i = 0; i < NG_POSIX_MAX_FILES; i++)
        if (V.files[i].kind == F_FREE) return &V.files[i];
    return NULL;
}

/* A descriptor (lowest free) for a new description; -errno. */
static int fd_install(file_t *f, int cloexec)
{
    int fd = fd_alloc(0);
    if (fd < 0) return fd;
    V.fds[fd] = (int)(f - V.files) + 1;
    V.cloexec[fd] = (uint8_t)(cloexec != 0);
    return fd;
}

long ng_vfs_open(const char *path, int flags, int mode)
{
    (void)mode;
    char abs[NG_POSIX_PATH_MAX];
    uint32_t m;
    const char *rest;
    int err = lookup(path, abs, &m, &rest);
    if (err) return err;
    int fd = fd_alloc(0);
    if (fd < 0) return fd;
    file_t *f = NULL;
    for (uint32_t i = 0; i < NG_POSIX_MAX_FILES; i++)
        if (V.files[i].kind == F_FREE) {
            f = &V.files[i];
            break;
        }
    if (f == NULL) return -ENFILE;
    uint32_t of = 0;
    int acc = flags & O_ACCMODE;
    if (flags & O_DIRECTORY) of |= FS_OPEN_DIRECTORY | FS_OPEN_READ;
    else {
        if (acc == O_RDONLY || acc == O_RDWR) of |= FS_OPEN_READ;
        if (acc == O_WRONLY || acc == O_RDWR) of |= FS_OPEN_WRITE;
    }
    if (flags & O_CREAT) of |= FS_OPEN_CREATE;
    if (flags & O_EXCL) of |= FS_OPEN_EXCLUSIVE;
    if (flags & O_TRUNC) of |= FS_OPEN_TRUNCATE;
    uint32_t h;
    for (;;) {
        fs_client_t c = client(m);
        err = NG_POSIX_COUNT(fs_open)(&c, ng_str(rest), of, &h);
        if (err == FS_ERR_IS_DIR && acc == O_RDONLY && !(flags & (O_CREAT | O_TRUNC))) {
            of = FS_OPEN_DIRECTORY | FS_OPEN_READ;
            err = NG_POSIX_COUNT(fs_open)(&c, ng_str(rest), of, &h);
        }
        /* Not there: the next manager stacked on the same prefix, if any (union). */
        if (err != FS_ERR_NOT_FOUND || lookup_next(abs, &m, &rest) != 0) break;
    }
    if (err != NG_OK) return errno_of(err);
    *f = (file_t){.kind = (of & FS_OPEN_DIRECTORY) ? F_DIR : F_FILE, .refs = 1, .mount = m, .h = h, .flags = flags};
    strncpy(f->path, abs, sizeof f->path - 1);
    if ((flags & O_DIRECTORY) && f->kind != F_DIR) {
        file_release(f);
        return -ENOTDIR;
    }
    V.fds[fd] = (int)(f - V.files) + 1;
    V.cloexec[fd] = (flags & O_CLOEXEC) != 0;
    return fd;
}

/* The pipe server's mount (/dev/pipe, found through the pathname manager); -1 without one. */
static int pipe_mount(uint32_t *m)
{
    char abs[NG_POSIX_PATH_MAX];
    const char *rest;
    return lookup("/dev/pipe", abs, m, &rest) == 0 ? 0 : -1;
}

long ng_vfs_pipe(int fds[2], int flags)
{
    if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
    if (flags & O_NONBLOCK) return -EINVAL; /* every pipe blocks */
    uint32_t m;
    if (pipe_mount(&m) != 0) return -ENFILE; /* no pipe server */
    file_t *r = file_new();
    if (r == NULL) return -ENFILE;
    r->kind = F_PIPE; /* taken while the second is found */
    file_t *w = file_new();
    r->kind = F_FREE;
    if (w == NULL) return -ENFILE;
    pipe_client_t c = pclient(m);
    uint32_t rd, wr;
    int err = NG_POSIX_COUNT(pipe_create)(&c, &rd, &wr);
    if (err != NG_OK) return err == PIPE_ERR_NO_SPACE ? -ENFILE : -EIO;
    *r = (file_t){.kind = F_PIPE, .refs = 1, .mount = m, .h = rd, .flags = O_RDONLY};
    *w = (file_t){.kind = F_PIPE, .refs = 1, .mount = m, .h = wr, .flags = O_WRONLY};
    int a = fd_install(r, flags & O_CLOEXEC);
    int b = a < 0 ? a : fd_install(w, flags & O_CLOEXEC);
    if (b < 0) {
        if (a >= 0) ng_vfs_close(a);
        else file_release(r);
        file_release(w);
        return b;
    }
    fds[0] = a;
    fds[1] = b;
    return 0;
}

long ng_vfs_close(int fd)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    V.fds[fd] = 0;
    file_release(f);
    return 0;
}

static int stat_of(file_t *f, const fs_stat_t *s, struct stat *st)
{
    memset(st, 0, sizeof *st);
    st->st_dev = f ? f->mount + 1 : 0;
    st->st_size = (off_t)s->size;
    st->st_blocks = (blkcnt_t)s->blocks;
    st->st_blksize = 4096;
    st->st_nlink = s->nlink ? s->nlink : 1;
    st->st_mode = (mode_t)(s->mode & 07777);
    switch (s->type) {
    case FS_FILE_TYPE_DIRECTORY: st->st_mode |= S_IFDIR; break;
    case FS_FILE_TYPE_DEVICE: st->st_mode |= S_IFCHR; break;
    case FS_FILE_TYPE_SYMLINK: st->st_mode |= S_IFLNK; break;
    default: st->st_mode |= S_IFREG; break;
    }
    st->st_mtim.tv_sec = (time_t)(s->mtime_ns / 1000000000u);
    st->st_mtim.tv_nsec = (long)(s->mtime_ns % 1000000000u);
    st->st_atim = st->st_ctim = st->st_mtim;
    return 0;
}

/* Reads at *off (moved on by what was read). */
static long pipe_read_some(file_t *f, void *buf, size_t len)
{
    pipe_client_t c = pclient(f->mount);
    ng_bytes_t got;
    int err;
    /* A read that waited is woken with NG_EAGAIN (no data) when the pipe changed: read again. */
    do {
        err = NG_POSIX_COUNT(pipe_read)(&c, f->h, (uint32_t)(len < PIPE_MAX_IO ? len : PIPE_MAX_IO), &got);
    } while (err == NG_EAGAIN);
    if (err == PIPE_ERR_BAD_HANDLE) return -EBADF;
    if (err != NG_OK || got.len > len) return -EIO;
    memcpy(buf, got.ptr, got.len);
    return (long)got.len;
}

static long pipe_write_all(file_t *f, const void *buf, size_t len)
{
    pipe_client_t c = pclient(f->mount);
    size_t done = 0;
    while (done < len) {
        size_t n = len - done < PIPE_MAX_IO ? len - done : PIPE_MAX_IO;
        uint32_t wrote = 0;
        int err = NG_POSIX_COUNT(pipe_write)(&c, f->h, ng_bytes((const uint8_t *)buf + done, n), &wrote);
        if (err == NG_EAGAIN) continue; /* woken after waiting for room: write again */
        if (err == PIPE_ERR_BROKEN) return done ? (long)done : -EPIPE;
        if (err != NG_OK || wrote == 0 || wrote > n) return done ? (long)done : err == PIPE_ERR_BAD_HANDLE ? -EBADF : -EIO;
        done += wrote;
    }
    return (long)done;
}

/* Console input comes from devfs's /dev/console (resolved once; two handles: one whose reads
 * wait for typing, one opened OPEN_NONBLOCK). Output stays on the console the process was
 * started with, so no write depends on a server. Without devfs, reading the console gives end of
 * file. */
static struct {
    int state; /* 0: not tried; 1: open; -1: no /dev/console */
    uint32_t mount;
    uint32_t h[2]; /* [0] blocking, [1] non-blocking */
} CON;

static int console_open(void)
{
    char abs[NG_POSIX_PATH_MAX];
    const char *rest;
    if (lookup("/dev/console", abs, &CON.mount, &rest) != 0) return -1;
    fs_client_t cc = client(CON.mount);
    if (NG_POSIX_COUNT(fs_open)(&cc, ng_str(rest), FS_OPEN_READ, &CON.h[0]) != NG_OK) return -1;
    if (NG_POSIX_COUNT(fs_open)(&cc, ng_str(rest), FS_OPEN_READ | FS_OPEN_NONBLOCK, &CON.h[1]) != NG_OK) return -1;
    return 0;
}

static int console_in(int nonblock, fs_client_t *c, uint32_t *h)
{
    /* A process may start before devfs has registered /dev (servers start concurrently on the
     * host, and a program may be spawned early): it is looked for a while before giving up. */
    for (int tries = 0; CON.state == 0 && V.pathmgr != 0; tries++) {
        if (console_open() == 0) CON.state = 1;
        else if (tries == 2000) CON.state = -1;
        else sched_yield();
    }
    if (CON.state != 1) return -1;
    *c = client(CON.mount);
    *h = CON.h[nonblock ? 1 : 0];
    return 0;
}

static long console_read(file_t *f, void *buf, size_t len)
{
    fs_client_t c;
    uint32_t h;
    if (console_in((f->flags & O_NONBLOCK) != 0, &c, &h) != 0) return 0;
    ng_bytes_t got;
    int err;
    /* A blocking read that waited is woken with NG_EAGAIN (no data) when input arrived: read
     * again; a non-blocking one says EAGAIN. */
    do {
        err = NG_POSIX_COUNT(fs_read)(&c, h, 0, (uint32_t)(len < FS_MAX_IO ? len : FS_MAX_IO), &got);
    } while (err == NG_EAGAIN && !(f->flags & O_NONBLOCK));
    if (err == NG_EAGAIN) return -EAGAIN;
    if (err != NG_OK || got.len > len) return -EIO;
    memcpy(buf, got.ptr, got.len);
    return (long)got.len;
}

static long file_read(file_t *f, void *buf, size_t len, uint64_t *off)
{
    if (f->kind == F_CONSOLE) return (f->flags & O_ACCMODE) == O_WRONLY ? -EBADF : console_read(f, buf, len);
    if (f->kind == F_PIPE) return (f->flags & O_ACCMODE) == O_WRONLY ? -EBADF : pipe_read_some(f, buf, len);
    if (f->kind == F_DIR) return -EISDIR;
    if ((f->flags & O_ACCMODE) == O_WRONLY) return -EBADF;
    fs_client_t c = client(f->mount);
    size_t done = 0;
    while (done < len) {
        size_t n = len - done < FS_MAX_IO ? len - done : FS_MAX_IO;
        ng_bytes_t got;
        int err = NG_POSIX_COUNT(fs_read)(&c, f->h, *off, (uint32_t)n, &got);
        if (err != NG_OK) return done ? (long)done : errno_of(err);
        if (got.len > n) return -EIO;
        memcpy((uint8_t *)buf + done, got.ptr, got.len);
        done += got.len;
        *off += got.len;
        if (got.len < n) break;
    }
    return (long)done;
}

long ng_vfs_read(int fd, void *buf, size_t len)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    return file_read(f, buf, len, &f->off);
}

long ng_vfs_pread(int fd, void *buf, size_t len, int64_t off)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    if (f->kind == F_CONSOLE || f->kind == F_PIPE) return -ESPIPE;
    if (off < 0) return -EINVAL;
    uint64_t at = (uint64_t)off;
    return file_read(f, buf, len, &at);
}

/* Writes at *off (moved on by what was written); O_APPEND writes at the end. */
static long file_write(file_t *f, const void *buf, size_t len, uint64_t *off, int append)
{
    if (f->kind == F_CONSOLE) return console_write(buf, len);
    if (f->kind == F_PIPE) return (f->flags & O_ACCMODE) == O_RDONLY ? -EBADF : pipe_write_all(f, buf, len);
    if (f->kind == F_DIR) return -EISDIR;
    if ((f->flags & O_ACCMODE) == O_RDONLY) return -EBADF;
    fs_client_t c = client(f->mount);
    if (append && (f->flags & O_APPEND)) {
        fs_stat_t s;
        int err = NG_POSIX_COUNT(fs_fstat)(&c, f->h, &s);
        if (err != NG_OK) return errno_of(err);
        *off = s.size;
    }
    size_t done = 0;
    while (done < len) {
        size_t n = len - done < FS_MAX_IO ? len - done : FS_MAX_IO;
        uint32_t wrote = 0;
        int err = NG_POSIX_COUNT(fs_write)(&c, f->h, *off, ng_bytes((const uint8_t *)buf + done, n), &wrote);
        if (err != NG_OK) return done ? (long)done : errno_of(err);
        if (wrote > n) return -EIO;
        done += wrote;
        *off += wrote;
        if (wrote < n) break;
    }
    return (long)done;
}

long ng_vfs_write(int fd, const void *buf, size_t len)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    return file_write(f, buf, len, &f->off, 1);
}

long ng_vfs_pwrite(int fd, const void *buf, size_t len, int64_t off)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    if (f->kind == F_CONSOLE || f->kind == F_PIPE) return -ESPIPE;
    if (off < 0) return -EINVAL;
    uint64_t at = (uint64_t)off;
    return file_write(f, buf, len, &at, 0);
}

long ng_vfs_lseek(int fd, int64_t off, int whence)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    if (f->kind == F_CONSOLE || f->kind == F_PIPE) return -ESPIPE;
    int64_t base = 0;
    if (whence == SEEK_CUR) base = (int64_t)f->off;
    else if (whence == SEEK_END) {
        fs_client_t c = client(f->mount);
        fs_stat_t s;
        int err = NG_POSIX_COUNT(fs_fstat)(&c, f->h, &s);
        if (err != NG_OK) return errno_of(err);
        base = (int64_t)s.size;
    } else if (whence != SEEK_SET) return -EINVAL;
    if (off < 0 && base < -off) return -EINVAL;
    f->off = (uint64_t)(base + off);
    return (long)f->off;
}

long ng_vfs_fstat(int fd, struct stat *st)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    if (f->kind == F_CONSOLE || f->kind == F_PIPE) {
        memset(st, 0, sizeof *st);
        st->st_mode = f->kind == F_PIPE ? S_IFIFO | 0600 : S_IFCHR | 0620;
        st->st_nlink = 1;
        st->st_blksize = f->kind == F_PIPE ? 4096 : 1024;
        return 0;
    }
    fs_client_t c = client(f->mount);
    fs_stat_t s;
    int err = NG_POSIX_COUNT(fs_fstat)(&c, f->h, &s);
    if (err != NG_OK) return errno_of(err);
    return stat_of(f, &s, st);
}

/* Whether normalised `abs` is a directory above a mount prefix ("/" above "/disk"): such a
 * directory exists, though no file system serves it. */
static int above_mount(const char *abs)
{
    for (uint32_t i = 0; i < V.nmounts; i++)
        if (ng_path_below(V.mounts[i].prefix, abs) != NULL) return 1;
    /* And above what the pathname manager knows: its table, one entry per call. */
    pathmgr_client_t pm = {V.pathmgr, NULL, 0};
    for (uint32_t i = 0; V.pathmgr != 0 && i < 64; i++) {
        ng_str_t prefix;
        pathmgr_prefix_kind_t kind;
        uint32_t id;
        bool more = false;
        if (NG_POSIX_COUNT(pathmgr_list)(&pm, i, &prefix, &kind, &id, &more) != NG_OK) break;
        char name[NG_POSIX_PATH_MAX];
        size_t n = prefix.len < sizeof name - 1 ? prefix.len : sizeof name - 1;
        memcpy(name, prefix.ptr, n);
        name[n] = '\0';
        if (ng_path_below(name, abs) != NULL) return 1;
        if (!more) break;
    }
    return 0;
}

long ng_vfs_stat(const char *path, struct stat *st)
{
    char abs[NG_POSIX_PATH_MAX];
    uint32_t m;
    const char *rest;
    int err = lookup(path, abs, &m, &rest);
    if (err == -ENOENT && path != NULL && path[0] != '\0' && (strcmp(abs, "/") == 0 || above_mount(abs))) {
        memset(st, 0, sizeof *st);
        st->st_mode = S_IFDIR | 0555;
        st->st_nlink = 2;
        st->st_blksize = 4096;
        return 0;
    }
    if (err) return err;
    fs_stat_t s;
    for (;;) {
        fs_client_t c = client(m);
        err = NG_POSIX_COUNT(fs_stat)(&c, ng_str(rest), &s);
        if (err != FS_ERR_NOT_FOUND || lookup_next(abs, &m, &rest) != 0) break;
    }
    if (err != NG_OK) return errno_of(err);
    file_t tmp = {.mount = m};
    return stat_of(&tmp, &s, st);
}

long ng_vfs_getdents64(int fd, void *buf, size_t len)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    if (f->kind != F_DIR) return -ENOTDIR;
    fs_client_t c = client(f->mount);
    size_t used = 0;
    for (;;) {
        fs_dirent_t ents[FS_DIRENT_BATCH];
        uint32_t count = 0;
        int err = NG_POSIX_COUNT(fs_readdir)(&c, f->h, (uint32_t)f->off, ents, &count);
        if (err != NG_OK) return used ? (long)used : errno_of(err);
        if (count == 0 || count > FS_DIRENT_BATCH) return (long)used;
        for (uint32_t i = 0; i < count; i++) {
            size_t nl = strnlen(ents[i].name, sizeof ents[i].name - 1);
            size_t rec = (offsetof(struct ng_dirent64, d_name) + nl + 1 + 7) & ~(size_t)7;
            if (used + rec > len) return used ? (long)used : -EINVAL;
            struct ng_dirent64 *d = (struct ng_dirent64 *)(void *)((uint8_t *)buf + used);
            d->d_ino = f->off + 1;
            d->d_off = (int64_t)f->off + 1;
            d->d_reclen = (unsigned short)rec;
            d->d_type = ents[i].type == FS_FILE_TYPE_DIRECTORY ? DT_DIR
                      : ents[i].type == FS_FILE_TYPE_DEVICE  ? DT_CHR
                                                             : DT_REG;
            memcpy(d->d_name, ents[i].name, nl);
            d->d_name[nl] = '\0';
            used += rec;
            f->off++;
        }
    }
}

long ng_vfs_mkdir(const char *path, int mode)
{
    char abs[NG_POSIX_PATH_MAX];
    uint32_t m;
    const char *rest;
    int err = lookup(path, abs, &m, &rest);
    if (err) return err;
    if (*rest == '\0') return -EEXIST;
    fs_client_t c = client(m);
    err = NG_POSIX_COUNT(fs_mkdir)(&c, ng_str(rest), (uint32_t)mode);
    return err == NG_OK ? 0 : errno_of(err);
}

long ng_vfs_unlink(const char *path, int dir)
{
    char abs[NG_POSIX_PATH_MAX];
    uint32_t m;
    const char *rest;
    int err = lookup(path, abs, &m, &rest);
    if (err) return err;
    if (*rest == '\0') return -EBUSY;
    fs_client_t c = client(m);
    fs_stat_t s;
    err = NG_POSIX_COUNT(fs_stat)(&c, ng_str(rest), &s);
    if (err != NG_OK) return errno_of(err);
    if (dir && s.type != FS_FILE_TYPE_DIRECTORY) return -ENOTDIR;
    if (!dir && s.type == FS_FILE_TYPE_DIRECTORY) return -EISDIR;
    err = NG_POSIX_COUNT(fs_unlink)(&c, ng_str(rest));
    return err == NG_OK ? 0 : errno_of(err);
}

long ng_vfs_rename(const char *from, const char *to)
{
    char a[NG_POSIX_PATH_MAX], b[NG_POSIX_PATH_MAX];
    uint32_t m1, m2;
    const char *r1, *r2;
    int err = lookup(from, a, &m1, &r1);
    if (!err) err = lookup(to, b, &m2, &r2);
    if (err) return err;
    if (m1 != m2) return -EXDEV;
    fs_client_t c = client(m1);
    err = NG_POSIX_COUNT(fs_rename)(&c, ng_str(r1), ng_str(r2));
    return err == NG_OK ? 0 : errno_of(err);
}

long ng_vfs_dup(int fd, int to, int exact)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    if (exact) {
        if (to < 0 || to >= NG_POSIX_MAX_FDS) return -EBADF;
        if (to == fd) return -EINVAL; /* dup3; dup2 checks this itself */
        if (V.fds[to] != 0) ng_vfs_close(to);
    } else {
        to = fd_alloc(to);
        if (to < 0) return to;
    }
    f->refs++;
    V.fds[to] = (int)(f - V.files) + 1;
    V.cloexec[to] = 0;
    return to;
}

long ng_vfs_getcwd(char *buf, size_t size)
{
    size_t n = strlen(V.cwd) + 1;
    if (buf == NULL) return -EFAULT;
    if (size < n) return -ERANGE;
    memcpy(buf, V.cwd, n);
    return (long)n;
}

long ng_vfs_chdir(const char *path)
{
    struct stat st;
    char abs[NG_POSIX_PATH_MAX];
    long err = ng_vfs_stat(path, &st);
    if (err) return err;
    if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
    if (ng_path_normalize(V.cwd, path, abs, sizeof abs)) return -ENAMETOOLONG;
    strcpy(V.cwd, abs);
    return 0;
}

long ng_vfs_isatty(int fd)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    return f->kind == F_CONSOLE ? 0 : -ENOTTY;
}

long ng_vfs_fcntl(int fd, int cmd, long arg)
{
    file_t *f = file_of(fd);
    if (f == NULL) return -EBADF;
    switch (cmd) {
    case F_GETFD: return V.cloexec[fd] ? FD_CLOEXEC : 0;
    case F_SETFD: V.cloexec[fd] = (arg & FD_CLOEXEC) != 0; return 0; /* children skip it */
    case F_GETFL: return f->flags;
    case F_SETFL: f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | ((int)arg & (O_APPEND | O_NONBLOCK)); return 0;
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        long to = ng_vfs_dup(fd, (int)arg, 0);
        if (to >= 0) V.cloexec[to] = cmd == F_DUPFD_CLOEXEC;
        return to;
    }
    default: return -EINVAL;
    }
}

/* ---- Descriptors a child inherits (posix_spawn), through FDS_VAR ----------------------- */

/* Appends to out (NUL-terminated, `size` bytes); -1 when it does not fit. */
static int append(char *out, size_t size, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size - *len) return -1;
    *len += (size_t)n;
    return 0;
}

long ng_vfs_child_fds(const ng_fd_plan_t plan[NG_POSIX_MAX_FDS], char *out, size_t size, uint64_t *tickets, int *ntickets)
{
    size_t len = 0;
    *ntickets = 0;
    int first_of[NG_POSIX_MAX_FILES]; /* the first child fd given each description */
    for (int i = 0; i < NG_POSIX_MAX_FILES; i++) first_of[i] = -1;
    if (append(out, size, &len, FDS_VAR "=")) return -E2BIG;
    /* The working directory goes first ("w:path;"): a child starts where its parent was. */
    if (strcmp(V.cwd, "/") != 0 && append(out, size, &len, "w:%s;", V.cwd)) return -E2BIG;
    for (int fd = 0; fd < NG_POSIX_MAX_FDS; fd++) {
        const ng_fd_plan_t *pl = &plan[fd];
        int err = 0;
        if (pl->kind == NG_FD_INHERIT) {
            file_t *f = file_of(pl->from);
            if (f == NULL) return -EBADF;
            int i = (int)(f - V.files);
            if (first_of[i] >= 0) {
                err = append(out, size, &len, "%d:d%d;", fd, first_of[i]);
            } else if (f->kind == F_CONSOLE) {
                err = append(out, size, &len, "%d:c;", fd);
            } else if (f->kind == F_FILE) {
                /* The child opens it again (no O_CREAT/O_TRUNC now), at the same offset. */
                err = append(out, size, &len, "%d:f%d,%llu,%s;", fd, f->flags & (O_ACCMODE | O_APPEND),
                             (unsigned long long)f->off, f->path);
            } else if (f->kind == F_PIPE) {
                pipe_client_t c = pclient(f->mount);
                uint64_t t = 0;
                if (*ntickets == NG_POSIX_MAX_FDS || NG_POSIX_COUNT(pipe_share)(&c, f->h, &t) != NG_OK) return -ENFILE;
                tickets[(*ntickets)++] = t;
                err = append(out, size, &len, "%d:p%d,%llx;", fd, f->flags & O_ACCMODE, (unsigned long long)t);
            } else {
                continue; /* directories are not inherited */
            }
            first_of[i] = fd;
        } else {
            continue;
        }
        if (err) return -E2BIG;
    }
    return (long)len;
}

void ng_vfs_cancel_tickets(const uint64_t *tickets, int n)
{
    uint32_t m;
    if (n == 0 || pipe_mount(&m) != 0) return;
    pipe_client_t c = pclient(m);
    for (int i = 0; i < n; i++) (void)NG_POSIX_COUNT(pipe_cancel)(&c, tickets[i]);
}

/* Installs `f` (filled) at exactly `fd`. */
static void put_at(int fd, const file_t *tmpl)
{
    file_t *f = file_new();
    if (f == NULL) return;
    *f = *tmpl;
    f->refs = 1;
    V.fds[fd] = (int)(f - V.files) + 1;
}

/* Descriptors from FDS_VAR (the parent's posix_spawn), once: "fd:spec;" entries. Without it
 * 0-2 stay the console. */
static void inherit(void)
{
    if (V.inherited) return;
    V.inherited = 1;
    const char *spec = getenv(FDS_VAR);
    if (spec == NULL) return;
    char copy[512];
    snprintf(copy, sizeof copy, "%s", spec);
    unsetenv(FDS_VAR); /* its own children get their own */
    V.files[0].refs = 0;
    V.files[0].kind = F_FREE;
    for (int fd = 0; fd < 3; fd++) V.fds[fd] = 0;
    for (char *e = copy, *next; e && *e; e = next) {
        next = strchr(e, ';');
        if (next) *next++ = '\0';
        char *colon = strchr(e, ':');
        if (!colon) break;
        if (e[0] == 'w') {
            if (ng_vfs_chdir(colon + 1) != 0) strcpy(V.cwd, "/");
            continue;
        }
        int fd = atoi(e);
        char kind = colon[1];
        char *arg = colon + 2;
        if (fd < 0 || fd >= NG_POSIX_MAX_FDS || V.fds[fd] != 0) continue;
        if (kind == 'c') {
            put_at(fd, &(file_t){.kind = F_CONSOLE, .flags = O_RDWR, .path = "/dev/console"});
        } else if (kind == 'd') {
            int from = atoi(arg);
            if (from >= 0 && from < NG_POSIX_MAX_FDS && V.fds[from] != 0) {
                V.files[V.fds[from] - 1].refs++;
                V.fds[fd] = V.fds[from];
            }
        } else if (kind == 'p') {
            int acc = atoi(arg);
            char *comma = strchr(arg, ',');
            uint64_t t = comma ? strtoull(comma + 1, NULL, 16) : 0;
            uint32_t m;
            uint32_t h;
            if (pipe_mount(&m) != 0) continue;
            pipe_client_t c = pclient(m);
            if (NG_POSIX_COUNT(pipe_adopt)(&c, t, &h) != NG_OK) continue;
            put_at(fd, &(file_t){.kind = F_PIPE, .mount = m, .h = h, .flags = acc});
        } else if (kind == 'f') {
            int flags = atoi(arg);
            char *c1 = strchr(arg, ',');
            char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
            if (!c2) continue;
            unsigned long long num = strtoull(c1 + 1, NULL, 10);
            /* Opened at the lowest free descriptor, then moved to fd. */
            long got = ng_vfs_open(c2 + 1, flags, 0);
            if (got < 0) continue;
            if (got != fd) {
                V.fds[fd] = V.fds[got];
                V.fds[got] = 0;
            }
            V.files[V.fds[fd] - 1].off = num;
        }
    }
}

void ng_posix_at_exit(void)
{
    /* Descriptors handed over by the parent are taken up first (a pipe end the process never
     * touched is otherwise an unused ticket, and its pipe never sees end of file). */
    inherit();
    /* Every descriptor closed, so pipes see their ends go (end of file for a reader). */
    for (int fd = 0; fd < NG_POSIX_MAX_FDS; fd++)
        if (V.fds[fd] != 0) ng_vfs_close(fd);
    /* Every connection closed, so the managers' connection slots come free at once (they keep a
     * few, and would otherwise evict their oldest client for the next one). */
    rootmem_client_t root = {V.root, NULL, 0};
    for (uint32_t i = 0; i < V.nmounts; i++) {
        if (!V.ready[i] || V.via[i].obj == 0) continue;
        ng_msg_t m;
        ng_msg_start(&m, NG_LABEL_DISCONNECT);
        (void)ng_call(V.via[i].ep, &m);
        (void)NG_POSIX_COUNT(rootmem_destroy)(&root, V.via[i].obj);
        V.ready[i] = 0;
    }
}
