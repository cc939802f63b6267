/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Open-file tables of the resource-manager library: a fixed array of slots, each tagged with the
 * badge of the client that opened it. A handle is (generation << RESMGR_HANDLE_SLOT_BITS) | slot+1
 * and is found only by the same badge with the same generation, so a client can neither use a
 * handle another client opened nor a slot reused after its own close.
 */
#include <string.h>

#include <resmgr/resmgr.h>

#define SLOT_MASK ((1u << RESMGR_HANDLE_SLOT_BITS) - 1u)
#define GEN_MASK (UINT32_MAX >> RESMGR_HANDLE_SLOT_BITS)

void resmgr_table_init(resmgr_table_t *t, resmgr_file_t *files, unsigned n, uint32_t seed,
                       resmgr_live_fn live, void *live_ctx)
{
    memset(files, 0, sizeof(*files) * n);
    t->files = files;
    t->nfiles = n < RESMGR_MAX_FILES ? n : RESMGR_MAX_FILES - 1;
    t->gen = (seed & GEN_MASK) ? (seed & GEN_MASK) : 1;
    t->live = live;
    t->live_ctx = live_ctx;
}

static resmgr_file_t *free_slot(resmgr_table_t *t)
{
    for (unsigned i = 0; i < t->nfiles; i++) {
        if (t->files[i].handle == 0) return &t->files[i];
    }
    return NULL;
}

resmgr_file_t *resmgr_file_open(resmgr_table_t *t, uint64_t badge, uint32_t flags, void *obj)
{
    resmgr_file_t *f = free_slot(t);
    if (f == NULL && t->live != NULL) {
        /* Full: files of clients that are gone (a dropped connection) make room. */
        for (unsigned i = 0; i < t->nfiles; i++) {
            if (t->files[i].handle != 0 && !t->live(t->files[i].badge, t->live_ctx)) resmgr_file_close(&t->files[i]);
        }
        f = free_slot(t);
    }
    if (f == NULL) return NULL;
    uint32_t gen = t->gen;
    t->gen = (t->gen + 1u) & GEN_MASK;
    if (t->gen == 0) t->gen = 1;
    f->badge = badge;
    f->handle = (gen << RESMGR_HANDLE_SLOT_BITS) | ((uint32_t)(f - t->files) + 1u);
    f->flags = flags;
    f->obj = obj;
    f->aux = 0;
    return f;
}

resmgr_file_t *resmgr_file_get(resmgr_table_t *t, uint64_t badge, uint32_t handle)
{
    uint32_t slot = handle & SLOT_MASK;
    if (slot == 0 || slot > t->nfiles) return NULL;
    resmgr_file_t *f = &t->files[slot - 1];
    return f->handle != 0 && f->handle == handle && f->badge == badge ? f : NULL;
}

void resmgr_file_close(resmgr_file_t *f)
{
    memset(f, 0, sizeof(*f));
}

unsigned resmgr_close_client(resmgr_table_t *t, uint64_t badge)
{
    unsigned n = 0;
    for (unsigned i = 0; i < t->nfiles; i++) {
        if (t->files[i].handle != 0 && t->files[i].badge == badge) {
            resmgr_file_close(&t->files[i]);
            n++;
        }
    }
    return n;
}

void resmgr_each_of(resmgr_table_t *t, const void *obj, void (*fn)(resmgr_file_t *f, void *ctx), void *ctx)
{
    for (unsigned i = 0; i < t->nfiles; i++) {
        if (t->files[i].handle != 0 && t->files[i].obj == obj) fn(&t->files[i], ctx);
    }
}

unsigned resmgr_open_count(const resmgr_table_t *t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < t->nfiles; i++) n += t->files[i].handle != 0;
    return n;
}
