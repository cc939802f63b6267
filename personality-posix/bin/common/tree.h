/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Whole trees, for cp -r, mv across file systems and rm -r: each reports its own failures in
 * the usual one-line form (util.h) and returns the number of them (0: all done).
 */
#ifndef BIN_COMMON_TREE_H
#define BIN_COMMON_TREE_H

/** Copies file `src` to `dst` (created or truncated); a directory `src` needs `recursive`. */
int tree_copy(const char *src, const char *dst, int recursive);

/** Removes `path`: a file, or with `recursive` a directory and all below it. */
int tree_remove(const char *path, int recursive);

#endif
