/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directories: locating entry n (the fixed FAT12/16 root or a cluster chain, walks bounded by
 * the 65536 entries a directory may have), scanning short entries with their long names
 * (sequence numbers and checksums checked; a broken set falls back to the short name), finding
 * a name, adding one (long-name entries, an alias with the lowest free ~N tail, a new cluster
 * when the directory is full) and removing one.
 */
#include "name.h"

static const uint8_t LFN_OFFSETS[FAT_LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

void fat_dirpos_init(fat_volume_t *v, fat_dirpos_t *p, uint32_t first)
{
    (void)v;
    p->first = first;
    p->cindex = 0;
    p->cluster = first;
}

fat_err_t fat_dir_locate(fat_volume_t *v, fat_dirpos_t *p, uint32_t index, uint64_t *sector, uint32_t *off)
{
    if (index >= FAT_DIR_ENTRIES_MAX) return FAT_ENOENT;
    if (p->first == 0) {
        if (v->type == FAT_TYPE_32) return FAT_ECORRUPT;
        if (index >= v->root_entries) return FAT_ENOENT;
        uint32_t byte = index * FAT_ENTRY_SIZE;
        *sector = v->root_sector + byte / v->bps;
        *off = byte % v->bps;
        return FAT_OK;
    }
    if (!fat_valid_cluster(v, p->first)) return FAT_ECORRUPT;
    uint32_t per = v->cluster_size / FAT_ENTRY_SIZE, want = index / per;
    if (want < p->cindex || !fat_valid_cluster(v, p->cluster)) {
        p->cindex = 0;
        p->cluster = p->first;
    }
    while (p->cindex < want) {
        uint32_t next;
        fat_err_t e = fat_next(v, p->cluster, &next);
        if (e) return e;
        if (next == 0) return FAT_ENOENT;
        p->cluster = next;
        p->cindex++;
    }
    uint32_t byte = (index % per) * FAT_ENTRY_SIZE;
    *sector = fat_cluster_sector(v, p->cluster) + byte / v->bps;
    *off = byte % v->bps;
    return FAT_OK;
}

fat_err_t fat_dir_next(fat_volume_t *v, fat_dirpos_t *p, uint32_t *index, fat_found_t *f)
{
    bool collecting = false;
    uint32_t expect = 0, total = 0, start = 0;
    uint8_t chk = 0;
    for (uint32_t i = *index;; i++) {
        uint64_t sector;
        uint32_t off;
        fat_err_t e = fat_dir_locate(v, p, i, &sector, &off);
        if (e == FAT_OK) e = fat_dwin_load(v, sector);
        if (e) {
            *index = i;
            return e;
        }
        const uint8_t *ent = v->dwin + off;
        if (ent[0] == 0) {
            *index = i;
            return FAT_ENOENT;
        }
        if (ent[0] == FAT_DELETED) {
            collecting = false;
            continue;
        }
        if ((ent[DE_ATTR] & 0x3F) == FAT_ATTR_LFN) {
            uint8_t ord = ent[0];
            if (ord & FAT_LFN_LAST) {
                uint32_t n = ord & 0x3F;
                collecting = n >= 1 && n <= FAT_LFN_MAX_ENTRIES;
                if (!collecting) continue;
                expect = n;
                chk = ent[13];
                start = i;
                total = n * FAT_LFN_CHARS;
            } else if (!collecting || expect == 0 || (ord & 0x3F) != expect || ent[13] != chk) {
                collecting = false;
                continue;
            }
            for (uint32_t k = 0; k < FAT_LFN_CHARS; k++) {
                uint32_t at = (expect - 1) * FAT_LFN_CHARS + k;
                if (at < FAT_NAME_MAX + 1) f->lfn[at] = rd16(ent + LFN_OFFSETS[k]);
            }
            expect--;
            continue;
        }
        memcpy(f->ent, ent, FAT_ENTRY_SIZE);
        f->index = i;
        f->sector = sector;
        f->offset = off;
        f->has_lfn = false;
        f->name_index = i;
        if (collecting && expect == 0 && chk == fat_lfn_checksum(ent)) {
            uint32_t len = 0;
            while (len < total && len < FAT_NAME_MAX && f->lfn[len] != 0) len++;
            if (len > 0) {
                f->has_lfn = true;
                f->lfn_len = len;
                f->name_index = start;
            }
        }
        *index = i + 1;
        return FAT_OK;
    }
}

uint32_t fat_entry_cluster(const fat_volume_t *v, const uint8_t *ent)
{
    uint32_t c = rd16(ent + DE_CLUS_LO);
    if (v->type == FAT_TYPE_32) c |= (uint32_t)rd16(ent + DE_CLUS_HI) << 16;
    return c;
}

void fat_entry_set_cluster(uint8_t *ent, uint32_t c)
{
    wr16(ent + DE_CLUS_LO, (uint16_t)c);
    wr16(ent + DE_CLUS_HI, (uint16_t)(c >> 16));
}

void fat_short_to_str(const uint8_t *ent, char out[13])
{
    size_t o = 0;
    uint8_t nt = ent[DE_NTRES];
    for (int i = 0; i < 11; i++) {
        uint8_t c = ent[i];
        if (i == 0 && c == 0x05) c = 0xE5;
        if (i == 8) {
            int e = 8;
            while (e < 11 && ent[e] == ' ') e++;
            if (e == 11) break;
            out[o++] = '.';
        }
        if (c == ' ') continue;
        if (c < 0x20 || c >= 0x7F) c = '_';
        if (c >= 'A' && c <= 'Z' && ((i < 8 && (nt & 0x08)) || (i >= 8 && (nt & 0x10)))) c = (uint8_t)(c + 32);
        out[o++] = (char)c;
    }
    out[o] = 0;
}

void fat_node_from_found(fat_volume_t *v, uint32_t dir_first, const fat_found_t *f, fat_node_t *n)
{
    memset(n, 0, sizeof *n);
    const uint8_t *e = f->ent;
    n->attr = e[DE_ATTR];
    n->first_cluster = fat_entry_cluster(v, e);
    n->size = (n->attr & FAT_ATTR_DIRECTORY) ? 0 : rd32(e + DE_SIZE);
    n->wtime = rd16(e + DE_WTIME);
    n->wdate = rd16(e + DE_WDATE);
    n->ctime = rd16(e + DE_CTIME);
    n->cdate = rd16(e + DE_CDATE);
    n->entry_sector = f->sector;
    n->entry_offset = f->offset;
    n->dir_first = dir_first;
    n->entry_index = f->index;
    n->name_index = f->name_index;
    if ((n->attr & FAT_ATTR_DIRECTORY) && n->first_cluster == 0) {
        n->is_root = 1; /* ".." of a directory below the root */
        n->first_cluster = fat_root_first(v);
    }
}

static bool found_matches(const fat_found_t *f, const char *name, size_t len)
{
    char buf[FAT_NAME_BUF];
    if (f->has_lfn) {
        fat_utf16_to_utf8(f->lfn, f->lfn_len, buf);
        if (fat_name_eq(name, len, buf)) return true;
    }
    fat_short_to_str(f->ent, buf);
    return fat_name_eq(name, len, buf);
}

fat_err_t fat_dir_find(fat_volume_t *v, uint32_t dir_first, const char *name, size_t len, fat_found_t *f)
{
    fat_dirpos_t p;
    fat_dirpos_init(v, &p, dir_first);
    for (uint32_t i = 0;;) {
        fat_err_t e = fat_dir_next(v, &p, &i, f);
        if (e) return e;
        if ((f->ent[DE_ATTR] & FAT_ATTR_VOLUME_ID) && !(f->ent[DE_ATTR] & FAT_ATTR_DIRECTORY)) continue;
        if (found_matches(f, name, len)) return FAT_OK;
    }
}

fat_err_t fat_entry_write(fat_volume_t *v, uint64_t sector, uint32_t off, const uint8_t ent[FAT_ENTRY_SIZE])
{
    fat_err_t e = fat_dwin_load(v, sector);
    if (e) return e;
    memcpy(v->dwin + off, ent, FAT_ENTRY_SIZE);
    return fat_dwin_store(v);
}

/* Picks the alias: the basis name with the lowest ~N no entry of the directory uses. */
static fat_err_t pick_alias(fat_volume_t *v, uint32_t dir_first, const char *name, size_t len, uint8_t out[11])
{
    enum { TAILS = 4096 };
    uint8_t used[TAILS / 8] = {0};
    uint8_t basis[11], cand[11];
    size_t base_len;
    fat_basis_name(name, len, basis, &base_len);
    fat_dirpos_t p;
    fat_dirpos_init(v, &p, dir_first);
    fat_found_t f;
    for (uint32_t i = 0;;) {
        fat_err_t e = fat_dir_next(v, &p, &i, &f);
        if (e == FAT_ENOENT) break;
        if (e) return e;
        uint32_t n = fat_alias_tail_of(f.ent);
        if (n == 0 || n >= TAILS) continue;
        fat_alias_with_tail(basis, base_len, n, cand);
        if (memcmp(cand, f.ent, 11) == 0) used[n / 8] |= (uint8_t)(1u << (n % 8));
    }
    for (uint32_t n = 1; n < TAILS; n++)
        if (!(used[n / 8] & (1u << (n % 8)))) {
            fat_alias_with_tail(basis, base_len, n, out);
            return FAT_OK;
        }
    return FAT_EEXIST;
}

/* Finds `count` consecutive free entries, growing a cluster directory when it is full. */
static fat_err_t find_slots(fat_volume_t *v, uint32_t dir_first, uint32_t count, uint32_t *first)
{
    fat_dirpos_t p;
    fat_dirpos_init(v, &p, dir_first);
    uint32_t run = 0;
    for (uint32_t i = 0; i < FAT_DIR_ENTRIES_MAX; i++) {
        uint64_t sector;
        uint32_t off;
        fat_err_t e = fat_dir_locate(v, &p, i, &sector, &off);
        if (e == FAT_ENOENT) {
            if (dir_first == 0) return FAT_ENOSPC;
            uint32_t c;
            if ((e = fat_alloc(v, p.cluster, &c)) || (e = fat_zero_cluster(v, c))) return e;
            e = fat_dir_locate(v, &p, i, &sector, &off);
        }
        if (e == FAT_OK) e = fat_dwin_load(v, sector);
        if (e) return e;
        uint8_t b = v->dwin[off];
        run = (b == 0 || b == FAT_DELETED) ? run + 1 : 0;
        if (run == count) {
            *first = i + 1 - count;
            return FAT_OK;
        }
    }
    return FAT_ENOSPC;
}

static fat_err_t write_at(fat_volume_t *v, fat_dirpos_t *p, uint32_t index, const uint8_t *ent, fat_found_t *where)
{
    uint64_t sector;
    uint32_t off;
    fat_err_t e = fat_dir_locate(v, p, index, &sector, &off);
    if (e == FAT_ENOENT) e = FAT_ECORRUPT; /* find_slots saw it a moment ago */
    if (e == FAT_OK) e = fat_entry_write(v, sector, off, ent);
    if (e == FAT_OK && where) {
        where->sector = sector;
        where->offset = off;
        where->index = index;
    }
    return e;
}

fat_err_t fat_dir_add(fat_volume_t *v, uint32_t dir_first, const char *name, size_t len, uint8_t ent[FAT_ENTRY_SIZE], fat_found_t *where)
{
    uint16_t lfn[FAT_NAME_MAX + 1];
    uint32_t n16 = 0, nlfn = 0;
    fat_err_t e = fat_name_to_utf16(name, len, lfn, &n16);
    if (e) return e;
    if (!fat_name_as_short(name, len, ent)) {
        if ((e = pick_alias(v, dir_first, name, len, ent))) return e;
        nlfn = (n16 + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS;
    }
    uint32_t first;
    if ((e = find_slots(v, dir_first, nlfn + 1, &first))) return e;
    fat_dirpos_t p;
    fat_dirpos_init(v, &p, dir_first);
    uint8_t chk = fat_lfn_checksum(ent);
    for (uint32_t k = 0; k < nlfn; k++) {
        uint32_t ord = nlfn - k; /* the last part comes first on disk */
        uint8_t le[FAT_ENTRY_SIZE];
        memset(le, 0, sizeof le);
        le[0] = (uint8_t)(ord | (k == 0 ? FAT_LFN_LAST : 0));
        le[DE_ATTR] = FAT_ATTR_LFN;
        le[13] = chk;
        for (uint32_t c = 0; c < FAT_LFN_CHARS; c++) {
            uint32_t at = (ord - 1) * FAT_LFN_CHARS + c;
            uint16_t ch = at < n16 ? lfn[at] : at == n16 ? 0x0000 : 0xFFFF;
            wr16(le + LFN_OFFSETS[c], ch);
        }
        if ((e = write_at(v, &p, first + k, le, NULL))) return e;
    }
    if ((e = write_at(v, &p, first + nlfn, ent, where))) return e;
    if (where) {
        memcpy(where->ent, ent, FAT_ENTRY_SIZE);
        where->name_index = first;
        where->has_lfn = nlfn > 0;
    }
    return FAT_OK;
}

fat_err_t fat_dir_remove(fat_volume_t *v, uint32_t dir_first, uint32_t name_index, uint32_t index)
{
    if (name_index > index || index - name_index > FAT_LFN_MAX_ENTRIES) return FAT_ECORRUPT;
    fat_dirpos_t p;
    fat_dirpos_init(v, &p, dir_first);
    for (uint32_t i = name_index; i <= index; i++) {
        uint64_t sector;
        uint32_t off;
        fat_err_t e = fat_dir_locate(v, &p, i, &sector, &off);
        if (e == FAT_OK) e = fat_dwin_load(v, sector);
        if (e) return e == FAT_ENOENT ? FAT_ECORRUPT : e;
        v->dwin[off] = FAT_DELETED;
        if ((e = fat_dwin_store(v))) return e;
    }
    return FAT_OK;
}

fat_err_t fat_dir_is_empty(fat_volume_t *v, uint32_t dir_first, bool *empty)
{
    fat_dirpos_t p;
    fat_dirpos_init(v, &p, dir_first);
    fat_found_t f;
    for (uint32_t i = 0;;) {
        fat_err_t e = fat_dir_next(v, &p, &i, &f);
        if (e == FAT_ENOENT) break;
        if (e) return e;
        if (memcmp(f.ent, ".          ", 11) == 0 || memcmp(f.ent, "..         ", 11) == 0) continue;
        *empty = false;
        return FAT_OK;
    }
    *empty = true;
    return FAT_OK;
}
