/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness of the FAT library and the block cache over mutated images. An image is
 * sparse, so that a FAT32 volume (33 MiB at least) fits an input of a few KiB:
 *
 *   u32 device blocks (little endian; clamped to 64 .. 131072), then chunks of
 *   u32 block number + 512 bytes; blocks no chunk gives read as zeros.
 *
 * scripts/fuzz-fat.ts makes the seeds from mkfs.fat + mtools images. Each input is mounted
 * through a small cache (so eviction and write-back run too), its tree walked and every file
 * read (bounded), then files and directories are created, written, renamed, truncated and
 * removed, and the volume unmounted. Any error code is fine; a crash, a sanitizer report or a
 * hang (libFuzzer's -timeout) is a finding.
 */
#include <bcache/bcache.h>
#include <fat/fat.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 512u
#define SLOTS 2048u /* hash slots of the sparse device; blocks beyond are dropped on write */
#define CACHE_BLOCKS 64u
#define STAGE_BLOCKS 16u

typedef struct {
    uint64_t lba;
    uint32_t gen; /* in use when it equals the current input's generation */
    uint8_t data[BLOCK];
} slot_t;

static slot_t *slots;
static uint32_t gen; /* bumped per input: clears the device without touching 1 MiB */
static uint64_t dev_blocks;
static size_t read_budget;
static unsigned walk_budget; /* entries visited per walk: a directory that contains itself would
                               * otherwise make the tree exponential */

static slot_t *slot_find(uint64_t lba, int create)
{
    uint32_t h = (uint32_t)((lba * 0x9E3779B97F4A7C15ull) >> 40) % SLOTS;
    for (uint32_t k = 0; k < SLOTS; k++, h = (h + 1) % SLOTS) {
        if (slots[h].gen == gen && slots[h].lba == lba) return &slots[h];
        if (slots[h].gen != gen) {
            if (!create) return NULL;
            slots[h].gen = gen;
            slots[h].lba = lba;
            memset(slots[h].data, 0, BLOCK);
            return &slots[h];
        }
    }
    return NULL;
}

static int sp_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    (void)ctx;
    if (lba + count > dev_blocks) return -1;
    for (uint32_t i = 0; i < count; i++) {
        slot_t *s = slot_find(lba + i, 0);
        if (s) memcpy((uint8_t *)buf + (size_t)i * BLOCK, s->data, BLOCK);
        else memset((uint8_t *)buf + (size_t)i * BLOCK, 0, BLOCK);
    }
    return 0;
}

/* The cache's optional device calls, as the FAT server's driver offers them: reads that lend
 * the device's buffer (which every write scribbles over, as the next blockdev call overwrites
 * the shared buffer), and prefetch hints, every third one declined. */
static uint8_t lend[STAGE_BLOCKS * BLOCK];
static unsigned hints;

static int sp_read_ref(void *ctx, uint64_t lba, uint32_t count, const void **data)
{
    if (count > STAGE_BLOCKS || sp_read(ctx, lba, count, lend)) return -1;
    *data = lend;
    return 0;
}

static int sp_prefetch(void *ctx, uint64_t lba, uint32_t count)
{
    (void)ctx;
    if (count == 0 || count > STAGE_BLOCKS || lba % STAGE_BLOCKS != 0 || lba + count > dev_blocks) abort();
    return ++hints % 3 == 0 ? -1 : 0;
}

static int sp_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
    (void)ctx;
    memset(lend, 0x5a, sizeof lend);
    if (lba + count > dev_blocks) return -1;
    for (uint32_t i = 0; i < count; i++) {
        slot_t *s = slot_find(lba + i, 1);
        if (s) memcpy(s->data, (const uint8_t *)buf + (size_t)i * BLOCK, BLOCK);
    }
    return 0;
}

static int sp_flush(void *ctx)
{
    (void)ctx;
    return 0;
}

static int c_read(void *ctx, uint64_t lba, uint32_t count, void *buf) { return bcache_read(ctx, lba, count, buf); }
static int c_write(void *ctx, uint64_t lba, uint32_t count, const void *buf) { return bcache_write(ctx, lba, count, buf); }
static int c_flush(void *ctx) { return bcache_sync(ctx); }

static int64_t clock_fn(void *ctx)
{
    (void)ctx;
    return 1700000000;
}

static fat_volume_t vol;
static uint8_t buf[16384];

static void walk(const char *path, int depth)
{
    fat_dir_t d;
    fat_dirent_t ent;
    if (depth > 6 || fat_opendir(&vol, path, &d) != FAT_OK) return;
    for (int n = 0; n < 64 && walk_budget > 0 && fat_readdir(&vol, &d, &ent) == FAT_OK; n++) {
        walk_budget--;
        char sub[FAT_PATH_MAX + 1];
        size_t pl = strlen(path), nl = strlen(ent.name);
        if (pl + nl + 2 > sizeof sub) continue;
        memcpy(sub, path, pl);
        sub[pl] = '/';
        memcpy(sub + pl + 1, ent.name, nl + 1);
        if (ent.attr & FAT_ATTR_DIRECTORY) {
            walk(sub, depth + 1);
            continue;
        }
        fat_file_t f;
        if (fat_open(&vol, sub, 0, &f) != FAT_OK) continue;
        for (uint32_t off = 0; read_budget > 0;) {
            size_t done;
            if (fat_read(&vol, &f, off, buf, sizeof buf, &done) != FAT_OK || done == 0) break;
            off += (uint32_t)done;
            read_budget = read_budget > done ? read_budget - done : 0;
        }
    }
}

static void mutate(void)
{
    fat_file_t f;
    size_t done;
    memset(buf, 0xA5, sizeof buf);
    if (fat_open(&vol, "a new file with a long name.txt", FAT_O_CREATE, &f) == FAT_OK) {
        fat_write(&vol, &f, 0, buf, 5000, &done);
        fat_write(&vol, &f, 9000, buf, 100, &done);
        fat_read(&vol, &f, 0, buf, sizeof buf, &done);
        fat_truncate(&vol, &f, 700);
    }
    fat_mkdir(&vol, "New Folder");
    if (fat_open(&vol, "New Folder/INNER.TXT", FAT_O_CREATE | FAT_O_TRUNC, &f) == FAT_OK)
        fat_write(&vol, &f, 0, buf, 1, &done);
    fat_rename(&vol, "a new file with a long name.txt", "New Folder/moved.txt");
    fat_rename(&vol, "New Folder", "renamed folder");
    fat_sync(&vol);
    /* Whatever was on the image: the first entries of the root go away or move. */
    fat_dir_t d;
    fat_dirent_t ent;
    if (fat_opendir(&vol, "", &d) == FAT_OK)
        for (int n = 0; n < 3 && fat_readdir(&vol, &d, &ent) == FAT_OK; n++) {
            if (n == 0) fat_unlink(&vol, ent.name);
            else if (n == 1) fat_rename(&vol, ent.name, "renamed folder/elsewhere");
            else if (fat_open(&vol, ent.name, 0, &f) == FAT_OK) fat_truncate(&vol, &f, 3);
        }
    fat_unlink(&vol, "renamed folder/INNER.TXT");
    fat_unlink(&vol, "renamed folder/moved.txt");
    fat_unlink(&vol, "renamed folder");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static void *mem;
    static bcache_t cache;
    if (!slots) slots = calloc(SLOTS, sizeof(slot_t));
    size_t need = bcache_mem_size(BLOCK, CACHE_BLOCKS, STAGE_BLOCKS);
    if (!mem) mem = malloc(need);
    if (!slots || !mem || size < 4) return 0;
    if (++gen == 0) {
        memset(slots, 0, sizeof(slot_t) * SLOTS);
        gen = 1;
    }
    uint32_t blocks = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
    dev_blocks = blocks < 64 ? 64 : blocks > 131072 ? 131072 : blocks;
    for (size_t at = 4; at + 4 + BLOCK <= size; at += 4 + BLOCK) {
        uint32_t lba = (uint32_t)data[at] | (uint32_t)data[at + 1] << 8 | (uint32_t)data[at + 2] << 16 | (uint32_t)data[at + 3] << 24;
        if (lba >= dev_blocks) continue;
        slot_t *s = slot_find(lba, 1);
        if (s) memcpy(s->data, data + at + 4, BLOCK);
    }
    bcache_dev_t raw = {.ctx = NULL, .block_size = BLOCK, .num_blocks = dev_blocks, .read = sp_read, .write = sp_write,
                        .flush = sp_flush, .read_ref = sp_read_ref, .prefetch = sp_prefetch};
    if (bcache_init(&cache, &raw, mem, need, CACHE_BLOCKS, STAGE_BLOCKS, 8)) abort();
    bcache_set_prefetch(&cache, 3 * STAGE_BLOCKS);
    fat_blockdev_t dev = {.ctx = &cache, .block_size = BLOCK, .num_blocks = dev_blocks, .read = c_read, .write = c_write, .flush = c_flush};
    if (fat_mount(&vol, &dev, 0) != FAT_OK) return 0;
    fat_set_clock(&vol, clock_fn, NULL);
#ifdef FAT_FUZZ_PLANTED_BUG
    /* The smoke test's negative case: a heap overflow once a FAT12 image mounts, which the
     * harness must report (it shows the seeds get past fat_mount and crashes get caught). */
    if (vol.type == FAT_TYPE_12) {
        volatile uint8_t *p = malloc(16);
        p[16] = 1;
        free((void *)p);
    }
#endif
    read_budget = 64 * 1024;
    walk_budget = 256;
    walk("", 0);
    mutate();
    walk_budget = 256;
    walk("", 0);
    fat_unmount(&vol);
    return 0;
}
