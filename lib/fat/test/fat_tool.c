/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FAT library's host test driver: mounts an image file through the block cache and runs
 * commands read from stdin, one per line, fields separated by tabs, printing "ok CMD" or
 * "err CMD: reason" for each. codegen/test/fat-lib.test.ts drives it against images made by
 * mkfs.fat and mtools and checks the results with fsck.fat and mtools.
 *
 *   mount [ro] | unmount | sync | info | stats
 *   ls PATH (entry NAME SHORT SIZE dir|file MTIME CLUSTER) | tree | get PATH HOSTFILE | put HOSTFILE PATH | putcrash HOSTFILE PATH BYTES
 *   mkdir PATH | rm PATH | mv FROM TO | truncate PATH SIZE | append PATH HOSTFILE
 *   fatset CLUSTER VALUE | setcluster PATH CLUSTER | setsize PATH SIZE   (corrupting on purpose)
 *
 * putcrash writes BYTES of the file and exits at once: no sync, no unmount, the cache's dirty
 * blocks lost, as if the machine stopped there.
 */
#define _POSIX_C_SOURCE 200809L
#include <bcache/bcache.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fat_int.h"

#define BLOCK 512u
#define CACHE_BLOCKS 512u /* 256 KiB: small enough that a 1 MiB file evicts */
#define STAGE_BLOCKS 128u

static int img_fd = -1;
static uint64_t img_blocks;
static bcache_t cache;
static fat_volume_t vol;
static int mounted;

static int img_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    (void)ctx;
    if (lba + count > img_blocks) return -1;
    return pread(img_fd, buf, (size_t)count * BLOCK, (off_t)(lba * BLOCK)) == (ssize_t)(count * BLOCK) ? 0 : -1;
}

static int img_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
    (void)ctx;
    if (lba + count > img_blocks) return -1;
    return pwrite(img_fd, buf, (size_t)count * BLOCK, (off_t)(lba * BLOCK)) == (ssize_t)(count * BLOCK) ? 0 : -1;
}

static int img_flush(void *ctx)
{
    (void)ctx;
    return fsync(img_fd);
}

static int c_read(void *ctx, uint64_t lba, uint32_t count, void *buf) { return bcache_read(ctx, lba, count, buf); }
static int c_write(void *ctx, uint64_t lba, uint32_t count, const void *buf) { return bcache_write(ctx, lba, count, buf); }
static int c_flush(void *ctx) { return bcache_sync(ctx); }

static int64_t fixed_clock(void *ctx)
{
    (void)ctx;
    const char *t = getenv("NG_FAT_TIME");
    return t ? strtoll(t, NULL, 10) : 1700000000; /* 2023-11-14 22:13:20 UTC */
}

/* Chunk sizes that cross sector and cluster boundaries at odd places. */
static const size_t CHUNKS[] = {1, 511, 4096, 7001, 65536, 513, 100000};

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static fat_err_t write_all(fat_file_t *f, uint32_t at, const char *data, size_t len, size_t stop_at)
{
    size_t off = 0;
    for (unsigned k = 0; off < len; k++) {
        size_t n = CHUNKS[k % (sizeof CHUNKS / sizeof CHUNKS[0])], done;
        if (n > len - off) n = len - off;
        if (off + n > stop_at) n = stop_at - off;
        fat_err_t e = fat_write(&vol, f, at + (uint32_t)off, data + off, n, &done);
        if (e) return e;
        if (done != n) return FAT_EIO;
        off += n;
        if (off >= stop_at) break;
    }
    return FAT_OK;
}

static fat_err_t cmd_get(const char *path, const char *host)
{
    fat_file_t f;
    fat_err_t e = fat_open(&vol, path, 0, &f);
    if (e) return e;
    FILE *out = fopen(host, "wb");
    if (!out) return FAT_EINVAL;
    static char buf[100000];
    uint32_t off = 0;
    for (unsigned k = 0;; k++) {
        size_t n = CHUNKS[(k + 3) % (sizeof CHUNKS / sizeof CHUNKS[0])], done;
        if ((e = fat_read(&vol, &f, off, buf, n, &done))) break;
        fwrite(buf, 1, done, out);
        off += (uint32_t)done;
        if (done < n) break;
    }
    fclose(out);
    return e;
}

static fat_err_t tree(const char *path, int depth)
{
    if (depth > 16) return FAT_OK;
    fat_dir_t d;
    fat_dirent_t ent;
    fat_err_t e = fat_opendir(&vol, path, &d);
    if (e) return e;
    while ((e = fat_readdir(&vol, &d, &ent)) == FAT_OK) {
        char sub[FAT_PATH_MAX + FAT_NAME_BUF + 2];
        snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "/" : "", ent.name);
        if (ent.attr & FAT_ATTR_DIRECTORY) {
            printf("dir\t%s\n", sub);
            fat_dir_t saved = d; /* the recursion reuses the windows, not the iterator */
            if ((e = tree(sub, depth + 1))) return e;
            d = saved;
        } else {
            printf("file\t%s\t%u\n", sub, ent.size);
        }
    }
    return e == FAT_ENOENT ? FAT_OK : e;
}

static fat_err_t entry_of(const char *path, fat_node_t *n, uint8_t **ent)
{
    fat_err_t e = fat_lookup(&vol, path, n);
    if (e) return e;
    if (n->is_root) return FAT_EINVAL;
    if ((e = fat_dwin_load(&vol, n->entry_sector))) return e;
    *ent = vol.dwin + n->entry_offset;
    return FAT_OK;
}

static fat_err_t run(int argc, char **argv)
{
    const char *c = argv[0];
    if (!strcmp(c, "mount")) {
        fat_blockdev_t dev = {.ctx = &cache, .block_size = BLOCK, .num_blocks = img_blocks, .read = c_read, .write = c_write, .flush = c_flush};
        bcache_invalidate(&cache);
        fat_err_t e = fat_mount(&vol, &dev, argc > 1 && !strcmp(argv[1], "ro") ? FAT_MOUNT_READ_ONLY : 0);
        if (e == FAT_OK) {
            mounted = 1;
            fat_set_clock(&vol, fixed_clock, NULL);
        }
        return e;
    }
    if (!mounted) return FAT_EINVAL;
    if (!strcmp(c, "unmount")) {
        mounted = 0;
        return fat_unmount(&vol);
    }
    if (!strcmp(c, "sync")) return fat_sync(&vol);
    if (!strcmp(c, "info")) {
        fat_info_t i;
        uint32_t free_now;
        fat_get_info(&vol, &i);
        fat_err_t e = fat_count_free(&vol, &free_now);
        printf("info\tFAT%d\tsector %u\tcluster %u\tclusters %u\tfree %d\tcounted %u\n", i.type, i.sector_size,
               i.cluster_size, i.clusters, (int)i.free_clusters, free_now);
        return e;
    }
    if (!strcmp(c, "stats")) {
        const bcache_stats_t *s = &cache.stats;
        printf("stats\thits %llu\tmisses %llu\tdev_reads %llu\tdev_read_blocks %llu\tdev_writes %llu\tdev_write_blocks %llu\treadahead %llu\n",
               (unsigned long long)s->hits, (unsigned long long)s->misses, (unsigned long long)s->dev_reads,
               (unsigned long long)s->dev_read_blocks, (unsigned long long)s->dev_writes,
               (unsigned long long)s->dev_write_blocks, (unsigned long long)s->readahead_blocks);
        return FAT_OK;
    }
    if (!strcmp(c, "tree")) return tree("", 0);
    if (argc < 2) return FAT_EINVAL;
    if (!strcmp(c, "ls")) {
        fat_dir_t d;
        fat_dirent_t ent;
        fat_err_t e = fat_opendir(&vol, argv[1], &d);
        while (e == FAT_OK && (e = fat_readdir(&vol, &d, &ent)) == FAT_OK)
            printf("entry\t%s\t%s\t%u\t%s\t%lld\t%u\n", ent.name, ent.short_name, ent.size,
                   ent.attr & FAT_ATTR_DIRECTORY ? "dir" : "file", (long long)ent.mtime, ent.first_cluster);
        return e == FAT_ENOENT ? FAT_OK : e;
    }
    if (!strcmp(c, "mkdir")) return fat_mkdir(&vol, argv[1]);
    if (!strcmp(c, "rm")) return fat_unlink(&vol, argv[1]);
    if (argc < 3) return FAT_EINVAL;
    if (!strcmp(c, "get")) return cmd_get(argv[1], argv[2]);
    if (!strcmp(c, "mv")) return fat_rename(&vol, argv[1], argv[2]);
    if (!strcmp(c, "put") || !strcmp(c, "putcrash") || !strcmp(c, "append")) {
        int append = !strcmp(c, "append");
        const char *host = append ? argv[2] : argv[1], *path = append ? argv[1] : argv[2];
        size_t len;
        char *data = slurp(host, &len);
        if (!data) return FAT_EINVAL;
        fat_file_t f;
        fat_err_t e = fat_open(&vol, path, FAT_O_CREATE | (append ? 0 : FAT_O_TRUNC), &f);
        size_t stop = !strcmp(c, "putcrash") && argc > 3 ? strtoul(argv[3], NULL, 0) : len;
        if (e == FAT_OK) e = write_all(&f, append ? f.node.size : 0, data, len, stop);
        free(data);
        if (stop < len) {
            printf("crash after %zu bytes\n", stop);
            fflush(stdout);
            _exit(e ? 1 : 0);
        }
        return e;
    }
    if (!strcmp(c, "truncate")) {
        fat_file_t f;
        fat_err_t e = fat_open(&vol, argv[1], 0, &f);
        return e ? e : fat_truncate(&vol, &f, (uint32_t)strtoul(argv[2], NULL, 0));
    }
    if (!strcmp(c, "fatset")) return fat_set(&vol, (uint32_t)strtoul(argv[1], NULL, 0), (uint32_t)strtoul(argv[2], NULL, 0));
    if (!strcmp(c, "setcluster") || !strcmp(c, "setsize")) {
        fat_node_t n;
        uint8_t *ent;
        fat_err_t e = entry_of(argv[1], &n, &ent);
        if (e) return e;
        uint32_t x = (uint32_t)strtoul(argv[2], NULL, 0);
        if (!strcmp(c, "setsize")) wr32(ent + DE_SIZE, x);
        else fat_entry_set_cluster(ent, x);
        return fat_dwin_store(&vol);
    }
    return FAT_EINVAL;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s IMAGE < commands\n", argv[0]);
        return 2;
    }
    img_fd = open(argv[1], O_RDWR);
    struct stat st;
    if (img_fd < 0 || fstat(img_fd, &st) != 0) {
        fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    img_blocks = (uint64_t)st.st_size / BLOCK;
    bcache_dev_t raw = {.ctx = NULL, .block_size = BLOCK, .num_blocks = img_blocks, .read = img_read, .write = img_write, .flush = img_flush};
    size_t need = bcache_mem_size(BLOCK, CACHE_BLOCKS, STAGE_BLOCKS);
    void *mem = aligned_alloc(8, (need + 7) & ~(size_t)7);
    if (!mem || bcache_init(&cache, &raw, mem, need, CACHE_BLOCKS, STAGE_BLOCKS, 64)) return 2;
    char line[4 * FAT_PATH_MAX];
    int failures = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (!line[0]) continue;
        char *args[8];
        int n = 0;
        for (char *p = line; n < 8;) {
            args[n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = 0;
            p = tab + 1;
        }
        fat_err_t e = run(n, args);
        if (e) {
            printf("err %s: %s\n", args[0], fat_strerror(e));
            failures++;
        } else {
            printf("ok %s\n", args[0]);
        }
        fflush(stdout);
    }
    free(mem);
    close(img_fd);
    return 0;
}
