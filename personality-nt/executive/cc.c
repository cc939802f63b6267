/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cache manager data and decisions (see cc.h): views with per-page valid and dirty bits,
 * read-ahead of a view's rest on a miss, the reads a partial write needs first, write-back
 * runs, and file-to-volume extents.
 */
#include <stdlib.h>
#include <string.h>

#include "cc.h"

cc_stats_t cc_stats;
static cc_view_t pool[CC_MAX_VIEWS];
static uint64_t use_clock;

void cc_init(void)
{
    for (unsigned i = 0; i < CC_MAX_VIEWS; i++) {
        free(pool[i].data);
        memset(&pool[i], 0, sizeof pool[i]);
    }
    memset(&cc_stats, 0, sizeof cc_stats);
    use_clock = 0;
}

void cc_map_init(cc_map_t *m, int64_t size)
{
    memset(m, 0, sizeof *m);
    m->size = size;
}

static uint64_t bits(uint32_t first, uint32_t count)
{
    if (count == 0) return 0;
    uint64_t b = count >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << count) - 1);
    return b << first;
}

cc_view_t *cc_find(cc_map_t *m, int64_t offset)
{
    if (offset < 0 || m->views == 0) return NULL;
    uint64_t index = (uint64_t)offset / CC_VIEW_BYTES;
    for (unsigned i = 0; i < CC_MAX_VIEWS; i++)
        if (pool[i].map == m && pool[i].index == index) return &pool[i];
    return NULL;
}

cc_view_t *cc_view_at(cc_map_t *m, uint32_t i)
{
    for (unsigned k = 0; k < CC_MAX_VIEWS; k++) {
        if (pool[k].map != m) continue;
        if (i-- == 0) return &pool[k];
    }
    return NULL;
}

int cc_range_valid(cc_map_t *m, int64_t offset, uint32_t len)
{
    int64_t end = offset + len;
    for (int64_t at = offset; at < end;) {
        cc_view_t *v = cc_find(m, at);
        if (!v) return 0;
        uint32_t in = (uint32_t)(at % CC_VIEW_BYTES);
        int64_t view_end = (int64_t)(v->index + 1) * CC_VIEW_BYTES;
        uint32_t last = (uint32_t)(((end < view_end ? end : view_end) - 1) % CC_VIEW_BYTES);
        uint64_t need = bits(in / CC_PAGE_BYTES, last / CC_PAGE_BYTES - in / CC_PAGE_BYTES + 1);
        if ((v->valid & need) != need) return 0;
        v->last_use = ++use_clock;
        at = view_end;
    }
    return 1;
}

void cc_copy_out(cc_map_t *m, int64_t offset, uint32_t len, uint8_t *dst)
{
    while (len > 0) {
        cc_view_t *v = cc_find(m, offset);
        uint32_t in = (uint32_t)(offset % CC_VIEW_BYTES);
        uint32_t n = CC_VIEW_BYTES - in < len ? CC_VIEW_BYTES - in : len;
        if (v) memcpy(dst, v->data + in, n);
        else memset(dst, 0, n);
        dst += n;
        offset += n;
        len -= n;
    }
}

const uint8_t *cc_span(cc_map_t *m, int64_t offset, uint32_t len)
{
    uint32_t in = (uint32_t)(offset % CC_VIEW_BYTES);
    if (len > CC_VIEW_BYTES - in) return NULL;
    cc_view_t *v = cc_find(m, offset);
    return v ? v->data + in : NULL;
}

static int busy(const cc_view_t *v) { return v->filling != 0 || v->writing != 0; }

static void take(cc_view_t *v, cc_map_t *m, uint64_t index)
{
    if (v->map) v->map->views--;
    v->map = m;
    v->index = index;
    v->valid = v->dirty = v->filling = v->writing = 0;
    v->last_use = ++use_clock;
    m->views++;
}

cc_view_t *cc_get_view(cc_map_t *m, uint64_t index, cc_view_t **victim)
{
    *victim = NULL;
    cc_view_t *v = cc_find(m, (int64_t)(index * CC_VIEW_BYTES));
    if (v) return v;
    cc_view_t *oldest_clean = NULL, *oldest_dirty = NULL;
    for (unsigned i = 0; i < CC_MAX_VIEWS; i++) {
        cc_view_t *c = &pool[i];
        if (!c->map) {
            if (!c->data) c->data = malloc(CC_VIEW_BYTES);
            if (!c->data) continue;
            take(c, m, index);
            return c;
        }
        if (busy(c)) continue;
        if (c->dirty == 0) {
            if (!oldest_clean || c->last_use < oldest_clean->last_use) oldest_clean = c;
        } else if (!oldest_dirty || c->last_use < oldest_dirty->last_use) {
            oldest_dirty = c;
        }
    }
    if (oldest_clean) {
        take(oldest_clean, m, index);
        return oldest_clean;
    }
    *victim = oldest_dirty;
    return NULL;
}

/* Turns the set bits of `set` into runs of pages. */
static uint32_t runs_of(uint64_t set, cc_run_t *runs, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t p = 0; p < CC_VIEW_PAGES && n < max;) {
        if (!(set >> p & 1)) {
            p++;
            continue;
        }
        uint32_t q = p;
        while (q < CC_VIEW_PAGES && (set >> q & 1)) q++;
        runs[n++] = (cc_run_t){ p, q - p };
        p = q;
    }
    return n;
}

/* Pages of view v that hold bytes before `size`: the count from the view's start. */
static uint32_t pages_before(const cc_view_t *v, int64_t size)
{
    int64_t start = (int64_t)v->index * CC_VIEW_BYTES;
    if (size <= start) return 0;
    int64_t n = (size - start + CC_PAGE_BYTES - 1) / CC_PAGE_BYTES;
    return n > CC_VIEW_PAGES ? CC_VIEW_PAGES : (uint32_t)n;
}

uint32_t cc_fill_runs(const cc_view_t *v, int64_t offset, int64_t size, cc_run_t *runs, uint32_t max)
{
    uint32_t first = (uint32_t)((offset % CC_VIEW_BYTES) / CC_PAGE_BYTES);
    uint32_t end = pages_before(v, size);
    if (first >= end) return 0;
    uint64_t want = bits(first, end - first) & ~(v->valid | v->filling);
    return runs_of(want, runs, max);
}

int64_t cc_write_needs(cc_map_t *m, int64_t offset, uint32_t len, int64_t size)
{
    if (len == 0) return -1;
    /* Only the first and the last page can be partly written. */
    int64_t edges[2] = { offset, offset + len - 1 };
    for (int i = 0; i < 2; i++) {
        int64_t page_start = edges[i] / CC_PAGE_BYTES * CC_PAGE_BYTES;
        int partial = i == 0 ? (offset % CC_PAGE_BYTES) != 0 || len < CC_PAGE_BYTES
                             : ((offset + len) % CC_PAGE_BYTES) != 0;
        if (!partial || page_start >= size) continue;
        cc_view_t *v = cc_find(m, page_start);
        uint32_t page = (uint32_t)((page_start % CC_VIEW_BYTES) / CC_PAGE_BYTES);
        if (v && (v->valid >> page & 1)) continue;
        return page_start;
    }
    return -1;
}

void cc_fill_begin(cc_view_t *v, cc_run_t r)
{
    v->filling |= bits(r.first, r.count);
}

void cc_fill_end(cc_view_t *v, cc_run_t r, const uint8_t *data, uint32_t bytes)
{
    uint64_t b = bits(r.first, r.count);
    v->filling &= ~b;
    if (!data) return;
    for (uint32_t p = r.first; p < r.first + r.count; p++) {
        if (v->valid >> p & 1) continue; /* written meanwhile: newer than the disk */
        uint8_t *dst = v->data + (size_t)p * CC_PAGE_BYTES;
        uint32_t off = (p - r.first) * CC_PAGE_BYTES;
        uint32_t n = bytes > off ? bytes - off : 0;
        if (n > CC_PAGE_BYTES) n = CC_PAGE_BYTES;
        memcpy(dst, data + off, n);
        memset(dst + n, 0, CC_PAGE_BYTES - n);
        v->valid |= (uint64_t)1 << p;
    }
}

int cc_write(cc_map_t *m, int64_t offset, const uint8_t *data, uint32_t len)
{
    int64_t old_size = m->size;
    while (len > 0) {
        cc_view_t *v = cc_find(m, offset);
        if (!v) return -1;
        uint32_t in = (uint32_t)(offset % CC_VIEW_BYTES);
        uint32_t n = CC_VIEW_BYTES - in < len ? CC_VIEW_BYTES - in : len;
        uint32_t p0 = in / CC_PAGE_BYTES, p1 = (in + n - 1) / CC_PAGE_BYTES;
        for (uint32_t p = p0; p <= p1; p++) {
            if (v->valid >> p & 1) continue;
            /* A page that is not valid here holds nothing before the old end of file
             * (cc_write_fill_runs read the others): it starts as zeros. */
            memset(v->data + (size_t)p * CC_PAGE_BYTES, 0, CC_PAGE_BYTES);
        }
        memcpy(v->data + in, data, n);
        uint64_t b = bits(p0, p1 - p0 + 1);
        v->valid |= b;
        v->dirty |= b;
        v->last_use = ++use_clock;
        data += n;
        offset += n;
        len -= n;
    }
    if (offset > old_size) m->size = offset;
    return 0;
}

uint32_t cc_dirty_runs(const cc_view_t *v, int64_t size, cc_run_t *runs, uint32_t max)
{
    uint32_t end = pages_before(v, size);
    return runs_of(v->dirty & ~v->writing & bits(0, end), runs, max);
}

void cc_write_begin(cc_view_t *v, cc_run_t r)
{
    uint64_t b = bits(r.first, r.count);
    v->writing |= b;
    v->dirty &= ~b; /* a write meanwhile makes them dirty again */
}

void cc_write_end(cc_view_t *v, cc_run_t r, int ok)
{
    uint64_t b = bits(r.first, r.count);
    v->writing &= ~b;
    if (!ok) v->dirty |= b & v->valid;
}

int cc_map_dirty(cc_map_t *m)
{
    for (unsigned i = 0; i < CC_MAX_VIEWS; i++) {
        if (pool[i].map != m) continue;
        /* Pages past the end of file (truncated) never go back. */
        if (pool[i].dirty & bits(0, pages_before(&pool[i], m->size))) return 1;
    }
    return 0;
}

void cc_drop(cc_map_t *m)
{
    for (unsigned i = 0; i < CC_MAX_VIEWS; i++) {
        if (pool[i].map != m) continue;
        pool[i].map = NULL;
        pool[i].valid = pool[i].dirty = pool[i].filling = pool[i].writing = 0;
    }
    m->views = 0;
}

void cc_truncate(cc_map_t *m, int64_t size)
{
    if (size < 0) size = 0;
    for (unsigned i = 0; i < CC_MAX_VIEWS; i++) {
        cc_view_t *v = &pool[i];
        if (v->map != m) continue;
        uint32_t keep = pages_before(v, size);
        uint64_t mask = bits(0, keep);
        v->valid &= mask;
        v->dirty &= mask;
        /* The page holding the new end: bytes past it read as zeros later. */
        if (keep > 0 && size % CC_PAGE_BYTES && (v->valid >> (keep - 1) & 1)) {
            int64_t start = (int64_t)v->index * CC_VIEW_BYTES;
            uint32_t in = (uint32_t)(size - start);
            memset(v->data + in, 0, (size_t)keep * CC_PAGE_BYTES - in);
        }
    }
    m->size = size;
}

int cc_set_extents(cc_map_t *m, const uint8_t *out, size_t bytes)
{
    nt_retrieval_pointers_t h;
    m->nextents = 0;
    if (bytes < sizeof h) return -1;
    memcpy(&h, out, sizeof h);
    if (h.cluster_bytes == 0 || h.cluster_bytes > (1u << 24) || h.starting_vcn < 0 || h.first_cluster_offset < 0) return -1;
    size_t room = (bytes - sizeof h) / sizeof(nt_retrieval_run_t);
    if (h.count > room) return -1;
    int64_t vcn = h.starting_vcn;
    for (uint32_t i = 0; i < h.count && m->nextents < CC_MAX_EXTENTS; i++) {
        nt_retrieval_run_t r;
        memcpy(&r, out + sizeof h + i * sizeof r, sizeof r);
        if (r.next_vcn <= vcn || r.next_vcn > (INT64_MAX / h.cluster_bytes)) return -1;
        if (r.lcn >= 0) {
            if (r.lcn > (INT64_MAX - h.first_cluster_offset) / h.cluster_bytes / 2) return -1;
            m->extent[m->nextents++] = (cc_extent_t){
                .file_offset = vcn * h.cluster_bytes,
                .volume_offset = h.first_cluster_offset + r.lcn * h.cluster_bytes,
                .length = (r.next_vcn - vcn) * h.cluster_bytes,
            };
        }
        vcn = r.next_vcn;
    }
    return 0;
}

int cc_extent_lookup(const cc_map_t *m, int64_t offset, int64_t *volume_offset, int64_t *contiguous)
{
    for (uint32_t i = 0; i < m->nextents; i++) {
        const cc_extent_t *e = &m->extent[i];
        if (offset < e->file_offset || offset >= e->file_offset + e->length) continue;
        *volume_offset = e->volume_offset + (offset - e->file_offset);
        *contiguous = e->file_offset + e->length - offset;
        /* Runs that continue on the volume read as one. */
        for (uint32_t j = i + 1; j < m->nextents; j++) {
            const cc_extent_t *p = &m->extent[j - 1], *n = &m->extent[j];
            if (n->file_offset != p->file_offset + p->length || n->volume_offset != p->volume_offset + p->length) break;
            *contiguous += n->length;
        }
        return 0;
    }
    return -1;
}
