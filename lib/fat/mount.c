/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mounting: the boot sector's BIOS parameter block validated field by field, the FAT type from
 * the cluster count (FAT12 < 4085 <= FAT16 < 65525 <= FAT32, as Microsoft's specification
 * says), FSInfo read and kept; the dirty marks set on mount and cleared on a clean unmount.
 */
#include "fat_int.h"

#define FSI_LEAD 0x41615252u
#define FSI_STRUC 0x61417272u
#define FSI_TRAIL 0xAA550000u

static bool pow2(uint32_t x) { return x && !(x & (x - 1)); }

/* Checks the BPB in `b` (the first 512 bytes) and fills the geometry of v. */
static fat_err_t parse_bpb(fat_volume_t *v, const uint8_t *b)
{
    if (b[510] != 0x55 || b[511] != 0xAA) return FAT_ECORRUPT;
    if (b[0] != 0xEB && b[0] != 0xE9) return FAT_ECORRUPT;
    uint32_t bps = rd16(b + 11), spc = b[13], rsvd = rd16(b + 14), nfats = b[16];
    uint32_t root_ents = rd16(b + 17), tot16 = rd16(b + 19), fsz16 = rd16(b + 22), tot32 = rd32(b + 32);
    if (bps < 512 || bps > FAT_SECTOR_MAX || !pow2(bps) || bps % v->dev.block_size) return FAT_ECORRUPT;
    if (!pow2(spc) || bps * spc > 65536 || rsvd == 0 || nfats == 0 || nfats > 4) return FAT_ECORRUPT;
    uint32_t fsz = fsz16 ? fsz16 : rd32(b + 36);
    uint32_t total = tot16 ? tot16 : tot32;
    if (fsz == 0 || total == 0) return FAT_ECORRUPT;
    uint32_t root_secs = (root_ents * FAT_ENTRY_SIZE + bps - 1) / bps;
    uint64_t data = (uint64_t)rsvd + (uint64_t)nfats * fsz + root_secs;
    if (data >= total) return FAT_ECORRUPT;
    uint32_t clusters = (uint32_t)((total - data) / spc);
    if (clusters == 0) return FAT_ECORRUPT;
    fat_type_t type = clusters < 4085 ? FAT_TYPE_12 : clusters < 65525 ? FAT_TYPE_16 : FAT_TYPE_32;
    if (type == FAT_TYPE_32) {
        if (fsz16 || root_ents || rd16(b + 42) != 0) return FAT_ECORRUPT;
        if (clusters > 0x0FFFFFF5) return FAT_ECORRUPT;
    } else if (!fsz16 || !root_ents) {
        return FAT_ECORRUPT;
    }
    uint64_t fat_bytes = type == FAT_TYPE_12 ? ((uint64_t)clusters + 2) * 3 / 2 + 1 : ((uint64_t)clusters + 2) * (type / 8);
    if (fat_bytes > (uint64_t)fsz * bps) return FAT_ECORRUPT;
    uint64_t dev_sectors = v->dev.num_blocks / (bps / v->dev.block_size);
    if (total > dev_sectors) return FAT_ECORRUPT; /* the volume claims more than the device has */

    v->type = type;
    v->bps = bps;
    v->spc = spc;
    v->cluster_size = bps * spc;
    v->blocks_per_sector = bps / v->dev.block_size;
    v->reserved = rsvd;
    v->num_fats = (uint8_t)nfats;
    v->fat_size = fsz;
    v->root_sector = rsvd + nfats * fsz;
    v->root_entries = root_ents;
    v->data_sector = (uint32_t)data;
    v->total_sectors = total;
    v->clusters = clusters;
    v->mirror = 1;
    v->active_fat = 0;
    v->eoc = type == FAT_TYPE_12 ? 0xFFF : type == FAT_TYPE_16 ? 0xFFFF : 0x0FFFFFFF;
    if (type == FAT_TYPE_32) {
        uint16_t ext = rd16(b + 40);
        if (ext & 0x80) {
            v->mirror = 0;
            v->active_fat = ext & 0x0F;
            if (v->active_fat >= nfats) return FAT_ECORRUPT;
        }
        v->root_cluster = rd32(b + 44);
        if (!fat_valid_cluster(v, v->root_cluster)) return FAT_ECORRUPT;
        v->fsinfo_sector = rd16(b + 48);
        v->backup_boot = rd16(b + 50);
        if (v->fsinfo_sector == 0 || v->fsinfo_sector >= rsvd) v->fsinfo_sector = 0;
        if (v->backup_boot == 0 || v->backup_boot == 0xFFFF || v->backup_boot >= rsvd) v->backup_boot = 0;
    }
    return FAT_OK;
}

static fat_err_t read_fsinfo(fat_volume_t *v)
{
    v->free_count = UINT32_MAX;
    v->next_free = 2;
    if (v->type != FAT_TYPE_32 || !v->fsinfo_sector) return FAT_OK;
    fat_err_t e = fat_dwin_load(v, v->fsinfo_sector);
    if (e) return e;
    const uint8_t *s = v->dwin;
    if (rd32(s) != FSI_LEAD || rd32(s + 484) != FSI_STRUC || rd32(s + 508) != FSI_TRAIL) return FAT_OK;
    v->fsinfo_ok = 1;
    uint32_t fc = rd32(s + 488), nf = rd32(s + 492);
    if (fc <= v->clusters) v->free_count = fc;
    if (fat_valid_cluster(v, nf)) v->next_free = nf;
    return FAT_OK;
}

static fat_err_t write_fsinfo(fat_volume_t *v)
{
    if (!v->fsinfo_ok || v->read_only) return FAT_OK;
    fat_err_t e = fat_dwin_load(v, v->fsinfo_sector);
    if (e) return e;
    wr32(v->dwin + 488, v->free_count);
    wr32(v->dwin + 492, v->next_free);
    return fat_dwin_store(v);
}

fat_err_t fat_mount(fat_volume_t *v, const fat_blockdev_t *dev, unsigned flags)
{
    memset(v, 0, sizeof *v);
    v->dev = *dev;
    v->fwin_sector = UINT32_MAX;
    v->dwin_sector = UINT64_MAX;
    v->read_only = (flags & FAT_MOUNT_READ_ONLY) != 0;
    uint32_t bs = dev->block_size;
    if (bs < 512 || bs > FAT_SECTOR_MAX || !pow2(bs) || dev->num_blocks == 0) return FAT_EINVAL;
    if (dev->read(dev->ctx, 0, 1, v->dwin)) return FAT_EIO;
    fat_err_t e = parse_bpb(v, v->dwin);
    if (e) return e;
    /* The device block was read alone; the window holds whole sectors from here on. */
    if ((e = read_fsinfo(v))) return e;
    if (!v->read_only && (e = fat_mark(v, true))) return e;
    v->mounted = 1;
    return FAT_OK;
}

fat_err_t fat_sync(fat_volume_t *v)
{
    if (v->read_only) return FAT_OK;
    fat_err_t e;
    if ((e = fat_fwin_flush(v)) || (e = write_fsinfo(v))) return e;
    return v->dev.flush(v->dev.ctx) ? FAT_EIO : FAT_OK;
}

fat_err_t fat_unmount(fat_volume_t *v)
{
    if (!v->mounted) return FAT_EINVAL;
    fat_err_t e = FAT_OK;
    if (!v->read_only) {
        if ((e = fat_fwin_flush(v)) || (e = write_fsinfo(v)) || (e = fat_mark(v, false))) return e;
        if (v->dev.flush(v->dev.ctx)) return FAT_EIO;
    }
    v->mounted = 0;
    return FAT_OK;
}

void fat_set_clock(fat_volume_t *v, fat_clock_fn clock, void *ctx)
{
    v->clock = clock;
    v->clock_ctx = ctx;
}

void fat_get_info(const fat_volume_t *v, fat_info_t *info)
{
    info->type = v->type;
    info->sector_size = v->bps;
    info->cluster_size = v->cluster_size;
    info->clusters = v->clusters;
    info->free_clusters = v->free_count;
}

fat_err_t fat_count_free(fat_volume_t *v, uint32_t *free_clusters)
{
    uint32_t n = 0;
    for (uint32_t c = 2; c <= v->clusters + 1; c++) {
        uint32_t val;
        fat_err_t e = fat_get(v, c, &val);
        if (e) return e;
        n += val == 0;
    }
    *free_clusters = n;
    return FAT_OK;
}
