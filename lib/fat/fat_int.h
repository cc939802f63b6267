/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the FAT library: on-disk offsets, the sector windows, FAT table access, directory
 * iteration and entry writing, shared by the files of lib/fat.
 */
#ifndef FAT_INT_H
#define FAT_INT_H

#include <fat/fat.h>
#include <stdbool.h>
#include <string.h>

#define FAT_ENTRY_SIZE 32u
#define FAT_ATTR_LFN 0x0Fu
#define FAT_DELETED 0xE5u
#define FAT_LFN_LAST 0x40u
#define FAT_LFN_CHARS 13u
#define FAT_LFN_MAX_ENTRIES 20u

/* Short-entry field offsets. */
#define DE_NAME 0
#define DE_ATTR 11
#define DE_NTRES 12
#define DE_CTIME_TENTH 13
#define DE_CTIME 14
#define DE_CDATE 16
#define DE_ADATE 18
#define DE_CLUS_HI 20
#define DE_WTIME 22
#define DE_WDATE 24
#define DE_CLUS_LO 26
#define DE_SIZE 28

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void wr16(uint8_t *p, uint16_t x) { p[0] = (uint8_t)x; p[1] = (uint8_t)(x >> 8); }
static inline void wr32(uint8_t *p, uint32_t x)
{
    p[0] = (uint8_t)x; p[1] = (uint8_t)(x >> 8); p[2] = (uint8_t)(x >> 16); p[3] = (uint8_t)(x >> 24);
}

/* strlen that stops after max bytes (strnlen is not C11). */
static inline size_t fat_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n]) n++;
    return n;
}

/* io.c: device access in volume sectors, bounded by the volume. */
fat_err_t fat_dev_read(fat_volume_t *v, uint64_t sector, uint32_t count, void *buf);
fat_err_t fat_dev_write(fat_volume_t *v, uint64_t sector, uint32_t count, const void *buf);
/* The data window: one sector of a directory or a file, written through. */
fat_err_t fat_dwin_load(fat_volume_t *v, uint64_t sector);
fat_err_t fat_dwin_store(fat_volume_t *v);
void fat_dwin_forget(fat_volume_t *v, uint64_t first, uint32_t count);
void fat_now(fat_volume_t *v, uint16_t *date, uint16_t *time);

/* table.c: FAT entries and chains. */
static inline bool fat_valid_cluster(const fat_volume_t *v, uint32_t c) { return c >= 2 && c <= v->clusters + 1; }
static inline uint64_t fat_cluster_sector(const fat_volume_t *v, uint32_t c)
{
    return v->data_sector + (uint64_t)(c - 2) * v->spc;
}
fat_err_t fat_get(fat_volume_t *v, uint32_t c, uint32_t *val);
fat_err_t fat_set(fat_volume_t *v, uint32_t c, uint32_t val);
fat_err_t fat_fwin_flush(fat_volume_t *v);
/* The cluster after `c`: *next = 0 at the end of the chain; FAT_ECORRUPT for free, bad or
 * out-of-range links. */
fat_err_t fat_next(fat_volume_t *v, uint32_t c, uint32_t *next);
/* Allocates a cluster (marked end of chain), linked after `prev` unless prev is 0. */
fat_err_t fat_alloc(fat_volume_t *v, uint32_t prev, uint32_t *out);
/* Frees the chain starting at `c` (bounded by the cluster count). */
fat_err_t fat_free_chain(fat_volume_t *v, uint32_t c);
/* Writes zeros over a cluster. */
fat_err_t fat_zero_cluster(fat_volume_t *v, uint32_t c);
/* FAT[1] clean bit and the boot sector's dirty flag. */
fat_err_t fat_mark(fat_volume_t *v, bool dirty);

/* dir.c: directory entries. */
typedef struct fat_dirpos {
    uint32_t first;   /* first cluster; 0: the FAT12/16 fixed root */
    uint32_t cindex;  /* chain-walk cache: `cluster` is the directory's cluster number cindex */
    uint32_t cluster;
} fat_dirpos_t;

/* What the scanner found: a short entry with its long name, if any. */
typedef struct fat_found {
    uint8_t ent[FAT_ENTRY_SIZE];
    uint32_t index;       /* short entry */
    uint32_t name_index;  /* first long-name entry, or index */
    uint64_t sector;
    uint32_t offset;
    bool has_lfn;
    uint16_t lfn[FAT_NAME_MAX + 1];
    uint32_t lfn_len;
} fat_found_t;

void fat_dirpos_init(fat_volume_t *v, fat_dirpos_t *p, uint32_t first);
/* Where entry `index` lives; FAT_ENOENT past the end of the directory. */
fat_err_t fat_dir_locate(fat_volume_t *v, fat_dirpos_t *p, uint32_t index, uint64_t *sector, uint32_t *off);
/* The next short entry (not deleted, not a long-name part) at or after *index; advances
 * *index past it. FAT_ENOENT at the end. */
fat_err_t fat_dir_next(fat_volume_t *v, fat_dirpos_t *p, uint32_t *index, fat_found_t *f);
/* Finds `name` (UTF-8, len bytes) in a directory. */
fat_err_t fat_dir_find(fat_volume_t *v, uint32_t dir_first, const char *name, size_t len, fat_found_t *f);
/* Adds a name to a directory: long-name entries (if the name needs them) and the short entry
 * `ent` (its name bytes are filled in here); returns where the short entry went. */
fat_err_t fat_dir_add(fat_volume_t *v, uint32_t dir_first, const char *name, size_t len, uint8_t ent[FAT_ENTRY_SIZE], fat_found_t *where);
/* Marks entries name_index..index deleted. */
fat_err_t fat_dir_remove(fat_volume_t *v, uint32_t dir_first, uint32_t name_index, uint32_t index);
/* Writes a short entry back in place. */
fat_err_t fat_entry_write(fat_volume_t *v, uint64_t sector, uint32_t off, const uint8_t ent[FAT_ENTRY_SIZE]);
/* Whether a directory has entries other than "." and "..". */
fat_err_t fat_dir_is_empty(fat_volume_t *v, uint32_t dir_first, bool *empty);
void fat_node_from_found(fat_volume_t *v, uint32_t dir_first, const fat_found_t *f, fat_node_t *n);
uint32_t fat_entry_cluster(const fat_volume_t *v, const uint8_t *ent);
void fat_entry_set_cluster(uint8_t *ent, uint32_t c);
/* "NAME.EXT" of a short entry (NT lower-case flags applied), NUL-terminated. */
void fat_short_to_str(const uint8_t *ent, char out[13]);
/* UTF-16 -> UTF-8 (NUL-terminated, fits FAT_NAME_BUF). */
void fat_utf16_to_utf8(const uint16_t *in, uint32_t n, char *out);

/* The directory first-cluster value for the root. */
static inline uint32_t fat_root_first(const fat_volume_t *v) { return v->type == FAT_TYPE_32 ? v->root_cluster : 0; }

#endif /* FAT_INT_H */
