/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File contents: reading and writing through the cluster chain (whole sectors straight between
 * the caller's buffer and the device, partial ones through the data window; clusters that follow
 * each other on the disk in one device read), growing the chain
 * as a write needs, truncation both ways, and the directory entry's size, first cluster and
 * write time kept current after each change. Chain walks start from the last position reached,
 * so sequential I/O walks each link once.
 */
#include "fat_int.h"

/* The cluster at index `ci` of the file's chain: *c = 0 when the chain is shorter. */
static fat_err_t cluster_at(fat_volume_t *v, fat_file_t *f, uint32_t ci, uint32_t *c)
{
    if (f->node.first_cluster == 0) {
        *c = 0;
        return FAT_OK;
    }
    if (f->pos_cluster == 0 || f->pos_index > ci) {
        if (!fat_valid_cluster(v, f->node.first_cluster)) return FAT_ECORRUPT;
        f->pos_index = 0;
        f->pos_cluster = f->node.first_cluster;
    }
    while (f->pos_index < ci) {
        uint32_t next;
        fat_err_t e = fat_next(v, f->pos_cluster, &next);
        if (e) return e;
        if (next == 0) {
            *c = 0;
            return FAT_OK;
        }
        f->pos_cluster = next;
        f->pos_index++;
    }
    *c = f->pos_cluster;
    return FAT_OK;
}

/* Writes the node's size, first cluster and write time into its directory entry. */
static fat_err_t update_entry(fat_volume_t *v, fat_file_t *f)
{
    uint16_t d, t;
    fat_now(v, &d, &t);
    f->node.wdate = d;
    f->node.wtime = t;
    fat_err_t e = fat_dwin_load(v, f->node.entry_sector);
    if (e) return e;
    uint8_t *ent = v->dwin + f->node.entry_offset;
    fat_entry_set_cluster(ent, f->node.first_cluster);
    wr32(ent + DE_SIZE, f->node.size);
    wr16(ent + DE_WTIME, t);
    wr16(ent + DE_WDATE, d);
    wr16(ent + DE_ADATE, d);
    ent[DE_ATTR] |= FAT_ATTR_ARCHIVE;
    return fat_dwin_store(v);
}

fat_err_t fat_read(fat_volume_t *v, fat_file_t *f, uint32_t offset, void *buf, size_t len, size_t *done)
{
    *done = 0;
    if (f->node.attr & FAT_ATTR_DIRECTORY) return FAT_EISDIR;
    if (offset >= f->node.size) return FAT_OK;
    if (len > f->node.size - offset) len = f->node.size - offset;
    uint8_t *out = buf;
    while (*done < len) {
        uint32_t pos = offset + (uint32_t)*done, c;
        fat_err_t e = cluster_at(v, f, pos / v->cluster_size, &c);
        if (e) return e;
        if (c == 0) return FAT_ECORRUPT; /* the chain ends before the size says */
        uint32_t in = pos % v->cluster_size, so = in % v->bps;
        uint64_t sector = fat_cluster_sector(v, c) + in / v->bps;
        size_t left = len - *done;
        if (so == 0 && left >= v->bps) {
            uint32_t n = (uint32_t)(left / v->bps), room = v->spc - in / v->bps;
            /* Following clusters that lie right after this one on the disk join the read (the
             * position cache moves along, as the loop's next cluster_at would have moved it). */
            while (n > room) {
                uint32_t next;
                if ((e = fat_next(v, f->pos_cluster, &next))) return e;
                if (next != f->pos_cluster + 1) break;
                f->pos_cluster = next;
                f->pos_index++;
                room += v->spc;
            }
            if (n > room) n = room;
            if ((e = fat_dev_read(v, sector, n, out + *done))) return e;
            *done += (size_t)n * v->bps;
        } else {
            if ((e = fat_dwin_load(v, sector))) return e;
            size_t n = v->bps - so < left ? v->bps - so : left;
            memcpy(out + *done, v->dwin + so, n);
            *done += n;
        }
    }
    return FAT_OK;
}

/* Writes len bytes from src (zeros if NULL) at offset, allocating clusters on the way. */
static fat_err_t write_range(fat_volume_t *v, fat_file_t *f, uint32_t offset, const uint8_t *src, size_t len, size_t *done)
{
    *done = 0;
    while (*done < len) {
        uint32_t pos = offset + (uint32_t)*done, ci = pos / v->cluster_size, c;
        fat_err_t e = cluster_at(v, f, ci, &c);
        if (e) return e;
        if (c == 0) {
            /* Past the chain: the position cache stands on its last cluster. */
            uint32_t prev = 0;
            if (f->node.first_cluster != 0) {
                if (f->pos_index + 1 != ci) return FAT_ECORRUPT;
                prev = f->pos_cluster;
            } else if (ci != 0) {
                return FAT_ECORRUPT;
            }
            if ((e = fat_alloc(v, prev, &c))) return e;
            if (prev == 0) f->node.first_cluster = c;
            f->pos_index = ci;
            f->pos_cluster = c;
        }
        uint32_t in = pos % v->cluster_size, so = in % v->bps;
        uint64_t sector = fat_cluster_sector(v, c) + in / v->bps;
        size_t left = len - *done;
        if (so == 0 && left >= v->bps) {
            uint32_t n = (uint32_t)(left / v->bps), room = v->spc - in / v->bps;
            if (n > room) n = room;
            fat_dwin_forget(v, sector, n);
            if (src) {
                if ((e = fat_dev_write(v, sector, n, src + *done))) return e;
            } else {
                for (uint32_t i = 0; i < n; i++)
                    if ((e = fat_dev_write(v, sector + i, 1, v->zero_buf))) return e;
            }
            *done += (size_t)n * v->bps;
        } else {
            if ((e = fat_dwin_load(v, sector))) return e;
            size_t n = v->bps - so < left ? v->bps - so : left;
            if (src) memcpy(v->dwin + so, src + *done, n);
            else memset(v->dwin + so, 0, n);
            if ((e = fat_dwin_store(v))) return e;
            *done += n;
        }
    }
    return FAT_OK;
}

/* Grows the file to offset + len with data (or zeros), then records the new size. */
static fat_err_t grow_write(fat_volume_t *v, fat_file_t *f, uint32_t offset, const uint8_t *src, size_t len, size_t *done)
{
    *done = 0;
    fat_err_t e = FAT_OK;
    if (offset > f->node.size) {
        /* The size follows the zeros as far as they got: a gap that runs out of space leaves
         * the file as long as its chain, never longer. */
        size_t z;
        e = write_range(v, f, f->node.size, NULL, offset - f->node.size, &z);
        f->node.size += (uint32_t)z;
    }
    if (e == FAT_OK) e = write_range(v, f, offset, src, len, done);
    if (*done && offset + *done > f->node.size) f->node.size = offset + (uint32_t)*done;
    fat_err_t u = update_entry(v, f);
    return e ? e : u;
}

fat_err_t fat_write(fat_volume_t *v, fat_file_t *f, uint32_t offset, const void *buf, size_t len, size_t *done)
{
    *done = 0;
    if (v->read_only) return FAT_EROFS;
    if (f->node.attr & FAT_ATTR_DIRECTORY) return FAT_EISDIR;
    if (len > UINT32_MAX || (uint64_t)offset + len > UINT32_MAX) return FAT_EFBIG;
    if (len == 0 && offset <= f->node.size) return FAT_OK;
    return grow_write(v, f, offset, buf, len, done);
}

fat_err_t fat_truncate(fat_volume_t *v, fat_file_t *f, uint32_t size)
{
    if (v->read_only) return FAT_EROFS;
    if (f->node.attr & FAT_ATTR_DIRECTORY) return FAT_EISDIR;
    if (size > f->node.size) {
        size_t done;
        return grow_write(v, f, size, NULL, 0, &done);
    }
    fat_err_t e;
    uint32_t rest = 0;
    if (size == 0) {
        rest = f->node.first_cluster;
        f->node.first_cluster = 0;
    } else {
        uint32_t last;
        if ((e = cluster_at(v, f, (size - 1) / v->cluster_size, &last))) return e;
        if (last == 0) return FAT_ECORRUPT;
        if ((e = fat_next(v, last, &rest))) return e;
        if (rest && (e = fat_set(v, last, v->eoc))) return e;
    }
    f->node.size = size;
    f->pos_cluster = 0;
    /* The entry stops naming the tail before the tail is freed (a crash leaves lost clusters);
     * the sync keeps the freed clusters from being reused before that is on the device. */
    if ((e = update_entry(v, f))) return e;
    if (rest == 0) return FAT_OK;
    if ((e = fat_free_chain(v, rest))) return e;
    return fat_sync(v);
}
