/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The cache manager's data: a file's data lives in views of CC_VIEW_BYTES with a valid and a
 * dirty bit per CC_PAGE_BYTES page, taken from one bounded pool (least recently used first
 * when it is full). This file decides: whether a read hits, which pages a miss reads (the rest
 * of the view: read-ahead), which pages a write must read first, which runs write-back sends,
 * and where a file offset lies on the volume (the extents of FSCTL_GET_RETRIEVAL_POINTERS).
 * The I/O to do it is io.c's. Pure C (malloc only): the host unit tests link it as it is.
 */
#ifndef NTEXEC_CC_H
#define NTEXEC_CC_H

#include <stddef.h>
#include <stdint.h>

#include <nt/ioctl.h>

#define CC_VIEW_BYTES (256u * 1024u)
#define CC_PAGE_BYTES 4096u
#define CC_VIEW_PAGES (CC_VIEW_BYTES / CC_PAGE_BYTES) /* 64: one bit each in a uint64_t */
#define CC_MAX_VIEWS 24u   /* views in the pool (6 MiB) */
#define CC_MAX_EXTENTS 256u /* runs kept per file */

typedef struct cc_map cc_map_t;

typedef struct cc_view {
    cc_map_t *map;      /* owner; NULL: free */
    uint64_t index;     /* which view of the file: offset / CC_VIEW_BYTES */
    uint64_t valid;     /* per page: holds the file's data */
    uint64_t dirty;     /* per page: newer than the disk */
    uint64_t filling;   /* per page: a read is in flight */
    uint64_t writing;   /* per page: a write-back is in flight */
    uint64_t last_use;
    uint8_t *data;      /* CC_VIEW_BYTES */
} cc_view_t;

/* One run of a file on its volume: file bytes [file_offset, file_offset + length) are at
 * volume byte volume_offset. */
typedef struct cc_extent {
    int64_t file_offset;
    int64_t volume_offset;
    int64_t length;
} cc_extent_t;

/* A file's cache state (kept in its FCB). */
struct cc_map {
    int64_t size;        /* end of file as the cache sees it (grows with writes) */
    uint32_t views;      /* views it holds */
    int extents_known;   /* FSCTL_GET_RETRIEVAL_POINTERS answered */
    int extents_failed;  /* the file system gave none: misses read through it */
    uint32_t nextents;
    cc_extent_t extent[CC_MAX_EXTENTS];
};

/* A run of pages of one view: pages [first, first + count). */
typedef struct cc_run {
    uint32_t first, count;
} cc_run_t;

typedef struct cc_stats {
    uint64_t hits, misses;
} cc_stats_t;

extern cc_stats_t cc_stats;

void cc_init(void);
void cc_map_init(cc_map_t *m, int64_t size);

/* The view holding `offset`, if cached. */
cc_view_t *cc_find(cc_map_t *m, int64_t offset);
/* Whether every page of [offset, offset + len) (clipped to the file's end by the caller) is
 * valid; counts a hit or a miss when `count` is set. */
int cc_range_valid(cc_map_t *m, int64_t offset, uint32_t len);
/* Copies [offset, offset + len) out of valid pages. */
void cc_copy_out(cc_map_t *m, int64_t offset, uint32_t len, uint8_t *dst);
/* The bytes of [offset, offset + len) in place when they lie in one view (else NULL). */
const uint8_t *cc_span(cc_map_t *m, int64_t offset, uint32_t len);

/* A view for the file's `index`-th view: the cached one, a free one, or the least recently
 * used clean one taken from its owner. NULL when every view is dirty or busy: *victim then
 * names the view to write back first (NULL: all are busy, try later). */
cc_view_t *cc_get_view(cc_map_t *m, uint64_t index, cc_view_t **victim);

/* The pages a miss at `offset` reads: from its page to the end of the view (read-ahead),
 * clipped to the file's end, those neither valid nor being read; as runs. Returns the count. */
uint32_t cc_fill_runs(const cc_view_t *v, int64_t offset, int64_t size, cc_run_t *runs, uint32_t max);
/* A page a write of [offset, offset + len) must read first (a partly written page that is not
 * valid and holds data before the end of file `size`): its file offset, or -1 for none. The
 * caller reads it as a miss there (with read-ahead) and tries again. */
int64_t cc_write_needs(cc_map_t *m, int64_t offset, uint32_t len, int64_t size);
/* Marks pages of a fill being read or done (data: their bytes; NULL: the read failed). */
void cc_fill_begin(cc_view_t *v, cc_run_t r);
void cc_fill_end(cc_view_t *v, cc_run_t r, const uint8_t *data, uint32_t bytes);
/* Writes data at offset into views (which must be there: cc_write_fill_runs found nothing to
 * read); pages become valid and dirty; the map's size grows past a write's end. 0, or -1
 * when a view is missing. */
int cc_write(cc_map_t *m, int64_t offset, const uint8_t *data, uint32_t len);

/* Dirty page runs of a view, as file byte ranges clipped to `size`. */
uint32_t cc_dirty_runs(const cc_view_t *v, int64_t size, cc_run_t *runs, uint32_t max);
/* A run written back (ok) or failed (pages stay dirty). */
void cc_write_begin(cc_view_t *v, cc_run_t r);
void cc_write_end(cc_view_t *v, cc_run_t r, int ok);
/* The i-th view of a map (iteration; NULL past the last). */
cc_view_t *cc_view_at(cc_map_t *m, uint32_t i);
int cc_map_dirty(cc_map_t *m);
/* Frees every view of the map (their dirty data is lost: write back first, or discard). */
void cc_drop(cc_map_t *m);
/* Forgets pages past a new end of file and sets the size. */
void cc_truncate(cc_map_t *m, int64_t size);

/* Takes FSCTL_GET_RETRIEVAL_POINTERS output (nt/ioctl.h layout, `bytes` long). 0 or -1. */
int cc_set_extents(cc_map_t *m, const uint8_t *out, size_t bytes);
/* Where file byte `offset` is on the volume and how many bytes from there are contiguous;
 * -1 when no extent covers it. */
int cc_extent_lookup(const cc_map_t *m, int64_t offset, int64_t *volume_offset, int64_t *contiguous);

#endif
