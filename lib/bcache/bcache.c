/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The block cache: a hash table over a fixed array of block slots on one LRU list. A read that
 * misses fetches the whole run of missing blocks in one device call, plus a read-ahead window
 * that doubles while reads continue where the last one stopped and closes on a jump. Writes
 * only dirty the cache; an evicted dirty block goes out with its dirty neighbours in one call,
 * and bcache_sync writes the rest in block order.
 */
#include <bcache/bcache.h>
#include <string.h>

#define NONE UINT32_MAX

static size_t align8(size_t x) { return (x + 7) & ~(size_t)7; }

static uint32_t buckets_for(uint32_t blocks)
{
    uint32_t n = 1;
    while (n < blocks) n <<= 1;
    return n;
}

size_t bcache_mem_size(uint32_t block_size, uint32_t blocks, uint32_t stage_blocks)
{
    return align8((size_t)blocks * block_size) + 2 * align8((size_t)stage_blocks * block_size) +
           align8(sizeof(bcache_entry_t) * blocks) + align8(sizeof(uint32_t) * buckets_for(blocks)) +
           align8(sizeof(uint32_t) * blocks);
}

static uint32_t bucket(const bcache_t *bc, uint64_t lba)
{
    return (uint32_t)((lba * 0x9E3779B97F4A7C15ull) >> 40) & (bc->nbuckets - 1);
}

static void lru_unlink(bcache_t *bc, uint32_t i)
{
    bcache_entry_t *x = &bc->e[i];
    if (x->prev != NONE) bc->e[x->prev].next = x->next;
    else bc->mru = x->next;
    if (x->next != NONE) bc->e[x->next].prev = x->prev;
    else bc->lru = x->prev;
}

static void lru_push_front(bcache_t *bc, uint32_t i)
{
    bcache_entry_t *x = &bc->e[i];
    x->prev = NONE;
    x->next = bc->mru;
    if (bc->mru != NONE) bc->e[bc->mru].prev = i;
    bc->mru = i;
    if (bc->lru == NONE) bc->lru = i;
}

static void touch(bcache_t *bc, uint32_t i)
{
    if (bc->mru == i) return;
    lru_unlink(bc, i);
    lru_push_front(bc, i);
}

static uint32_t find(const bcache_t *bc, uint64_t lba)
{
    for (uint32_t i = bc->hash[bucket(bc, lba)]; i != NONE; i = bc->e[i].hnext)
        if (bc->e[i].lba == lba) return i;
    return NONE;
}

static void hash_remove(bcache_t *bc, uint32_t i)
{
    uint32_t *link = &bc->hash[bucket(bc, bc->e[i].lba)];
    while (*link != NONE && *link != i) link = &bc->e[*link].hnext;
    if (*link == i) *link = bc->e[i].hnext;
    bc->e[i].valid = 0;
}

static uint8_t *block(const bcache_t *bc, uint32_t i) { return bc->data + (size_t)i * bc->dev.block_size; }

int bcache_init(bcache_t *bc, const bcache_dev_t *dev, void *mem, size_t mem_size, uint32_t blocks,
                uint32_t stage_blocks, uint32_t readahead_max)
{
    if (!dev->block_size || blocks < 2 || !stage_blocks || mem_size < bcache_mem_size(dev->block_size, blocks, stage_blocks))
        return -1;
    memset(bc, 0, sizeof *bc);
    bc->dev = *dev;
    bc->capacity = blocks;
    bc->stage_blocks = stage_blocks;
    bc->readahead_max = readahead_max < stage_blocks ? readahead_max : stage_blocks;
    if (bc->readahead_max > blocks / 2) bc->readahead_max = blocks / 2;
    bc->nbuckets = buckets_for(blocks);
    uint8_t *p = mem;
    bc->data = p;
    p += align8((size_t)blocks * dev->block_size);
    bc->stage_r = p;
    p += align8((size_t)stage_blocks * dev->block_size);
    bc->stage_w = p;
    p += align8((size_t)stage_blocks * dev->block_size);
    bc->e = (bcache_entry_t *)(void *)p;
    p += align8(sizeof(bcache_entry_t) * blocks);
    bc->hash = (uint32_t *)(void *)p;
    p += align8(sizeof(uint32_t) * bc->nbuckets);
    bc->order = (uint32_t *)(void *)p;
    bcache_invalidate(bc);
    return 0;
}

void bcache_invalidate(bcache_t *bc)
{
    for (uint32_t b = 0; b < bc->nbuckets; b++) bc->hash[b] = NONE;
    bc->mru = bc->lru = NONE;
    /* Slot 0 least recent: claims then take slots in ascending order, so a run of blocks read
     * together sits in consecutive slots and later hits on it are copied as one run. */
    for (uint32_t i = 0; i < bc->capacity; i++) {
        bc->e[i].valid = bc->e[i].dirty = 0;
        bc->e[i].hnext = NONE;
        lru_push_front(bc, i);
    }
    bc->seq_next = UINT64_MAX;
    bc->readahead = 0;
    bc->prefetch_end = 0;
}

/* Writes the run of dirty cached blocks around slot i in one device call. */
static int write_run(bcache_t *bc, uint32_t i)
{
    uint64_t first = bc->e[i].lba, last = first;
    uint32_t n = 1;
    while (n < bc->stage_blocks && first > 0) {
        uint32_t j = find(bc, first - 1);
        if (j == NONE || !bc->e[j].dirty) break;
        first--, n++;
    }
    while (n < bc->stage_blocks) {
        uint32_t j = find(bc, last + 1);
        if (j == NONE || !bc->e[j].dirty) break;
        last++, n++;
    }
    uint32_t bs = bc->dev.block_size;
    for (uint32_t k = 0; k < n; k++) memcpy(bc->stage_w + (size_t)k * bs, block(bc, find(bc, first + k)), bs);
    bc->stats.dev_writes++;
    bc->stats.dev_write_blocks += n;
    if (bc->dev.write(bc->dev.ctx, first, n, bc->stage_w)) return -1;
    for (uint32_t k = 0; k < n; k++) bc->e[find(bc, first + k)].dirty = 0;
    return 0;
}

/* A slot for `lba` (which is not cached), the least recently used one, written back first if
 * dirty; it comes back hashed, valid and most recent. NONE if the write-back failed. */
static uint32_t claim(bcache_t *bc, uint64_t lba)
{
    uint32_t i = bc->lru;
    if (bc->e[i].valid) {
        if (bc->e[i].dirty && write_run(bc, i)) return NONE;
        hash_remove(bc, i);
    }
    bcache_entry_t *x = &bc->e[i];
    x->lba = lba;
    x->valid = 1;
    x->dirty = 0;
    uint32_t b = bucket(bc, lba);
    x->hnext = bc->hash[b];
    bc->hash[b] = i;
    touch(bc, i);
    return i;
}

static int in_range(const bcache_t *bc, uint64_t lba, uint32_t count)
{
    return lba <= bc->dev.num_blocks && count <= bc->dev.num_blocks - lba;
}

void bcache_set_prefetch(bcache_t *bc, uint32_t blocks)
{
    bc->prefetch_max = bc->dev.prefetch ? blocks - blocks % bc->stage_blocks : 0;
    bc->prefetch_end = 0;
}

/* A sequential reader reached `from`: start prefetches of whole aligned transfers from the
 * next boundary up to prefetch_max blocks beyond it, where not already started. Stops at the
 * first one the device declines (it has no buffer free yet): the next miss tries again. */
static void prefetch_ahead(bcache_t *bc, uint64_t from)
{
    uint32_t st = bc->stage_blocks;
    uint64_t start = from % st ? from - from % st + st : from, end = start + bc->prefetch_max;
    if (bc->prefetch_end < start || bc->prefetch_end > end) bc->prefetch_end = start;
    while (bc->prefetch_end < end && bc->prefetch_end < bc->dev.num_blocks) {
        uint64_t left = bc->dev.num_blocks - bc->prefetch_end;
        uint32_t c = left < st ? (uint32_t)left : st;
        if (find(bc, bc->prefetch_end) == NONE) {
            if (bc->dev.prefetch(bc->dev.ctx, bc->prefetch_end, c)) return;
            bc->stats.prefetch_blocks += c;
        }
        bc->prefetch_end += c;
    }
}

/* Slots for the `n` uncached blocks from `lba` (in bc->order), then their data from the device,
 * copied into the slots and, for those the caller asked for (the first `asked`), into `out`.
 * Slots are claimed first, so write-backs of evicted blocks happen before the read: a device
 * that lends its buffer (read_ref) is not called again while its data is being copied. */
static int fill(bcache_t *bc, uint64_t lba, uint32_t n, uint32_t asked, uint8_t *out)
{
    uint32_t bs = bc->dev.block_size;
    for (uint32_t j = 0; j < n; j++) {
        uint32_t s = claim(bc, lba + j);
        if (s == NONE) {
            for (uint32_t q = 0; q < j; q++) hash_remove(bc, bc->order[q]);
            return -1;
        }
        bc->order[j] = s;
    }
    bc->stats.dev_reads++;
    bc->stats.dev_read_blocks += n;
    const uint8_t *src = bc->stage_r;
    const void *lent = NULL;
    int err = bc->dev.read_ref ? bc->dev.read_ref(bc->dev.ctx, lba, n, &lent) : bc->dev.read(bc->dev.ctx, lba, n, bc->stage_r);
    if (err) {
        for (uint32_t j = 0; j < n; j++) hash_remove(bc, bc->order[j]);
        return -1;
    }
    if (lent) src = lent;
    /* Into the slots, a run of consecutive slots in one copy (claims usually are: see
     * bcache_invalidate); then the asked part to the caller. */
    for (uint32_t j = 0; j < n;) {
        uint32_t r = 1;
        while (j + r < n && bc->order[j + r] == bc->order[j] + r) r++;
        memcpy(block(bc, bc->order[j]), src + (size_t)j * bs, (size_t)r * bs);
        j += r;
    }
    memcpy(out, src, (size_t)asked * bs);
    bc->stats.misses += asked;
    bc->stats.readahead_blocks += n - asked;
    return 0;
}

int bcache_read(bcache_t *bc, uint64_t lba, uint32_t count, void *buf)
{
    if (!in_range(bc, lba, count)) return -1;
    uint32_t bs = bc->dev.block_size;
    if (lba == bc->seq_next) {
        uint32_t w = bc->readahead ? bc->readahead * 2 : (count > 4 ? count : 4);
        bc->readahead = w < bc->readahead_max ? w : bc->readahead_max;
    } else {
        bc->readahead = 0;
    }
    bc->seq_next = lba + count;
    /* A sequential reader with prefetching: each miss reads up to the next aligned boundary
     * (so it matches a prefetch started earlier), and prefetches beyond it. */
    int prefetching = bc->prefetch_max && bc->readahead;
    uint8_t *out = buf;
    for (uint32_t k = 0; k < count;) {
        uint32_t i = find(bc, lba + k);
        if (i != NONE) {
            /* The run of following blocks cached in the following slots, in one copy. */
            uint32_t r = 1;
            while (k + r < count && i + r < bc->capacity && bc->e[i + r].valid && bc->e[i + r].lba == lba + k + r) r++;
            memcpy(out + (size_t)k * bs, block(bc, i), (size_t)r * bs);
            for (uint32_t q = 0; q < r; q++) touch(bc, i + q);
            bc->stats.hits += r;
            k += r;
            continue;
        }
        /* The run of missing blocks from here, the read-ahead window beyond the request. */
        uint64_t at = lba + k, want = (uint64_t)(count - k) + bc->readahead;
        uint32_t limit = bc->stage_blocks;
        if (prefetching) want = limit = bc->stage_blocks - (uint32_t)(at % bc->stage_blocks);
        uint32_t n = 1;
        while (n < want && n < limit && n < bc->capacity / 2 && at + n < bc->dev.num_blocks && find(bc, at + n) == NONE)
            n++;
        uint32_t asked = n < count - k ? n : count - k;
        if (fill(bc, at, n, asked, out + (size_t)k * bs)) return -1;
        if (prefetching) prefetch_ahead(bc, at + n);
        k += asked;
    }
    return 0;
}

int bcache_write(bcache_t *bc, uint64_t lba, uint32_t count, const void *buf)
{
    if (!in_range(bc, lba, count)) return -1;
    uint32_t bs = bc->dev.block_size;
    const uint8_t *in = buf;
    for (uint32_t k = 0; k < count; k++) {
        uint32_t i = find(bc, lba + k);
        if (i == NONE) i = claim(bc, lba + k);
        else touch(bc, i);
        if (i == NONE) return -1;
        memcpy(block(bc, i), in + (size_t)k * bs, bs);
        bc->e[i].dirty = 1;
    }
    return 0;
}

uint32_t bcache_dirty_count(const bcache_t *bc)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < bc->capacity; i++) n += bc->e[i].valid && bc->e[i].dirty;
    return n;
}

int bcache_sync(bcache_t *bc)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < bc->capacity; i++)
        if (bc->e[i].valid && bc->e[i].dirty) bc->order[n++] = i;
    /* Shell sort by block number: runs then go out in order, each in one call. */
    for (uint32_t gap = n / 2; gap > 0; gap /= 2)
        for (uint32_t a = gap; a < n; a++)
            for (uint32_t b = a; b >= gap && bc->e[bc->order[b - gap]].lba > bc->e[bc->order[b]].lba; b -= gap) {
                uint32_t t = bc->order[b];
                bc->order[b] = bc->order[b - gap];
                bc->order[b - gap] = t;
            }
    for (uint32_t k = 0; k < n; k++)
        if (bc->e[bc->order[k]].dirty && write_run(bc, bc->order[k])) return -1;
    bc->stats.dev_flushes++;
    return bc->dev.flush ? bc->dev.flush(bc->dev.ctx) : 0;
}
