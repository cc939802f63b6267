/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The POSIX personality's resource managers, tested through the generated stubs only: resolve a
 * path with pathmgr (its reply carries the manager's cap), open a run-time connection on that
 * cap, then open/write/read/stat/list/rename/unlink files and directories in /tmp, use
 * /dev/console, /dev/null and /dev/zero; show that this server (which does not use pathreg)
 * cannot register a prefix, that a handle opened on one connection is bad_handle on another
 * (guessed or not), and that when tmpfs faults it is restarted, registers again, the old handle
 * fails with an error and /tmp works again. One `ok` or `FAILED` line per check.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include <fs_client_gen.h>
#include <pathreg_client_gen.h>

enum {
    S_TMP = POSIXTEST_SLOT_FREE_FIRST, /* tmpfs's public cap, from resolve */
    S_DEV,                             /* devfs's */
    S_C1, S_C1OBJ, S_C2, S_C2OBJ, S_C3, S_C3OBJ, S_C4, S_C4OBJ,
};
_Static_assert(S_C4OBJ < POSIXTEST_SLOT_FREE_END, "posixtest: slots");

static unsigned failures;
static pathmgr_client_t pm;
static uint8_t big[FS_MAX_IO];

static void check(int ok, const char *what)
{
    printf("posixtest: %s: %s\n", ok ? "ok" : "FAILED", what);
    failures += !ok;
}

/* Resolves `path` with its cap into `slot` (emptied first). */
static int resolve(const char *path, uint32_t after, ng_cptr_t slot, char *rest, uint32_t *id)
{
    ng_str_t r = { NULL, 0 };
    pathmgr_prefix_kind_t kind;
    uint32_t got = 0;
    ng_cptr_t ep = 0;
    (void)ng_cap_delete(slot);
    ng_recv_path_set(slot);
    int err = pathmgr_resolve(&pm, ng_str(path), after, &ep, &r, &kind, &got);
    ng_recv_path_set(POSIXTEST_CAP_RECV);
    if (err == NG_OK && ep != slot) err = NG_EBADMSG;
    if (err == NG_OK && rest) {
        memcpy(rest, r.ptr, r.len);
        rest[r.len] = 0;
    }
    if (id) *id = got;
    return err;
}

static int connect(ng_cptr_t ep, ng_cptr_t conn, ng_cptr_t obj, fs_client_t *c)
{
    memset(c, 0, sizeof *c);
    return posixtest_connect(ep, FS_SHM_BYTES, obj, conn, &c->ep, &c->shm, &c->shm_size);
}

static int write_str(const fs_client_t *c, uint32_t h, uint64_t off, const char *s)
{
    uint32_t w = 0;
    int err = fs_write(c, h, off, ng_bytes((const uint8_t *)s, strlen(s)), &w);
    return err == NG_OK && w == strlen(s) ? NG_OK : (err ? err : -1);
}

/* Waits until every manager has registered (they start beside this server). */
static void wait_for(const char *path)
{
    char rest[FS_MAX_PATH + 1];
    for (int i = 0; i < 100000; i++) {
        if (resolve(path, 0, S_TMP, rest, NULL) == NG_OK) return;
    }
}

static void paths(void)
{
    char rest[FS_MAX_PATH + 1];
    uint32_t id = 0;
    int e1 = resolve("/tmp/a/b", 0, S_TMP, rest, &id);
    check(e1 == NG_OK && strcmp(rest, "a/b") == 0, "resolve /tmp/a/b -> tmpfs, rest \"a/b\"");
    check(resolve("/tmp/a/b", id, S_DEV, rest, NULL) == PATHMGR_ERR_NOT_FOUND, "no second manager on /tmp (after = its id: not_found)");
    check(resolve("/tmpx", 0, S_DEV, rest, NULL) == PATHMGR_ERR_NOT_FOUND, "/tmpx is not under /tmp (component boundary)");
    check(resolve("tmp/x", 0, S_DEV, rest, NULL) == PATHMGR_ERR_BAD_PREFIX, "a relative path is bad_prefix");
    int e2 = resolve("//tmp/./c/../x", 0, S_DEV, rest, NULL);
    check(e2 == NG_OK && strcmp(rest, "x") == 0, "//tmp/./c/../x is normalised to /tmp/x");
    int e3 = resolve("/dev/null", 0, S_DEV, rest, NULL);
    check(e3 == NG_OK && strcmp(rest, "null") == 0, "resolve /dev/null -> devfs, rest \"null\"");
    unsigned n = 0;
    for (uint32_t i = 0;; i++) {
        ng_str_t prefix;
        pathmgr_prefix_kind_t kind;
        uint32_t pid;
        bool more = false;
        if (pathmgr_list(&pm, i, &prefix, &kind, &pid, &more) != NG_OK) break;
        printf("posixtest: prefix %.*s (id %u)\n", (int)prefix.len, prefix.ptr, (unsigned)pid);
        n++;
        if (!more) break;
    }
    check(n == 2, "pathmgr lists 2 prefixes");
}

static void files(const fs_client_t *c)
{
    uint32_t h = 0, h2 = 0, count = 0;
    ng_bytes_t got;
    fs_stat_t st;
    fs_dirent_t ents[FS_DIRENT_BATCH];
    check(fs_mkdir(c, ng_str("d"), 0755) == NG_OK, "mkdir /tmp/d");
    check(fs_mkdir(c, ng_str("d"), 0755) == FS_ERR_EXISTS, "mkdir /tmp/d again: exists");
    check(fs_open(c, ng_str("d/f"), FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE, &h) == NG_OK, "create /tmp/d/f");
    check(write_str(c, h, 0, "hello, tmpfs") == NG_OK, "write 12 bytes");
    check(write_str(c, h, 10000, "end") == NG_OK, "write 3 bytes at 10000 (sparse)");
    int e = fs_read(c, h, 0, 12, &got);
    check(e == NG_OK && got.len == 12 && memcmp(got.ptr, "hello, tmpfs", 12) == 0, "read back \"hello, tmpfs\"");
    e = fs_read(c, h, 12, 9988, &got);
    int zeros = e == NG_OK && got.len == 9988;
    for (size_t i = 0; zeros && i < got.len; i++) zeros = got.ptr[i] == 0;
    check(zeros, "the hole reads as 9988 zeros");
    check(fs_fstat(c, h, &st) == NG_OK && st.size == 10003 && st.type == FS_FILE_TYPE_REGULAR, "fstat: 10003 bytes, regular");
    check(fs_stat(c, ng_str("d"), &st) == NG_OK && st.type == FS_FILE_TYPE_DIRECTORY, "stat /tmp/d: a directory");
    check(fs_open(c, ng_str("d/f"), FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_EXCLUSIVE, &h2) == FS_ERR_EXISTS, "exclusive create of an existing file: exists");
    check(fs_open(c, ng_str("nope/f"), FS_OPEN_READ, &h2) == FS_ERR_NOT_FOUND, "open in a missing directory: not_found");
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7 + 1);
    uint32_t w = 0;
    check(fs_write(c, h, 0, ng_bytes(big, sizeof big), &w) == NG_OK && w == sizeof big, "write 64 KiB in one call");
    e = fs_read(c, h, 0, FS_MAX_IO, &got);
    check(e == NG_OK && got.len == sizeof big && memcmp(got.ptr, big, sizeof big) == 0, "read 64 KiB back, byte for byte");
    check(fs_truncate(c, h, 5) == NG_OK && fs_fstat(c, h, &st) == NG_OK && st.size == 5, "truncate to 5 bytes");
    check(fs_close(c, h) == NG_OK, "close");
    check(fs_close(c, h) == FS_ERR_BAD_HANDLE, "close again: bad_handle");
    check(fs_open(c, ng_str("d/g"), FS_OPEN_WRITE | FS_OPEN_CREATE, &h2) == NG_OK && fs_close(c, h2) == NG_OK, "create /tmp/d/g");
    e = fs_open(c, ng_str("d"), FS_OPEN_READ | FS_OPEN_DIRECTORY, &h);
    e = e ? e : fs_readdir(c, h, 0, ents, &count);
    check(e == NG_OK && count == 2 && strcmp(ents[0].name, "f") == 0 && strcmp(ents[1].name, "g") == 0, "readdir /tmp/d: f, g");
    fs_close(c, h);
    check(fs_rename(c, ng_str("d/f"), ng_str("d/h")) == NG_OK, "rename d/f -> d/h");
    check(fs_stat(c, ng_str("d/f"), &st) == FS_ERR_NOT_FOUND && fs_stat(c, ng_str("d/h"), &st) == NG_OK && st.size == 5, "d/f gone, d/h has its 5 bytes");
    check(fs_unlink(c, ng_str("d")) == FS_ERR_NOT_EMPTY, "unlink a non-empty directory: not_empty");
    check(fs_unlink(c, ng_str("d/h")) == NG_OK && fs_unlink(c, ng_str("d/g")) == NG_OK && fs_unlink(c, ng_str("d")) == NG_OK, "unlink d/h, d/g, then d");
    check(fs_stat(c, ng_str("d"), &st) == FS_ERR_NOT_FOUND, "d is gone");
    /* The memory bound: 1 MiB of blocks, 256 KiB per file. */
    int full = 0;
    for (int f = 0; f < 5 && !full; f++) {
        char name[8] = { 'b', 'i', 'g', (char)('0' + f), 0 };
        if (fs_open(c, ng_str(name), FS_OPEN_WRITE | FS_OPEN_CREATE, &h) != NG_OK) break;
        for (uint64_t off = 0; off < 4 * sizeof big && !full; off += sizeof big) {
            e = fs_write(c, h, off, ng_bytes(big, sizeof big), &w);
            full = e == FS_ERR_NO_SPACE || (e == NG_OK && w < sizeof big);
        }
        fs_close(c, h);
    }
    check(full, "writing past the memory bound: no_space (or a short write)");
    for (int f = 0; f < 5; f++) {
        char name[8] = { 'b', 'i', 'g', (char)('0' + f), 0 };
        (void)fs_unlink(c, ng_str(name));
    }
}

static void devices(void)
{
    char rest[FS_MAX_PATH + 1];
    fs_client_t c;
    uint32_t h = 0, w = 0, count = 0;
    ng_bytes_t got;
    fs_dirent_t ents[FS_DIRENT_BATCH];
    if (resolve("/dev/console", 0, S_DEV, rest, NULL) != NG_OK || connect(S_DEV, S_C3, S_C3OBJ, &c) != NG_OK) {
        check(0, "connect to devfs");
        return;
    }
    const char *line = "posixtest: this line went through /dev/console\n";
    int e = fs_open(&c, ng_str(rest), FS_OPEN_WRITE, &h);
    e = e ? e : fs_write(&c, h, 0, ng_bytes((const uint8_t *)line, strlen(line)), &w);
    check(e == NG_OK && w == strlen(line), "write to /dev/console");
    fs_close(&c, h);
    /* Nobody types on this console: a non-blocking read says "try again", not end of file (a
     * blocking one would wait for typing). */
    e = fs_open(&c, ng_str("console"), FS_OPEN_READ | FS_OPEN_NONBLOCK, &h);
    e = e ? e : fs_read(&c, h, 0, 16, &got);
    check(e == NG_EAGAIN || (e == NG_OK && got.len > 0), "non-blocking read of /dev/console with no input: NG_EAGAIN (or what was typed)");
    fs_close(&c, h);
    e = fs_open(&c, ng_str("null"), FS_OPEN_READ | FS_OPEN_WRITE, &h);
    e = e ? e : fs_write(&c, h, 0, ng_bytes(big, 4096), &w);
    check(e == NG_OK && w == 4096 && fs_read(&c, h, 0, 100, &got) == NG_OK && got.len == 0, "/dev/null swallows 4096 bytes, reads nothing");
    fs_close(&c, h);
    e = fs_open(&c, ng_str("zero"), FS_OPEN_READ, &h);
    e = e ? e : fs_read(&c, h, 0, 4096, &got);
    int zeros = e == NG_OK && got.len == 4096;
    for (size_t i = 0; zeros && i < got.len; i++) zeros = got.ptr[i] == 0;
    check(zeros, "/dev/zero reads 4096 zeros");
    fs_close(&c, h);
    e = fs_open(&c, ng_str(""), FS_OPEN_READ | FS_OPEN_DIRECTORY, &h);
    e = e ? e : fs_readdir(&c, h, 0, ents, &count);
    check(e == NG_OK && count == 3 && strcmp(ents[0].name, "console") == 0 && strcmp(ents[2].name, "zero") == 0, "readdir /dev: console, null, zero");
    fs_close(&c, h);
    check(fs_open(&c, ng_str("disk"), FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE, &h) == FS_ERR_NOT_FOUND, "no new files in /dev");
    check(posixtest_disconnect(c.ep, S_C3OBJ) == NG_OK, "disconnect from devfs");
}

static void privilege(const fs_client_t *c1, const fs_client_t *c2)
{
    uint32_t h = 0, h2 = 0, id = 0;
    fs_stat_t st;
    /* Registering takes a pathreg cap, which this server is not given: its pathmgr cap's badge
     * reaches only pathmgr's methods. */
    pathreg_client_t reg = { POSIXTEST_CAP_PATHMGR, NULL, 0 };
    uint32_t dropped = 0;
    int e1 = pathreg_register_prefix(&reg, ng_str("/evil"), PATHMGR_PREFIX_KIND_DIRECTORY, POSIXTEST_CAP_NTFN, &id);
    int e2 = pathreg_reset(&reg, &dropped);
    char rest[FS_MAX_PATH + 1];
    printf("posixtest: register /evil through the pathmgr cap: error %d; reset: error %d\n", e1, e2);
    check(e1 != NG_OK && e2 != NG_OK && resolve("/evil", 0, S_C4, rest, NULL) == PATHMGR_ERR_NOT_FOUND,
          "a server without pathreg cannot register a prefix (and /evil does not resolve)");
    (void)ng_cap_delete(S_C4);
    check(fs_open(c1, ng_str("secret"), FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE, &h) == NG_OK && write_str(c1, h, 0, "mine") == NG_OK,
          "connection 1 opens /tmp/secret");
    int e = fs_fstat(c2, h, &st);
    check(e == FS_ERR_BAD_HANDLE, "connection 2 using connection 1's handle: bad_handle");
    unsigned bad = 0, guesses = 0;
    for (uint32_t g = 0; g < 64; g++) { /* neighbours, and the same slot with other generations */
        uint32_t guess = g < 32 ? h - 16 + g : (h & 0x3ffu) | ((g - 32) << 10);
        ng_bytes_t got;
        guesses++;
        bad += fs_read(c2, guess, 0, 4, &got) == FS_ERR_BAD_HANDLE;
    }
    printf("posixtest: %u of %u guessed handles on connection 2: bad_handle\n", bad, guesses);
    check(bad == guesses, "no guessed handle reaches connection 1's file");
    fs_client_t pub = { S_TMP, NULL, 0 };
    check(fs_open(&pub, ng_str("secret"), FS_OPEN_READ, &h2) == NG_EDENIED && fs_fstat(&pub, h, &st) == FS_ERR_BAD_HANDLE,
          "the public cap pathmgr hands out opens nothing (denied) and reaches no handle");
    check(fs_close(c1, h) == NG_OK, "connection 1 still owns its handle");
}

static void fault(fs_client_t *c1)
{
    char rest[FS_MAX_PATH + 1];
    uint32_t h = 0, id0 = 0, id1 = 0;
    fs_stat_t st;
    ng_bytes_t got;
    resolve("/tmp", 0, S_TMP, rest, &id0);
    check(fs_open(c1, ng_str("keep"), FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE, &h) == NG_OK, "open /tmp/keep before the fault");
    faultinj_client_t fi = posixtest_use_faultinj();
    faultinj_crash(&fi);
    int tries = 0;
    for (; tries < 1000000; tries++) {
        if (resolve("/tmp", 0, S_TMP, rest, &id1) == NG_OK && id1 != id0) break;
    }
    printf("posixtest: /tmp registration %u -> %u\n", (unsigned)id0, (unsigned)id1);
    check(id1 != id0 && id1 != 0, "tmpfs restarted and registered /tmp again (a new id)");
    int e = fs_fstat(c1, h, &st);
    printf("posixtest: the old handle after the restart: error %d\n", e);
    check(e != NG_OK, "the old handle fails with an error (no hang)");
    (void)posixtest_disconnect(c1->ep, S_C1OBJ);
    fs_client_t c;
    e = connect(S_TMP, S_C4, S_C4OBJ, &c);
    check(e == NG_OK, "connect to the restarted tmpfs");
    if (e != NG_OK) return;
    check(fs_stat(&c, ng_str("keep"), &st) == FS_ERR_NOT_FOUND, "its files went with it (memory): keep not_found");
    e = fs_open(&c, ng_str("again"), FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE, &h);
    e = e ? e : write_str(&c, h, 0, "back");
    e = e ? e : fs_read(&c, h, 0, 4, &got);
    check(e == NG_OK && got.len == 4 && memcmp(got.ptr, "back", 4) == 0, "/tmp works again: write and read back");
    fs_close(&c, h);
    fs_unlink(&c, ng_str("again"));
    check(posixtest_disconnect(c.ep, S_C4OBJ) == NG_OK, "disconnect");
}

int main(void)
{
    fs_client_t c1, c2;
    pm = posixtest_use_pathmgr();
    wait_for("/tmp");
    wait_for("/dev");
    paths();
    char rest[FS_MAX_PATH + 1];
    int e = resolve("/tmp/x", 0, S_TMP, rest, NULL);
    e = e ? e : connect(S_TMP, S_C1, S_C1OBJ, &c1);
    check(e == NG_OK, "resolve /tmp/x and connect to tmpfs with the cap pathmgr handed over");
    if (e == NG_OK) {
        files(&c1);
        devices();
        e = connect(S_TMP, S_C2, S_C2OBJ, &c2);
        check(e == NG_OK, "a second connection to tmpfs");
        if (e == NG_OK) {
            privilege(&c1, &c2);
            check(posixtest_disconnect(c2.ep, S_C2OBJ) == NG_OK, "disconnect the second connection");
        }
        fault(&c1);
    }
    printf("posixtest: done, %u failure%s\n", failures, failures == 1 ? "" : "s");
    return 0;
}
