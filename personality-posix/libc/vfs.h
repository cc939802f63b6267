/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The POSIX layer's inside: paths, the mount table, open-file descriptions shared by dup'd
 * descriptors, and the descriptor table. Every call returns 0 (or a count) or -errno, the
 * convention of the system calls it implements.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define NG_POSIX_PATH_MAX 256
#define NG_POSIX_MAX_FDS 64
#define NG_POSIX_MAX_FILES 64

/* cwd + path, normalised into out (absolute, no '.', '..' or '//'); -1 if too long. */
int ng_path_normalize(const char *cwd, const char *path, char *out, size_t size);
/* The rest of normalised `path` below mount `prefix` ("" for the prefix itself, no leading
 * '/'), or NULL when the prefix does not cover it. */
const char *ng_path_below(const char *path, const char *prefix);

/* Round trips the layer made (file systems and the root server), for benchmarks. */
extern uint64_t ng_posix_round_trips;
#define NG_POSIX_COUNT(stub) (ng_posix_round_trips++, stub)
