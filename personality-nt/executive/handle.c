/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-client handle tables with access masks: generic rights are mapped per object type when a
 * handle is made, and each use is checked against the rights it names.
 */
#include <string.h>

#include "handle.h"

static ht_table_t tables[HT_MAX_TABLES];
static ht_live_fn live_fn;

void ht_init(ht_live_fn live)
{
    for (unsigned i = 0; i < HT_MAX_TABLES; i++)
        if (tables[i].used) ht_destroy(&tables[i]);
    live_fn = live;
}

ht_table_t *ht_table(uint64_t badge, int create)
{
    for (unsigned i = 0; i < HT_MAX_TABLES; i++)
        if (tables[i].used && tables[i].badge == badge) return &tables[i];
    if (!create) return NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < HT_MAX_TABLES; i++) {
            ht_table_t *t = &tables[i];
            if (t->used && pass == 1 && live_fn && !live_fn(t->badge)) ht_destroy(t);
            if (!t->used) {
                memset(t, 0, sizeof *t);
                t->used = 1;
                t->badge = badge;
                return t;
            }
        }
    }
    return NULL;
}

void ht_destroy(ht_table_t *t)
{
    if (!t || !t->used) return;
    for (unsigned i = 0; i < HT_MAX_HANDLES; i++) {
        ob_t *o = t->e[i].obj;
        if (!o) continue;
        t->e[i].obj = NULL;
        ob_deref(o);
    }
    t->used = 0;
    t->count = 0;
}

/* GENERIC_READ, GENERIC_WRITE, GENERIC_EXECUTE, GENERIC_ALL per type (NT's mappings). */
static const uint32_t mapping[OB_TYPES][4] = {
    [OB_DIRECTORY] = { 0x00020003u, 0x0002000Cu, 0x00020003u, 0x000F000Fu },
    [OB_SYMLINK] = { 0x00020001u, 0x00020000u, 0x00020001u, 0x000F0001u },
    [OB_DEVICE] = { 0x00120089u, 0x00120116u, 0x001200A0u, HT_FILE_ALL_ACCESS },
    [OB_DRIVER] = { 0x00020000u, 0x00020000u, 0x00020000u, 0x001F01FFu },
    [OB_FILE] = { 0x00120089u, 0x00120116u, 0x001200A0u, HT_FILE_ALL_ACCESS },
    [OB_EVENT] = { 0x00120001u, 0x00120002u, 0x00120000u, 0x001F0003u },
    [OB_PROCESS] = { 0x00120410u, 0x00120BEAu, 0x00121000u, 0x001FFFFFu },
};

uint32_t ht_all_access(ob_type_t type)
{
    return type > 0 && type < OB_TYPES ? mapping[type][3] : 0;
}

uint32_t ht_map_generic(ob_type_t type, uint32_t access)
{
    if (type <= 0 || type >= OB_TYPES) return 0;
    uint32_t out = access & ~(HT_GENERIC_READ | HT_GENERIC_WRITE | HT_GENERIC_EXECUTE | HT_GENERIC_ALL | HT_MAXIMUM_ALLOWED);
    if (access & HT_GENERIC_READ) out |= mapping[type][0];
    if (access & HT_GENERIC_WRITE) out |= mapping[type][1];
    if (access & HT_GENERIC_EXECUTE) out |= mapping[type][2];
    if (access & (HT_GENERIC_ALL | HT_MAXIMUM_ALLOWED)) out |= mapping[type][3];
    return out;
}

NTSTATUS ht_insert(ht_table_t *t, ob_t *obj, uint32_t access, uint64_t *handle)
{
    *handle = 0;
    if (!t || !obj) return STATUS_INVALID_PARAMETER;
    for (unsigned i = 0; i < HT_MAX_HANDLES; i++) {
        if (t->e[i].obj) continue;
        t->e[i].obj = obj;
        t->e[i].access = access;
        t->count++;
        ob_ref(obj);
        *handle = ((uint64_t)i + 1) * 4;
        return STATUS_SUCCESS;
    }
    return STATUS_INSUFFICIENT_RESOURCES;
}

static ht_entry_t *entry(ht_table_t *t, uint64_t h)
{
    if (!t || h == 0 || (h & 3) != 0 || h / 4 > HT_MAX_HANDLES) return NULL;
    ht_entry_t *e = &t->e[h / 4 - 1];
    return e->obj ? e : NULL;
}

NTSTATUS ht_lookup(ht_table_t *t, uint64_t h, ob_type_t type, uint32_t need, ob_t **obj, uint32_t *granted)
{
    *obj = NULL;
    ht_entry_t *e = entry(t, h);
    if (!e) return STATUS_INVALID_HANDLE;
    if (type && e->obj->type != type) return STATUS_OBJECT_TYPE_MISMATCH;
    if ((e->access & need) != need) return STATUS_ACCESS_DENIED;
    *obj = e->obj;
    if (granted) *granted = e->access;
    return STATUS_SUCCESS;
}

NTSTATUS ht_remove(ht_table_t *t, uint64_t h, ob_t **obj)
{
    *obj = NULL;
    ht_entry_t *e = entry(t, h);
    if (!e) return STATUS_INVALID_HANDLE;
    *obj = e->obj;
    e->obj = NULL;
    e->access = 0;
    t->count--;
    return STATUS_SUCCESS;
}

uint32_t ht_total(void)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < HT_MAX_TABLES; i++)
        if (tables[i].used) n += tables[i].count;
    return n;
}
