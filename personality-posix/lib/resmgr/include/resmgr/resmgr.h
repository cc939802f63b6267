/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The resource-manager library of the POSIX personality: what every server of idl/fs.idl needs
 * so that writing one is a few handlers. Plain C (no seL4, no transport): open-file tables keyed
 * by the caller's badge, with handles a client cannot guess or reuse across clients, and path
 * helpers (normalise, walk components, split off the last one). Registration with the pathname
 * manager is in <resmgr/register.h> (it needs the generated pathreg stubs).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* ---- Open-file tables ------------------------------------------------------------------- */

/* Low bits of a handle: its slot + 1 (0 is never a handle); high bits: a generation, so a
 * closed handle, or one guessed from another client's, does not name a reused slot. */
#define RESMGR_HANDLE_SLOT_BITS 10u
#define RESMGR_MAX_FILES (1u << RESMGR_HANDLE_SLOT_BITS) /* slots a table may have, less one */

/* One open file or directory. `obj` and `aux` are the server's (a node, a cursor). */
typedef struct resmgr_file {
    uint64_t badge;  /* the client that opened it: only that badge finds it */
    uint32_t handle; /* 0: the slot is free */
    uint32_t flags;  /* the fs OPEN_* flags it was opened with */
    void *obj;
    uint64_t aux;
} resmgr_file_t;

/* Whether `badge` still names a live client (e.g. an open run-time connection); the table asks
 * when it is full and drops the files of clients that are gone. NULL: every badge is live. */
typedef int (*resmgr_live_fn)(uint64_t badge, void *ctx);

typedef struct resmgr_table {
    resmgr_file_t *files;
    unsigned nfiles;
    uint32_t gen; /* generation of the next handle (never 0 in a handle) */
    resmgr_live_fn live;
    void *live_ctx;
} resmgr_table_t;

/* `files` has `n` entries (1..RESMGR_MAX_FILES - 1). `seed` starts the generations: give a
 * value that differs between instances (a restarted server then never hands out a handle its
 * previous instance gave). */
void resmgr_table_init(resmgr_table_t *t, resmgr_file_t *files, unsigned n, uint32_t seed,
                       resmgr_live_fn live, void *live_ctx);

/* A free slot for `badge`, with a fresh handle; NULL when the table is full (after dropping
 * the files of clients that are no longer live). */
resmgr_file_t *resmgr_file_open(resmgr_table_t *t, uint64_t badge, uint32_t flags, void *obj);

/* The file `handle` names for `badge`; NULL for a handle that is free, stale, malformed or
 * another client's. */
resmgr_file_t *resmgr_file_get(resmgr_table_t *t, uint64_t badge, uint32_t handle);

/* Frees a file. */
void resmgr_file_close(resmgr_file_t *f);

/* Closes every file of `badge` (a client that disconnected); returns how many. */
unsigned resmgr_close_client(resmgr_table_t *t, uint64_t badge);

/* Calls fn on every open file whose obj is `obj` (e.g. to close them when it is removed). */
void resmgr_each_of(resmgr_table_t *t, const void *obj, void (*fn)(resmgr_file_t *f, void *ctx), void *ctx);

/* Files open in all. */
unsigned resmgr_open_count(const resmgr_table_t *t);

/* ---- Paths ------------------------------------------------------------------------------ */

#define RESMGR_PATH_MAX 256

/* Normalises a '/'-separated path of `len` bytes into `out` (`cap` bytes, NUL-terminated):
 * empty components and '.' go, '..' takes the previous component away. Absolute paths
 * (`absolute` set) must start with '/' and give "/" or "/a/b"; relative ones give "" or "a/b".
 * Returns 0, or -1 when the path does not fit, holds a NUL, goes above its root with '..' or
 * (absolute) does not start with '/'. */
int resmgr_path_normalise(const char *path, size_t len, int absolute, char *out, size_t cap);

/* Whether a path is already in the form resmgr_path_normalise gives (absolute or relative). */
int resmgr_path_is_normal(const char *path, size_t len, int absolute);

/* Component walk: from *p, skip '/'s and return the next component (its length in *len), or
 * NULL at the end; *p moves past it. */
const char *resmgr_path_next(const char **p, size_t *len);

/* Splits a normalised relative path into its parent ("" for the root) and its last name.
 * Returns 0, or -1 for the empty path (the root has no name) or a parent that does not fit. */
int resmgr_path_split(const char *path, char *parent, size_t cap, const char **name);

/* Whether the normalised absolute `path` lies at or below `prefix` on component boundaries
 * ("/tmp" matches "/tmp" and "/tmp/x", not "/tmpx"; "/" matches everything); if so *rest is
 * the part below it without its leading '/'. */
int resmgr_path_under(const char *path, const char *prefix, const char **rest);
