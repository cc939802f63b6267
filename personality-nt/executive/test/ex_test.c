/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit tests of the executive's pure parts (codegen/test/nt-exec.test.ts builds and runs
 * them under ASan/UBSan): object-manager name parsing with link substitution and devices,
 * reference counts, handle tables with generic mapping and access checks, and the cache
 * manager's decisions (hits, read-ahead runs, partial-write fills, dirty runs clipped to the
 * end of file, eviction, extents from FSCTL_GET_RETRIEVAL_POINTERS output).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cc.h"
#include "../handle.h"
#include "../ob.h"

static int failures, checks;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        checks++;                                                                     \
        if (!(cond)) {                                                                \
            failures++;                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                             \
    } while (0)
#define CHECK_EQ(a, b) CHECK((long long)(a) == (long long)(b))

static ob_t *make(const char *name, ob_type_t type, int make_dirs)
{
    ob_t *o = NULL;
    NTSTATUS s = ob_create(NULL, name, type, make_dirs, &o);
    CHECK_EQ(s, STATUS_SUCCESS);
    if (o) {
        o->permanent = 1;
        o->refs = 0;
    }
    return o;
}

static void link_to(const char *name, const char *target)
{
    ob_t *o = make(name, OB_SYMLINK, 0);
    if (o) {
        o->target = malloc(strlen(target) + 1);
        if (o->target) strcpy(o->target, target);
    }
}

static void test_namespace(void)
{
    CHECK_EQ(ob_init(), STATUS_SUCCESS);
    uint32_t base = ob_count();
    ob_parse_t p;
    static const char *const boot[] = { "\\Device", "\\Driver", "\\FileSystem", "\\??" };
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(ob_parse(NULL, boot[i], 0, &p), STATUS_SUCCESS);
        CHECK(p.obj && p.obj->type == OB_DIRECTORY);
        ob_deref(p.obj);
    }
    /* \DosDevices and \GLOBAL?? are links to \??. */
    CHECK_EQ(ob_parse(NULL, "\\DosDevices", 0, &p), STATUS_SUCCESS);
    ob_t *q = p.obj;
    ob_deref(p.obj);
    CHECK_EQ(ob_parse(NULL, "\\??", 0, &p), STATUS_SUCCESS);
    CHECK(p.obj == q);
    ob_deref(p.obj);
    CHECK_EQ(ob_parse(NULL, "\\GLOBAL??", OB_PARSE_OPEN_LINK, &p), STATUS_SUCCESS);
    CHECK(p.obj->type == OB_SYMLINK);
    ob_deref(p.obj);

    /* A device with directories made on the way, a drive letter, a name below the device. */
    ob_t *disk = make("\\Device\\Harddisk0\\Partition0", OB_DEVICE, 1);
    link_to("\\??\\C:", "\\Device\\Harddisk0\\Partition0");
    CHECK_EQ(ob_parse(NULL, "\\??\\C:\\dir\\file.txt", 0, &p), STATUS_SUCCESS);
    CHECK(p.obj == disk);
    CHECK(strcmp(p.rest, "\\dir\\file.txt") == 0);
    ob_deref(p.obj);
    CHECK_EQ(ob_parse(NULL, "\\DosDevices\\c:", 0, &p), STATUS_SUCCESS); /* case-insensitive */
    CHECK(p.obj == disk && p.rest[0] == 0);
    ob_deref(p.obj);
    CHECK_EQ(ob_parse(NULL, "\\device\\HARDDISK0\\partition0\\x", 0, &p), STATUS_SUCCESS);
    CHECK(p.obj == disk && strcmp(p.rest, "\\x") == 0);
    ob_deref(p.obj);
    /* The trailing backslash of a volume's root. */
    CHECK_EQ(ob_parse(NULL, "\\??\\C:\\", 0, &p), STATUS_SUCCESS);
    CHECK(strcmp(p.rest, "\\") == 0);
    ob_deref(p.obj);

    /* Errors: not found (last or middle), syntax, empty components, relative without root. */
    CHECK_EQ(ob_parse(NULL, "\\Device\\Nope", 0, &p), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK_EQ(ob_parse(NULL, "\\Nope\\Device", 0, &p), STATUS_OBJECT_PATH_NOT_FOUND);
    CHECK_EQ(ob_parse(NULL, "Device", 0, &p), STATUS_OBJECT_PATH_SYNTAX_BAD);
    CHECK_EQ(ob_parse(NULL, "\\Device\\\\Null", 0, &p), STATUS_OBJECT_NAME_INVALID);
    CHECK(p.obj == NULL);
    char longname[400];
    memset(longname, 'a', sizeof longname - 1);
    longname[0] = '\\';
    longname[sizeof longname - 1] = 0;
    CHECK_EQ(ob_parse(NULL, longname, 0, &p), STATUS_OBJECT_NAME_INVALID);

    /* Relative to a directory. */
    ob_t *devdir;
    CHECK_EQ(ob_parse(NULL, "\\Device", 0, &p), STATUS_SUCCESS);
    devdir = p.obj;
    CHECK_EQ(ob_parse(devdir, "Harddisk0\\Partition0", 0, &p), STATUS_SUCCESS);
    CHECK(p.obj == disk);
    ob_deref(p.obj);
    CHECK_EQ(ob_parse(devdir, "\\Harddisk0", 0, &p), STATUS_OBJECT_PATH_SYNTAX_BAD);
    ob_deref(devdir);

    /* A loop of links ends after OB_MAX_LINK_DEPTH substitutions. */
    link_to("\\??\\L1", "\\??\\L2");
    link_to("\\??\\L2", "\\??\\L1");
    CHECK_EQ(ob_parse(NULL, "\\??\\L1\\x", 0, &p), STATUS_OBJECT_PATH_INVALID);
    /* A link resolving into a link: substituted twice. */
    link_to("\\??\\D:", "\\??\\C:");
    CHECK_EQ(ob_parse(NULL, "\\??\\D:\\a", 0, &p), STATUS_SUCCESS);
    CHECK(p.obj == disk && strcmp(p.rest, "\\a") == 0);
    ob_deref(p.obj);

    /* Collisions; listing with type names. */
    ob_t *o;
    CHECK_EQ(ob_create(NULL, "\\??\\c:", OB_SYMLINK, 0, &o), STATUS_OBJECT_NAME_COLLISION);
    CHECK_EQ(ob_create(NULL, "\\No\\Such", OB_EVENT, 0, &o), STATUS_OBJECT_PATH_NOT_FOUND);
    ob_t *root = ob_root();
    int seen_dir = 0, seen_link = 0;
    for (uint32_t i = 0; ob_dir_entry(root, i); i++) {
        ob_t *e = ob_dir_entry(root, i);
        if (strcmp(e->name, "Device") == 0) seen_dir = strcmp(ob_type_name(e->type), "Directory") == 0;
        if (strcmp(e->name, "DosDevices") == 0) seen_link = strcmp(ob_type_name(e->type), "SymbolicLink") == 0;
    }
    CHECK(seen_dir && seen_link);
    char full[OB_NAME_MAX + 1];
    CHECK(ob_full_name(disk, full, sizeof full) > 0 && strcmp(full, "\\Device\\Harddisk0\\Partition0") == 0);

    /* Reference counts: a temporary named object goes with its last reference. */
    ob_t *ev;
    CHECK_EQ(ob_create(NULL, "\\ev", OB_EVENT, 0, &ev), STATUS_SUCCESS);
    uint32_t n = ob_count();
    ob_ref(ev);
    ob_deref(ev);
    CHECK_EQ(ob_parse(NULL, "\\ev", 0, &p), STATUS_SUCCESS);
    ob_deref(p.obj);
    ob_deref(ev);
    CHECK_EQ(ob_count(), n - 1);
    CHECK_EQ(ob_parse(NULL, "\\ev", 0, &p), STATUS_OBJECT_NAME_NOT_FOUND);
    /* A name taken out while referenced: reusable at once, the object lives until its last
     * reference goes. */
    ob_t *held;
    CHECK_EQ(ob_create(NULL, "\\Device\\Held", OB_DEVICE, 0, &held), STATUS_SUCCESS);
    held->permanent = 1;
    n = ob_count();
    ob_remove_name(held);
    CHECK_EQ(ob_count(), n);
    ob_t *again;
    CHECK_EQ(ob_create(NULL, "\\Device\\Held", OB_DEVICE, 0, &again), STATUS_SUCCESS);
    CHECK(again != held);
    ob_deref(held);
    CHECK_EQ(ob_count(), n);
    ob_deref(again);
    CHECK_EQ(ob_count(), n - 1);
    /* A permanent one stays until made temporary. */
    ob_make_temporary(disk);
    CHECK_EQ(ob_parse(NULL, "\\??\\C:\\x", 0, &p), STATUS_OBJECT_PATH_NOT_FOUND); /* the link dangles */
    CHECK(ob_count() > base);
    ob_init(); /* frees everything */
    CHECK_EQ(ob_count(), base);
}

static int live_badge = 7;
static int is_live(uint64_t badge) { return badge != (uint64_t)live_badge + 100; }

static void test_handles(void)
{
    ob_init();
    ht_init(is_live);
    ob_t *file, *ev;
    CHECK_EQ(ob_create(NULL, NULL, OB_FILE, 0, &file), STATUS_SUCCESS);
    CHECK_EQ(ob_create(NULL, NULL, OB_EVENT, 0, &ev), STATUS_SUCCESS);
    ht_table_t *a = ht_table(1, 1), *b = ht_table(2, 1);
    CHECK(a && b && a != b);
    CHECK(ht_table(1, 0) == a);
    uint64_t hr, hw, he;
    uint32_t read = ht_map_generic(OB_FILE, HT_GENERIC_READ);
    CHECK(read & HT_FILE_READ_DATA);
    CHECK(!(read & HT_FILE_WRITE_DATA));
    CHECK_EQ(ht_insert(a, file, read, &hr), STATUS_SUCCESS);
    CHECK_EQ(ht_insert(a, file, ht_map_generic(OB_FILE, HT_GENERIC_WRITE), &hw), STATUS_SUCCESS);
    CHECK_EQ(ht_insert(a, ev, ht_map_generic(OB_EVENT, HT_GENERIC_ALL), &he), STATUS_SUCCESS);
    CHECK_EQ(hr, 4);
    CHECK_EQ(hw, 8);
    CHECK_EQ(he, 12);
    ob_t *o;
    uint32_t g;
    CHECK_EQ(ht_lookup(a, hr, OB_FILE, HT_FILE_READ_DATA, &o, &g), STATUS_SUCCESS);
    CHECK(o == file);
    /* A read-only handle cannot write; a write handle cannot read. */
    CHECK_EQ(ht_lookup(a, hr, OB_FILE, HT_FILE_WRITE_DATA, &o, &g), STATUS_ACCESS_DENIED);
    CHECK_EQ(ht_lookup(a, hw, OB_FILE, HT_FILE_READ_DATA, &o, &g), STATUS_ACCESS_DENIED);
    CHECK_EQ(ht_lookup(a, he, OB_FILE, 0, &o, &g), STATUS_OBJECT_TYPE_MISMATCH);
    /* Another client's table does not hold a's values; odd, zero and huge values are invalid. */
    CHECK_EQ(ht_lookup(b, hr, 0, 0, &o, &g), STATUS_INVALID_HANDLE);
    CHECK_EQ(ht_lookup(a, 0, 0, 0, &o, &g), STATUS_INVALID_HANDLE);
    CHECK_EQ(ht_lookup(a, 5, 0, 0, &o, &g), STATUS_INVALID_HANDLE);
    CHECK_EQ(ht_lookup(a, ~(uint64_t)0 & ~(uint64_t)3, 0, 0, &o, &g), STATUS_INVALID_HANDLE);
    CHECK_EQ(ht_lookup(NULL, 4, 0, 0, &o, &g), STATUS_INVALID_HANDLE);
    /* Closing twice. */
    CHECK_EQ(ht_remove(a, hw, &o), STATUS_SUCCESS);
    ob_deref(o);
    CHECK_EQ(ht_remove(a, hw, &o), STATUS_INVALID_HANDLE);
    CHECK_EQ(ht_lookup(a, hw, 0, 0, &o, &g), STATUS_INVALID_HANDLE);
    /* The freed value is issued again. */
    CHECK_EQ(ht_insert(a, ev, 1, &hw), STATUS_SUCCESS);
    CHECK_EQ(hw, 8);
    CHECK_EQ(ht_total(), 3);
    /* Mapping: generic rights per type, MAXIMUM_ALLOWED as all. */
    CHECK_EQ(ht_map_generic(OB_EVENT, HT_MAXIMUM_ALLOWED), 0x001F0003);
    CHECK_EQ(ht_map_generic(OB_DIRECTORY, HT_GENERIC_READ), 0x00020003);
    CHECK_EQ(ht_map_generic(OB_FILE, 0x1), 0x1);
    /* A full table. */
    ht_table_t *c = ht_table(3, 1);
    uint64_t h = 0;
    for (int i = 0; i < HT_MAX_HANDLES; i++) CHECK_EQ(ht_insert(c, ev, 1, &h), STATUS_SUCCESS);
    CHECK_EQ(ht_insert(c, ev, 1, &h), STATUS_INSUFFICIENT_RESOURCES);
    ht_destroy(c);
    /* Tables of dead badges are reclaimed when all are taken. */
    for (int i = 0; i < HT_MAX_TABLES - 2; i++) CHECK(ht_table(100 + (uint64_t)i, 1) != NULL); /* a and b hold two */
    CHECK(ht_table(999, 1) != NULL); /* badge 107 was dead */
    CHECK(ht_table(107, 0) == NULL);
    CHECK(ht_table(998, 1) == NULL);  /* none dead any more */
    ht_init(is_live);
    ob_deref(file);
    ob_deref(ev);
    ob_init();
}

/* A fake RETRIEVAL_POINTERS output: runs of (next_vcn, lcn). */
static size_t pointers(uint8_t *buf, uint32_t cluster, int64_t first, const int64_t (*runs)[2], uint32_t n)
{
    nt_retrieval_pointers_t h = { .count = n, .cluster_bytes = cluster, .starting_vcn = 0, .first_cluster_offset = first };
    memcpy(buf, &h, sizeof h);
    for (uint32_t i = 0; i < n; i++) {
        nt_retrieval_run_t r = { runs[i][0], runs[i][1] };
        memcpy(buf + sizeof h + i * sizeof r, &r, sizeof r);
    }
    return sizeof h + n * sizeof(nt_retrieval_run_t);
}

static void test_cache(void)
{
    cc_init();
    cc_map_t m;
    cc_map_init(&m, 300 * 1024); /* 300 KiB: two views */
    CHECK(!cc_range_valid(&m, 0, 4096));
    cc_view_t *victim;
    cc_view_t *v = cc_get_view(&m, 0, &victim);
    CHECK(v != NULL && victim == NULL);
    /* A miss at 8 KiB reads the rest of the view: pages 2..63 in one run. */
    cc_run_t runs[64];
    uint32_t n = cc_fill_runs(v, 8192, m.size, runs, 64);
    CHECK_EQ(n, 1);
    CHECK_EQ(runs[0].first, 2);
    CHECK_EQ(runs[0].count, 62);
    cc_fill_begin(v, runs[0]);
    /* Pages being read are not read twice. */
    CHECK_EQ(cc_fill_runs(v, 8192, m.size, runs + 1, 63), 0);
    uint8_t *data = malloc(62 * 4096);
    for (int i = 0; i < 62 * 4096; i++) data[i] = (uint8_t)(i / 4096 + 2);
    cc_fill_end(v, runs[0], data, 62 * 4096);
    CHECK(cc_range_valid(&m, 8192, 4096 * 62));
    CHECK(!cc_range_valid(&m, 0, 4096));
    uint8_t out[8192];
    cc_copy_out(&m, 4096 * 5 + 10, 100, out);
    CHECK_EQ(out[0], 5);
    CHECK(cc_span(&m, 4096 * 5, 4096) == v->data + 4096 * 5);
    CHECK(cc_span(&m, CC_VIEW_BYTES - 10, 20) == NULL); /* crosses a view */
    /* The second view ends at the file's end (300 KiB): 11 pages. */
    cc_view_t *v2 = cc_get_view(&m, 1, &victim);
    CHECK(v2 && v2 != v);
    n = cc_fill_runs(v2, CC_VIEW_BYTES, m.size, runs, 64);
    CHECK_EQ(n, 1);
    CHECK_EQ(runs[0].count, 11);
    /* A short read (the file system's end) zero-fills. */
    cc_fill_begin(v2, runs[0]);
    cc_fill_end(v2, runs[0], data, 100);
    CHECK(cc_range_valid(&m, CC_VIEW_BYTES, 11 * 4096));
    cc_copy_out(&m, CC_VIEW_BYTES + 98, 4, out);
    CHECK(out[0] == 2 && out[1] == 2 && out[2] == 0 && out[3] == 0);
    /* A failed read leaves pages invalid. */
    cc_run_t r0 = { 0, 2 };
    cc_fill_begin(v, r0);
    cc_fill_end(v, r0, NULL, 0);
    CHECK(!cc_range_valid(&m, 0, 4096));

    /* Writes: a partial page that is not there must be read first; a page past the end not. */
    CHECK_EQ(cc_write_needs(&m, 100, 10, m.size), 0);
    CHECK_EQ(cc_write_needs(&m, 8192 + 100, 10, m.size), -1);   /* valid page */
    CHECK_EQ(cc_write_needs(&m, 0, 8192, m.size), -1);          /* whole pages */
    CHECK_EQ(cc_write_needs(&m, m.size, 10, m.size), -1);       /* at the end: a new page */
    CHECK_EQ(cc_write(&m, 8192 + 100, (const uint8_t *)"abc", 3), 0);
    CHECK(v->dirty == ((uint64_t)1 << 2));
    /* A write past the end grows the size; write-back runs are clipped to the size. */
    int64_t old = m.size;
    CHECK_EQ(cc_write(&m, old, (const uint8_t *)"tail", 4), 0);
    CHECK_EQ(m.size, old + 4);
    CHECK(cc_map_dirty(&m));
    n = cc_dirty_runs(v2, m.size, runs, 64);
    CHECK_EQ(n, 1);
    CHECK_EQ(runs[0].first, 11);
    CHECK_EQ(runs[0].count, 1);
    cc_write_begin(v2, runs[0]);
    CHECK_EQ(cc_dirty_runs(v2, m.size, runs + 1, 63), 0); /* not twice while in flight */
    cc_write_end(v2, runs[0], 0);                           /* failed: dirty again */
    CHECK_EQ(cc_dirty_runs(v2, m.size, runs, 64), 1);
    cc_write_begin(v2, runs[0]);
    cc_write_end(v2, runs[0], 1);
    n = cc_dirty_runs(v, m.size, runs, 64);
    CHECK_EQ(n, 1);
    cc_write_begin(v, runs[0]);
    cc_write_end(v, runs[0], 1);
    CHECK(!cc_map_dirty(&m));
    /* Truncation drops pages past the end (dirty ones never go back). */
    CHECK_EQ(cc_write(&m, 8192, (const uint8_t *)"x", 1), 0);
    cc_truncate(&m, 4096);
    CHECK(!cc_map_dirty(&m));
    CHECK_EQ(m.size, 4096);

    /* Eviction: the least recently used clean view goes; all dirty: a victim to write back. */
    cc_map_t maps[CC_MAX_VIEWS + 1];
    cc_init();
    for (unsigned i = 0; i < CC_MAX_VIEWS; i++) {
        cc_map_init(&maps[i], 4096);
        cc_view_t *x = cc_get_view(&maps[i], 0, &victim);
        CHECK(x != NULL);
        if (x) CHECK_EQ(cc_write(&maps[i], 0, (const uint8_t *)"d", 1), 0);
    }
    cc_map_init(&maps[CC_MAX_VIEWS], 4096);
    CHECK(cc_get_view(&maps[CC_MAX_VIEWS], 0, &victim) == NULL);
    CHECK(victim != NULL && victim->map == &maps[0]);
    cc_run_t all = { 0, 1 };
    cc_write_begin(victim, all);
    cc_write_end(victim, all, 1);
    cc_view_t *taken = cc_get_view(&maps[CC_MAX_VIEWS], 0, &victim);
    CHECK(taken != NULL);
    CHECK(cc_find(&maps[0], 0) == NULL);
    CHECK_EQ(maps[0].views, 0);
    for (unsigned i = 0; i <= CC_MAX_VIEWS; i++) cc_drop(&maps[i]);

    /* Extents: two runs contiguous on the volume read as one; a hole has none. */
    uint8_t buf[512];
    const int64_t r1[][2] = { { 4, 100 }, { 8, 104 }, { 10, -1 }, { 12, 500 } };
    cc_map_t e;
    cc_map_init(&e, 12 * 2048);
    CHECK_EQ(cc_set_extents(&e, buf, pointers(buf, 2048, 65536, r1, 4)), 0);
    CHECK_EQ(e.nextents, 3);
    int64_t vo, contig;
    CHECK_EQ(cc_extent_lookup(&e, 1000, &vo, &contig), 0);
    CHECK_EQ(vo, 65536 + 100 * 2048 + 1000);
    CHECK_EQ(contig, 8 * 2048 - 1000);
    CHECK_EQ(cc_extent_lookup(&e, 9 * 2048, &vo, &contig), -1);
    CHECK_EQ(cc_extent_lookup(&e, 10 * 2048, &vo, &contig), 0);
    CHECK_EQ(vo, 65536 + 500 * 2048);
    /* Malformed output is refused. */
    CHECK_EQ(cc_set_extents(&e, buf, 10), -1);
    const int64_t bad[][2] = { { 4, 100 }, { 2, 7 } };
    CHECK_EQ(cc_set_extents(&e, buf, pointers(buf, 2048, 0, bad, 2)), -1);
    nt_retrieval_pointers_t h = { .count = 1000, .cluster_bytes = 512 };
    memcpy(buf, &h, sizeof h);
    CHECK_EQ(cc_set_extents(&e, buf, sizeof h + 16), -1);
    free(data);
    cc_init();
}

int main(void)
{
    test_namespace();
    test_handles();
    test_cache();
    if (failures) {
        printf("FAIL ntexec: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("PASS ntexec: %d checks\n", checks);
    return 0;
}
