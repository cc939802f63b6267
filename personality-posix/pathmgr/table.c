/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pathname manager's prefix table: a fixed array (MAX_PREFIXES entries), searched linearly
 * — resolution compares every entry anyway to find the longest match, and 64 short strings are
 * cheaper to scan than a trie is to keep. Candidates of a path are ordered by prefix length,
 * then by id (latest registration first); `after` walks that order for union stacking.
 */
#include <string.h>

#include <resmgr/resmgr.h>

#include "table.h"

void pm_table_init(pm_table_t *t, pm_entry_t *entries, unsigned n, uint64_t slot_base)
{
    memset(entries, 0, sizeof(*entries) * n);
    for (unsigned i = 0; i < n; i++) entries[i].slot = slot_base + i;
    t->entries = entries;
    t->n = n;
    t->next_id = 1;
}

static uint32_t new_id(pm_table_t *t)
{
    uint32_t id = t->next_id++;
    if (t->next_id == 0) t->next_id = 1;
    return id;
}

int pm_register(pm_table_t *t, uint64_t owner, const char *prefix, size_t len, uint8_t kind, pm_entry_t **out, int *replaced)
{
    if (len == 0 || len > PM_PATH_MAX || !resmgr_path_is_normal(prefix, len, 1)) return PM_BAD_PREFIX;
    pm_entry_t *e = NULL, *free = NULL;
    for (unsigned i = 0; i < t->n; i++) {
        pm_entry_t *x = &t->entries[i];
        if (x->id == 0) {
            if (!free) free = x;
        } else if (x->owner == owner && strlen(x->prefix) == len && memcmp(x->prefix, prefix, len) == 0) {
            e = x;
        }
    }
    *replaced = e != NULL;
    if (!e) e = free;
    if (!e) return PM_FULL;
    e->id = new_id(t);
    e->owner = owner;
    e->kind = kind;
    memcpy(e->prefix, prefix, len);
    e->prefix[len] = 0;
    *out = e;
    return PM_OK;
}

int pm_unregister(pm_table_t *t, uint64_t owner, uint32_t id, pm_entry_t *out)
{
    for (unsigned i = 0; i < t->n; i++) {
        pm_entry_t *x = &t->entries[i];
        if (id == 0 || x->id != id) continue;
        if (x->owner != owner) return PM_NOT_OWNER;
        *out = *x;
        x->id = 0;
        return PM_OK;
    }
    return PM_NOT_FOUND;
}

unsigned pm_reset(pm_table_t *t, uint64_t owner, void (*drop)(const pm_entry_t *e, void *ctx), void *ctx)
{
    unsigned n = 0;
    for (unsigned i = 0; i < t->n; i++) {
        pm_entry_t *x = &t->entries[i];
        if (x->id == 0 || x->owner != owner) continue;
        if (drop) drop(x, ctx);
        x->id = 0;
        n++;
    }
    return n;
}

/* Whether candidate a comes before b: a longer prefix, then a later registration. */
static int before(const pm_entry_t *a, const pm_entry_t *b)
{
    size_t la = strlen(a->prefix), lb = strlen(b->prefix);
    return la != lb ? la > lb : a->id > b->id;
}

int pm_resolve(const pm_table_t *t, const char *path, size_t len, uint32_t after, char *norm, const pm_entry_t **out,
               const char **rest)
{
    if (len > PM_PATH_MAX || resmgr_path_normalise(path, len, 1, norm, PM_PATH_MAX + 1) != 0) return PM_BAD_PREFIX;
    const pm_entry_t *prev = NULL, *best = NULL;
    const char *r;
    if (after != 0) {
        for (unsigned i = 0; i < t->n && !prev; i++) {
            const pm_entry_t *x = &t->entries[i];
            if (x->id == after && resmgr_path_under(norm, x->prefix, &r)) prev = x;
        }
        if (!prev) return PM_NOT_FOUND;
    }
    for (unsigned i = 0; i < t->n; i++) {
        const pm_entry_t *x = &t->entries[i];
        if (x->id == 0 || !resmgr_path_under(norm, x->prefix, &r)) continue;
        if (prev && !before(prev, x)) continue; /* at or before `after` */
        if (!best || before(x, best)) best = x;
    }
    if (!best) return PM_NOT_FOUND;
    resmgr_path_under(norm, best->prefix, rest);
    *out = best;
    return PM_OK;
}

const pm_entry_t *pm_list(const pm_table_t *t, uint32_t index, int *more)
{
    const pm_entry_t *found = NULL;
    uint32_t k = 0;
    *more = 0;
    for (unsigned i = 0; i < t->n; i++) {
        if (t->entries[i].id == 0) continue;
        if (found) {
            *more = 1;
            break;
        }
        if (k++ == index) found = &t->entries[i];
    }
    return found;
}
