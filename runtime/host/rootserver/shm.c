/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run-time shared memory on the host target (idl/rootmem.idl), beside the process service and
 * on its thread: the same calls, errors and quotas as the seL4 root server (rootserver/shm.c).
 * An object is a memfd of N pages; each mapping is a mapping of it of its own (MAP_SHARED, at an
 * address Linux picks), so a holder's view and the creator's alias the same pages, and unmapping
 * one leaves the others. The cap naming an object is, as on seL4, a rights-less badged copy of
 * the root endpoint: the service thread keeps the original in its CSpace and hands out copies.
 * Differences from seL4 (runtime/host/README.md): the host kernel keeps no derivation tree, so
 * destroying an object cannot delete the copies holders have; their badge carries the object's
 * generation and names nothing any more. A holder that touches an unmapped view takes SIGSEGV,
 * which the host root server reports as a vm fault of that server, as seL4 would.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "root.h"
#include <rootserver/procs.h>
#include "rootmem_server_gen.h"

#define HR_SHM_MAX_OBJECTS 64u
#define HR_SHM_MAX_MAPS 8u
#define HR_SHM_PAGE 4096u
/* Same badge shape as on seL4 (rootserver/shm.h). */
#define HR_SHM_BADGE_FLAG (1ull << 62)

/* The service thread and the supervisor (a boot server's end) both reach the table. */
static pthread_mutex_t hr_shm_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct hr_shm_map {
    uint32_t pno; /* 0: free */
    void *at;
} hr_shm_map_t;

typedef struct hr_shm_obj {
    bool used;
    uint16_t gen;
    uint32_t owner; /* pno */
    uint32_t pages;
    int fd;
    ng_cptr_t slot; /* the original cap, in the service thread's CSpace */
    hr_shm_map_t maps[HR_SHM_MAX_MAPS];
} hr_shm_obj_t;

static hr_env_t *hr_shm_env;
static ng_host_cspace_t *hr_shm_cs;
static ng_cptr_t hr_shm_first_slot;
static hr_shm_obj_t hr_shm_objs[HR_SHM_MAX_OBJECTS];
static uint32_t *hr_shm_pages_used; /* by pno */
static uint32_t hr_shm_npno;

void hr_shm_init(hr_env_t *env, ng_host_cspace_t *service_cs, ng_cptr_t first_free_slot)
{
    hr_shm_env = env;
    hr_shm_cs = service_cs;
    hr_shm_first_slot = first_free_slot;
    hr_shm_npno = env->sys->nservers + RS_PROCS_MAX + 1;
    hr_shm_pages_used = calloc(hr_shm_npno, sizeof(*hr_shm_pages_used));
    for (unsigned i = 0; i < HR_SHM_MAX_OBJECTS; i++) {
        hr_shm_objs[i].fd = -1;
    }
}

static ng_badge_t hr_shm_badge(uint32_t index, uint16_t gen)
{
    return HR_SHM_BADGE_FLAG | ((ng_badge_t)index << 16) | gen;
}

static hr_shm_obj_t *hr_shm_lookup(ng_badge_t badge)
{
    if (!(badge & HR_SHM_BADGE_FLAG) || (badge & ~(HR_SHM_BADGE_FLAG | 0xffffffffull)) != 0) {
        return NULL;
    }
    uint32_t index = (uint32_t)((badge >> 16) & 0xffffu);
    if (index >= HR_SHM_MAX_OBJECTS) {
        return NULL;
    }
    hr_shm_obj_t *o = &hr_shm_objs[index];
    return o->used && hr_shm_badge(index, o->gen) == badge ? o : NULL;
}

/* The caller a service badge names, if it may use shared memory at all. */
static rs_proc_t *hr_shm_caller(rs_procs_t *t, ng_badge_t badge)
{
    rs_proc_t *p = rs_procs_by_badge(t, badge & ~(ng_badge_t)t->sys->service_badge);
    if (p == NULL || p->state != RS_PROC_RUNNING || p->pno >= hr_shm_npno || !rs_holds_service_cap(p->spec)) {
        return NULL;
    }
    return p;
}

static ng_badge_t hr_shm_object_badge(const ng_call_t *call)
{
    const ng_msg_t *m = call->msg;
    return m != NULL && m->ncaps == 1 && m->caps[0] == 0 ? m->cap_badges[0] : 0;
}

static int hr_shm_map_into(hr_shm_obj_t *o, uint32_t pno, bool writable, uint64_t *vaddr)
{
    hr_shm_map_t *m = NULL;
    for (unsigned i = 0; i < HR_SHM_MAX_MAPS && m == NULL; i++) {
        if (o->maps[i].pno == 0) {
            m = &o->maps[i];
        }
    }
    if (m == NULL) {
        return ROOTMEM_ERR_NO_MEMORY;
    }
    void *at = mmap(NULL, (size_t)o->pages * HR_SHM_PAGE, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED,
                    o->fd, 0);
    if (at == MAP_FAILED) {
        return ROOTMEM_ERR_NO_MEMORY;
    }
    m->pno = pno;
    m->at = at;
    *vaddr = (uint64_t)(uintptr_t)at;
    return NG_OK;
}

static void hr_shm_unmap_one(hr_shm_obj_t *o, hr_shm_map_t *m)
{
    munmap(m->at, (size_t)o->pages * HR_SHM_PAGE);
    m->pno = 0;
    m->at = NULL;
}

static void hr_shm_free(hr_shm_obj_t *o)
{
    for (unsigned i = 0; i < HR_SHM_MAX_MAPS; i++) {
        if (o->maps[i].pno != 0) {
            hr_shm_unmap_one(o, &o->maps[i]);
        }
    }
    if (o->slot != 0) {
        ng_host_cap_delete(hr_shm_cs, o->slot);
    }
    if (o->fd >= 0) {
        close(o->fd);
    }
    if (o->owner != 0 && o->owner < hr_shm_npno) {
        hr_shm_pages_used[o->owner] -= o->pages;
    }
    uint16_t gen = o->gen;
    memset(o, 0, sizeof(*o));
    o->fd = -1;
    o->gen = (uint16_t)(gen + 1);
}

static hr_shm_map_t *hr_shm_mapping_of(hr_shm_obj_t *o, uint32_t pno)
{
    for (unsigned i = 0; i < HR_SHM_MAX_MAPS; i++) {
        if (o->maps[i].pno == pno) {
            return &o->maps[i];
        }
    }
    return NULL;
}

/* A free slot of the service thread's CSpace for an object's original cap. */
static ng_cptr_t hr_shm_free_slot(void)
{
    for (ng_cptr_t s = hr_shm_first_slot; s < hr_shm_first_slot + HR_SHM_MAX_OBJECTS; s++) {
        if (!ng_host_cap_query(hr_shm_cs, s, NULL, NULL, NULL)) {
            return s;
        }
    }
    return 0;
}

static int hr_rootmem_create(void *ctx, ng_call_t *call, const rootmem_create_req_t *req, rootmem_create_rep_t *rep)
{
    rs_procs_t *t = ctx;
    rs_proc_t *p = hr_shm_caller(t, call->badge);
    if (p == NULL) {
        return ROOTMEM_ERR_PERMISSION;
    }
    if (req->pages == 0 || req->pages > ROOTMEM_MAX_PAGES) {
        return ROOTMEM_ERR_BAD_SIZE;
    }
    uint32_t quota = (uint32_t)(p->spec->shared_memory / HR_SHM_PAGE);
    if (req->pages > quota - hr_shm_pages_used[p->pno]) {
        return ROOTMEM_ERR_NO_MEMORY;
    }
    uint32_t index = 0;
    while (index < HR_SHM_MAX_OBJECTS && hr_shm_objs[index].used) {
        index++;
    }
    ng_cptr_t slot = hr_shm_free_slot();
    if (index == HR_SHM_MAX_OBJECTS || slot == 0) {
        return ROOTMEM_ERR_NO_MEMORY;
    }
    hr_shm_obj_t *o = &hr_shm_objs[index];
    o->used = true;
    o->pages = req->pages;
    o->fd = memfd_create("neptune-shm", MFD_CLOEXEC);
    int err = o->fd < 0 || ftruncate(o->fd, (off_t)req->pages * HR_SHM_PAGE) != 0;
    if (!err) {
        err = ng_host_cap_mint(hr_shm_cs, slot, hr_shm_env->objects[hr_shm_env->sys->fault_ep].kobj,
                               hr_shm_badge(index, o->gen), 0) != NG_OK;
        o->slot = err ? 0 : slot;
    }
    if (!err) {
        o->owner = p->pno;
        hr_shm_pages_used[p->pno] += req->pages;
        err = hr_shm_map_into(o, p->pno, true, &rep->vaddr) != NG_OK;
    }
    if (err) {
        hr_shm_free(o);
        return ROOTMEM_ERR_NO_MEMORY;
    }
    rep->obj = o->slot;
    rep->bytes = (uint64_t)o->pages * HR_SHM_PAGE;
    return NG_OK;
}

static int hr_rootmem_map(void *ctx, ng_call_t *call, const rootmem_map_req_t *req, rootmem_map_rep_t *rep)
{
    rs_procs_t *t = ctx;
    rs_proc_t *p = hr_shm_caller(t, call->badge);
    if (p == NULL) {
        return ROOTMEM_ERR_PERMISSION;
    }
    hr_shm_obj_t *o = hr_shm_lookup(hr_shm_object_badge(call));
    if (o == NULL) {
        return ROOTMEM_ERR_BAD_OBJECT;
    }
    if (hr_shm_mapping_of(o, p->pno) != NULL) {
        return ROOTMEM_ERR_MAPPED;
    }
    int err = hr_shm_map_into(o, p->pno, req->writable, &rep->vaddr);
    if (err == NG_OK) {
        rep->bytes = (uint64_t)o->pages * HR_SHM_PAGE;
    }
    return err;
}

static int hr_rootmem_unmap(void *ctx, ng_call_t *call, const rootmem_unmap_req_t *req)
{
    rs_procs_t *t = ctx;
    (void)req;
    rs_proc_t *p = hr_shm_caller(t, call->badge);
    hr_shm_obj_t *o = hr_shm_lookup(hr_shm_object_badge(call));
    if (p == NULL || o == NULL) {
        return ROOTMEM_ERR_BAD_OBJECT;
    }
    hr_shm_map_t *m = hr_shm_mapping_of(o, p->pno);
    if (m == NULL) {
        return ROOTMEM_ERR_NOT_MAPPED;
    }
    hr_shm_unmap_one(o, m);
    return NG_OK;
}

static int hr_rootmem_destroy(void *ctx, ng_call_t *call, const rootmem_destroy_req_t *req)
{
    rs_procs_t *t = ctx;
    (void)req;
    rs_proc_t *p = hr_shm_caller(t, call->badge);
    if (p == NULL) {
        return ROOTMEM_ERR_PERMISSION;
    }
    hr_shm_obj_t *o = hr_shm_lookup(hr_shm_object_badge(call));
    if (o == NULL) {
        return ROOTMEM_ERR_BAD_OBJECT;
    }
    if (o->owner != p->pno) {
        return ROOTMEM_ERR_PERMISSION;
    }
    hr_shm_free(o);
    return NG_OK;
}

static int hr_rootmem_stats(void *ctx, ng_call_t *call, rootmem_stats_rep_t *rep)
{
    rs_procs_t *t = ctx;
    rs_proc_t *p = hr_shm_caller(t, call->badge);
    if (p == NULL) {
        return ROOTMEM_ERR_PERMISSION;
    }
    uint32_t n = 0;
    for (unsigned i = 0; i < HR_SHM_MAX_OBJECTS; i++) {
        n += hr_shm_objs[i].used && hr_shm_objs[i].owner == p->pno;
    }
    rep->objects = n;
    rep->pages_used = hr_shm_pages_used[p->pno];
    rep->pages_quota = (uint32_t)(p->spec->shared_memory / HR_SHM_PAGE);
    return NG_OK;
}

void hr_shm_client_gone(uint32_t pno)
{
    if (hr_shm_pages_used == NULL) {
        return;
    }
    pthread_mutex_lock(&hr_shm_lock);
    for (unsigned i = 0; i < HR_SHM_MAX_OBJECTS; i++) {
        hr_shm_obj_t *o = &hr_shm_objs[i];
        if (!o->used) {
            continue;
        }
        if (o->owner == pno) {
            hr_shm_free(o);
            continue;
        }
        hr_shm_map_t *m = hr_shm_mapping_of(o, pno);
        if (m != NULL) {
            hr_shm_unmap_one(o, m);
        }
    }
    pthread_mutex_unlock(&hr_shm_lock);
}

/* Each call under the table's lock. */
static int hr_locked_create(void *ctx, ng_call_t *call, const rootmem_create_req_t *req, rootmem_create_rep_t *rep)
{
    pthread_mutex_lock(&hr_shm_lock);
    int err = hr_rootmem_create(ctx, call, req, rep);
    pthread_mutex_unlock(&hr_shm_lock);
    return err;
}

static int hr_locked_map(void *ctx, ng_call_t *call, const rootmem_map_req_t *req, rootmem_map_rep_t *rep)
{
    pthread_mutex_lock(&hr_shm_lock);
    int err = hr_rootmem_map(ctx, call, req, rep);
    pthread_mutex_unlock(&hr_shm_lock);
    return err;
}

static int hr_locked_unmap(void *ctx, ng_call_t *call, const rootmem_unmap_req_t *req)
{
    pthread_mutex_lock(&hr_shm_lock);
    int err = hr_rootmem_unmap(ctx, call, req);
    pthread_mutex_unlock(&hr_shm_lock);
    return err;
}

static int hr_locked_destroy(void *ctx, ng_call_t *call, const rootmem_destroy_req_t *req)
{
    pthread_mutex_lock(&hr_shm_lock);
    int err = hr_rootmem_destroy(ctx, call, req);
    pthread_mutex_unlock(&hr_shm_lock);
    return err;
}

static int hr_locked_stats(void *ctx, ng_call_t *call, rootmem_stats_rep_t *rep)
{
    pthread_mutex_lock(&hr_shm_lock);
    int err = hr_rootmem_stats(ctx, call, rep);
    pthread_mutex_unlock(&hr_shm_lock);
    return err;
}

const rootmem_ops_t hr_rootmem_ops = {
    .create = hr_locked_create,
    .map = hr_locked_map,
    .unmap = hr_locked_unmap,
    .destroy = hr_locked_destroy,
    .stats = hr_locked_stats,
};
