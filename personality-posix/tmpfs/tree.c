/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs's tree: lookup by walking components from the root, creation, sparse reads and writes
 * over a block pool, truncation, removal and rename (replacing a file, or an empty directory,
 * as POSIX rename does; a directory is never moved below itself).
 */
#include <string.h>

#include <resmgr/resmgr.h>

#include "tree.h"

void tmpfs_init(tmpfs_t *fs)
{
    memset(fs->nodes, 0, sizeof fs->nodes);
    memset(fs->used, 0, sizeof fs->used);
    fs->free_blocks = TMPFS_BLOCKS;
    fs->nodes[0].used = 1;
    fs->nodes[0].dir = 1;
}

static uint16_t idx(tmpfs_t *fs, tmpfs_node_t *n)
{
    return (uint16_t)(n - fs->nodes);
}

static tmpfs_node_t *find(tmpfs_t *fs, tmpfs_node_t *dir, const char *name, size_t len)
{
    for (unsigned i = 1; i < TMPFS_NODES; i++) {
        tmpfs_node_t *x = &fs->nodes[i];
        if (x->used && x->parent == idx(fs, dir) && strlen(x->name) == len && memcmp(x->name, name, len) == 0) return x;
    }
    return NULL;
}

/* Walks `path`; *last is set to the deepest directory reached. */
static int walk(tmpfs_t *fs, const char *path, tmpfs_node_t **out)
{
    tmpfs_node_t *n = &fs->nodes[0];
    const char *p = path, *c;
    size_t len;
    while ((c = resmgr_path_next(&p, &len)) != NULL) {
        if (!n->dir) return TMPFS_NOT_DIR;
        n = find(fs, n, c, len);
        if (!n) return TMPFS_NOT_FOUND;
    }
    *out = n;
    return TMPFS_OK;
}

int tmpfs_lookup(tmpfs_t *fs, const char *path, tmpfs_node_t **out)
{
    return walk(fs, path, out);
}

int tmpfs_create(tmpfs_t *fs, const char *path, int dir, tmpfs_node_t **out)
{
    char parent[RESMGR_PATH_MAX + 1];
    const char *name;
    tmpfs_node_t *p, *n;
    if (resmgr_path_split(path, parent, sizeof parent, &name) != 0) return TMPFS_EXISTS; /* the root */
    if (strlen(name) > TMPFS_NAME_MAX) return TMPFS_INVALID;
    int e = walk(fs, parent, &p);
    if (e) return e;
    if (!p->dir) return TMPFS_NOT_DIR;
    if (find(fs, p, name, strlen(name))) return TMPFS_EXISTS;
    for (unsigned i = 1; i < TMPFS_NODES; i++) {
        n = &fs->nodes[i];
        if (n->used) continue;
        memset(n, 0, sizeof *n);
        n->used = 1;
        n->dir = (uint8_t)(dir != 0);
        n->parent = idx(fs, p);
        strcpy(n->name, name);
        *out = n;
        return TMPFS_OK;
    }
    return TMPFS_NO_SPACE;
}

int tmpfs_read(tmpfs_t *fs, tmpfs_node_t *n, uint64_t off, uint8_t *to, size_t len, size_t *done)
{
    *done = 0;
    if (n->dir) return TMPFS_IS_DIR;
    if (off >= n->size) return TMPFS_OK;
    if (len > n->size - off) len = (size_t)(n->size - off);
    while (*done < len) {
        uint64_t at = off + *done;
        uint32_t b = (uint32_t)(at / TMPFS_BLOCK), o = (uint32_t)(at % TMPFS_BLOCK);
        size_t k = TMPFS_BLOCK - o < len - *done ? TMPFS_BLOCK - o : len - *done;
        if (n->blocks[b]) memcpy(to + *done, fs->data[n->blocks[b] - 1] + o, k);
        else memset(to + *done, 0, k);
        *done += k;
    }
    return TMPFS_OK;
}

static int alloc_block(tmpfs_t *fs, uint16_t *slot)
{
    for (unsigned i = 0; i < TMPFS_BLOCKS; i++) {
        if (fs->used[i]) continue;
        fs->used[i] = 1;
        fs->free_blocks--;
        memset(fs->data[i], 0, TMPFS_BLOCK);
        *slot = (uint16_t)(i + 1);
        return TMPFS_OK;
    }
    return TMPFS_NO_SPACE;
}

int tmpfs_write(tmpfs_t *fs, tmpfs_node_t *n, uint64_t off, const uint8_t *from, size_t len, size_t *done)
{
    *done = 0;
    if (n->dir) return TMPFS_IS_DIR;
    const uint64_t max = (uint64_t)TMPFS_FILE_BLOCKS * TMPFS_BLOCK;
    if (off >= max) return len ? TMPFS_NO_SPACE : TMPFS_OK;
    while (*done < len) {
        uint64_t at = off + *done;
        if (at >= max) break;
        uint32_t b = (uint32_t)(at / TMPFS_BLOCK), o = (uint32_t)(at % TMPFS_BLOCK);
        size_t k = TMPFS_BLOCK - o < len - *done ? TMPFS_BLOCK - o : len - *done;
        if (!n->blocks[b]) {
            if (alloc_block(fs, &n->blocks[b]) != TMPFS_OK) break;
            n->nblocks++;
        }
        memcpy(fs->data[n->blocks[b] - 1] + o, from + *done, k);
        *done += k;
    }
    if (*done > 0 && off + *done > n->size) n->size = off + *done;
    return *done == len ? TMPFS_OK : TMPFS_NO_SPACE;
}

int tmpfs_truncate(tmpfs_t *fs, tmpfs_node_t *n, uint64_t size)
{
    if (n->dir) return TMPFS_IS_DIR;
    if (size > (uint64_t)TMPFS_FILE_BLOCKS * TMPFS_BLOCK) return TMPFS_NO_SPACE;
    uint32_t keep = (uint32_t)((size + TMPFS_BLOCK - 1) / TMPFS_BLOCK);
    for (uint32_t b = keep; b < TMPFS_FILE_BLOCKS; b++) {
        if (!n->blocks[b]) continue;
        fs->used[n->blocks[b] - 1] = 0;
        fs->free_blocks++;
        n->blocks[b] = 0;
        n->nblocks--;
    }
    /* Bytes past the new end in the last kept block read as zeros if the file grows again. */
    if (size % TMPFS_BLOCK && keep > 0 && n->blocks[keep - 1] && size < n->size) {
        uint32_t o = (uint32_t)(size % TMPFS_BLOCK);
        memset(fs->data[n->blocks[keep - 1] - 1] + o, 0, TMPFS_BLOCK - o);
    }
    n->size = size;
    return TMPFS_OK;
}

tmpfs_node_t *tmpfs_child(tmpfs_t *fs, tmpfs_node_t *dir, uint32_t index)
{
    uint32_t k = 0;
    for (unsigned i = 1; i < TMPFS_NODES; i++) {
        tmpfs_node_t *x = &fs->nodes[i];
        if (x->used && x->parent == idx(fs, dir) && k++ == index) return x;
    }
    return NULL;
}

int tmpfs_remove(tmpfs_t *fs, tmpfs_node_t *n)
{
    if (n == &fs->nodes[0]) return TMPFS_INVALID;
    if (n->dir && tmpfs_child(fs, n, 0)) return TMPFS_NOT_EMPTY;
    if (!n->dir) tmpfs_truncate(fs, n, 0);
    n->used = 0;
    return TMPFS_OK;
}

int tmpfs_rename(tmpfs_t *fs, const char *from, const char *to, tmpfs_node_t **moved, tmpfs_node_t **replaced)
{
    char parent[RESMGR_PATH_MAX + 1];
    const char *name;
    tmpfs_node_t *src, *dst = NULL, *p;
    *replaced = NULL;
    int e = walk(fs, from, &src);
    if (e) return e;
    if (src == &fs->nodes[0] || resmgr_path_split(to, parent, sizeof parent, &name) != 0) return TMPFS_INVALID;
    if (strlen(name) > TMPFS_NAME_MAX) return TMPFS_INVALID;
    if ((e = walk(fs, parent, &p)) != TMPFS_OK) return e;
    if (!p->dir) return TMPFS_NOT_DIR;
    for (tmpfs_node_t *a = p;; a = &fs->nodes[a->parent]) { /* not below itself */
        if (a == src) return TMPFS_INVALID;
        if (a == &fs->nodes[0]) break;
    }
    dst = find(fs, p, name, strlen(name));
    if (dst == src) return TMPFS_OK;
    if (dst) {
        if (dst->dir && !src->dir) return TMPFS_IS_DIR;
        if (!dst->dir && src->dir) return TMPFS_NOT_DIR;
        if ((e = tmpfs_remove(fs, dst)) != TMPFS_OK) return e;
        *replaced = dst;
    }
    src->parent = idx(fs, p);
    strcpy(src->name, name);
    *moved = src;
    return TMPFS_OK;
}
