/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The commands of the NT command prompt, each on the native API (ntdll): dir, cd, md, rd, copy,
 * move, del, type, dump, mount, umount, sync, obdir, faultfs, shutdown, echo, help, a drive
 * change (`C:`), and running a program of the system by name (NtCreateProcessByName, then a wait
 * for it and its exit status). Paths are resolved against the current directory (path.c) and
 * opened by their NT names (\??\C:\...). Errors print "<command>: <path>: STATUS_NAME".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nt/ntdll.h>

#include "cmd.h"
#include "console.h"
#include "format.h"
#include "line.h"

#define COPY_CHUNK 65536u
/* The exit status of a program ended by Ctrl-C (NT's CMD_STATUS_CONTROL_C_EXIT). */
#define CMD_STATUS_CONTROL_C_EXIT ((NTSTATUS)0xC000013A)

static uint8_t io_buf[COPY_CHUNK];
static uint64_t dir_buf[4096 / sizeof(uint64_t)]; /* 8-byte aligned records */

static void fail(const char *what, const char *path, NTSTATUS st)
{
    if (path != NULL) con_printf("%s: %s: %s\n", what, path, nt_status_name(st));
    else con_printf("%s: %s\n", what, nt_status_name(st));
}

/* A UTF-8 NT name as OBJECT_ATTRIBUTES (the UNICODE_STRING in `w`). */
typedef struct nt_name {
    WCHAR w[NTEXEC_MAX_NAME + 8];
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
} nt_name_t;

static NTSTATUS name_init(nt_name_t *n, const char *utf8)
{
    NTSTATUS st = RtlUtf8zToUnicodeString(&n->us, n->w, sizeof n->w, utf8);
    InitializeObjectAttributes(&n->oa, &n->us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    return st;
}

/* NtCreateFile of an NT name (UTF-8). */
static NTSTATUS open_name(HANDLE *h, const char *name, ACCESS_MASK access, ULONG share, ULONG disposition, ULONG options)
{
    static nt_name_t n;
    IO_STATUS_BLOCK iosb;
    NTSTATUS st = name_init(&n, name);
    if (!NT_SUCCESS(st)) return st;
    return NtCreateFile(h, access | SYNCHRONIZE, &n.oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL, share, disposition,
                        options | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

static NTSTATUS open_dos(HANDLE *h, const char *dos, ACCESS_MASK access, ULONG share, ULONG disposition, ULONG options)
{
    char nt[CMD_PATH_MAX + 8];
    if (cmd_path_nt(dos, nt, sizeof nt) != 0) return STATUS_NAME_TOO_LONG;
    return open_name(h, nt, access, share, disposition, options);
}

/* The volume of drive `drive` (\??\X:). */
static NTSTATUS open_volume(HANDLE *h, char drive, ACCESS_MASK access)
{
    char nt[16];
    if (cmd_path_volume(drive, nt, sizeof nt) != 0) return STATUS_OBJECT_NAME_INVALID;
    return open_name(h, nt, access, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0);
}

/* `arg` resolved against the current directory; prints the error when it cannot be. */
static int resolve(cmd_state_t *s, const char *what, const char *arg, char *out)
{
    if (cmd_path_resolve(s->cwd, arg, out, CMD_PATH_MAX + 1) == 0) return 0;
    fail(what, arg, STATUS_OBJECT_NAME_INVALID);
    return -1;
}

static int is_directory(const char *dos)
{
    HANDLE h;
    if (!NT_SUCCESS(open_dos(&h, dos, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                             FILE_OPEN, FILE_DIRECTORY_FILE)))
        return 0;
    NtClose(h);
    return 1;
}

/* --- dir ------------------------------------------------------------------------------------- */

static void name_of(const WCHAR *w, ULONG bytes, char *out, size_t cap)
{
    UNICODE_STRING us = { (USHORT)bytes, (USHORT)bytes, (PWSTR)w };
    if (!NT_SUCCESS(RtlUnicodeStringToUtf8z(&us, out, cap))) snprintf(out, cap, "?");
}

static void cmd_dir(cmd_state_t *s, int argc, char **argv)
{
    char dos[CMD_PATH_MAX + 1], pattern[CMD_PATH_MAX + 1] = "";
    if (resolve(s, "dir", argc > 1 ? argv[1] : ".", dos) != 0) return;
    HANDLE h;
    const ULONG share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    /* "dir x\*.txt" or "dir x\file": list the folder with the last component as the pattern. */
    int wild = cmd_path_has_wildcard(cmd_path_base(dos));
    NTSTATUS st = wild ? STATUS_NOT_A_DIRECTORY : open_dos(&h, dos, FILE_LIST_DIRECTORY, share, FILE_OPEN, FILE_DIRECTORY_FILE);
    if (st == STATUS_NOT_A_DIRECTORY && cmd_path_base(dos)[0] != 0) {
        snprintf(pattern, sizeof pattern, "%s", cmd_path_base(dos));
        size_t cut = (size_t)(cmd_path_base(dos) - dos);
        dos[cut > 3 ? cut - 1 : cut] = 0;
        st = open_dos(&h, dos, FILE_LIST_DIRECTORY, share, FILE_OPEN, FILE_DIRECTORY_FILE);
    }
    if (!NT_SUCCESS(st)) {
        fail("dir", dos, st);
        return;
    }
    WCHAR wpat[CMD_PATH_MAX + 1];
    UNICODE_STRING upat;
    (void)RtlUtf8zToUnicodeString(&upat, wpat, sizeof wpat, pattern);
    con_printf(" Directory of %s\n\n", dos);
    unsigned files = 0, dirs = 0;
    uint64_t bytes = 0;
    BOOLEAN restart = TRUE;
    for (;;) {
        IO_STATUS_BLOCK iosb;
        st = NtQueryDirectoryFile(h, NULL, NULL, NULL, &iosb, dir_buf, sizeof dir_buf, FileBothDirectoryInformation, FALSE,
                                  pattern[0] ? &upat : NULL, restart);
        restart = FALSE;
        if (!NT_SUCCESS(st)) break;
        for (size_t off = 0;;) {
            const FILE_BOTH_DIR_INFORMATION *e = (const void *)((const uint8_t *)dir_buf + off);
            char name[CMD_PATH_MAX + 1], size[32];
            name_of(e->FileName, e->FileNameLength, name, sizeof name);
            if (e->FileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
                con_printf("%-14s %s\n", "<DIR>", name);
                dirs++;
            } else {
                cmd_fmt_thousands((uint64_t)e->EndOfFile.QuadPart, size, sizeof size);
                con_printf("%14s %s\n", size, name);
                files++;
                bytes += (uint64_t)e->EndOfFile.QuadPart;
            }
            if (e->NextEntryOffset == 0) break;
            off += e->NextEntryOffset;
        }
    }
    NtClose(h);
    if (st == STATUS_NO_MORE_FILES || (st == STATUS_NO_SUCH_FILE && pattern[0] == 0)) {
        char total[32];
        cmd_fmt_thousands(bytes, total, sizeof total);
        con_printf("%16u File(s) %14s bytes\n%16u Dir(s)\n", files, total, dirs);
    } else {
        fail("dir", dos, st);
    }
}

/* --- cd, md, rd, del ------------------------------------------------------------------------- */

static void cmd_cd(cmd_state_t *s, int argc, char **argv)
{
    char dos[CMD_PATH_MAX + 1];
    if (argc < 2) {
        con_printf("%s\n", s->cwd);
        return;
    }
    if (resolve(s, "cd", argv[1], dos) != 0) return;
    HANDLE h;
    NTSTATUS st = open_dos(&h, dos, FILE_TRAVERSE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN,
                           FILE_DIRECTORY_FILE);
    if (!NT_SUCCESS(st)) {
        fail("cd", dos, st);
        return;
    }
    NtClose(h);
    snprintf(s->cwd, sizeof s->cwd, "%s", dos);
}

static void cmd_drive(cmd_state_t *s, char drive)
{
    char dos[4] = { drive, ':', '\\', 0 };
    HANDLE h;
    NTSTATUS st = open_dos(&h, dos, FILE_TRAVERSE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN,
                           FILE_DIRECTORY_FILE);
    if (!NT_SUCCESS(st)) {
        fail(dos, NULL, st);
        return;
    }
    NtClose(h);
    snprintf(s->cwd, sizeof s->cwd, "%s", dos);
}

static void cmd_md(cmd_state_t *s, int argc, char **argv)
{
    char dos[CMD_PATH_MAX + 1];
    if (argc < 2) {
        con_puts("usage: md <directory>\n");
        return;
    }
    if (resolve(s, "md", argv[1], dos) != 0) return;
    HANDLE h;
    NTSTATUS st = open_dos(&h, dos, FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE, FILE_DIRECTORY_FILE);
    if (!NT_SUCCESS(st)) {
        fail("md", dos, st);
        return;
    }
    NtClose(h);
}

/* Deletes a file (directory = 0) or an empty directory: opened for DELETE, marked with
 * FileDispositionInformation, gone when the handle closes. */
static void remove_path(cmd_state_t *s, const char *what, const char *arg, int directory)
{
    char dos[CMD_PATH_MAX + 1];
    if (resolve(s, what, arg, dos) != 0) return;
    HANDLE h;
    NTSTATUS st = open_dos(&h, dos, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN,
                           directory ? FILE_DIRECTORY_FILE : FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(st)) {
        fail(what, dos, st);
        return;
    }
    FILE_DISPOSITION_INFORMATION d = { TRUE };
    IO_STATUS_BLOCK iosb;
    st = NtSetInformationFile(h, &iosb, &d, sizeof d, FileDispositionInformation);
    NTSTATUS closed = NtClose(h);
    if (NT_SUCCESS(st)) st = closed;
    if (!NT_SUCCESS(st)) fail(what, dos, st);
}

static void cmd_rd(cmd_state_t *s, int argc, char **argv)
{
    if (argc < 2) con_puts("usage: rd <directory>\n");
    else remove_path(s, "rd", argv[1], 1);
}

static void cmd_del(cmd_state_t *s, int argc, char **argv)
{
    if (argc < 2) con_puts("usage: del <file>\n");
    else remove_path(s, "del", argv[1], 0);
}

/* --- copy, move ------------------------------------------------------------------------------ */

/* The destination of copy/move: `arg`, or the source's name inside it when it is a directory. */
static int destination(cmd_state_t *s, const char *what, const char *arg, const char *src, char *out)
{
    char dos[CMD_PATH_MAX + 1];
    if (resolve(s, what, arg, dos) != 0) return -1;
    if (is_directory(dos)) {
        if (cmd_path_join(dos, cmd_path_base(src), out, CMD_PATH_MAX + 1) != 0) {
            fail(what, arg, STATUS_NAME_TOO_LONG);
            return -1;
        }
    } else {
        strcpy(out, dos);
    }
    return 0;
}

static void cmd_copy(cmd_state_t *s, int argc, char **argv)
{
    char src[CMD_PATH_MAX + 1], dst[CMD_PATH_MAX + 1];
    if (argc < 3) {
        con_puts("usage: copy <source> <destination>\n");
        return;
    }
    if (resolve(s, "copy", argv[1], src) != 0 || destination(s, "copy", argv[2], src, dst) != 0) return;
    HANDLE in, out;
    NTSTATUS st = open_dos(&in, src, GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, FILE_NON_DIRECTORY_FILE | FILE_SEQUENTIAL_ONLY);
    if (!NT_SUCCESS(st)) {
        fail("copy", src, st);
        con_puts("        0 file(s) copied.\n");
        return;
    }
    st = open_dos(&out, dst, GENERIC_WRITE, 0, FILE_OVERWRITE_IF, FILE_NON_DIRECTORY_FILE | FILE_SEQUENTIAL_ONLY);
    if (!NT_SUCCESS(st)) {
        NtClose(in);
        fail("copy", dst, st);
        con_puts("        0 file(s) copied.\n");
        return;
    }
    const char *where = src;
    for (;;) {
        IO_STATUS_BLOCK r, w;
        st = NtReadFile(in, NULL, NULL, NULL, &r, io_buf, COPY_CHUNK, NULL, NULL);
        if (st == STATUS_END_OF_FILE) {
            st = STATUS_SUCCESS;
            break;
        }
        if (!NT_SUCCESS(st)) break;
        if (r.Information == 0) break;
        where = dst;
        st = NtWriteFile(out, NULL, NULL, NULL, &w, io_buf, (ULONG)r.Information, NULL, NULL);
        if (!NT_SUCCESS(st)) break;
        where = src;
    }
    NtClose(in);
    /* The copy is done when its data is on the disk: written back now, so that a failure
     * (the file system gone meanwhile) is this copy's error, not a lost lazy write. */
    if (NT_SUCCESS(st)) {
        IO_STATUS_BLOCK f;
        st = NtFlushBuffersFile(out, &f);
        where = dst;
    }
    NTSTATUS closed = NtClose(out);
    if (NT_SUCCESS(st) && !NT_SUCCESS(closed)) st = closed;
    if (!NT_SUCCESS(st)) {
        fail("copy", where, st);
        con_puts("        0 file(s) copied.\n");
        return;
    }
    con_puts("        1 file(s) copied.\n");
}

static void cmd_move(cmd_state_t *s, int argc, char **argv)
{
    char src[CMD_PATH_MAX + 1], dst[CMD_PATH_MAX + 1], nt[CMD_PATH_MAX + 8];
    static union {
        FILE_RENAME_INFORMATION r;
        uint8_t bytes[sizeof(FILE_RENAME_INFORMATION) + 2 * (CMD_PATH_MAX + 8)];
    } info;
    if (argc < 3) {
        con_puts("usage: move <source> <destination>\n");
        return;
    }
    if (resolve(s, "move", argv[1], src) != 0 || destination(s, "move", argv[2], src, dst) != 0) return;
    if (cmd_path_nt(dst, nt, sizeof nt) != 0) {
        fail("move", dst, STATUS_NAME_TOO_LONG);
        return;
    }
    HANDLE h;
    NTSTATUS st = open_dos(&h, src, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_OPEN, 0);
    if (!NT_SUCCESS(st)) {
        fail("move", src, st);
        return;
    }
    ULONG bytes = 0;
    memset(&info, 0, sizeof info);
    (void)RtlUTF8ToUnicodeN(info.r.FileName, 2 * (CMD_PATH_MAX + 8), &bytes, nt, (ULONG)strlen(nt));
    info.r.ReplaceIfExists = FALSE;
    info.r.RootDirectory = NULL;
    info.r.FileNameLength = bytes;
    IO_STATUS_BLOCK iosb;
    st = NtSetInformationFile(h, &iosb, &info.r, (ULONG)(offsetof(FILE_RENAME_INFORMATION, FileName) + bytes),
                              FileRenameInformation);
    NtClose(h);
    if (!NT_SUCCESS(st)) {
        fail("move", dst, st);
        return;
    }
    con_puts("        1 file(s) moved.\n");
}

/* --- type, dump ------------------------------------------------------------------------------ */

static void cmd_type(cmd_state_t *s, int argc, char **argv)
{
    char dos[CMD_PATH_MAX + 1];
    if (argc < 2) {
        con_puts("usage: type <file>\n");
        return;
    }
    if (resolve(s, "type", argv[1], dos) != 0) return;
    HANDLE h;
    NTSTATUS st = open_dos(&h, dos, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(st)) {
        fail("type", dos, st);
        return;
    }
    char last = '\n';
    for (;;) {
        IO_STATUS_BLOCK r;
        st = NtReadFile(h, NULL, NULL, NULL, &r, io_buf, COPY_CHUNK, NULL, NULL);
        if (!NT_SUCCESS(st) || r.Information == 0) break;
        con_write((const char *)io_buf, r.Information);
        last = (char)io_buf[r.Information - 1];
    }
    NtClose(h);
    if (last != '\n') con_puts("\n");
    if (!NT_SUCCESS(st) && st != STATUS_END_OF_FILE) fail("type", dos, st);
}

static void cmd_dump(cmd_state_t *s, int argc, char **argv)
{
    char dos[CMD_PATH_MAX + 1], text[CMD_HEX_LINE_MAX + 2];
    if (argc < 2) {
        con_puts("usage: dump <file> [bytes]\n");
        return;
    }
    if (resolve(s, "dump", argv[1], dos) != 0) return;
    uint64_t limit = argc > 2 ? strtoull(argv[2], NULL, 0) : UINT64_MAX;
    HANDLE h;
    NTSTATUS st = open_dos(&h, dos, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(st)) {
        fail("dump", dos, st);
        return;
    }
    uint64_t off = 0;
    while (off < limit) {
        IO_STATUS_BLOCK r;
        uint64_t want = limit - off < COPY_CHUNK ? limit - off : COPY_CHUNK;
        st = NtReadFile(h, NULL, NULL, NULL, &r, io_buf, (ULONG)want, NULL, NULL);
        if (!NT_SUCCESS(st) || r.Information == 0) break;
        for (size_t i = 0; i < r.Information; i += 16) {
            size_t n = r.Information - i < 16 ? r.Information - i : 16;
            cmd_fmt_hex_line(off + i, io_buf + i, n, text, sizeof text - 1);
            con_printf("%s\n", text);
        }
        off += r.Information;
    }
    NtClose(h);
    con_printf("%08llx\n", (unsigned long long)off);
    if (!NT_SUCCESS(st) && st != STATUS_END_OF_FILE) fail("dump", dos, st);
}

/* --- volumes --------------------------------------------------------------------------------- */

static char drive_arg(cmd_state_t *s, int argc, char **argv, const char *what)
{
    if (argc < 2) return s->cwd[0];
    char d = cmd_path_drive_only(argv[1]);
    if (d == 0) con_printf("usage: %s <drive:>\n", what);
    return d;
}

static void cmd_mount(cmd_state_t *s, int argc, char **argv)
{
    char d = drive_arg(s, argc, argv, "mount");
    if (d == 0) return;
    HANDLE h;
    NTSTATUS st = open_volume(&h, d, FILE_READ_ATTRIBUTES);
    if (!NT_SUCCESS(st)) {
        con_printf("mount: %c: %s\n", d, nt_status_name(st));
        return;
    }
    NtClose(h);
    con_printf("%c: mounted\n", d);
}

/* umount: as NT's tools do it, lock, dismount, unlock, close. */
static void cmd_umount(cmd_state_t *s, int argc, char **argv)
{
    static const struct {
        ULONG code;
        const char *name;
    } steps[] = { { FSCTL_LOCK_VOLUME, "lock" }, { FSCTL_DISMOUNT_VOLUME, "dismount" }, { FSCTL_UNLOCK_VOLUME, "unlock" } };
    char d = drive_arg(s, argc, argv, "umount");
    if (d == 0) return;
    HANDLE h;
    NTSTATUS st = open_volume(&h, d, GENERIC_READ | GENERIC_WRITE);
    if (!NT_SUCCESS(st)) {
        con_printf("umount: %c: %s\n", d, nt_status_name(st));
        return;
    }
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        IO_STATUS_BLOCK iosb;
        st = NtFsControlFile(h, NULL, NULL, NULL, &iosb, steps[i].code, NULL, 0, NULL, 0);
        if (!NT_SUCCESS(st)) {
            con_printf("umount: %c: %s: %s\n", d, steps[i].name, nt_status_name(st));
            NtClose(h);
            return;
        }
    }
    NtClose(h);
    con_printf("%c: dismounted\n", d);
}

static void cmd_sync(cmd_state_t *s, int argc, char **argv)
{
    char d = drive_arg(s, argc, argv, "sync");
    if (d == 0) return;
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    NTSTATUS st = open_volume(&h, d, GENERIC_WRITE);
    if (NT_SUCCESS(st)) {
        st = NtFlushBuffersFile(h, &iosb);
        NtClose(h);
    }
    if (!NT_SUCCESS(st)) con_printf("sync: %c: %s\n", d, nt_status_name(st));
    else con_printf("%c: flushed\n", d);
}

static void cmd_faultfs(cmd_state_t *s, int argc, char **argv)
{
    (void)s;
    char d = argc > 2 ? cmd_path_drive_only(argv[1]) : 0;
    if (d == 0) {
        con_puts("usage: faultfs <drive:> <irps>\n");
        return;
    }
    uint32_t n = (uint32_t)strtoul(argv[2], NULL, 0);
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    NTSTATUS st = open_volume(&h, d, FILE_READ_ATTRIBUTES);
    if (NT_SUCCESS(st)) {
        st = NtFsControlFile(h, NULL, NULL, NULL, &iosb, FSCTL_NEPTUNE_FAULT_AFTER, &n, sizeof n, NULL, 0);
        NtClose(h);
    }
    if (!NT_SUCCESS(st)) con_printf("faultfs: %c: %s\n", d, nt_status_name(st));
    else con_printf("faultfs: the file system of %c: faults at its IRP %u from now\n", d, (unsigned)n);
}

/* --- the object namespace -------------------------------------------------------------------- */

#define OBDIR_MAX 64
static struct obdir_entry {
    char name[NTEXEC_MAX_NAME + 1];
    char type[40];
} entries[OBDIR_MAX];

static int entry_cmp(const void *a, const void *b)
{
    const char *x = ((const struct obdir_entry *)a)->name, *y = ((const struct obdir_entry *)b)->name;
    for (;; x++, y++) {
        int cx = *x >= 'A' && *x <= 'Z' ? *x - 'A' + 'a' : *x, cy = *y >= 'A' && *y <= 'Z' ? *y - 'A' + 'a' : *y;
        if (cx != cy || cx == 0) return cx - cy;
    }
}

static void link_target(const char *dir, const char *name, char *out, size_t cap)
{
    static nt_name_t n;
    char path[NTEXEC_MAX_NAME + 1];
    HANDLE h;
    snprintf(out, cap, "?");
    if (snprintf(path, sizeof path, "%s%s%s", dir, dir[strlen(dir) - 1] == '\\' ? "" : "\\", name) >= (int)sizeof path) return;
    if (!NT_SUCCESS(name_init(&n, path)) || !NT_SUCCESS(NtOpenSymbolicLinkObject(&h, SYMBOLIC_LINK_QUERY, &n.oa))) return;
    WCHAR w[NTEXEC_MAX_NAME + 1];
    UNICODE_STRING t = { 0, sizeof w, w };
    if (NT_SUCCESS(NtQuerySymbolicLinkObject(h, &t, NULL))) name_of(t.Buffer, t.Length, out, cap);
    NtClose(h);
}

static void cmd_obdir(cmd_state_t *s, int argc, char **argv)
{
    (void)s;
    static nt_name_t n;
    static uint64_t buf[1024 / sizeof(uint64_t)];
    const char *dir = argc > 1 ? argv[1] : "\\";
    HANDLE h;
    NTSTATUS st = name_init(&n, dir);
    if (NT_SUCCESS(st)) st = NtOpenDirectoryObject(&h, DIRECTORY_QUERY | DIRECTORY_TRAVERSE, &n.oa);
    if (!NT_SUCCESS(st)) {
        fail("obdir", dir, st);
        return;
    }
    size_t count = 0;
    ULONG context = 0;
    BOOLEAN restart = TRUE;
    for (;;) {
        st = NtQueryDirectoryObject(h, buf, sizeof buf, TRUE, restart, &context, NULL);
        restart = FALSE;
        if (!NT_SUCCESS(st)) break;
        const OBJECT_DIRECTORY_INFORMATION *e = (const void *)buf;
        if (count < OBDIR_MAX) {
            name_of(e->Name.Buffer, e->Name.Length, entries[count].name, sizeof entries[count].name);
            name_of(e->TypeName.Buffer, e->TypeName.Length, entries[count].type, sizeof entries[count].type);
            count++;
        }
    }
    if (st != STATUS_NO_MORE_ENTRIES) {
        NtClose(h);
        fail("obdir", dir, st);
        return;
    }
    NtClose(h);
    /* Drivers create their objects concurrently: sorted, a listing reads the same every boot. */
    qsort(entries, count, sizeof entries[0], entry_cmp);
    con_printf(" Directory of %s\n\n", dir);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(entries[i].type, "SymbolicLink") == 0) {
            char target[NTEXEC_MAX_NAME + 1];
            link_target(dir, entries[i].name, target, sizeof target);
            con_printf("%-14s %s -> %s\n", entries[i].type, entries[i].name, target);
        } else {
            con_printf("%-14s %s\n", entries[i].type, entries[i].name);
        }
    }
    con_printf("%16u object(s)\n", (unsigned)count);
}

/* --- the system, programs -------------------------------------------------------------------- */

static void cmd_shutdown(cmd_state_t *s)
{
    NTSTATUS st = NtShutdownSystem(ShutdownPowerOff);
    if (!NT_SUCCESS(st)) {
        fail("shutdown", NULL, st);
        return;
    }
    con_puts("It is now safe to turn off your computer.\n");
    s->halted = 1;
}

static void run_program(const char *name, const char *line)
{
    WCHAR wn[NTEXEC_MAX_PROGRAM + 2], wl[NTEXEC_MAX_COMMAND_LINE + 2];
    UNICODE_STRING un, ul;
    NTSTATUS st = RtlUtf8zToUnicodeString(&un, wn, sizeof wn, name);
    if (NT_SUCCESS(st)) st = RtlUtf8zToUnicodeString(&ul, wl, sizeof wl, line);
    HANDLE p = NULL;
    if (NT_SUCCESS(st)) st = NtCreateProcessByName(&p, &un, &ul, NULL);
    if (!NT_SUCCESS(st)) {
        fail(name, NULL, st);
        return;
    }
    /* Waited for in slices, so that a Ctrl-C typed meanwhile ends it (NtTerminateProcess). */
    LARGE_INTEGER slice = { .QuadPart = -2000000 }; /* 200 ms */
    int interrupted = 0;
    while ((st = NtWaitForSingleObject(p, FALSE, &slice)) == STATUS_TIMEOUT) {
        if (!interrupted && con_poll_interrupt()) {
            con_puts("^C\n");
            interrupted = 1;
            (void)NtTerminateProcess(p, CMD_STATUS_CONTROL_C_EXIT);
        }
    }
    PROCESS_BASIC_INFORMATION info;
    if (NT_SUCCESS(st)) st = NtQueryInformationProcess(p, ProcessBasicInformation, &info, sizeof info, NULL);
    NtClose(p);
    if (!NT_SUCCESS(st)) fail(name, NULL, st);
    else if (info.ExitStatus != STATUS_SUCCESS && !(interrupted && info.ExitStatus == CMD_STATUS_CONTROL_C_EXIT))
        con_printf("%s: exit status %s\n", name, nt_status_name(info.ExitStatus));
}

static void cmd_help(void)
{
    con_puts("dir [path]            list a directory (sizes, <DIR>, totals)\n"
             "cd [path]             show or change the current directory; X: changes drive\n"
             "md path, rd path      make, remove a directory\n"
             "copy src dst          copy a file (into dst when it is a directory)\n"
             "move src dst          rename or move a file or directory\n"
             "del path              delete a file\n"
             "type path             print a file\n"
             "dump path [bytes]     print a file in hex\n"
             "mount X:, umount X:   mount (open) or dismount (lock, dismount, unlock) a volume\n"
             "sync [X:]             write the volume's cached data back\n"
             "obdir [path]          list an object directory (default \\)\n"
             "faultfs X: n          make the file system driver of X: fault at its n-th IRP\n"
             "shutdown              write everything back and stop\n"
             "echo text             print text\n"
             "<program> [args]      run a program of the system\n");
}

void cmd_run(cmd_state_t *s, char *line)
{
    static char copy[512];
    char *argv[CMD_MAX_ARGS];
    line = cmd_trim(line);
    snprintf(copy, sizeof copy, "%s", line);
    int argc = cmd_split(copy, argv, CMD_MAX_ARGS);
    if (argc == 0) return;
    const char *c = argv[0];
    if (cmd_word_is(c, "dir")) cmd_dir(s, argc, argv);
    else if (cmd_word_is(c, "cd") || cmd_word_is(c, "chdir")) cmd_cd(s, argc, argv);
    else if (cmd_word_is(c, "md") || cmd_word_is(c, "mkdir")) cmd_md(s, argc, argv);
    else if (cmd_word_is(c, "rd") || cmd_word_is(c, "rmdir")) cmd_rd(s, argc, argv);
    else if (cmd_word_is(c, "del") || cmd_word_is(c, "erase")) cmd_del(s, argc, argv);
    else if (cmd_word_is(c, "copy")) cmd_copy(s, argc, argv);
    else if (cmd_word_is(c, "move") || cmd_word_is(c, "ren") || cmd_word_is(c, "rename")) cmd_move(s, argc, argv);
    else if (cmd_word_is(c, "type")) cmd_type(s, argc, argv);
    else if (cmd_word_is(c, "dump")) cmd_dump(s, argc, argv);
    else if (cmd_word_is(c, "mount")) cmd_mount(s, argc, argv);
    else if (cmd_word_is(c, "umount")) cmd_umount(s, argc, argv);
    else if (cmd_word_is(c, "sync")) cmd_sync(s, argc, argv);
    else if (cmd_word_is(c, "obdir") || cmd_word_is(c, "devtree")) cmd_obdir(s, argc, argv);
    else if (cmd_word_is(c, "faultfs")) cmd_faultfs(s, argc, argv);
    else if (cmd_word_is(c, "shutdown")) cmd_shutdown(s);
    else if (cmd_word_is(c, "echo")) con_printf("%s\n", cmd_rest(line));
    else if (cmd_word_is(c, "help")) cmd_help();
    else if (argc == 1 && cmd_path_drive_only(c)) cmd_drive(s, cmd_path_drive_only(c));
    else run_program(c, line);
}
