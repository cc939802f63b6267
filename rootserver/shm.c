/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run-time shared-memory objects (idl/rootmem.idl), the root server's side. An object is a
 * fixed table entry holding its frames (fresh frames: the kernel zeroes them), the badged
 * rights-less endpoint cap that names it (minted from the service endpoint, so a holder's copy
 * comes back unwrapped as the badge), and its mappings (one copy of every frame cap per mapping,
 * as seL4 maps a frame cap once). Every call decodes and validates first and only then changes
 * anything; every object and slot taken is given back on unmap, destroy or the creator's death.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sel4/sel4.h>
#include <vka/capops.h>
#include <vka/object.h>

#include "env.h"
#include "rootmem_server_gen.h"
#include "shm.h"
#include "spawn.h"

#define RS_SHM_MAX_OBJECTS 256u
#define RS_SHM_MAX_MAPS 8u
#define RS_SHM_PAGE_BITS seL4_PageBits
#define RS_SHM_GUARD (1ull << RS_SHM_PAGE_BITS)

typedef struct rs_shm_mapping {
    rs_mem_client_t *client; /* NULL: free entry */
    uint64_t vaddr;
    reservation_t res;
    seL4_CPtr *copies; /* one frame-cap copy per page, in the root CNode */
} rs_shm_mapping_t;

typedef struct rs_shm_object {
    bool used;
    uint16_t gen;
    rs_mem_client_t *owner;
    uint32_t pages;
    vka_object_t *frames;
    seL4_CPtr cap; /* the original badged cap every holder's copy derives from */
    rs_shm_mapping_t maps[RS_SHM_MAX_MAPS];
} rs_shm_object_t;

static rs_shm_object_t rs_shm_objects[RS_SHM_MAX_OBJECTS];
static seL4_CPtr rs_shm_service_ep;

static seL4_Word rs_shm_badge(uint32_t index, uint16_t gen)
{
    return RS_SHM_BADGE_FLAG | ((seL4_Word)index << 16) | gen;
}

void rs_shm_init(rs_env_t *env, seL4_CPtr service_ep)
{
    (void)env;
    rs_shm_service_ep = service_ep;
}

bool rs_shm_is_object_badge(seL4_Word badge)
{
    return (badge & RS_SHM_BADGE_FLAG) != 0;
}

void rs_mem_client_init(rs_mem_client_t *c, const char *name, vspace_t *vspace, uint32_t pages_quota,
                        bool may_use)
{
    c->name = name;
    c->vspace = vspace;
    c->next_vaddr = RS_SHM_VADDR_BASE;
    c->pages_quota = pages_quota;
    c->pages_used = 0;
    c->may_use = may_use;
}

/* Decode: the object a badge names, or NULL (not an object badge, out of range, stale). */
static rs_shm_object_t *rs_shm_lookup(seL4_Word badge)
{
    if (!rs_shm_is_object_badge(badge)) {
        return NULL;
    }
    uint32_t index = (uint32_t)((badge >> 16) & 0xffffu);
    if (index >= RS_SHM_MAX_OBJECTS || (badge & ~(RS_SHM_BADGE_FLAG | 0xffffffffull)) != 0) {
        return NULL;
    }
    rs_shm_object_t *o = &rs_shm_objects[index];
    if (!o->used || rs_shm_badge(index, o->gen) != badge) {
        return NULL;
    }
    return o;
}

static rs_shm_mapping_t *rs_shm_mapping_of(rs_shm_object_t *o, const rs_mem_client_t *c)
{
    for (uint32_t i = 0; i < RS_SHM_MAX_MAPS; i++) {
        if (o->maps[i].client == c) {
            return &o->maps[i];
        }
    }
    return NULL;
}

static void rs_shm_free_slots(rs_env_t *env, seL4_CPtr *caps, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (caps[i] != seL4_CapNull) {
            cspacepath_t path;
            vka_cspace_make_path(&env->vka, caps[i], &path);
            vka_cnode_delete(&path);
            vka_cspace_free(&env->vka, caps[i]);
        }
    }
}

/* The client's address space has run out of run-time area: start over when nothing is mapped
 * (page tables stay with the address space, so reusing addresses costs nothing more). */
static bool rs_shm_client_has_maps(const rs_mem_client_t *c)
{
    for (uint32_t i = 0; i < RS_SHM_MAX_OBJECTS; i++) {
        if (rs_shm_objects[i].used && rs_shm_mapping_of(&rs_shm_objects[i], c) != NULL) {
            return true;
        }
    }
    return false;
}

static int rs_shm_map_into(rs_env_t *env, rs_shm_object_t *o, rs_mem_client_t *c, bool writable,
                           uint64_t *vaddr_out)
{
    rs_shm_mapping_t *m = rs_shm_mapping_of(o, NULL);
    if (m == NULL) {
        return ROOTMEM_ERR_NO_MEMORY;
    }
    uint64_t bytes = (uint64_t)o->pages << RS_SHM_PAGE_BITS;
    if (!rs_shm_client_has_maps(c)) {
        c->next_vaddr = RS_SHM_VADDR_BASE;
    }
    uint64_t vaddr = c->next_vaddr;
    if (vaddr + bytes + RS_SHM_GUARD > RS_SHM_VADDR_END) {
        return ROOTMEM_ERR_NO_MEMORY;
    }
    seL4_CPtr *copies = calloc(o->pages, sizeof(*copies));
    if (copies == NULL) {
        return ROOTMEM_ERR_NO_MEMORY;
    }
    for (uint32_t p = 0; p < o->pages; p++) {
        cspacepath_t src, dest;
        vka_cspace_make_path(&env->vka, o->frames[p].cptr, &src);
        if (vka_cspace_alloc_path(&env->vka, &dest) != 0) {
            rs_shm_free_slots(env, copies, p);
            free(copies);
            return ROOTMEM_ERR_NO_MEMORY;
        }
        copies[p] = dest.capPtr;
        if (vka_cnode_copy(&dest, &src, seL4_AllRights) != 0) {
            rs_shm_free_slots(env, copies, p + 1);
            free(copies);
            return ROOTMEM_ERR_NO_MEMORY;
        }
    }
    seL4_CapRights_t rights = seL4_CapRights_new(0, 0, 1, writable);
    reservation_t res = vspace_reserve_range_at(c->vspace, (void *)(uintptr_t)vaddr, bytes, rights, 1);
    int err = res.res == NULL;
    if (!err) {
        err = vspace_map_pages_at_vaddr(c->vspace, copies, NULL, (void *)(uintptr_t)vaddr, o->pages,
                                        RS_SHM_PAGE_BITS, res);
        if (err) {
            vspace_free_reservation(c->vspace, res);
        }
    }
    if (err) {
        rs_shm_free_slots(env, copies, o->pages);
        free(copies);
        return ROOTMEM_ERR_NO_MEMORY;
    }
    m->client = c;
    m->vaddr = vaddr;
    m->res = res;
    m->copies = copies;
    c->next_vaddr = vaddr + bytes + RS_SHM_GUARD;
    *vaddr_out = vaddr;
    return NG_OK;
}

static void rs_shm_unmap_one(rs_env_t *env, rs_shm_object_t *o, rs_shm_mapping_t *m)
{
    vspace_unmap_pages(m->client->vspace, (void *)(uintptr_t)m->vaddr, o->pages, RS_SHM_PAGE_BITS,
                       VSPACE_PRESERVE);
    vspace_free_reservation(m->client->vspace, m->res);
    rs_shm_free_slots(env, m->copies, o->pages);
    free(m->copies);
    memset(m, 0, sizeof(*m));
}

static void rs_shm_free_object(rs_env_t *env, rs_shm_object_t *o)
{
    for (uint32_t i = 0; i < RS_SHM_MAX_MAPS; i++) {
        if (o->maps[i].client != NULL) {
            rs_shm_unmap_one(env, o, &o->maps[i]);
        }
    }
    if (o->cap != seL4_CapNull) {
        cspacepath_t path;
        vka_cspace_make_path(&env->vka, o->cap, &path);
        /* Every copy a process holds derives from this one: revoke deletes them all. */
        vka_cnode_revoke(&path);
        vka_cnode_delete(&path);
        vka_cspace_free(&env->vka, o->cap);
    }
    for (uint32_t p = 0; p < o->pages; p++) {
        if (o->frames[p].cptr != seL4_CapNull) {
            vka_free_object(&env->vka, &o->frames[p]);
        }
    }
    if (o->owner != NULL) {
        o->owner->pages_used -= o->pages;
    }
    free(o->frames);
    uint16_t gen = o->gen;
    memset(o, 0, sizeof(*o));
    o->gen = (uint16_t)(gen + 1);
}

int rs_shm_create(rs_env_t *env, rs_mem_client_t *c, uint32_t pages, seL4_CPtr *obj_cap, uint64_t *vaddr,
                  uint64_t *bytes)
{
    if (!c->may_use) {
        return ROOTMEM_ERR_PERMISSION;
    }
    if (pages == 0 || pages > ROOTMEM_MAX_PAGES) {
        return ROOTMEM_ERR_BAD_SIZE;
    }
    if (pages > c->pages_quota - c->pages_used) {
        return ROOTMEM_ERR_NO_MEMORY;
    }
    uint32_t index = 0;
    while (index < RS_SHM_MAX_OBJECTS && rs_shm_objects[index].used) {
        index++;
    }
    if (index == RS_SHM_MAX_OBJECTS) {
        return ROOTMEM_ERR_NO_MEMORY;
    }

    rs_shm_object_t *o = &rs_shm_objects[index];
    o->used = true;
    o->pages = pages;
    o->frames = calloc(pages, sizeof(*o->frames));
    int err = o->frames == NULL;
    for (uint32_t p = 0; !err && p < pages; p++) {
        err = vka_alloc_frame(&env->vka, RS_SHM_PAGE_BITS, &o->frames[p]);
    }
    if (!err) {
        cspacepath_t src, dest;
        vka_cspace_make_path(&env->vka, rs_shm_service_ep, &src);
        err = vka_cspace_alloc_path(&env->vka, &dest);
        if (!err) {
            o->cap = dest.capPtr;
            err = vka_cnode_mint(&dest, &src, seL4_NoRights, rs_shm_badge(index, o->gen));
        }
    }
    if (!err) {
        o->owner = c;
        c->pages_used += pages;
        err = rs_shm_map_into(env, o, c, true, vaddr);
        if (err) {
            rs_shm_free_object(env, o);
            return err;
        }
        *obj_cap = o->cap;
        *bytes = (uint64_t)pages << RS_SHM_PAGE_BITS;
        return NG_OK;
    }
    rs_shm_free_object(env, o);
    return ROOTMEM_ERR_NO_MEMORY;
}

int rs_shm_map(rs_env_t *env, rs_mem_client_t *c, seL4_Word obj_badge, bool writable, uint64_t *vaddr,
               uint64_t *bytes)
{
    if (!c->may_use) {
        return ROOTMEM_ERR_PERMISSION;
    }
    rs_shm_object_t *o = rs_shm_lookup(obj_badge);
    if (o == NULL) {
        return ROOTMEM_ERR_BAD_OBJECT;
    }
    if (rs_shm_mapping_of(o, c) != NULL) {
        return ROOTMEM_ERR_MAPPED;
    }
    int err = rs_shm_map_into(env, o, c, writable, vaddr);
    if (err == NG_OK) {
        *bytes = (uint64_t)o->pages << RS_SHM_PAGE_BITS;
    }
    return err;
}

int rs_shm_unmap(rs_env_t *env, rs_mem_client_t *c, seL4_Word obj_badge)
{
    rs_shm_object_t *o = rs_shm_lookup(obj_badge);
    if (o == NULL) {
        return ROOTMEM_ERR_BAD_OBJECT;
    }
    rs_shm_mapping_t *m = rs_shm_mapping_of(o, c);
    if (m == NULL) {
        return ROOTMEM_ERR_NOT_MAPPED;
    }
    rs_shm_unmap_one(env, o, m);
    return NG_OK;
}

int rs_shm_destroy(rs_env_t *env, rs_mem_client_t *c, seL4_Word obj_badge)
{
    rs_shm_object_t *o = rs_shm_lookup(obj_badge);
    if (o == NULL) {
        return ROOTMEM_ERR_BAD_OBJECT;
    }
    if (o->owner != c) {
        return ROOTMEM_ERR_PERMISSION;
    }
    rs_shm_free_object(env, o);
    return NG_OK;
}

void rs_shm_stats(const rs_mem_client_t *c, uint32_t *objects, uint32_t *pages_used, uint32_t *pages_quota)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < RS_SHM_MAX_OBJECTS; i++) {
        n += rs_shm_objects[i].used && rs_shm_objects[i].owner == c;
    }
    *objects = n;
    *pages_used = c->pages_used;
    *pages_quota = c->pages_quota;
}

void rs_shm_client_gone(rs_env_t *env, rs_mem_client_t *c)
{
    for (uint32_t i = 0; i < RS_SHM_MAX_OBJECTS; i++) {
        rs_shm_object_t *o = &rs_shm_objects[i];
        if (!o->used) {
            continue;
        }
        if (o->owner == c) {
            rs_shm_free_object(env, o);
            continue;
        }
        rs_shm_mapping_t *m = rs_shm_mapping_of(o, c);
        if (m != NULL) {
            rs_shm_unmap_one(env, o, m);
        }
    }
    c->next_vaddr = RS_SHM_VADDR_BASE;
}

/* --- the service (idl/rootmem.idl): ctx is the process table, the badge names the caller --- */

static rs_mem_client_t *rs_mem_caller(rs_procs_t *t, ng_badge_t badge)
{
    rs_proc_t *p = rs_procs_by_badge(t, badge & ~(ng_badge_t)t->sys->service_badge);
    return p != NULL && p->state == RS_PROC_RUNNING ? &rs_proc_state(t, p)->mem : NULL;
}

/* The object a request names: the badge the kernel unwrapped from the cap it carries (a cap to
 * anything else arrives as a cap, or not at all, and names no object). */
static seL4_Word rs_mem_object_badge(const ng_call_t *call)
{
    const ng_msg_t *m = call->msg;
    return m != NULL && m->ncaps == 1 && m->caps[0] == 0 ? m->cap_badges[0] : 0;
}

static int rs_rootmem_create(void *ctx, ng_call_t *call, const rootmem_create_req_t *req, rootmem_create_rep_t *rep)
{
    rs_procs_t *t = ctx;
    rs_mem_client_t *c = rs_mem_caller(t, call->badge);
    if (c == NULL) {
        return ROOTMEM_ERR_PERMISSION;
    }
    seL4_CPtr cap;
    int err = rs_shm_create(t->env, c, req->pages, &cap, &rep->vaddr, &rep->bytes);
    if (err == NG_OK) {
        rep->obj = cap;
    }
    return err;
}

static int rs_rootmem_map(void *ctx, ng_call_t *call, const rootmem_map_req_t *req, rootmem_map_rep_t *rep)
{
    rs_procs_t *t = ctx;
    rs_mem_client_t *c = rs_mem_caller(t, call->badge);
    if (c == NULL) {
        return ROOTMEM_ERR_PERMISSION;
    }
    (void)req->obj;
    return rs_shm_map(t->env, c, rs_mem_object_badge(call), req->writable, &rep->vaddr, &rep->bytes);
}

static int rs_rootmem_unmap(void *ctx, ng_call_t *call, const rootmem_unmap_req_t *req)
{
    rs_procs_t *t = ctx;
    rs_mem_client_t *c = rs_mem_caller(t, call->badge);
    (void)req;
    return c == NULL ? ROOTMEM_ERR_BAD_OBJECT : rs_shm_unmap(t->env, c, rs_mem_object_badge(call));
}

static int rs_rootmem_destroy(void *ctx, ng_call_t *call, const rootmem_destroy_req_t *req)
{
    rs_procs_t *t = ctx;
    rs_mem_client_t *c = rs_mem_caller(t, call->badge);
    (void)req;
    return c == NULL ? ROOTMEM_ERR_PERMISSION : rs_shm_destroy(t->env, c, rs_mem_object_badge(call));
}

static int rs_rootmem_stats(void *ctx, ng_call_t *call, rootmem_stats_rep_t *rep)
{
    rs_procs_t *t = ctx;
    rs_mem_client_t *c = rs_mem_caller(t, call->badge);
    if (c == NULL) {
        return ROOTMEM_ERR_PERMISSION;
    }
    rs_shm_stats(c, &rep->objects, &rep->pages_used, &rep->pages_quota);
    return NG_OK;
}

const rootmem_ops_t rs_rootmem_ops = {
    .create = rs_rootmem_create,
    .map = rs_rootmem_map,
    .unmap = rs_rootmem_unmap,
    .destroy = rs_rootmem_destroy,
    .stats = rs_rootmem_stats,
};
