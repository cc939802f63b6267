/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pathname manager's prefix table, plain C (host-unit-tested): registrations of normalised
 * absolute prefixes, each with its owner (the registrant's badge), a kind, the slot holding the
 * manager's cap and an id; longest-prefix resolution on '/'-component boundaries with union
 * stacking (several managers on one prefix, the latest first).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PM_PATH_MAX 256

typedef struct pm_entry {
    uint32_t id; /* 0: free */
    uint64_t owner;
    uint8_t kind;
    uint64_t slot; /* where the manager's cap is kept */
    char prefix[PM_PATH_MAX + 1];
} pm_entry_t;

typedef struct pm_table {
    pm_entry_t *entries;
    unsigned n;
    uint32_t next_id;
} pm_table_t;

enum { PM_OK = 0, PM_NOT_FOUND, PM_BAD_PREFIX, PM_FULL, PM_NOT_OWNER };

/* entries[i] keeps its cap in slots[i] (given by the server: slot_base + i). */
void pm_table_init(pm_table_t *t, pm_entry_t *entries, unsigned n, uint64_t slot_base);

/* Registers `prefix` (must be normalised absolute, PM_BAD_PREFIX otherwise) for `owner`. If the
 * owner already registered it, that entry is replaced (*replaced = 1): the caller then drops the
 * cap in its slot before keeping the new one there. *out is the entry (its slot, new id). */
int pm_register(pm_table_t *t, uint64_t owner, const char *prefix, size_t len, uint8_t kind, pm_entry_t **out, int *replaced);

/* Removes entry `id` if `owner` registered it; *out is the freed entry's copy (for its slot). */
int pm_unregister(pm_table_t *t, uint64_t owner, uint32_t id, pm_entry_t *out);

/* Calls drop(e) for every entry of `owner` and frees them; returns how many. */
unsigned pm_reset(pm_table_t *t, uint64_t owner, void (*drop)(const pm_entry_t *e, void *ctx), void *ctx);

/* Resolves an absolute path (normalised here: '//', '.', '..'; PM_BAD_PREFIX if it is not
 * absolute or climbs above '/'). after == 0: the best candidate; otherwise the one after
 * the candidate with that id (PM_NOT_FOUND past the last, or if `after` is no candidate).
 * *rest points into `norm` (the normalised path, PM_PATH_MAX + 1 bytes). */
int pm_resolve(const pm_table_t *t, const char *path, size_t len, uint32_t after, char *norm, const pm_entry_t **out,
               const char **rest);

/* The index-th registration in table order, or NULL; *more says whether another follows. */
const pm_entry_t *pm_list(const pm_table_t *t, uint32_t index, int *more);
