/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The file allocation table: reading and writing 12-, 16- and 28-bit entries through a
 * one-sector write-back window (written to every FAT copy), following chains, allocating and
 * freeing clusters with the FSInfo free count and next-free hint kept right, and the volume's
 * dirty marks (FAT[1]'s clean-shutdown bit, the boot sector's dirty flag).
 */
#include "fat_int.h"

fat_err_t fat_fwin_flush(fat_volume_t *v)
{
    if (!v->fwin_dirty) return FAT_OK;
    for (uint32_t i = 0; i < v->num_fats; i++) {
        if (!v->mirror && i != v->active_fat) continue;
        fat_err_t e = fat_dev_write(v, (uint64_t)v->reserved + (uint64_t)i * v->fat_size + v->fwin_sector, v->fwin_count, v->fwin);
        if (e) return e;
    }
    v->fwin_dirty = 0;
    return FAT_OK;
}

/* Makes the window hold FAT sector `rel`; returns the byte offset of that sector in it. */
static fat_err_t fwin_load(fat_volume_t *v, uint32_t rel, uint32_t *at)
{
    if (v->fwin_sector != UINT32_MAX && rel >= v->fwin_sector && rel - v->fwin_sector < v->fwin_count) {
        *at = (rel - v->fwin_sector) * v->bps;
        return FAT_OK;
    }
    fat_err_t e = fat_fwin_flush(v);
    if (e) return e;
    if (rel >= v->fat_size) return FAT_ECORRUPT;
    v->fwin_sector = UINT32_MAX;
    uint32_t n = rel + 1 < v->fat_size ? 2 : 1;
    e = fat_dev_read(v, (uint64_t)v->reserved + (uint64_t)v->active_fat * v->fat_size + rel, n, v->fwin);
    if (e) return e;
    v->fwin_sector = rel;
    v->fwin_count = n;
    *at = 0;
    return FAT_OK;
}

static fat_err_t byte_get(fat_volume_t *v, uint32_t off, uint8_t *b)
{
    uint32_t at;
    fat_err_t e = fwin_load(v, off / v->bps, &at);
    if (e == FAT_OK) *b = v->fwin[at + off % v->bps];
    return e;
}

static fat_err_t byte_set(fat_volume_t *v, uint32_t off, uint8_t b)
{
    uint32_t at;
    fat_err_t e = fwin_load(v, off / v->bps, &at);
    if (e) return e;
    v->fwin[at + off % v->bps] = b;
    v->fwin_dirty = 1;
    return FAT_OK;
}

/* Any entry, 0 and 1 included (the caller checks ranges). */
static fat_err_t raw_get(fat_volume_t *v, uint32_t c, uint32_t *val)
{
    uint32_t width = v->type == FAT_TYPE_12 ? 0 : v->type == FAT_TYPE_16 ? 2 : 4;
    uint32_t off = width ? c * width : c + c / 2;
    uint32_t n = width ? width : 2, x = 0, at;
    fat_err_t e = fwin_load(v, off / v->bps, &at);
    if (e) return e;
    at += off % v->bps;
    if (at + n <= v->fwin_count * v->bps) { /* the whole entry is in the window: no more loads */
        for (uint32_t i = 0; i < n; i++) x |= (uint32_t)v->fwin[at + i] << (8 * i);
    } else {
        for (uint32_t i = 0; i < n; i++) {
            uint8_t b;
            if ((e = byte_get(v, off + i, &b))) return e;
            x |= (uint32_t)b << (8 * i);
        }
    }
    if (v->type == FAT_TYPE_12) x = (c & 1) ? x >> 4 : x & 0xFFF;
    if (v->type == FAT_TYPE_32) x &= 0x0FFFFFFF;
    *val = x;
    return FAT_OK;
}

static fat_err_t raw_set(fat_volume_t *v, uint32_t c, uint32_t val)
{
    fat_err_t e;
    if (v->type == FAT_TYPE_12) {
        uint32_t off = c + c / 2;
        uint8_t lo, hi;
        if ((e = byte_get(v, off, &lo)) || (e = byte_get(v, off + 1, &hi))) return e;
        uint32_t x = (uint32_t)lo | (uint32_t)hi << 8;
        x = (c & 1) ? (x & 0x000F) | (val & 0xFFF) << 4 : (x & 0xF000) | (val & 0xFFF);
        if ((e = byte_set(v, off, (uint8_t)x)) || (e = byte_set(v, off + 1, (uint8_t)(x >> 8)))) return e;
        return FAT_OK;
    }
    uint32_t width = v->type == FAT_TYPE_16 ? 2 : 4, off = c * width;
    if (v->type == FAT_TYPE_32) {
        uint8_t top;
        if ((e = byte_get(v, off + 3, &top))) return e;
        val = (val & 0x0FFFFFFF) | (uint32_t)(top & 0xF0) << 24; /* the top 4 bits are reserved */
    }
    for (uint32_t i = 0; i < width; i++)
        if ((e = byte_set(v, off + i, (uint8_t)(val >> (8 * i))))) return e;
    return FAT_OK;
}

fat_err_t fat_get(fat_volume_t *v, uint32_t c, uint32_t *val)
{
    if (!fat_valid_cluster(v, c)) return FAT_ECORRUPT;
    return raw_get(v, c, val);
}

fat_err_t fat_set(fat_volume_t *v, uint32_t c, uint32_t val)
{
    if (!fat_valid_cluster(v, c)) return FAT_ECORRUPT;
    return raw_set(v, c, val);
}

static bool is_eoc(const fat_volume_t *v, uint32_t val)
{
    return val >= (v->type == FAT_TYPE_12 ? 0xFF8u : v->type == FAT_TYPE_16 ? 0xFFF8u : 0x0FFFFFF8u);
}

fat_err_t fat_next(fat_volume_t *v, uint32_t c, uint32_t *next)
{
    uint32_t val;
    fat_err_t e = fat_get(v, c, &val);
    if (e) return e;
    if (is_eoc(v, val)) {
        *next = 0;
        return FAT_OK;
    }
    if (!fat_valid_cluster(v, val)) return FAT_ECORRUPT; /* free, reserved, bad or past the end */
    *next = val;
    return FAT_OK;
}

fat_err_t fat_chain_next(fat_volume_t *v, uint32_t c, uint32_t *next)
{
    if (!v->mounted || !fat_valid_cluster(v, c)) return FAT_EINVAL;
    return fat_next(v, c, next);
}

fat_err_t fat_alloc(fat_volume_t *v, uint32_t prev, uint32_t *out)
{
    if (v->read_only) return FAT_EROFS;
    uint32_t c = fat_valid_cluster(v, v->next_free) ? v->next_free : 2;
    for (uint32_t n = 0; n < v->clusters; n++) {
        uint32_t val;
        fat_err_t e = fat_get(v, c, &val);
        if (e) return e;
        if (val == 0) {
            if ((e = fat_set(v, c, v->eoc))) return e;
            if (prev && (e = fat_set(v, prev, c))) return e;
            /* A count that says full while a cluster is free was wrong: forget it. */
            if (v->free_count != UINT32_MAX) v->free_count = v->free_count ? v->free_count - 1 : UINT32_MAX;
            v->next_free = c + 1 <= v->clusters + 1 ? c + 1 : 2;
            *out = c;
            return FAT_OK;
        }
        c = c + 1 <= v->clusters + 1 ? c + 1 : 2;
    }
    v->free_count = 0;
    return FAT_ENOSPC;
}

fat_err_t fat_free_chain(fat_volume_t *v, uint32_t c)
{
    for (uint32_t n = 0; c != 0; n++) {
        if (n > v->clusters || !fat_valid_cluster(v, c)) return FAT_ECORRUPT;
        uint32_t val;
        fat_err_t e = fat_get(v, c, &val);
        if (e) return e;
        if (val == 0) return FAT_ECORRUPT; /* a free cluster inside a chain (or a loop we freed) */
        if ((e = fat_set(v, c, 0))) return e;
        if (v->free_count != UINT32_MAX && v->free_count < v->clusters) v->free_count++;
        if (c < v->next_free) v->next_free = c;
        if (is_eoc(v, val)) return FAT_OK;
        if (!fat_valid_cluster(v, val)) return FAT_ECORRUPT;
        c = val;
    }
    return FAT_OK;
}

fat_err_t fat_zero_cluster(fat_volume_t *v, uint32_t c)
{
    if (!fat_valid_cluster(v, c)) return FAT_ECORRUPT;
    uint64_t s = fat_cluster_sector(v, c);
    fat_dwin_forget(v, s, v->spc);
    for (uint32_t i = 0; i < v->spc; i++) {
        fat_err_t e = fat_dev_write(v, s + i, 1, v->zero_buf);
        if (e) return e;
    }
    return FAT_OK;
}

static fat_err_t mark_boot(fat_volume_t *v, uint64_t sector, bool dirty)
{
    fat_err_t e = fat_dwin_load(v, sector);
    if (e) return e;
    uint8_t *flags = &v->dwin[v->type == FAT_TYPE_32 ? 0x41 : 0x25];
    uint8_t want = dirty ? (uint8_t)(*flags | 1) : (uint8_t)(*flags & ~1u);
    if (want == *flags) return FAT_OK;
    *flags = want;
    return fat_dwin_store(v);
}

fat_err_t fat_mark(fat_volume_t *v, bool dirty)
{
    fat_err_t e;
    if (v->type != FAT_TYPE_12) {
        uint32_t bit = v->type == FAT_TYPE_16 ? 0x8000u : 0x08000000u, val;
        if ((e = raw_get(v, 1, &val))) return e;
        if ((e = raw_set(v, 1, dirty ? val & ~bit : val | bit))) return e;
        if ((e = fat_fwin_flush(v))) return e;
    }
    if ((e = mark_boot(v, 0, dirty))) return e;
    if (v->backup_boot && (e = mark_boot(v, v->backup_boot, dirty))) return e;
    return FAT_OK;
}
