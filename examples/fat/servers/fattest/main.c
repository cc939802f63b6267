/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FAT test client of examples/fat, through the fs interface of the FAT server: lists the
 * volume and prints every file's size and SHA-256 (the host compares them with its own), writes
 * new files with long names and sizes 0, 1, 4095, 4096 and 1 MiB + 7 (contents from
 * fattest_byte, which the host test computes too) and reads them back, makes and removes
 * directories, renames a file and a directory across directories, truncates, checks that bad
 * requests are refused, and unmounts. With a file CRASH.CMD on the volume it instead writes and
 * syncs synced.bin, then writes "long write.bin" until the test kills the system. With a file
 * BENCH.BIN it runs the storage benchmark instead (bench.c).
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include "sha256.h"
#include "bench.h"

#define CHUNK 65536u

static fs_client_t fs;
static uint8_t buf[CHUNK];
static int failures;

/* Byte i of a file written with `seed` (codegen/test/fat-system.test.ts computes the same). */
static uint8_t fattest_byte(uint32_t seed, uint32_t i)
{
    uint32_t x = (i ^ (seed * 0x9E3779B1u)) * 0x85EBCA6Bu;
    x ^= x >> 13;
    x *= 0xC2B2AE35u;
    return (uint8_t)(x >> 16);
}

static void check(int ok, const char *what, int err)
{
    if (!ok) failures++;
    printf("fattest: %s -> %d (%s)\n", what, err, ok ? "ok" : "FAILED");
}

/* Reads a whole file; its SHA-256 into hex. */
static int read_sum(const char *path, uint64_t *size, char hex[65])
{
    uint32_t h;
    int err = fs_open(&fs, ng_str(path), FS_OPEN_READ, &h);
    if (err) return err;
    sha256_t s;
    sha256_init(&s);
    uint64_t off = 0;
    for (;;) {
        ng_bytes_t got;
        if ((err = fs_read(&fs, h, off, CHUNK, &got)) || got.len == 0) break;
        sha256_update(&s, got.ptr, got.len);
        off += got.len;
    }
    fs_close(&fs, h);
    *size = off;
    sha256_hex(&s, hex);
    return err;
}

static void walk(const char *dir, int depth)
{
    uint32_t h;
    int err = fs_open(&fs, ng_str(dir), FS_OPEN_READ | FS_OPEN_DIRECTORY, &h);
    if (err) {
        check(0, "open directory", err);
        return;
    }
    fs_dirent_t ents[FS_DIRENT_BATCH];
    for (uint32_t index = 0, count;; index += count) {
        if ((err = fs_readdir(&fs, h, index, ents, &count)) || count == 0) break;
        for (uint32_t i = 0; i < count; i++) {
            char path[FS_MAX_PATH + 1];
            snprintf(path, sizeof path, "%s%s%s", dir, *dir ? "/" : "", ents[i].name);
            if (ents[i].type == FS_FILE_TYPE_DIRECTORY) {
                printf("fattest: dir %s\n", path);
                if (depth < 8) walk(path, depth + 1);
                continue;
            }
            uint64_t size;
            char hex[65];
            err = read_sum(path, &size, hex);
            printf("fattest: file %s %llu %s\n", path, (unsigned long long)size, err ? "read-error" : hex);
            if (err || size != ents[i].size) failures++;
        }
    }
    if (err) check(0, "readdir", err);
    fs_close(&fs, h);
}

/* Writes `size` bytes of the seed's pattern (CHUNK at a time); 0 or the error. */
static int write_pattern(uint32_t h, uint32_t seed, uint64_t from, uint64_t size)
{
    for (uint64_t off = from; off < from + size;) {
        uint32_t n = from + size - off < CHUNK ? (uint32_t)(from + size - off) : CHUNK, wrote;
        for (uint32_t i = 0; i < n; i++) buf[i] = fattest_byte(seed, (uint32_t)(off + i));
        int err = fs_write(&fs, h, off, ng_bytes(buf, n), &wrote);
        if (err) return err;
        if (wrote != n) return -1;
        off += n;
    }
    return 0;
}

static void put(const char *path, uint32_t size, uint32_t seed)
{
    uint32_t h;
    int err = fs_open(&fs, ng_str(path), FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_TRUNCATE, &h);
    if (!err) err = write_pattern(h, seed, 0, size);
    if (!err) err = fs_close(&fs, h);
    sha256_t s;
    sha256_init(&s);
    for (uint32_t i = 0; i < size; i++) {
        uint8_t b = fattest_byte(seed, i);
        sha256_update(&s, &b, 1);
    }
    char want[65], got[65];
    sha256_hex(&s, want);
    uint64_t n = 0;
    if (!err) err = read_sum(path, &n, got);
    int ok = !err && n == size && strcmp(want, got) == 0;
    if (!ok) failures++;
    printf("fattest: wrote %s %u %s (%s)\n", path, (unsigned)size, want, ok ? "read back ok" : "FAILED");
}

static void refused(const char *what, int err, int want)
{
    if (err != want) failures++;
    printf("fattest: %s -> %d (%s)\n", what, err, err == want ? "refused as expected" : "WRONG");
}

static int crash_mode(void)
{
    uint32_t h;
    int err = fs_open(&fs, ng_str("synced.bin"), FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_TRUNCATE, &h);
    if (!err) err = write_pattern(h, 7, 0, 300000);
    if (!err) err = fs_close(&fs, h);
    if (!err) err = fs_sync(&fs);
    printf("fattest: synced synced.bin (%d)\n", err);
    if (!err) err = fs_open(&fs, ng_str("long write.bin"), FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_TRUNCATE, &h);
    for (uint64_t off = 0; !err && off < (16u << 20); off += 1u << 20) {
        err = write_pattern(h, 8, off, 1u << 20);
        printf("fattest: long write at %llu KiB (%d)\n", (unsigned long long)(off >> 10) + 1024, err);
    }
    printf("fattest: long write finished without a kill\n");
    return 1;
}

int main(void)
{
    fs = fattest_use_fs();
    fs_stat_t st;
    if (fs_stat(&fs, ng_str("CRASH.CMD"), &st) == NG_OK) return crash_mode();
    if (fs_stat(&fs, ng_str("BENCH.BIN"), &st) == NG_OK) return fattest_bench(&fs, "BENCH.BIN", st.size);

    walk("", 0);
    check(fs_mkdir(&fs, ng_str("New Folder"), 0755) == NG_OK, "mkdir New Folder", 0);
    check(fs_mkdir(&fs, ng_str("New Folder/a directory with a long name"), 0755) == NG_OK, "mkdir a directory with a long name", 0);
    put("New Folder/empty file with a long name.txt", 0, 1);
    put("one byte.bin", 1, 2);
    put("almost a page (4095 bytes).dat", 4095, 3);
    put("PAGE.BIN", 4096, 4);
    put("New Folder/a directory with a long name/one MiB and seven bytes.data", (1u << 20) + 7, 5);

    int err = fs_mkdir(&fs, ng_str("scratch"), 0755);
    if (!err) err = fs_unlink(&fs, ng_str("scratch"));
    check(err == NG_OK, "mkdir + rmdir scratch", err);
    err = fs_rename(&fs, ng_str("one byte.bin"), ng_str("New Folder/one byte renamed.bin"));
    check(err == NG_OK, "rename a file into New Folder", err);
    err = fs_rename(&fs, ng_str("New Folder/a directory with a long name"), ng_str("moved directory"));
    check(err == NG_OK, "rename a directory out of New Folder", err);
    uint32_t h;
    err = fs_open(&fs, ng_str("PAGE.BIN"), FS_OPEN_WRITE, &h);
    if (!err) err = fs_truncate(&fs, h, 1000);
    if (!err) err = fs_close(&fs, h);
    check(err == NG_OK && fs_stat(&fs, ng_str("PAGE.BIN"), &st) == NG_OK && st.size == 1000, "truncate PAGE.BIN to 1000", err);

    /* Two handles on one file: a write through one shows in the other, and a rename while
     * both are open keeps them on the file. */
    uint32_t a = 0, b = 0;
    fs_stat_t sb = {0};
    err = fs_open(&fs, ng_str("shared.txt"), FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_TRUNCATE, &a);
    if (!err) err = fs_open(&fs, ng_str("shared.txt"), FS_OPEN_READ | FS_OPEN_WRITE, &b);
    if (!err) err = write_pattern(a, 6, 0, 10000);
    if (!err) err = fs_fstat(&fs, b, &sb);
    if (!err) err = fs_rename(&fs, ng_str("shared.txt"), ng_str("New Folder/shared renamed.txt"));
    if (!err) err = write_pattern(b, 6, 10000, 5000);
    if (a) fs_close(&fs, a);
    if (b) fs_close(&fs, b);
    check(!err && sb.size == 10000 && fs_stat(&fs, ng_str("New Folder/shared renamed.txt"), &st) == NG_OK && st.size == 15000,
          "two handles on one file, renamed while open", err);

    refused("open of a missing file", fs_open(&fs, ng_str("no/such/file"), FS_OPEN_READ, &h), FS_ERR_NOT_FOUND);
    refused("mkdir over a file", fs_mkdir(&fs, ng_str("PAGE.BIN"), 0755), FS_ERR_EXISTS);
    refused("unlink of a non-empty directory", fs_unlink(&fs, ng_str("New Folder")), FS_ERR_NOT_EMPTY);
    ng_bytes_t got;
    refused("read on a handle never opened", fs_read(&fs, 77, 0, 16, &got), FS_ERR_BAD_HANDLE);
    err = fs_open(&fs, ng_str("PAGE.BIN"), FS_OPEN_READ, &h);
    uint32_t wrote;
    refused("write on a read-only handle", err ? err : fs_write(&fs, h, 0, ng_bytes(buf, 1), &wrote), FS_ERR_ACCESS);
    fs_close(&fs, h);

    err = fs_unmount(&fs);
    check(err == NG_OK, "unmount", err);
    printf("fattest: %s\n", failures ? "FAILED" : "done");
    return failures ? 1 : 0;
}
