/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The native API over idl/ntexec.idl (include/nt/ntdll.h): each Nt* call checks and converts
 * its arguments (UTF-16 names to the wire's UTF-8, NT's special byte offsets, buffer lengths),
 * makes one ntexec call — or several, for reads and writes beyond ntexec.MAX_IO and for
 * directory queries that fill a buffer — and converts the answer back into NT's shapes. A
 * transport failure (the executive unreachable, a malformed answer) becomes an NTSTATUS too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nt/ntdll.h>
/* seL4 (sel4runtime on the include path): a process ends through sel4runtime's exit. */
#if !defined(NTDLL_HOST) && defined(__has_include)
#if __has_include(<sel4runtime.h>)
#include <sel4runtime.h>
#define NTDLL_SEL4RUNTIME 1
#endif
#endif

static ntexec_client_t client;

/* Every call to the executive goes through NTDLL_CALL, which counts it (NtdllRoundTripsMade). */
static uint64_t round_trips;
#define NTDLL_CALL(fn, ...) (round_trips++, fn(__VA_ARGS__))

uint64_t NtdllRoundTripsMade(void)
{
    return round_trips;
}
static ULONG process_id;

void NtdllInitialize(const ntexec_client_t *c)
{
    client = *c;
}

const ntexec_client_t *NtdllClient(void)
{
    return &client;
}

ULONG NtdllProcessId(void)
{
    return process_id;
}

#ifdef NTDLL_HOST
/* The host root server hands a spawned program its environment here before main (the Linux
 * process's own environment is the whole test bench's). */
char **ng_posix_environ;
#endif

const char *NtdllGetEnvironmentVariable(const char *name)
{
#ifdef NTDLL_HOST
    size_t n = strlen(name);
    for (size_t i = 0; ng_posix_environ != NULL && ng_posix_environ[i] != NULL; i++) {
        if (strncmp(ng_posix_environ[i], name, n) == 0 && ng_posix_environ[i][n] == '=') return ng_posix_environ[i] + n + 1;
    }
    return NULL;
#else
    return getenv(name);
#endif
}

static int same_word(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a, y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y) return 0;
    }
    return *a == *b;
}

const char *NtdllCommandLine(int argc, char **argv)
{
    static char line[NTEXEC_MAX_COMMAND_LINE + 1];
    size_t len = 0;
    /* argv[0] is the program's name (the root server puts it there); the words of the command
     * line follow, from its first (the name again) or from its second. */
    int from = argc > 1 && argv[0] != NULL && argv[1] != NULL && same_word(argv[0], argv[1]) ? 1 : 0;
    line[0] = 0;
    for (int i = from; i < argc && argv[i] != NULL; i++) {
        int n = snprintf(line + len, sizeof line - len, "%s%s", len ? " " : "", argv[i]);
        if (n < 0 || (size_t)n >= sizeof line - len) break;
        len += (size_t)n;
    }
    return line;
}

/* A failed call (not an NTSTATUS answer) as an NTSTATUS. */
static NTSTATUS wire_status(int err)
{
    switch (err) {
    case NG_OK: return STATUS_SUCCESS;
    case NG_ENOMEM: return STATUS_INSUFFICIENT_RESOURCES;
    case NG_EBADMSG: return STATUS_INVALID_PARAMETER;
    case NG_EDENIED: return STATUS_ACCESS_DENIED;
    default: return STATUS_UNSUCCESSFUL;
    }
}

/* The call's own NTSTATUS when it went through, else the transport's. */
static NTSTATUS outcome(int err, int32_t status)
{
    return err == NG_OK ? (NTSTATUS)status : wire_status(err);
}

static void set_iosb(PIO_STATUS_BLOCK iosb, NTSTATUS st, uint64_t information)
{
    if (iosb == NULL) return;
    iosb->Status = st;
    iosb->Information = (ULONG_PTR)information;
}

NTSTATUS NtdllInitializeProcess(ng_cptr_t ntexec_cap, ntdll_connect_fn connect, ng_cptr_t obj_slot, ng_cptr_t conn_slot)
{
    ntexec_client_t c = { 0, NULL, 0 };
    if (connect(ntexec_cap, NTEXEC_SHM_BYTES, obj_slot, conn_slot, &c.ep, &c.shm, &c.shm_size) != NG_OK) return STATUS_UNSUCCESSFUL;
    client = c;
    const char *cookie = NtdllGetEnvironmentVariable("NT_PROCESS_COOKIE");
    if (cookie == NULL || *cookie == 0) return STATUS_INVALID_PARAMETER;
    char *end = NULL;
    unsigned long long v = strtoull(cookie, &end, 16); /* hex digits, as the executive writes it */
    if (end == NULL || *end != 0) return STATUS_INVALID_PARAMETER;
    int32_t st = 0;
    uint32_t pid = 0;
    int err = NTDLL_CALL(ntexec_attach_process, &client, (uint64_t)v, &st, &pid);
    if (err == NG_OK && NT_SUCCESS(st)) process_id = pid;
    return outcome(err, st);
}

int NtdllProcessExit(NTSTATUS status)
{
    int32_t st = 0;
    (void)NTDLL_CALL(ntexec_terminate_process, &client, NT_HANDLE_VALUE(NtCurrentProcess()), status, &st);
    return (int)status;
}

/* OBJECT_ATTRIBUTES as the wire's object_attributes (NULL: no name, no root). */
static NTSTATUS attrs_in(const OBJECT_ATTRIBUTES *oa, ntexec_object_attributes_t *w)
{
    memset(w, 0, sizeof *w);
    if (oa == NULL) return STATUS_SUCCESS;
    if (oa->Length != 0 && oa->Length != sizeof(OBJECT_ATTRIBUTES)) return STATUS_INVALID_PARAMETER;
    w->root_directory = NT_HANDLE_VALUE(oa->RootDirectory);
    w->attributes = oa->Attributes;
    return RtlUnicodeStringToUtf8z(oa->ObjectName, w->object_name, sizeof w->object_name);
}

/* --- files ----------------------------------------------------------------------------------- */

NTSTATUS NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                      PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                      ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength)
{
    ntexec_object_attributes_t a;
    if (FileHandle == NULL || ObjectAttributes == NULL || CreateDisposition > FILE_OVERWRITE_IF) return STATUS_INVALID_PARAMETER;
    if (EaBuffer != NULL || EaLength != 0) return STATUS_NOT_SUPPORTED;
    NTSTATUS st = attrs_in(ObjectAttributes, &a);
    if (!NT_SUCCESS(st)) return st;
    int32_t status = 0;
    uint64_t h = 0;
    ntexec_io_status_block_t io = { 0, 0 };
    int err = NTDLL_CALL(ntexec_create_file, &client, DesiredAccess, &a, AllocationSize ? AllocationSize->QuadPart : 0, FileAttributes,
                                 ShareAccess, CreateDisposition, CreateOptions, &status, &h, &io);
    st = outcome(err, status);
    *FileHandle = NT_SUCCESS(st) ? NT_HANDLE_FROM(h) : NULL;
    set_iosb(IoStatusBlock, st, err == NG_OK ? io.information : 0);
    return st;
}

NTSTATUS NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                    PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions)
{
    ntexec_object_attributes_t a;
    if (FileHandle == NULL || ObjectAttributes == NULL) return STATUS_INVALID_PARAMETER;
    NTSTATUS st = attrs_in(ObjectAttributes, &a);
    if (!NT_SUCCESS(st)) return st;
    int32_t status = 0;
    uint64_t h = 0;
    ntexec_io_status_block_t io = { 0, 0 };
    int err = NTDLL_CALL(ntexec_open_file, &client, DesiredAccess, &a, ShareAccess, OpenOptions, &status, &h, &io);
    st = outcome(err, status);
    *FileHandle = NT_SUCCESS(st) ? NT_HANDLE_FROM(h) : NULL;
    set_iosb(IoStatusBlock, st, err == NG_OK ? io.information : 0);
    return st;
}

/* NT's ByteOffset (NULL, FILE_USE_FILE_POINTER_POSITION, FILE_WRITE_TO_END_OF_FILE, or a
 * position) as the wire's (-1: the current position, -2: the end). */
static NTSTATUS offset_in(const LARGE_INTEGER *o, int writing, int64_t *wire)
{
    if (o == NULL || o->QuadPart == FILE_USE_FILE_POINTER_POSITION) *wire = -1;
    else if (o->QuadPart == FILE_WRITE_TO_END_OF_FILE && writing) *wire = -2;
    else if (o->QuadPart < 0) return STATUS_INVALID_PARAMETER;
    else *wire = o->QuadPart;
    return STATUS_SUCCESS;
}

NTSTATUS NtReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key)
{
    (void)ApcContext;
    (void)Key;
    int64_t off;
    if (Event != NULL || ApcRoutine != NULL) return STATUS_NOT_SUPPORTED;
    if (Buffer == NULL && Length != 0) return STATUS_INVALID_PARAMETER;
    NTSTATUS st = offset_in(ByteOffset, 0, &off);
    if (!NT_SUCCESS(st)) return st;
    uint8_t *out = Buffer;
    size_t done = 0;
    do {
        uint32_t n = Length - done < NTEXEC_MAX_IO ? (uint32_t)(Length - done) : (uint32_t)NTEXEC_MAX_IO;
        int32_t status = 0;
        ntexec_io_status_block_t io = { 0, 0 };
        ng_bytes_t data = { NULL, 0 };
        int err = NTDLL_CALL(ntexec_read_file, &client, NT_HANDLE_VALUE(FileHandle), n, off, &status, &io, &data);
        st = outcome(err, status);
        if (!NT_SUCCESS(st)) break;
        size_t got = data.len <= n ? data.len : n;
        if (got) memcpy(out + done, data.ptr, got);
        done += got;
        if (off >= 0) off += (int64_t)got;
        if (got < n) break; /* the end of the file (or of what a device had) */
    } while (done < Length);
    /* Bytes were read before the end: that is success (the next read sees the end). */
    if (done > 0 && st == STATUS_END_OF_FILE) st = STATUS_SUCCESS;
    set_iosb(IoStatusBlock, st, done);
    return st;
}

NTSTATUS NtWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                     PIO_STATUS_BLOCK IoStatusBlock, const void *Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                     PULONG Key)
{
    (void)ApcContext;
    (void)Key;
    int64_t off;
    if (Event != NULL || ApcRoutine != NULL) return STATUS_NOT_SUPPORTED;
    if (Buffer == NULL && Length != 0) return STATUS_INVALID_PARAMETER;
    NTSTATUS st = offset_in(ByteOffset, 1, &off);
    if (!NT_SUCCESS(st)) return st;
    const uint8_t *in = Buffer;
    size_t done = 0;
    do {
        uint32_t n = Length - done < NTEXEC_MAX_IO ? (uint32_t)(Length - done) : (uint32_t)NTEXEC_MAX_IO;
        int32_t status = 0;
        ntexec_io_status_block_t io = { 0, 0 };
        int err = NTDLL_CALL(ntexec_write_file, &client, NT_HANDLE_VALUE(FileHandle), off, ng_bytes(in + done, n), &status, &io);
        st = outcome(err, status);
        if (!NT_SUCCESS(st)) break;
        size_t put = io.information <= n ? (size_t)io.information : n;
        done += put;
        if (off >= 0) off += (int64_t)put;
        if (put < n) break; /* a device that takes less (the disk full: its status says so) */
    } while (done < Length);
    set_iosb(IoStatusBlock, st, done);
    return st;
}

/* Directory queries: the wire answers one entry per call, NT fills a buffer with as many as
 * fit. An entry fetched that does not fit waits here for the handle's next query. */
#define DIR_PENDING 8
static struct {
    uint64_t h;
    int used, has, ended;
    unsigned age;
    ntexec_file_directory_information_t e;
} pending[DIR_PENDING];
static unsigned pending_clock;

static void pending_drop(uint64_t h)
{
    for (int i = 0; i < DIR_PENDING; i++)
        if (pending[i].used && pending[i].h == h) memset(&pending[i], 0, sizeof pending[i]);
}

static int pending_slot(uint64_t h)
{
    int best = 0;
    for (int i = 0; i < DIR_PENDING; i++) {
        if (pending[i].used && pending[i].h == h) {
            pending[i].age = ++pending_clock;
            return i;
        }
    }
    for (int i = 0; i < DIR_PENDING; i++) {
        if (!pending[i].used) {
            best = i;
            break;
        }
        if (pending[i].age < pending[best].age) best = i;
    }
    memset(&pending[best], 0, sizeof pending[best]);
    pending[best].used = 1;
    pending[best].h = h;
    pending[best].age = ++pending_clock;
    return best;
}

static size_t bounded_len(const char *s, size_t cap)
{
    size_t n = 0;
    while (n < cap && s[n] != 0) n++;
    return n;
}

static size_t dir_fixed(FILE_INFORMATION_CLASS cls)
{
    switch (cls) {
    case FileDirectoryInformation: return offsetof(FILE_DIRECTORY_INFORMATION, FileName);
    case FileFullDirectoryInformation: return offsetof(FILE_FULL_DIR_INFORMATION, FileName);
    case FileBothDirectoryInformation: return offsetof(FILE_BOTH_DIR_INFORMATION, FileName);
    default: return 0;
    }
}

/* One record at rec (room bytes from there): its size, or 0 when it does not fit. The common
 * head of the three classes is FILE_DIRECTORY_INFORMATION's up to FileNameLength. */
static size_t dir_record(FILE_INFORMATION_CLASS cls, const ntexec_file_directory_information_t *e, uint8_t *rec, size_t room)
{
    size_t fixed = dir_fixed(cls), nlen = bounded_len(e->file_name, sizeof e->file_name);
    ULONG name_bytes = 0;
    (void)RtlUTF8ToUnicodeN(NULL, 0, &name_bytes, e->file_name, (ULONG)nlen);
    if (fixed + name_bytes > room) return 0;
    FILE_BOTH_DIR_INFORMATION h;
    memset(&h, 0, sizeof h);
    h.FileIndex = e->file_index;
    h.CreationTime.QuadPart = e->creation_time;
    h.LastAccessTime.QuadPart = e->last_access_time;
    h.LastWriteTime.QuadPart = e->last_write_time;
    h.ChangeTime.QuadPart = e->change_time;
    h.EndOfFile.QuadPart = e->end_of_file;
    h.AllocationSize.QuadPart = e->allocation_size;
    h.FileAttributes = e->file_attributes;
    h.FileNameLength = name_bytes;
    if (cls == FileBothDirectoryInformation) {
        size_t slen = bounded_len(e->short_name, sizeof e->short_name);
        if (slen > 12) slen = 12;
        for (size_t i = 0; i < slen; i++) h.ShortName[i] = (unsigned char)e->short_name[i];
        h.ShortNameLength = (CCHAR)(slen * sizeof(WCHAR));
    }
    memcpy(rec, &h, fixed);
    (void)RtlUTF8ToUnicodeN((PWSTR)(void *)(rec + fixed), name_bytes, NULL, e->file_name, (ULONG)nlen);
    return fixed + name_bytes;
}

NTSTATUS NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                              PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                              FILE_INFORMATION_CLASS FileInformationClass, BOOLEAN ReturnSingleEntry,
                              PUNICODE_STRING FileName, BOOLEAN RestartScan)
{
    (void)ApcContext;
    char pattern[NTEXEC_MAX_NAME + 1];
    size_t fixed = dir_fixed(FileInformationClass);
    if (Event != NULL || ApcRoutine != NULL) return STATUS_NOT_SUPPORTED;
    if (fixed == 0) return STATUS_INVALID_INFO_CLASS;
    if (FileInformation == NULL || Length < fixed) return STATUS_INFO_LENGTH_MISMATCH;
    NTSTATUS st = RtlUnicodeStringToUtf8z(FileName, pattern, sizeof pattern);
    if (!NT_SUCCESS(st)) return st;
    uint64_t h = NT_HANDLE_VALUE(FileHandle);
    int slot = pending_slot(h);
    if (RestartScan) pending[slot].has = pending[slot].ended = 0;
    uint8_t *buf = FileInformation;
    size_t pos = 0, last = 0, count = 0;
    int first_call = 1;
    static ntexec_file_directory_information_t e;
    st = STATUS_SUCCESS;
    for (;;) {
        if (pending[slot].has) {
            e = pending[slot].e;
            pending[slot].has = 0;
        } else if (pending[slot].ended) {
            st = STATUS_NO_MORE_FILES;
            break;
        } else {
            int32_t status = 0;
            ntexec_io_status_block_t io = { 0, 0 };
            int err = NTDLL_CALL(ntexec_query_directory_file, &client, h, (ntexec_file_information_class_t)FileInformationClass,
                                                  ng_str(pattern), RestartScan && first_call, &status, &io, &e);
            first_call = 0;
            st = outcome(err, status);
            if (st == STATUS_NO_MORE_FILES || st == STATUS_NO_SUCH_FILE) pending[slot].ended = 1;
            if (st != STATUS_SUCCESS) break;
        }
        size_t start = (pos + 7) & ~(size_t)7;
        size_t got = start <= Length ? dir_record(FileInformationClass, &e, buf + start, Length - start) : 0;
        if (got == 0) {
            /* Keep it for the next query; a buffer too small for even one entry is an overflow. */
            pending[slot].e = e;
            pending[slot].has = 1;
            st = count == 0 ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
            break;
        }
        if (count > 0) ((FILE_DIRECTORY_INFORMATION *)(void *)(buf + last))->NextEntryOffset = (ULONG)(start - last);
        last = start;
        pos = start + got;
        count++;
        if (ReturnSingleEntry) break;
    }
    if (count > 0 && (st == STATUS_NO_MORE_FILES || st == STATUS_NO_SUCH_FILE)) st = STATUS_SUCCESS;
    set_iosb(IoStatusBlock, st, count > 0 ? pos : 0);
    return st;
}

NTSTATUS NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    int32_t status = 0;
    ntexec_io_status_block_t io = { 0, 0 };
    uint64_t h = NT_HANDLE_VALUE(FileHandle);
    int err;
    size_t size;
    NTSTATUS st;
    if (FileInformation == NULL) return STATUS_INVALID_PARAMETER;
    switch (FileInformationClass) {
    case FileBasicInformation: {
        ntexec_file_basic_information_t b;
        size = sizeof(FILE_BASIC_INFORMATION);
        if (Length < size) return STATUS_INFO_LENGTH_MISMATCH;
        err = NTDLL_CALL(ntexec_query_basic_information, &client, h, &status, &io, &b);
        st = outcome(err, status);
        if (NT_SUCCESS(st)) {
            FILE_BASIC_INFORMATION *o = FileInformation;
            memset(o, 0, size);
            o->CreationTime.QuadPart = b.creation_time;
            o->LastAccessTime.QuadPart = b.last_access_time;
            o->LastWriteTime.QuadPart = b.last_write_time;
            o->ChangeTime.QuadPart = b.change_time;
            o->FileAttributes = b.file_attributes;
        }
        break;
    }
    case FileStandardInformation: {
        ntexec_file_standard_information_t s;
        size = sizeof(FILE_STANDARD_INFORMATION);
        if (Length < size) return STATUS_INFO_LENGTH_MISMATCH;
        err = NTDLL_CALL(ntexec_query_standard_information, &client, h, &status, &io, &s);
        st = outcome(err, status);
        if (NT_SUCCESS(st)) {
            FILE_STANDARD_INFORMATION *o = FileInformation;
            memset(o, 0, size);
            o->AllocationSize.QuadPart = s.allocation_size;
            o->EndOfFile.QuadPart = s.end_of_file;
            o->NumberOfLinks = s.number_of_links;
            o->DeletePending = s.delete_pending;
            o->Directory = s.directory;
        }
        break;
    }
    case FilePositionInformation: {
        int64_t p = 0;
        size = sizeof(FILE_POSITION_INFORMATION);
        if (Length < size) return STATUS_INFO_LENGTH_MISMATCH;
        err = NTDLL_CALL(ntexec_query_position, &client, h, &status, &io, &p);
        st = outcome(err, status);
        if (NT_SUCCESS(st)) ((FILE_POSITION_INFORMATION *)FileInformation)->CurrentByteOffset.QuadPart = p;
        break;
    }
    default: return STATUS_INVALID_INFO_CLASS;
    }
    set_iosb(IoStatusBlock, st, NT_SUCCESS(st) ? size : 0);
    return st;
}

NTSTATUS NtSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                              ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    static ntexec_file_set_information_t w;
    memset(&w, 0, sizeof w);
    if (FileInformation == NULL) return STATUS_INVALID_PARAMETER;
    switch (FileInformationClass) {
    case FileRenameInformation: {
        const FILE_RENAME_INFORMATION *r = FileInformation;
        size_t head = offsetof(FILE_RENAME_INFORMATION, FileName);
        if (Length < head || r->FileNameLength > Length - head || r->FileNameLength > 0xFFFE) return STATUS_INFO_LENGTH_MISMATCH;
        if (r->RootDirectory != NULL) return STATUS_NOT_SUPPORTED;
        UNICODE_STRING name = { (USHORT)r->FileNameLength, (USHORT)r->FileNameLength, (PWSTR)r->FileName };
        NTSTATUS st = RtlUnicodeStringToUtf8z(&name, w.new_name, sizeof w.new_name);
        if (!NT_SUCCESS(st)) return st;
        if (w.new_name[0] == 0) return STATUS_OBJECT_NAME_INVALID;
        w.replace_if_exists = r->ReplaceIfExists != 0;
        break;
    }
    case FileDispositionInformation:
        if (Length < sizeof(FILE_DISPOSITION_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        w.delete_file = ((const FILE_DISPOSITION_INFORMATION *)FileInformation)->DeleteFile != 0;
        break;
    case FilePositionInformation:
        if (Length < sizeof(FILE_POSITION_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        w.value = ((const FILE_POSITION_INFORMATION *)FileInformation)->CurrentByteOffset.QuadPart;
        break;
    case FileEndOfFileInformation:
        if (Length < sizeof(FILE_END_OF_FILE_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        w.value = ((const FILE_END_OF_FILE_INFORMATION *)FileInformation)->EndOfFile.QuadPart;
        break;
    case FileAllocationInformation:
        if (Length < sizeof(FILE_ALLOCATION_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
        w.value = ((const FILE_ALLOCATION_INFORMATION *)FileInformation)->AllocationSize.QuadPart;
        break;
    default: return STATUS_INVALID_INFO_CLASS;
    }
    int32_t status = 0;
    ntexec_io_status_block_t io = { 0, 0 };
    int err = NTDLL_CALL(ntexec_set_information_file, &client, NT_HANDLE_VALUE(FileHandle),
                                          (ntexec_file_information_class_t)FileInformationClass, &w, &status, &io);
    NTSTATUS st = outcome(err, status);
    set_iosb(IoStatusBlock, st, err == NG_OK ? io.information : 0);
    return st;
}

NTSTATUS NtFlushBuffersFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock)
{
    int32_t status = 0;
    ntexec_io_status_block_t io = { 0, 0 };
    int err = NTDLL_CALL(ntexec_flush_buffers_file, &client, NT_HANDLE_VALUE(FileHandle), &status, &io);
    NTSTATUS st = outcome(err, status);
    set_iosb(IoStatusBlock, st, err == NG_OK ? io.information : 0);
    return st;
}

typedef int (*control_fn)(const ntexec_client_t *, uint64_t, uint32_t, ng_bytes_t, uint32_t, int32_t *,
                          ntexec_io_status_block_t *, ng_bytes_t *);

/* FSCTL and IOCTL: input and output each at most ntexec.MAX_CONTROL bytes. */
static NTSTATUS control(control_fn fn, HANDLE h, PIO_STATUS_BLOCK iosb, ULONG code, PVOID in, ULONG in_len, PVOID out,
                        ULONG out_len)
{
    if ((in == NULL && in_len) || (out == NULL && out_len)) return STATUS_INVALID_PARAMETER;
    if (in_len > NTEXEC_MAX_CONTROL || out_len > NTEXEC_MAX_CONTROL) return STATUS_INVALID_PARAMETER;
    int32_t status = 0;
    ntexec_io_status_block_t io = { 0, 0 };
    ng_bytes_t got = { NULL, 0 };
    int err = NTDLL_CALL(fn, &client, NT_HANDLE_VALUE(h), code, ng_bytes(in, in_len), out_len, &status, &io, &got);
    NTSTATUS st = outcome(err, status);
    size_t n = 0;
    if (err == NG_OK && got.len) {
        n = got.len <= out_len ? got.len : out_len;
        memcpy(out, got.ptr, n);
    }
    set_iosb(iosb, st, err == NG_OK ? (io.information <= n ? io.information : n) : 0);
    return st;
}

NTSTATUS NtFsControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                         PIO_STATUS_BLOCK IoStatusBlock, ULONG FsControlCode, PVOID InputBuffer,
                         ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength)
{
    (void)ApcContext;
    if (Event != NULL || ApcRoutine != NULL) return STATUS_NOT_SUPPORTED;
    return control(ntexec_fs_control_file, FileHandle, IoStatusBlock, FsControlCode, InputBuffer, InputBufferLength,
                   OutputBuffer, OutputBufferLength);
}

NTSTATUS NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                               PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode, PVOID InputBuffer,
                               ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength)
{
    (void)ApcContext;
    if (Event != NULL || ApcRoutine != NULL) return STATUS_NOT_SUPPORTED;
    return control(ntexec_device_io_control_file, FileHandle, IoStatusBlock, IoControlCode, InputBuffer,
                   InputBufferLength, OutputBuffer, OutputBufferLength);
}

/* --- objects --------------------------------------------------------------------------------- */

NTSTATUS NtClose(HANDLE Handle)
{
    int32_t status = 0;
    int err = NTDLL_CALL(ntexec_close, &client, NT_HANDLE_VALUE(Handle), &status);
    NTSTATUS st = outcome(err, status);
    if (NT_SUCCESS(st)) pending_drop(NT_HANDLE_VALUE(Handle));
    return st;
}

NTSTATUS NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle, HANDLE TargetProcessHandle,
                           PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options)
{
    (void)HandleAttributes;
    if (SourceProcessHandle != NtCurrentProcess() || TargetProcessHandle != NtCurrentProcess()) return STATUS_NOT_SUPPORTED;
    int32_t status = 0;
    uint64_t h = 0;
    int err = NTDLL_CALL(ntexec_duplicate_object, &client, NT_HANDLE_VALUE(SourceHandle), DesiredAccess, Options, &status, &h);
    NTSTATUS st = outcome(err, status);
    if (TargetHandle != NULL) *TargetHandle = NT_SUCCESS(st) ? NT_HANDLE_FROM(h) : NULL;
    if (NT_SUCCESS(st) && (Options & DUPLICATE_CLOSE_SOURCE)) pending_drop(NT_HANDLE_VALUE(SourceHandle));
    return st;
}

NTSTATUS NtOpenDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    ntexec_object_attributes_t a;
    if (DirectoryHandle == NULL || ObjectAttributes == NULL) return STATUS_INVALID_PARAMETER;
    NTSTATUS st = attrs_in(ObjectAttributes, &a);
    if (!NT_SUCCESS(st)) return st;
    int32_t status = 0;
    uint64_t h = 0;
    int err = NTDLL_CALL(ntexec_open_directory_object, &client, DesiredAccess, &a, &status, &h);
    st = outcome(err, status);
    *DirectoryHandle = NT_SUCCESS(st) ? NT_HANDLE_FROM(h) : NULL;
    return st;
}

/* NtQueryDirectoryObject collects entries here before laying them out. */
#define OBDIR_BATCH 32
static struct {
    char name[NTEXEC_MAX_NAME + 1];
    char type[33];
    ULONG name_bytes, type_bytes;
} obdir[OBDIR_BATCH];

static void copy_str(char *to, size_t cap, ng_str_t s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(to, s.ptr, n);
    to[n] = 0;
}

NTSTATUS NtQueryDirectoryObject(HANDLE DirectoryHandle, PVOID Buffer, ULONG Length, BOOLEAN ReturnSingleEntry,
                                BOOLEAN RestartScan, PULONG Context, PULONG ReturnLength)
{
    if (Context == NULL || (Buffer == NULL && Length != 0)) return STATUS_INVALID_PARAMETER;
    uint32_t ctx = RestartScan ? 0 : *Context;
    size_t n = 0, strings = 0, need = 0;
    int more = 0;
    NTSTATUS st = STATUS_SUCCESS;
    uint32_t ctx_after[OBDIR_BATCH];
    while (n < (ReturnSingleEntry ? 1u : (size_t)OBDIR_BATCH)) {
        int32_t status = 0;
        ng_str_t name = { NULL, 0 }, type = { NULL, 0 };
        uint32_t next = 0;
        int err = NTDLL_CALL(ntexec_query_directory_object, &client, NT_HANDLE_VALUE(DirectoryHandle), RestartScan && n == 0, ctx,
                                                &status, &name, &type, &next);
        st = outcome(err, status);
        if (st != STATUS_SUCCESS) break;
        copy_str(obdir[n].name, sizeof obdir[n].name, name);
        copy_str(obdir[n].type, sizeof obdir[n].type, type);
        (void)RtlUTF8ToUnicodeN(NULL, 0, &obdir[n].name_bytes, obdir[n].name, (ULONG)strlen(obdir[n].name));
        (void)RtlUTF8ToUnicodeN(NULL, 0, &obdir[n].type_bytes, obdir[n].type, (ULONG)strlen(obdir[n].type));
        size_t s = strings + obdir[n].name_bytes + obdir[n].type_bytes + 2 * sizeof(WCHAR);
        need = (n + 2) * sizeof(OBJECT_DIRECTORY_INFORMATION) + s;
        if (need > Length) {
            more = 1;
            break;
        }
        strings = s;
        ctx_after[n] = next;
        ctx = next;
        n++;
    }
    if (n == 0) {
        if (more) st = STATUS_BUFFER_TOO_SMALL;
        if (ReturnLength != NULL) *ReturnLength = more ? (ULONG)need : 0;
        return st;
    }
    /* Records, a zero record, then the strings (each NUL-terminated). */
    OBJECT_DIRECTORY_INFORMATION *rec = Buffer;
    uint8_t *str = (uint8_t *)Buffer + (n + 1) * sizeof(OBJECT_DIRECTORY_INFORMATION);
    for (size_t i = 0; i < n; i++) {
        rec[i].Name.Buffer = (PWSTR)(void *)str;
        rec[i].Name.Length = (USHORT)obdir[i].name_bytes;
        rec[i].Name.MaximumLength = (USHORT)(obdir[i].name_bytes + sizeof(WCHAR));
        (void)RtlUTF8ToUnicodeN(rec[i].Name.Buffer, obdir[i].name_bytes, NULL, obdir[i].name, (ULONG)strlen(obdir[i].name));
        rec[i].Name.Buffer[obdir[i].name_bytes / sizeof(WCHAR)] = 0;
        str += obdir[i].name_bytes + sizeof(WCHAR);
        rec[i].TypeName.Buffer = (PWSTR)(void *)str;
        rec[i].TypeName.Length = (USHORT)obdir[i].type_bytes;
        rec[i].TypeName.MaximumLength = (USHORT)(obdir[i].type_bytes + sizeof(WCHAR));
        (void)RtlUTF8ToUnicodeN(rec[i].TypeName.Buffer, obdir[i].type_bytes, NULL, obdir[i].type, (ULONG)strlen(obdir[i].type));
        rec[i].TypeName.Buffer[obdir[i].type_bytes / sizeof(WCHAR)] = 0;
        str += obdir[i].type_bytes + sizeof(WCHAR);
    }
    memset(&rec[n], 0, sizeof rec[n]);
    *Context = ctx_after[n - 1];
    if (ReturnLength != NULL) *ReturnLength = (ULONG)((n + 1) * sizeof(OBJECT_DIRECTORY_INFORMATION) + strings);
    /* Entries left over (there was no room, or the batch was full): NT says so. */
    if (!ReturnSingleEntry && (more || (st == STATUS_SUCCESS && n == OBDIR_BATCH))) return STATUS_MORE_ENTRIES;
    return STATUS_SUCCESS;
}

NTSTATUS NtCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                    PUNICODE_STRING LinkTarget)
{
    ntexec_object_attributes_t a;
    char target[NTEXEC_MAX_NAME + 1];
    if (LinkHandle == NULL || ObjectAttributes == NULL || LinkTarget == NULL) return STATUS_INVALID_PARAMETER;
    NTSTATUS st = attrs_in(ObjectAttributes, &a);
    if (NT_SUCCESS(st)) st = RtlUnicodeStringToUtf8z(LinkTarget, target, sizeof target);
    if (!NT_SUCCESS(st)) return st;
    int32_t status = 0;
    uint64_t h = 0;
    int err = NTDLL_CALL(ntexec_create_symbolic_link_object, &client, DesiredAccess, &a, ng_str(target), &status, &h);
    st = outcome(err, status);
    *LinkHandle = NT_SUCCESS(st) ? NT_HANDLE_FROM(h) : NULL;
    return st;
}

NTSTATUS NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    ntexec_object_attributes_t a;
    if (LinkHandle == NULL || ObjectAttributes == NULL) return STATUS_INVALID_PARAMETER;
    NTSTATUS st = attrs_in(ObjectAttributes, &a);
    if (!NT_SUCCESS(st)) return st;
    int32_t status = 0;
    uint64_t h = 0;
    int err = NTDLL_CALL(ntexec_open_symbolic_link_object, &client, DesiredAccess, &a, &status, &h);
    st = outcome(err, status);
    *LinkHandle = NT_SUCCESS(st) ? NT_HANDLE_FROM(h) : NULL;
    return st;
}

NTSTATUS NtQuerySymbolicLinkObject(HANDLE LinkHandle, PUNICODE_STRING LinkTarget, PULONG ReturnedLength)
{
    char target[NTEXEC_MAX_NAME + 1];
    if (LinkTarget == NULL) return STATUS_INVALID_PARAMETER;
    int32_t status = 0;
    ng_str_t t = { NULL, 0 };
    int err = NTDLL_CALL(ntexec_query_symbolic_link_object, &client, NT_HANDLE_VALUE(LinkHandle), &status, &t);
    NTSTATUS st = outcome(err, status);
    if (!NT_SUCCESS(st)) return st;
    copy_str(target, sizeof target, t);
    ULONG need = 0;
    (void)RtlUTF8ToUnicodeN(NULL, 0, &need, target, (ULONG)strlen(target));
    if (ReturnedLength != NULL) *ReturnedLength = need;
    if (need > LinkTarget->MaximumLength || LinkTarget->Buffer == NULL) return STATUS_BUFFER_TOO_SMALL;
    (void)RtlUTF8ToUnicodeN(LinkTarget->Buffer, need, NULL, target, (ULONG)strlen(target));
    LinkTarget->Length = (USHORT)need;
    if (need + sizeof(WCHAR) <= LinkTarget->MaximumLength) LinkTarget->Buffer[need / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}

/* --- processes, events, system --------------------------------------------------------------- */

NTSTATUS NtCreateProcessByName(PHANDLE ProcessHandle, PCUNICODE_STRING ImageName, PCUNICODE_STRING CommandLine,
                               PULONG ProcessId)
{
    char program[NTEXEC_MAX_PROGRAM + 1], line[NTEXEC_MAX_COMMAND_LINE + 1];
    if (ProcessHandle == NULL || ImageName == NULL) return STATUS_INVALID_PARAMETER;
    NTSTATUS st = RtlUnicodeStringToUtf8z(ImageName, program, sizeof program);
    if (NT_SUCCESS(st)) st = RtlUnicodeStringToUtf8z(CommandLine, line, sizeof line);
    if (!NT_SUCCESS(st)) return st;
    int32_t status = 0;
    uint64_t h = 0;
    uint32_t pid = 0;
    int err = NTDLL_CALL(ntexec_create_process, &client, ng_str(program), ng_str(line), &status, &h, &pid);
    st = outcome(err, status);
    *ProcessHandle = NT_SUCCESS(st) ? NT_HANDLE_FROM(h) : NULL;
    if (ProcessId != NULL) *ProcessId = NT_SUCCESS(st) ? pid : 0;
    return st;
}

/* The end of this process after NtTerminateProcess(NtCurrentProcess()): as when main returns.
 * On seL4 that is sel4runtime's exit (its callback reports to the root server); musl's exit()
 * would end in exit_group, which sel4muslcsys ignores, and spin. On the host, the test bench's
 * exit() ends the program's thread. */
static void process_end(int code)
{
    fflush(stdout);
#ifdef NTDLL_SEL4RUNTIME
    sel4runtime_exit(code);
#else
    exit(code);
#endif
}

NTSTATUS NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus)
{
    int32_t status = 0;
    int err = NTDLL_CALL(ntexec_terminate_process, &client, NT_HANDLE_VALUE(ProcessHandle), ExitStatus, &status);
    if (ProcessHandle == NtCurrentProcess()) process_end((int)ExitStatus);
    return outcome(err, status);
}

NTSTATUS NtQueryInformationProcess(HANDLE ProcessHandle, PROCESSINFOCLASS ProcessInformationClass,
                                   PVOID ProcessInformation, ULONG ProcessInformationLength, PULONG ReturnLength)
{
    if (ProcessInformationClass != ProcessBasicInformation) return STATUS_INVALID_INFO_CLASS;
    if (ProcessInformation == NULL || ProcessInformationLength < sizeof(PROCESS_BASIC_INFORMATION)) return STATUS_INFO_LENGTH_MISMATCH;
    int32_t status = 0, exit_status = 0;
    uint32_t pid = 0;
    int err = NTDLL_CALL(ntexec_query_information_process, &client, NT_HANDLE_VALUE(ProcessHandle), &status, &exit_status, &pid);
    NTSTATUS st = outcome(err, status);
    if (!NT_SUCCESS(st)) return st;
    PROCESS_BASIC_INFORMATION *p = ProcessInformation;
    memset(p, 0, sizeof *p);
    p->ExitStatus = exit_status;
    p->UniqueProcessId = pid;
    if (ReturnLength != NULL) *ReturnLength = sizeof *p;
    return st;
}

NTSTATUS NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                       EVENT_TYPE EventType, BOOLEAN InitialState)
{
    ntexec_object_attributes_t a;
    if (EventHandle == NULL || (EventType != NotificationEvent && EventType != SynchronizationEvent)) return STATUS_INVALID_PARAMETER;
    NTSTATUS st = attrs_in(ObjectAttributes, &a);
    if (!NT_SUCCESS(st)) return st;
    int32_t status = 0;
    uint64_t h = 0;
    int err = NTDLL_CALL(ntexec_create_event, &client, DesiredAccess, &a, (ntexec_event_type_t)EventType, InitialState != 0, &status, &h);
    st = outcome(err, status);
    *EventHandle = NT_SUCCESS(st) ? NT_HANDLE_FROM(h) : NULL;
    return st;
}

NTSTATUS NtSetEvent(HANDLE EventHandle, PLONG PreviousState)
{
    int32_t status = 0, prev = 0;
    int err = NTDLL_CALL(ntexec_set_event, &client, NT_HANDLE_VALUE(EventHandle), &status, &prev);
    NTSTATUS st = outcome(err, status);
    if (PreviousState != NULL && NT_SUCCESS(st)) *PreviousState = prev;
    return st;
}

NTSTATUS NtResetEvent(HANDLE EventHandle, PLONG PreviousState)
{
    int32_t status = 0, prev = 0;
    int err = NTDLL_CALL(ntexec_reset_event, &client, NT_HANDLE_VALUE(EventHandle), &status, &prev);
    NTSTATUS st = outcome(err, status);
    if (PreviousState != NULL && NT_SUCCESS(st)) *PreviousState = prev;
    return st;
}

NTSTATUS NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    int64_t ms = -1;
    if (Timeout != NULL) {
        if (Timeout->QuadPart > 0) return STATUS_NOT_SUPPORTED; /* absolute times: no clock here */
        ms = (-Timeout->QuadPart + 9999) / 10000;               /* 100 ns units, rounded up */
    }
    int32_t status = 0;
    int err = NTDLL_CALL(ntexec_wait_for_single_object, &client, NT_HANDLE_VALUE(Handle), Alertable != 0, ms, &status);
    return outcome(err, status);
}

NTSTATUS NtdllDisplayUtf8(const char *text)
{
    size_t len = strlen(text), done = 0;
    NTSTATUS st = STATUS_SUCCESS;
    while (done < len && NT_SUCCESS(st)) {
        size_t n = len - done;
        if (n > NTEXEC_MAX_CONTROL) {
            n = NTEXEC_MAX_CONTROL;
            while (n > 1 && ((unsigned char)text[done + n] & 0xC0) == 0x80) n--; /* whole characters */
        }
        int32_t status = 0;
        int err = NTDLL_CALL(ntexec_display_string, &client, (ng_str_t){ text + done, n }, &status);
        st = outcome(err, status);
        done += n;
    }
    return st;
}

NTSTATUS NtDisplayString(PUNICODE_STRING String)
{
    char text[3 * 128 + 1];
    if (String == NULL || (String->Buffer == NULL && String->Length)) return STATUS_INVALID_PARAMETER;
    size_t units = String->Length / sizeof(WCHAR), done = 0;
    NTSTATUS st = STATUS_SUCCESS;
    /* 128 UTF-16 units at a time (at most 384 bytes of UTF-8), a surrogate pair kept whole. */
    while (done < units && NT_SUCCESS(st)) {
        size_t n = units - done < 128 ? units - done : 128;
        if (n == 128 && String->Buffer[done + n - 1] >= 0xD800 && String->Buffer[done + n - 1] <= 0xDBFF) n--;
        UNICODE_STRING piece = { (USHORT)(n * sizeof(WCHAR)), (USHORT)(n * sizeof(WCHAR)), String->Buffer + done };
        st = RtlUnicodeStringToUtf8z(&piece, text, sizeof text);
        if (NT_SUCCESS(st)) st = NtdllDisplayUtf8(text);
        done += n;
    }
    return st;
}

NTSTATUS NtdllPrintf(const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return NtdllDisplayUtf8(text);
}

NTSTATUS NtShutdownSystem(SHUTDOWN_ACTION Action)
{
    (void)Action;
    int32_t status = 0;
    int err = NTDLL_CALL(ntexec_shutdown_system, &client, &status);
    return outcome(err, status);
}

NTSTATUS NtQueryExecutiveStatistics(NT_EXECUTIVE_STATISTICS *Statistics)
{
    int32_t status = 0;
    uint64_t irps = 0, hits = 0, misses = 0;
    uint32_t handles = 0;
    if (Statistics == NULL) return STATUS_INVALID_PARAMETER;
    int err = NTDLL_CALL(ntexec_query_statistics, &client, &status, &irps, &hits, &misses, &handles);
    NTSTATUS st = outcome(err, status);
    if (NT_SUCCESS(st)) {
        Statistics->Irps = irps;
        Statistics->CacheHits = hits;
        Statistics->CacheMisses = misses;
        Statistics->Handles = handles;
    }
    return st;
}
