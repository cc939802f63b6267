/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tmpfs's tree, plain C (no transport): a fixed array of nodes (files and directories, node 0
 * the root) and a fixed pool of data blocks, so the memory bound is the pool and a file system
 * that is full says so (TMPFS_NO_SPACE) instead of growing. Files are arrays of block numbers;
 * a block never written is a hole and reads as zeros (sparse files).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifndef TMPFS_NODES
#define TMPFS_NODES 128
#endif
#ifndef TMPFS_BLOCKS
#define TMPFS_BLOCKS 256 /* 1 MiB of data */
#endif
#define TMPFS_BLOCK 4096u
#define TMPFS_FILE_BLOCKS 64u /* largest file: 256 KiB */
#define TMPFS_NAME_MAX 64

enum { TMPFS_OK = 0, TMPFS_NOT_FOUND, TMPFS_EXISTS, TMPFS_NOT_DIR, TMPFS_IS_DIR, TMPFS_NOT_EMPTY, TMPFS_NO_SPACE, TMPFS_INVALID };

typedef struct tmpfs_node {
    uint8_t used;
    uint8_t dir;
    uint16_t parent;
    uint64_t size;
    uint32_t nblocks; /* blocks allocated (not holes) */
    uint16_t blocks[TMPFS_FILE_BLOCKS]; /* block number + 1; 0: a hole */
    char name[TMPFS_NAME_MAX + 1];
} tmpfs_node_t;

typedef struct tmpfs {
    tmpfs_node_t nodes[TMPFS_NODES];
    uint8_t used[TMPFS_BLOCKS];
    uint32_t free_blocks;
    uint8_t data[TMPFS_BLOCKS][TMPFS_BLOCK];
} tmpfs_t;

void tmpfs_init(tmpfs_t *fs);
/* Looks up a normalised relative path ("" is the root). */
int tmpfs_lookup(tmpfs_t *fs, const char *path, tmpfs_node_t **out);
/* Creates a file or directory at a normalised relative path whose parent exists. */
int tmpfs_create(tmpfs_t *fs, const char *path, int dir, tmpfs_node_t **out);
int tmpfs_read(tmpfs_t *fs, tmpfs_node_t *n, uint64_t off, uint8_t *to, size_t len, size_t *done);
int tmpfs_write(tmpfs_t *fs, tmpfs_node_t *n, uint64_t off, const uint8_t *from, size_t len, size_t *done);
int tmpfs_truncate(tmpfs_t *fs, tmpfs_node_t *n, uint64_t size);
/* Removes a file or an empty directory (TMPFS_NOT_EMPTY otherwise; the root: TMPFS_INVALID). */
int tmpfs_remove(tmpfs_t *fs, tmpfs_node_t *n);
/* The index-th entry of a directory, or NULL. */
tmpfs_node_t *tmpfs_child(tmpfs_t *fs, tmpfs_node_t *dir, uint32_t index);
int tmpfs_rename(tmpfs_t *fs, const char *from, const char *to, tmpfs_node_t **moved, tmpfs_node_t **replaced);
