/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit test of the resource-manager library (open-file tables, path helpers) and of the
 * pathname manager's prefix table and of tmpfs's tree, which build on it: handles scoped by
 * badge, stale and guessed handles, full tables and dead clients; normalisation; longest-prefix
 * resolution on component boundaries, union stacking with `after`, replacement and reset by
 * owner, the table bound; sparse files, the memory bound, rename and removal rules. Built with
 * ASan and UBSan by codegen/test/posix-rm.test.ts; prints "PASS resmgr" when every check holds.
 */
#include <stdio.h>
#include <string.h>

#include <resmgr/resmgr.h>

#include "table.h"
#include "tree.h"

static int failures;

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);                                    \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static int norm(const char *in, int absolute, const char *want)
{
    char out[RESMGR_PATH_MAX + 1];
    int r = resmgr_path_normalise(in, strlen(in), absolute, out, sizeof out);
    if (want == NULL) return r != 0;
    return r == 0 && strcmp(out, want) == 0;
}

static int dead_badge;
static int live(uint64_t badge, void *ctx)
{
    (void)ctx;
    return (int)badge != dead_badge;
}

static void close_counted(resmgr_file_t *f, void *ctx)
{
    resmgr_file_close(f);
    ++*(unsigned *)ctx;
}

static void test_tables(void)
{
    resmgr_file_t files[4];
    resmgr_table_t t;
    int obj1, obj2;
    resmgr_table_init(&t, files, 4, 7, live, NULL);
    resmgr_file_t *a = resmgr_file_open(&t, 100, 3, &obj1);
    resmgr_file_t *b = resmgr_file_open(&t, 200, 1, &obj2);
    CHECK(a && b && a->handle != b->handle && a->handle != 0);
    CHECK(resmgr_file_get(&t, 100, a->handle) == a);
    CHECK(resmgr_file_get(&t, 200, a->handle) == NULL); /* another client's handle */
    CHECK(resmgr_file_get(&t, 100, 0) == NULL);
    CHECK(resmgr_file_get(&t, 100, a->handle + 1) == NULL);
    CHECK(resmgr_file_get(&t, 100, (a->handle & 0x3ffu) | (9u << 10)) == NULL); /* other generation */
    CHECK(resmgr_file_get(&t, 100, 0xffffffffu) == NULL);
    uint32_t old = a->handle;
    resmgr_file_close(a);
    CHECK(resmgr_file_get(&t, 100, old) == NULL);
    resmgr_file_t *c = resmgr_file_open(&t, 100, 3, &obj1); /* the same slot, a new generation */
    CHECK(c && c->handle != old && resmgr_file_get(&t, 100, old) == NULL);
    CHECK(resmgr_file_open(&t, 300, 0, &obj1) && resmgr_file_open(&t, 300, 0, &obj1));
    CHECK(resmgr_open_count(&t) == 4);
    CHECK(resmgr_file_open(&t, 400, 0, &obj1) == NULL); /* full, every client live */
    dead_badge = 300;
    resmgr_file_t *d = resmgr_file_open(&t, 400, 0, &obj1); /* client 300 is gone: its files go */
    CHECK(d != NULL && resmgr_open_count(&t) == 3);
    CHECK(resmgr_close_client(&t, 100) == 1 && resmgr_open_count(&t) == 2);
    unsigned n = 0;
    resmgr_each_of(&t, &obj2, close_counted, &n);
    CHECK(n == 1);
    CHECK(resmgr_open_count(&t) == 1);
    /* Two instances with different seeds never share a handle for the same slot. */
    resmgr_file_t f1[2], f2[2];
    resmgr_table_t t1, t2;
    resmgr_table_init(&t1, f1, 2, 1u << 12, NULL, NULL);
    resmgr_table_init(&t2, f2, 2, 2u << 12, NULL, NULL);
    CHECK(resmgr_file_open(&t1, 1, 0, &obj1)->handle != resmgr_file_open(&t2, 1, 0, &obj1)->handle);
}

static void test_paths(void)
{
    CHECK(norm("/", 1, "/"));
    CHECK(norm("//tmp//a/./b/", 1, "/tmp/a/b"));
    CHECK(norm("/tmp/a/../b", 1, "/tmp/b"));
    CHECK(norm("/tmp/..", 1, "/"));
    CHECK(norm("/..", 1, NULL));
    CHECK(norm("tmp", 1, NULL));
    CHECK(norm("", 1, NULL));
    CHECK(norm("", 0, ""));
    CHECK(norm("a//b/.", 0, "a/b"));
    CHECK(norm("a/../..", 0, NULL));
    CHECK(norm("/x", 0, "x"));
    char nul[] = { '/', 'a', 0, 'b' };
    char out[16];
    CHECK(resmgr_path_normalise(nul, sizeof nul, 1, out, sizeof out) != 0);
    CHECK(resmgr_path_normalise("/abcdefghijklmnopqrstuvwxyz", 27, 1, out, sizeof out) != 0); /* does not fit */
    CHECK(resmgr_path_is_normal("/tmp", 4, 1) && !resmgr_path_is_normal("/tmp/", 5, 1) && !resmgr_path_is_normal("/a/./b", 6, 1));
    const char *rest;
    CHECK(resmgr_path_under("/tmp/x", "/tmp", &rest) && strcmp(rest, "x") == 0);
    CHECK(resmgr_path_under("/tmp", "/tmp", &rest) && strcmp(rest, "") == 0);
    CHECK(!resmgr_path_under("/tmpx", "/tmp", &rest));
    CHECK(resmgr_path_under("/a/b", "/", &rest) && strcmp(rest, "a/b") == 0);
    char parent[32];
    const char *name;
    CHECK(resmgr_path_split("a/b/c", parent, sizeof parent, &name) == 0 && strcmp(parent, "a/b") == 0 && strcmp(name, "c") == 0);
    CHECK(resmgr_path_split("c", parent, sizeof parent, &name) == 0 && strcmp(parent, "") == 0 && strcmp(name, "c") == 0);
    CHECK(resmgr_path_split("", parent, sizeof parent, &name) != 0);
    const char *p = "/a//bc/", *c;
    size_t len;
    CHECK((c = resmgr_path_next(&p, &len)) && len == 1 && *c == 'a');
    CHECK((c = resmgr_path_next(&p, &len)) && len == 2 && strncmp(c, "bc", 2) == 0);
    CHECK(resmgr_path_next(&p, &len) == NULL);
}

static void test_pathmgr(void)
{
    pm_entry_t entries[4];
    pm_table_t t;
    pm_entry_t *e, old;
    const pm_entry_t *r;
    const char *rest;
    char norm_[PM_PATH_MAX + 1];
    int replaced;
    pm_table_init(&t, entries, 4, 40);
    CHECK(pm_register(&t, 1, "/tmp/", 5, 1, &e, &replaced) == PM_BAD_PREFIX);
    CHECK(pm_register(&t, 1, "tmp", 3, 1, &e, &replaced) == PM_BAD_PREFIX);
    CHECK(pm_register(&t, 1, "/a/../tmp", 9, 1, &e, &replaced) == PM_BAD_PREFIX);
    CHECK(pm_register(&t, 1, "/", 1, 1, &e, &replaced) == PM_OK && e->slot == 40);
    uint32_t root = e->id;
    CHECK(pm_register(&t, 2, "/tmp", 4, 1, &e, &replaced) == PM_OK && !replaced);
    uint32_t tmp1 = e->id;
    CHECK(pm_register(&t, 3, "/tmp", 4, 1, &e, &replaced) == PM_OK); /* union: a second manager */
    uint32_t tmp2 = e->id;
    CHECK(pm_resolve(&t, "/tmp/x/y", 8, 0, norm_, &r, &rest) == PM_OK && r->id == tmp2 && strcmp(rest, "x/y") == 0);
    CHECK(pm_resolve(&t, "/tmp/x/y", 8, tmp2, norm_, &r, &rest) == PM_OK && r->id == tmp1);
    CHECK(pm_resolve(&t, "/tmp/x/y", 8, tmp1, norm_, &r, &rest) == PM_OK && r->id == root && strcmp(rest, "tmp/x/y") == 0);
    CHECK(pm_resolve(&t, "/tmp/x/y", 8, root, norm_, &r, &rest) == PM_NOT_FOUND);
    CHECK(pm_resolve(&t, "/tmpx", 5, 0, norm_, &r, &rest) == PM_OK && r->id == root);
    CHECK(pm_resolve(&t, "x", 1, 0, norm_, &r, &rest) == PM_BAD_PREFIX);
    CHECK(pm_resolve(&t, "/..", 3, 0, norm_, &r, &rest) == PM_BAD_PREFIX);
    CHECK(pm_resolve(&t, "/tmp/x", 6, 12345, norm_, &r, &rest) == PM_NOT_FOUND);
    /* Re-registration by the same owner replaces its entry (a restarted manager). */
    CHECK(pm_register(&t, 2, "/tmp", 4, 1, &e, &replaced) == PM_OK && replaced && e->id != tmp1);
    CHECK(pm_register(&t, 2, "/dev", 4, 2, &e, &replaced) == PM_OK && !replaced);
    CHECK(pm_register(&t, 4, "/x", 2, 1, &e, &replaced) == PM_FULL);
    CHECK(pm_unregister(&t, 3, root, &old) == PM_NOT_OWNER);
    CHECK(pm_unregister(&t, 1, root, &old) == PM_OK && old.slot == 40);
    CHECK(pm_unregister(&t, 1, root, &old) == PM_NOT_FOUND);
    CHECK(pm_resolve(&t, "/etc", 4, 0, norm_, &r, &rest) == PM_NOT_FOUND);
    CHECK(pm_reset(&t, 2, NULL, NULL) == 2);
    int more;
    CHECK(pm_list(&t, 0, &more) && !more && pm_list(&t, 1, &more) == NULL);
}

static tmpfs_t fs;

static void test_tmpfs(void)
{
    tmpfs_node_t *n, *d, *m, *rep;
    size_t done;
    static uint8_t buf[8192];
    tmpfs_init(&fs);
    CHECK(tmpfs_create(&fs, "d", 1, &d) == TMPFS_OK);
    CHECK(tmpfs_create(&fs, "d", 0, &n) == TMPFS_EXISTS);
    CHECK(tmpfs_create(&fs, "x/y", 0, &n) == TMPFS_NOT_FOUND);
    CHECK(tmpfs_create(&fs, "d/f", 0, &n) == TMPFS_OK);
    CHECK(tmpfs_create(&fs, "d/f/g", 0, &m) == TMPFS_NOT_DIR);
    CHECK(tmpfs_write(&fs, n, 5000, (const uint8_t *)"abc", 3, &done) == TMPFS_OK && n->size == 5003 && n->nblocks == 1);
    CHECK(tmpfs_read(&fs, n, 0, buf, sizeof buf, &done) == TMPFS_OK && done == 5003 && buf[0] == 0 && buf[5000] == 'a');
    CHECK(tmpfs_truncate(&fs, n, 4000) == TMPFS_OK && n->nblocks == 0 && n->size == 4000);
    CHECK(tmpfs_remove(&fs, d) == TMPFS_NOT_EMPTY);
    CHECK(tmpfs_rename(&fs, "d", "d/f2", &m, &rep) == TMPFS_INVALID); /* below itself */
    CHECK(tmpfs_rename(&fs, "d/f", "f", &m, &rep) == TMPFS_OK && m == n && tmpfs_lookup(&fs, "f", &m) == TMPFS_OK);
    CHECK(tmpfs_rename(&fs, "f", "d", &m, &rep) == TMPFS_IS_DIR);
    CHECK(tmpfs_remove(&fs, d) == TMPFS_OK && tmpfs_lookup(&fs, "d", &m) == TMPFS_NOT_FOUND);
    /* The memory bound: blocks run out before files do. */
    static uint8_t block[TMPFS_BLOCK];
    int full = 0;
    for (int i = 0; i < 8 && !full; i++) {
        char name[4] = { 'b', (char)('0' + i), 0, 0 };
        CHECK(tmpfs_create(&fs, name, 0, &m) == TMPFS_OK);
        for (uint64_t off = 0; off < (uint64_t)TMPFS_FILE_BLOCKS * TMPFS_BLOCK && !full; off += TMPFS_BLOCK)
            full = tmpfs_write(&fs, m, off, block, sizeof block, &done) == TMPFS_NO_SPACE;
    }
    CHECK(full && fs.free_blocks == 0);
    CHECK(tmpfs_write(&fs, n, (uint64_t)TMPFS_FILE_BLOCKS * TMPFS_BLOCK, block, 1, &done) == TMPFS_NO_SPACE);
}

int main(void)
{
    test_tables();
    test_paths();
    test_pathmgr();
    test_tmpfs();
    if (failures) {
        printf("%d checks failed\n", failures);
        return 1;
    }
    printf("PASS resmgr\n");
    return 0;
}
