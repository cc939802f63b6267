/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path operations: walking a '/'-separated path from the root, and on top of it lookup, open
 * (with create and truncate), mkdir, unlink, rename and directory listing. Each operation first
 * resolves and checks everything it needs, then changes the disk in an order a crash can only
 * turn into lost clusters, never into two entries sharing clusters.
 */
#include "name.h"

static void root_node(fat_volume_t *v, fat_node_t *n)
{
    memset(n, 0, sizeof *n);
    n->is_root = 1;
    n->attr = FAT_ATTR_DIRECTORY;
    n->first_cluster = fat_root_first(v);
}

static bool is_dir(const fat_node_t *n) { return (n->attr & FAT_ATTR_DIRECTORY) != 0; }

/* The directory a node's entries live in (0 for the fixed root). */
static uint32_t dir_of(const fat_node_t *n) { return n->first_cluster; }

/* Resolves path[0, len) to a node. */
static fat_err_t walk(fat_volume_t *v, const char *path, size_t len, fat_node_t *node)
{
    root_node(v, node);
    fat_found_t f;
    size_t i = 0;
    while (i < len) {
        while (i < len && path[i] == '/') i++;
        size_t s = i;
        while (i < len && path[i] != '/') i++;
        size_t n = i - s;
        if (n == 0 || (n == 1 && path[s] == '.')) continue;
        if (!is_dir(node)) return FAT_ENOTDIR;
        if (n > FAT_NAME_BUF) return FAT_ENAMETOOLONG;
        fat_err_t e = fat_dir_find(v, dir_of(node), path + s, n, &f);
        if (e) return e;
        fat_node_from_found(v, dir_of(node), &f, node);
        if (!is_dir(node) && (uint64_t)node->size > (uint64_t)v->clusters * v->cluster_size) return FAT_ECORRUPT;
    }
    return FAT_OK;
}

/* Splits a path into its parent (resolved, a directory) and its last name. */
static fat_err_t split(fat_volume_t *v, const char *path, fat_node_t *parent, const char **name, size_t *nlen)
{
    size_t len = fat_strnlen(path, FAT_PATH_MAX + 1);
    if (len > FAT_PATH_MAX) return FAT_ENAMETOOLONG;
    while (len > 0 && path[len - 1] == '/') len--;
    size_t s = len;
    while (s > 0 && path[s - 1] != '/') s--;
    *name = path + s;
    *nlen = len - s;
    if (*nlen == 0 || (*nlen == 1 && path[s] == '.') || (*nlen == 2 && path[s] == '.' && path[s + 1] == '.'))
        return FAT_EINVAL;
    fat_err_t e = walk(v, path, s, parent);
    if (e) return e;
    return is_dir(parent) ? FAT_OK : FAT_ENOTDIR;
}

fat_err_t fat_lookup(fat_volume_t *v, const char *path, fat_node_t *node)
{
    size_t len = fat_strnlen(path, FAT_PATH_MAX + 1);
    if (len > FAT_PATH_MAX) return FAT_ENAMETOOLONG;
    return walk(v, path, len, node);
}

static void new_entry(fat_volume_t *v, uint8_t ent[FAT_ENTRY_SIZE], uint8_t attr, uint32_t cluster)
{
    uint16_t d, t;
    fat_now(v, &d, &t);
    memset(ent, 0, FAT_ENTRY_SIZE);
    memset(ent, ' ', 11);
    ent[DE_ATTR] = attr;
    fat_entry_set_cluster(ent, cluster);
    wr16(ent + DE_CTIME, t);
    wr16(ent + DE_CDATE, d);
    wr16(ent + DE_ADATE, d);
    wr16(ent + DE_WTIME, t);
    wr16(ent + DE_WDATE, d);
}

fat_err_t fat_open(fat_volume_t *v, const char *path, unsigned flags, fat_file_t *f)
{
    memset(f, 0, sizeof *f);
    fat_node_t parent;
    const char *name;
    size_t nlen;
    fat_err_t e = split(v, path, &parent, &name, &nlen);
    if (e == FAT_EINVAL) {
        /* "", "/", "." or ".." name a directory, never a file */
        fat_node_t n;
        return fat_lookup(v, path, &n) == FAT_OK && is_dir(&n) ? FAT_EISDIR : e;
    }
    if (e) return e;
    fat_found_t found;
    e = fat_dir_find(v, dir_of(&parent), name, nlen, &found);
    if (e == FAT_OK) {
        if ((flags & FAT_O_CREATE) && (flags & FAT_O_EXCL)) return FAT_EEXIST;
        fat_node_from_found(v, dir_of(&parent), &found, &f->node);
        if (is_dir(&f->node)) return FAT_EISDIR;
        if ((uint64_t)f->node.size > (uint64_t)v->clusters * v->cluster_size) return FAT_ECORRUPT;
        if (flags & FAT_O_TRUNC) return fat_truncate(v, f, 0);
        return FAT_OK;
    }
    if (e != FAT_ENOENT || !(flags & FAT_O_CREATE)) return e;
    if (v->read_only) return FAT_EROFS;
    uint8_t ent[FAT_ENTRY_SIZE];
    new_entry(v, ent, FAT_ATTR_ARCHIVE, 0);
    if ((e = fat_dir_add(v, dir_of(&parent), name, nlen, ent, &found))) return e;
    fat_node_from_found(v, dir_of(&parent), &found, &f->node);
    return FAT_OK;
}

fat_err_t fat_mkdir(fat_volume_t *v, const char *path)
{
    if (v->read_only) return FAT_EROFS;
    fat_node_t parent;
    const char *name;
    size_t nlen;
    fat_err_t e = split(v, path, &parent, &name, &nlen);
    if (e) return e;
    fat_found_t found;
    e = fat_dir_find(v, dir_of(&parent), name, nlen, &found);
    if (e == FAT_OK) return FAT_EEXIST;
    if (e != FAT_ENOENT) return e;
    uint16_t tmp[FAT_NAME_MAX + 1];
    uint32_t n16;
    if ((e = fat_name_to_utf16(name, nlen, tmp, &n16))) return e;
    uint32_t c;
    if ((e = fat_alloc(v, 0, &c))) return e;
    if ((e = fat_zero_cluster(v, c))) goto undo;
    uint8_t ent[FAT_ENTRY_SIZE];
    new_entry(v, ent, FAT_ATTR_DIRECTORY, c);
    memcpy(ent, ".          ", 11);
    uint64_t s = fat_cluster_sector(v, c);
    if ((e = fat_entry_write(v, s, 0, ent))) goto undo;
    memcpy(ent, "..         ", 11);
    fat_entry_set_cluster(ent, parent.is_root ? 0 : parent.first_cluster);
    if ((e = fat_entry_write(v, s, FAT_ENTRY_SIZE, ent))) goto undo;
    fat_entry_set_cluster(ent, c);
    if ((e = fat_dir_add(v, dir_of(&parent), name, nlen, ent, &found))) goto undo;
    return FAT_OK;
undo:
    fat_free_chain(v, c);
    return e;
}

fat_err_t fat_unlink(fat_volume_t *v, const char *path)
{
    if (v->read_only) return FAT_EROFS;
    fat_node_t parent, node;
    const char *name;
    size_t nlen;
    fat_err_t e = split(v, path, &parent, &name, &nlen);
    if (e) return e;
    fat_found_t found;
    if ((e = fat_dir_find(v, dir_of(&parent), name, nlen, &found))) return e;
    fat_node_from_found(v, dir_of(&parent), &found, &node);
    if (node.is_root) return FAT_EINVAL;
    if (is_dir(&node)) {
        bool empty;
        if ((e = fat_dir_is_empty(v, node.first_cluster, &empty))) return e;
        if (!empty) return FAT_ENOTEMPTY;
    }
    /* The name goes first: a crash before the chain is freed leaves lost clusters only. The
     * sync keeps freed clusters from being reused while the device may still hold the name. */
    if ((e = fat_dir_remove(v, node.dir_first, node.name_index, node.entry_index))) return e;
    if ((e = fat_free_chain(v, node.first_cluster))) return e;
    return fat_sync(v);
}

/* Whether directory `dir` is `ancestor` or lies below it (walking up through ".."). */
static fat_err_t is_below(fat_volume_t *v, const fat_node_t *dir, uint32_t ancestor, bool *below)
{
    uint32_t c = dir->first_cluster;
    *below = false;
    if (dir->is_root) return FAT_OK;
    for (uint32_t depth = 0; depth <= v->clusters; depth++) {
        if (c == ancestor) {
            *below = true;
            return FAT_OK;
        }
        fat_found_t f;
        fat_err_t e = fat_dir_find(v, c, "..", 2, &f);
        if (e) return e == FAT_ENOENT ? FAT_ECORRUPT : e;
        uint32_t up = fat_entry_cluster(v, f.ent);
        if (up == 0 || up == fat_root_first(v)) return FAT_OK;
        c = up;
    }
    return FAT_ECORRUPT; /* ".." entries that loop */
}

fat_err_t fat_rename(fat_volume_t *v, const char *from, const char *to)
{
    if (v->read_only) return FAT_EROFS;
    fat_node_t src_parent, dst_parent, node;
    const char *sname, *dname;
    size_t slen, dlen;
    fat_err_t e = split(v, from, &src_parent, &sname, &slen);
    if (e) return e;
    fat_found_t sf, df;
    if ((e = fat_dir_find(v, dir_of(&src_parent), sname, slen, &sf))) return e;
    fat_node_from_found(v, dir_of(&src_parent), &sf, &node);
    if (node.is_root) return FAT_EINVAL;
    if ((e = split(v, to, &dst_parent, &dname, &dlen))) return e;
    e = fat_dir_find(v, dir_of(&dst_parent), dname, dlen, &df);
    if (e == FAT_OK && !(df.sector == sf.sector && df.offset == sf.offset)) return FAT_EEXIST;
    if (e != FAT_OK && e != FAT_ENOENT) return e;
    uint16_t tmp[FAT_NAME_MAX + 1];
    uint32_t n16;
    if ((e = fat_name_to_utf16(dname, dlen, tmp, &n16))) return e;
    bool moved = dir_of(&src_parent) != dir_of(&dst_parent);
    if (is_dir(&node) && moved) {
        bool below;
        if ((e = is_below(v, &dst_parent, node.first_cluster, &below))) return e;
        if (below) return FAT_EINVAL;
    }
    /* Old name out (and on the device: the cache writes back in any order), then the new one
     * in: a crash between leaves lost clusters, never a cluster owned twice. If the new name
     * cannot be added, the old one comes back. */
    if ((e = fat_dir_remove(v, node.dir_first, node.name_index, node.entry_index)) || (e = fat_sync(v))) return e;
    uint8_t ent[FAT_ENTRY_SIZE];
    memcpy(ent, sf.ent, FAT_ENTRY_SIZE);
    ent[DE_NTRES] = 0;
    e = fat_dir_add(v, dir_of(&dst_parent), dname, dlen, ent, &df);
    if (e) {
        memcpy(ent, sf.ent, FAT_ENTRY_SIZE);
        fat_dir_add(v, dir_of(&src_parent), sname, slen, ent, &sf);
        return e;
    }
    if (is_dir(&node) && moved) {
        fat_dirpos_t p;
        uint64_t sector;
        uint32_t off;
        fat_dirpos_init(v, &p, node.first_cluster);
        if ((e = fat_dir_locate(v, &p, 1, &sector, &off)) || (e = fat_dwin_load(v, sector))) return e;
        if (memcmp(v->dwin + off, "..         ", 11) != 0) return FAT_ECORRUPT;
        fat_entry_set_cluster(v->dwin + off, dst_parent.is_root ? 0 : dst_parent.first_cluster);
        if ((e = fat_dwin_store(v))) return e;
    }
    return fat_sync(v);
}

fat_err_t fat_opendir(fat_volume_t *v, const char *path, fat_dir_t *d)
{
    memset(d, 0, sizeof *d);
    fat_err_t e = fat_lookup(v, path, &d->node);
    if (e) return e;
    return is_dir(&d->node) ? FAT_OK : FAT_ENOTDIR;
}

fat_err_t fat_readdir(fat_volume_t *v, fat_dir_t *d, fat_dirent_t *out)
{
    fat_dirpos_t p;
    fat_dirpos_init(v, &p, d->node.first_cluster);
    if (d->cluster) {
        p.cindex = d->cindex;
        p.cluster = d->cluster;
    }
    fat_found_t f;
    fat_err_t e;
    for (;;) {
        if ((e = fat_dir_next(v, &p, &d->index, &f))) break;
        uint8_t attr = f.ent[DE_ATTR];
        if ((attr & FAT_ATTR_VOLUME_ID) && !(attr & FAT_ATTR_DIRECTORY)) continue;
        if (f.ent[0] == '.' && (f.ent[1] == ' ' || (f.ent[1] == '.' && f.ent[2] == ' '))) continue;
        fat_node_t n;
        fat_node_from_found(v, d->node.first_cluster, &f, &n);
        if (f.has_lfn) fat_utf16_to_utf8(f.lfn, f.lfn_len, out->name);
        else fat_short_to_str(f.ent, out->name);
        fat_short_to_str(f.ent, out->short_name);
        out->attr = attr;
        out->size = n.size;
        out->first_cluster = n.first_cluster;
        out->mtime = fat_time_to_unix(n.wdate, n.wtime);
        break;
    }
    d->cindex = p.cindex;
    d->cluster = p.cluster;
    return e;
}
