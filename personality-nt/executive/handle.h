/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Handle tables: one per client (its badge). A handle is a multiple of 4 from 4 naming an
 * object and the access granted when it was opened (generic rights mapped per object type);
 * every use names the rights it needs. A value the table does not hold, or closed already, is
 * STATUS_INVALID_HANDLE. Pure C over ob.h: the host unit tests link it as it is.
 */
#ifndef NTEXEC_HANDLE_H
#define NTEXEC_HANDLE_H

#include <stdint.h>

#include "ob.h"

#define HT_MAX_TABLES 32   /* clients with handles at once */
#define HT_MAX_HANDLES 128 /* handles of one client */

/* ACCESS_MASK bits beyond idl/ntexec.idl's. */
#define HT_READ_CONTROL 0x00020000u
#define HT_STANDARD_RIGHTS_REQUIRED 0x000F0000u
#define HT_SYNCHRONIZE 0x00100000u
#define HT_MAXIMUM_ALLOWED 0x02000000u
#define HT_GENERIC_ALL 0x10000000u
#define HT_GENERIC_EXECUTE 0x20000000u
#define HT_GENERIC_WRITE 0x40000000u
#define HT_GENERIC_READ 0x80000000u
#define HT_FILE_READ_DATA 0x0001u
#define HT_FILE_WRITE_DATA 0x0002u
#define HT_FILE_APPEND_DATA 0x0004u
#define HT_FILE_READ_EA 0x0008u
#define HT_FILE_WRITE_EA 0x0010u
#define HT_FILE_EXECUTE 0x0020u
#define HT_FILE_READ_ATTRIBUTES 0x0080u
#define HT_FILE_WRITE_ATTRIBUTES 0x0100u
#define HT_DELETE 0x00010000u
#define HT_FILE_ALL_ACCESS 0x001F01FFu

typedef struct ht_entry {
    ob_t *obj;      /* NULL: free */
    uint32_t access;
} ht_entry_t;

typedef struct ht_table {
    uint64_t badge;
    int used;
    uint32_t count;
    ht_entry_t e[HT_MAX_HANDLES];
} ht_table_t;

/* Whether a badge still names a client (run-time connections end): tables of dead badges are
 * reclaimed when a new client needs one. */
typedef int (*ht_live_fn)(uint64_t badge);

void ht_init(ht_live_fn live);
/* The table of `badge`; with `create`, made if missing (NULL: no room). */
ht_table_t *ht_table(uint64_t badge, int create);
/* Closes every handle of a table and frees it. */
void ht_destroy(ht_table_t *t);

/* The specific rights a (generic) access mask means for an object type. */
uint32_t ht_map_generic(ob_type_t type, uint32_t access);
/* Every right of the type (MAXIMUM_ALLOWED, and what the creator of a process gets). */
uint32_t ht_all_access(ob_type_t type);

/* A new handle to `obj` with `access` (already mapped); takes a reference. */
NTSTATUS ht_insert(ht_table_t *t, ob_t *obj, uint32_t access, uint64_t *handle);
/* The object of handle h if it is of `type` (0: any) and grants every right in `need`.
 * STATUS_INVALID_HANDLE, STATUS_OBJECT_TYPE_MISMATCH or STATUS_ACCESS_DENIED otherwise. */
NTSTATUS ht_lookup(ht_table_t *t, uint64_t h, ob_type_t type, uint32_t need, ob_t **obj, uint32_t *granted);
/* Takes handle h out of the table and hands its reference to the caller (*obj). */
NTSTATUS ht_remove(ht_table_t *t, uint64_t h, ob_t **obj);
/* Handles held by every table (statistics). */
uint32_t ht_total(void);

#endif
