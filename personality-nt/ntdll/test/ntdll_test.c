/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit test of ntdll (ntdll.c) against a fake executive: this file provides the transport
 * calls the generated ntexec stubs make (ng_msg_start, ng_call) and answers each request with
 * the generated server-side decoders and encoders, as the executive would. It checks what
 * ntdll adds to the wire: UTF-16 names arriving as UTF-8, NT's byte offsets, reads and writes
 * beyond ntexec.MAX_IO split into pieces, directory records packed with NT's layouts
 * (NextEntryOffset 8-aligned, FileNameLength in bytes) and an entry that does not fit kept for
 * the next query, object-directory records, symbolic-link targets, rename names, statuses.
 * codegen/test/nt.test.ts generates the headers and builds it with ASan and UBSan.
 */
#include <stdio.h>
#include <string.h>

#include <nt/ntdll.h>
#include <ntexec_gen.h>

static int failures;

static void expect(const char *what, int ok)
{
    if (!ok) {
        printf("FAILED %s\n", what);
        failures++;
    }
}

/* --- the fake executive ---------------------------------------------------------------------- */

static ng_word_t words[NG_MSG_MAX_WORDS];
static uint8_t shm[NTEXEC_SHM_BYTES];

#define FILE_H 8u
#define RO_H 12u
#define DIR_H 16u
#define OBDIR_H 20u
#define LINK_H 24u
#define FILE_SIZE 200000u

static char last_name[NTEXEC_MAX_NAME + 1], last_new_name[NTEXEC_MAX_NAME + 1];
static int64_t last_offset;
static unsigned reads, writes, dir_calls;
static uint64_t file_pos, written;
static int file_open = 1;
static char displayed[2048];
static size_t displayed_len;
static unsigned displays;

static const char *const dir_names[] = { "readme.txt", "caf\xc3\xa9.txt", "a-rather-long-file-name-for-records.bin", "sub", "z" };
#define DIR_COUNT 5u
static unsigned dir_next;

static const char *const ob_names[] = { "Null", "Harddisk0", "C:" };
static const char *const ob_types[] = { "Device", "Directory", "SymbolicLink" };

static uint8_t pattern_at(uint64_t i)
{
    return (uint8_t)(i * 7u + (i >> 9));
}

void ng_msg_start(ng_msg_t *m, ng_word_t label)
{
    m->label = label;
    m->len = 0;
    m->ncaps = 0;
    m->mr = words;
    m->shm = NULL;
    m->shm_size = 0;
}

void ng_recv_path_set(ng_cptr_t slot)
{
    (void)slot;
}

static int answer(ng_msg_t *m)
{
    m->shm = shm;
    m->shm_size = sizeof shm;
    switch (m->label) {
    case NTEXEC_CREATE_FILE_LABEL: {
        ntexec_create_file_req_t q;
        ntexec_create_file_rep_t r = { 0 };
        if (ntexec_create_file_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        snprintf(last_name, sizeof last_name, "%s", q.attrs.object_name);
        r.status = STATUS_SUCCESS;
        r.file = FILE_H;
        r.iosb.status = STATUS_SUCCESS;
        r.iosb.information = NTEXEC_CREATE_ACTION_CREATED;
        return ntexec_create_file_rep_encode(m, &r);
    }
    case NTEXEC_READ_FILE_LABEL: {
        ntexec_read_file_req_t q;
        ntexec_read_file_rep_t r = { 0 };
        if (ntexec_read_file_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        reads++;
        last_offset = q.byte_offset;
        if (q.file != FILE_H || !file_open) {
            r.status = STATUS_INVALID_HANDLE;
            return ntexec_read_file_rep_encode(m, &r);
        }
        uint64_t at = q.byte_offset == -1 ? file_pos : (uint64_t)q.byte_offset;
        uint64_t n = at >= FILE_SIZE ? 0 : FILE_SIZE - at;
        if (n > q.length) n = q.length;
        if (q.length > NTEXEC_MAX_IO) return NG_EBADMSG;
        static uint8_t data[NTEXEC_MAX_IO];
        for (uint64_t i = 0; i < n; i++) data[i] = pattern_at(at + i);
        file_pos = at + n;
        r.status = n == 0 ? STATUS_END_OF_FILE : STATUS_SUCCESS;
        r.iosb.status = r.status;
        r.iosb.information = n;
        r.data = ng_bytes(data, (size_t)n);
        return ntexec_read_file_rep_encode(m, &r);
    }
    case NTEXEC_WRITE_FILE_LABEL: {
        ntexec_write_file_req_t q;
        ntexec_write_file_rep_t r = { 0 };
        if (ntexec_write_file_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        writes++;
        last_offset = q.byte_offset;
        if (q.file == RO_H) {
            r.status = STATUS_ACCESS_DENIED;
        } else {
            for (size_t i = 0; i < q.data.len; i++)
                if (q.data.ptr[i] != pattern_at(written + i)) return NG_EBADMSG;
            written += q.data.len;
            r.status = STATUS_SUCCESS;
            r.iosb.information = q.data.len;
        }
        r.iosb.status = r.status;
        return ntexec_write_file_rep_encode(m, &r);
    }
    case NTEXEC_QUERY_DIRECTORY_FILE_LABEL: {
        ntexec_query_directory_file_req_t q;
        ntexec_query_directory_file_rep_t r;
        memset(&r, 0, sizeof r);
        if (ntexec_query_directory_file_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        dir_calls++;
        if (q.restart_scan) dir_next = 0;
        if (q.dir != DIR_H) {
            r.status = STATUS_INVALID_HANDLE;
        } else if (dir_next >= DIR_COUNT) {
            r.status = STATUS_NO_MORE_FILES;
        } else {
            r.status = STATUS_SUCCESS;
            snprintf(r.entry.file_name, sizeof r.entry.file_name, "%s", dir_names[dir_next]);
            snprintf(r.entry.short_name, sizeof r.entry.short_name, "%s", dir_next == 2 ? "A-RATH~1.BIN" : "");
            r.entry.end_of_file = 1000 * (int64_t)dir_next;
            r.entry.file_attributes = dir_next == 3 ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE;
            r.entry.file_index = dir_next++;
        }
        r.iosb.status = r.status;
        return ntexec_query_directory_file_rep_encode(m, &r);
    }
    case NTEXEC_SET_INFORMATION_FILE_LABEL: {
        ntexec_set_information_file_req_t q;
        ntexec_set_information_file_rep_t r = { 0 };
        if (ntexec_set_information_file_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        snprintf(last_new_name, sizeof last_new_name, "%s", q.info.new_name);
        r.status = q.info_class == NTEXEC_FILE_INFORMATION_CLASS_RENAME && !q.info.replace_if_exists ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
        return ntexec_set_information_file_rep_encode(m, &r);
    }
    case NTEXEC_CLOSE_LABEL: {
        ntexec_close_req_t q;
        ntexec_close_rep_t r = { 0 };
        if (ntexec_close_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        r.status = q.h == FILE_H && file_open ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
        if (q.h == FILE_H) file_open = 0;
        return ntexec_close_rep_encode(m, &r);
    }
    case NTEXEC_QUERY_DIRECTORY_OBJECT_LABEL: {
        ntexec_query_directory_object_req_t q;
        ntexec_query_directory_object_rep_t r;
        memset(&r, 0, sizeof r);
        if (ntexec_query_directory_object_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        uint32_t i = q.restart_scan ? 0 : q.context;
        if (q.dir != OBDIR_H) {
            r.status = STATUS_INVALID_HANDLE;
        } else if (i >= 3) {
            r.status = STATUS_NO_MORE_ENTRIES;
        } else {
            r.status = STATUS_SUCCESS;
            r.name = ng_str(ob_names[i]);
            r.type_name = ng_str(ob_types[i]);
            r.next_context = i + 1;
        }
        return ntexec_query_directory_object_rep_encode(m, &r);
    }
    case NTEXEC_QUERY_SYMBOLIC_LINK_OBJECT_LABEL: {
        ntexec_query_symbolic_link_object_req_t q;
        ntexec_query_symbolic_link_object_rep_t r;
        memset(&r, 0, sizeof r);
        if (ntexec_query_symbolic_link_object_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        r.status = q.link == LINK_H ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
        r.target = ng_str("\\Device\\Harddisk0\\Partition0");
        return ntexec_query_symbolic_link_object_rep_encode(m, &r);
    }
    case NTEXEC_WAIT_FOR_SINGLE_OBJECT_LABEL: {
        ntexec_wait_for_single_object_req_t q;
        ntexec_wait_for_single_object_rep_t r = { 0 };
        if (ntexec_wait_for_single_object_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        r.status = q.timeout_ms == 3 ? STATUS_TIMEOUT : q.timeout_ms == -1 ? STATUS_WAIT_0 : STATUS_INVALID_PARAMETER;
        return ntexec_wait_for_single_object_rep_encode(m, &r);
    }
    case NTEXEC_CREATE_PROCESS_LABEL: {
        ntexec_create_process_req_t q;
        ntexec_create_process_rep_t r = { 0 };
        if (ntexec_create_process_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        snprintf(last_name, sizeof last_name, "%.*s|%.*s", (int)q.program.len, q.program.ptr, (int)q.command_line.len, q.command_line.ptr);
        r.status = STATUS_SUCCESS;
        r.process = 28;
        r.pid = 7;
        return ntexec_create_process_rep_encode(m, &r);
    }
    case NTEXEC_QUERY_INFORMATION_PROCESS_LABEL: {
        ntexec_query_information_process_req_t q;
        ntexec_query_information_process_rep_t r = { 0 };
        if (ntexec_query_information_process_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        r.status = STATUS_SUCCESS;
        r.exit_status = q.process == ~(uint64_t)0 ? STATUS_PENDING : STATUS_ACCESS_DENIED;
        r.pid = q.process == ~(uint64_t)0 ? 3 : 7;
        return ntexec_query_information_process_rep_encode(m, &r);
    }
    case NTEXEC_DISPLAY_STRING_LABEL: {
        ntexec_display_string_req_t q;
        ntexec_display_string_rep_t r = { 0 };
        if (ntexec_display_string_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        if (q.text.len > NTEXEC_MAX_CONTROL || displayed_len + q.text.len > sizeof displayed) return NG_EBADMSG;
        /* Each piece ends on a whole character. */
        if (q.text.len && ((unsigned char)q.text.ptr[0] & 0xC0) == 0x80) return NG_EBADMSG;
        memcpy(displayed + displayed_len, q.text.ptr, q.text.len);
        displayed_len += q.text.len;
        displays++;
        return ntexec_display_string_rep_encode(m, &r);
    }
    case NTEXEC_FS_CONTROL_FILE_LABEL: {
        ntexec_fs_control_file_req_t q;
        ntexec_fs_control_file_rep_t r;
        memset(&r, 0, sizeof r);
        if (ntexec_fs_control_file_req_decode(m, &q) != NG_OK) return NG_EBADMSG;
        static uint8_t out[8];
        memset(out, 0, sizeof out);
        if (q.input.len == 4) memcpy(out, q.input.ptr, 4); /* echoes a uint32 back, twice */
        if (q.input.len == 4) memcpy(out + 4, q.input.ptr, 4);
        r.status = q.fs_control_code == FSCTL_NEPTUNE_FAULT_AFTER ? STATUS_SUCCESS : STATUS_INVALID_DEVICE_REQUEST;
        r.iosb.status = r.status;
        r.iosb.information = q.output_length < 8 ? q.output_length : 8;
        r.output = ng_bytes(out, (size_t)r.iosb.information);
        return ntexec_fs_control_file_rep_encode(m, &r);
    }
    default: return NG_ENOSYS;
    }
}

int ng_call(ng_cptr_t ep, ng_msg_t *m)
{
    (void)ep;
    int err = answer(m);
    if (err != NG_OK) {
        m->label = (ng_word_t)err;
        m->len = 0;
        m->ncaps = 0;
    }
    return NG_OK;
}

/* --- the checks ------------------------------------------------------------------------------ */

static uint8_t buf[FILE_SIZE + 100];
static uint64_t records[512];

static void files(void)
{
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h = NULL;
    RtlInitUnicodeString(&name, u"\\??\\C:\\caf\u00e9\\\U0001F600.txt");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS st = NtCreateFile(&h, GENERIC_READ, &oa, &iosb, NULL, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ, FILE_OPEN_IF,
                               FILE_NON_DIRECTORY_FILE, NULL, 0);
    expect("create: success", st == STATUS_SUCCESS && h == NT_HANDLE_FROM(FILE_H));
    expect("create: iosb", iosb.Status == STATUS_SUCCESS && iosb.Information == FILE_CREATED);
    expect("create: the name arrives as UTF-8", strcmp(last_name, "\\??\\C:\\caf\xc3\xa9\\\xf0\x9f\x98\x80.txt") == 0);

    reads = 0;
    st = NtReadFile(h, NULL, NULL, NULL, &iosb, buf, sizeof buf, NULL, NULL);
    expect("read: a whole 200000-byte file in one NtReadFile", st == STATUS_SUCCESS && iosb.Information == FILE_SIZE);
    expect("read: 4 calls of at most MAX_IO", reads == 4);
    int same = 1;
    for (uint64_t i = 0; i < FILE_SIZE; i++) same &= buf[i] == pattern_at(i);
    expect("read: the bytes", same);
    expect("read: from the current position", last_offset == -1);
    st = NtReadFile(h, NULL, NULL, NULL, &iosb, buf, 10, NULL, NULL);
    expect("read at the end: STATUS_END_OF_FILE, nothing read", st == STATUS_END_OF_FILE && iosb.Information == 0);
    LARGE_INTEGER at = { .QuadPart = 70000 };
    reads = 0;
    st = NtReadFile(h, NULL, NULL, NULL, &iosb, buf, 70000, &at, NULL);
    expect("read at an offset: two calls, offsets advanced", st == STATUS_SUCCESS && iosb.Information == 70000 && reads == 2 &&
                                                               last_offset == 70000 + 65536);
    expect("read at an offset: the bytes", buf[0] == pattern_at(70000) && buf[69999] == pattern_at(139999));
    at.QuadPart = FILE_SIZE - 10;
    st = NtReadFile(h, NULL, NULL, NULL, &iosb, buf, 100, &at, NULL);
    expect("read across the end: a short read", st == STATUS_SUCCESS && iosb.Information == 10);
    at.QuadPart = -5;
    expect("read at a negative offset", NtReadFile(h, NULL, NULL, NULL, &iosb, buf, 1, &at, NULL) == STATUS_INVALID_PARAMETER);

    for (uint64_t i = 0; i < FILE_SIZE; i++) buf[i] = pattern_at(i);
    writes = 0;
    at.QuadPart = FILE_WRITE_TO_END_OF_FILE;
    st = NtWriteFile(h, NULL, NULL, NULL, &iosb, buf, FILE_SIZE, &at, NULL);
    expect("write: 200000 bytes in 4 calls", st == STATUS_SUCCESS && iosb.Information == FILE_SIZE && writes == 4 && written == FILE_SIZE);
    expect("write: FILE_WRITE_TO_END_OF_FILE is the wire's -2", last_offset == -2);
    st = NtWriteFile(NT_HANDLE_FROM(RO_H), NULL, NULL, NULL, &iosb, buf, 5, NULL, NULL);
    expect("write through a read-only handle", st == STATUS_ACCESS_DENIED && iosb.Status == STATUS_ACCESS_DENIED && iosb.Information == 0);

    static union {
        FILE_RENAME_INFORMATION r;
        uint8_t b[256];
    } ren;
    ren.r.ReplaceIfExists = FALSE;
    ren.r.RootDirectory = NULL;
    const WCHAR new_name[] = u"\\??\\C:\\new\u00e9";
    memcpy(ren.r.FileName, new_name, sizeof new_name - 2);
    ren.r.FileNameLength = sizeof new_name - 2;
    st = NtSetInformationFile(h, &iosb, &ren.r, offsetof(FILE_RENAME_INFORMATION, FileName) + ren.r.FileNameLength, FileRenameInformation);
    expect("rename: the new name arrives as UTF-8", st == STATUS_SUCCESS && strcmp(last_new_name, "\\??\\C:\\new\xc3\xa9") == 0);
    st = NtSetInformationFile(h, &iosb, &ren.r, 10, FileRenameInformation);
    expect("rename: a record shorter than its name", st == STATUS_INFO_LENGTH_MISMATCH);
    expect("an unknown information class", NtSetInformationFile(h, &iosb, &ren.r, 8, (FILE_INFORMATION_CLASS)99) == STATUS_INVALID_INFO_CLASS);

    expect("close", NtClose(h) == STATUS_SUCCESS);
    expect("close twice", NtClose(h) == STATUS_INVALID_HANDLE);
}

static void directory(void)
{
    IO_STATUS_BLOCK iosb;
    HANDLE d = NT_HANDLE_FROM(DIR_H);
    char seen[DIR_COUNT][64];
    unsigned n = 0, calls = 0;
    NTSTATUS st;
    /* A buffer for about two records at a time: entries that do not fit wait for the next call. */
    dir_calls = 0;
    for (BOOLEAN restart = TRUE;; restart = FALSE) {
        st = NtQueryDirectoryFile(d, NULL, NULL, NULL, &iosb, records, 260, FileBothDirectoryInformation, FALSE, NULL, restart);
        if (st != STATUS_SUCCESS) break;
        calls++;
        size_t off = 0;
        for (;;) {
            const FILE_BOTH_DIR_INFORMATION *e = (const void *)((const uint8_t *)records + off);
            expect("records start 8-aligned", off % 8 == 0);
            UNICODE_STRING us = { (USHORT)e->FileNameLength, (USHORT)e->FileNameLength, (PWSTR)e->FileName };
            if (n < DIR_COUNT) RtlUnicodeStringToUtf8z(&us, seen[n], sizeof seen[n]);
            expect("the record's size fields", e->EndOfFile.QuadPart == 1000 * (int64_t)n && e->FileIndex == n);
            expect("the record ends inside the answer", off + offsetof(FILE_BOTH_DIR_INFORMATION, FileName) + e->FileNameLength <= iosb.Information);
            if (n == 2) expect("the short name", e->ShortNameLength == 24 && e->ShortName[0] == 'A' && e->ShortName[11] == 'N');
            n++;
            if (e->NextEntryOffset == 0) break;
            off += e->NextEntryOffset;
        }
    }
    expect("every entry once, then STATUS_NO_MORE_FILES", n == DIR_COUNT && st == STATUS_NO_MORE_FILES);
    expect("several records per answer", calls < DIR_COUNT);
    for (unsigned i = 0; i < n && i < DIR_COUNT; i++) expect("names back as UTF-16", strcmp(seen[i], dir_names[i]) == 0);
    unsigned before = dir_calls;
    st = NtQueryDirectoryFile(d, NULL, NULL, NULL, &iosb, records, sizeof records, FileBothDirectoryInformation, FALSE, NULL, FALSE);
    expect("after the end, still STATUS_NO_MORE_FILES without asking again", st == STATUS_NO_MORE_FILES && dir_calls == before);

    st = NtQueryDirectoryFile(d, NULL, NULL, NULL, &iosb, records, sizeof records, FileDirectoryInformation, TRUE, NULL, TRUE);
    const FILE_DIRECTORY_INFORMATION *e = (const void *)records;
    expect("one entry, FileDirectoryInformation", st == STATUS_SUCCESS && e->NextEntryOffset == 0 && e->FileNameLength == 20 &&
                                                      iosb.Information == 64 + 20 && e->FileName[0] == 'r');
    st = NtQueryDirectoryFile(d, NULL, NULL, NULL, &iosb, records, 70, FileDirectoryInformation, TRUE, NULL, FALSE);
    expect("a buffer too small for the entry", st == STATUS_BUFFER_OVERFLOW);
    st = NtQueryDirectoryFile(d, NULL, NULL, NULL, &iosb, records, sizeof records, FileFullDirectoryInformation, TRUE, NULL, FALSE);
    const FILE_FULL_DIR_INFORMATION *f = (const void *)records;
    expect("the entry kept comes next", st == STATUS_SUCCESS && f->FileNameLength == 16 && f->FileName[3] == 0xE9);
    expect("a buffer below the fixed part",
           NtQueryDirectoryFile(d, NULL, NULL, NULL, &iosb, records, 10, FileDirectoryInformation, TRUE, NULL, FALSE) == STATUS_INFO_LENGTH_MISMATCH);
    expect("a class that is no directory class",
           NtQueryDirectoryFile(d, NULL, NULL, NULL, &iosb, records, 512, FileBasicInformation, TRUE, NULL, FALSE) == STATUS_INVALID_INFO_CLASS);
}

static void objects(void)
{
    static uint64_t ob[64];
    ULONG ctx = 0, len = 0;
    NTSTATUS st = NtQueryDirectoryObject(NT_HANDLE_FROM(OBDIR_H), ob, sizeof ob, FALSE, TRUE, &ctx, &len);
    const OBJECT_DIRECTORY_INFORMATION *r = (const void *)ob;
    expect("object directory: every entry", st == STATUS_SUCCESS && ctx == 3 && r[3].Name.Length == 0 && r[3].Name.Buffer == NULL);
    expect("object directory: names", r[0].Name.Length == 8 && r[0].Name.Buffer[0] == 'N' && r[2].TypeName.Length == 24 &&
                                          r[2].TypeName.Buffer[0] == 'S');
    expect("object directory: strings inside the answer",
           (uint8_t *)r[2].TypeName.Buffer + r[2].TypeName.Length + 2 <= (uint8_t *)ob + len);
    st = NtQueryDirectoryObject(NT_HANDLE_FROM(OBDIR_H), ob, sizeof ob, TRUE, FALSE, &ctx, &len);
    expect("object directory: after the last", st == STATUS_NO_MORE_ENTRIES);
    ctx = 0;
    st = NtQueryDirectoryObject(NT_HANDLE_FROM(OBDIR_H), ob, 90, FALSE, TRUE, &ctx, &len);
    expect("object directory: what fits, then more", st == STATUS_MORE_ENTRIES && ctx >= 1 && ctx < 3);
    st = NtQueryDirectoryObject(NT_HANDLE_FROM(OBDIR_H), ob, 20, TRUE, TRUE, &ctx, &len);
    expect("object directory: too small for one", st == STATUS_BUFFER_TOO_SMALL && len > 20);

    WCHAR t[64];
    UNICODE_STRING target = { 0, sizeof t, t };
    ULONG need = 0;
    st = NtQuerySymbolicLinkObject(NT_HANDLE_FROM(LINK_H), &target, &need);
    expect("link target", st == STATUS_SUCCESS && target.Length == 56 && need == 56 && t[28] == 0 && t[8] == 'H');
    WCHAR small[4];
    UNICODE_STRING s = { 0, sizeof small, small };
    expect("link target too big", NtQuerySymbolicLinkObject(NT_HANDLE_FROM(LINK_H), &s, &need) == STATUS_BUFFER_TOO_SMALL && need == 56);

    LARGE_INTEGER timeout = { .QuadPart = -25000 }; /* 2.5 ms: rounded up to 3 */
    expect("wait: a relative timeout in ms", NtWaitForSingleObject(NT_HANDLE_FROM(4), FALSE, &timeout) == STATUS_TIMEOUT);
    expect("wait: forever", NtWaitForSingleObject(NT_HANDLE_FROM(4), FALSE, NULL) == STATUS_WAIT_0);
    timeout.QuadPart = 5;
    expect("wait: an absolute time", NtWaitForSingleObject(NT_HANDLE_FROM(4), FALSE, &timeout) == STATUS_NOT_SUPPORTED);
    expect("a method the executive lacks: a transport error as NTSTATUS", NtSetEvent(NT_HANDLE_FROM(4), NULL) == STATUS_UNSUCCESSFUL);
}

static void processes_and_controls(void)
{
    UNICODE_STRING image, line;
    HANDLE p = NULL;
    ULONG pid = 0;
    RtlInitUnicodeString(&image, u"hello");
    RtlInitUnicodeString(&line, u"hello C:\\caf\u00e9.txt");
    NTSTATUS st = NtCreateProcessByName(&p, &image, &line, &pid);
    expect("create process: handle and pid", st == STATUS_SUCCESS && p == NT_HANDLE_FROM(28) && pid == 7);
    expect("create process: program and command line as UTF-8", strcmp(last_name, "hello|hello C:\\caf\xc3\xa9.txt") == 0);
    PROCESS_BASIC_INFORMATION info;
    ULONG len = 0;
    st = NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &info, sizeof info, &len);
    expect("query this process", st == STATUS_SUCCESS && info.ExitStatus == STATUS_PENDING && info.UniqueProcessId == 3 && len == sizeof info);
    expect("query: a buffer too small", NtQueryInformationProcess(p, ProcessBasicInformation, &info, 8, NULL) == STATUS_INFO_LENGTH_MISMATCH);
    expect("query: another class", NtQueryInformationProcess(p, (PROCESSINFOCLASS)7, &info, sizeof info, NULL) == STATUS_INVALID_INFO_CLASS);
    HANDLE d;
    expect("duplicate into another process", NtDuplicateObject(NtCurrentProcess(), p, p, &d, 0, 0, DUPLICATE_SAME_ACCESS) == STATUS_NOT_SUPPORTED);

    /* 300 euro signs (900 bytes of UTF-8): pieces of at most MAX_CONTROL, whole characters. */
    static WCHAR text[300];
    for (int i = 0; i < 300; i++) text[i] = 0x20AC;
    UNICODE_STRING us = { sizeof text, sizeof text, text };
    displays = 0;
    displayed_len = 0;
    st = NtDisplayString(&us);
    int whole = displayed_len == 900;
    for (size_t i = 0; whole && i < 900; i += 3) whole = memcmp(displayed + i, "\xe2\x82\xac", 3) == 0;
    expect("display string: every character, in pieces", st == STATUS_SUCCESS && whole && displays >= 2);
    displays = 0;
    displayed_len = 0;
    char big[1200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    big[511] = (char)0xC3; /* a two-byte character across the first piece's end */
    big[512] = (char)0xA9;
    st = NtdllDisplayUtf8(big);
    expect("display UTF-8: split before a character, never inside", st == STATUS_SUCCESS && displayed_len == sizeof big - 1 && displays == 3);

    IO_STATUS_BLOCK iosb;
    uint32_t n = 10;
    uint8_t out[16];
    memset(out, 0xee, sizeof out);
    st = NtFsControlFile(NT_HANDLE_FROM(FILE_H), NULL, NULL, NULL, &iosb, FSCTL_NEPTUNE_FAULT_AFTER, &n, sizeof n, out, 6);
    expect("fsctl: input in, output cut to the caller's length", st == STATUS_SUCCESS && iosb.Information == 6 &&
                                                                     memcmp(out, &n, 4) == 0 && out[6] == 0xee);
    st = NtFsControlFile(NT_HANDLE_FROM(FILE_H), NULL, NULL, NULL, &iosb, FSCTL_LOCK_VOLUME, NULL, 0, NULL, 0);
    expect("fsctl: the file system's status", st == STATUS_INVALID_DEVICE_REQUEST && iosb.Status == st);
    expect("fsctl: input beyond MAX_CONTROL",
           NtFsControlFile(NT_HANDLE_FROM(FILE_H), NULL, NULL, NULL, &iosb, FSCTL_LOCK_VOLUME, big, 600, NULL, 0) == STATUS_INVALID_PARAMETER);
}

static void command_lines(void)
{
    char *a[] = { "hello", "hello", "C:\\x.txt" }, *b[] = { "hello", "C:\\x.txt" }, *c[] = { "nttest" };
    expect("command line, name repeated", strcmp(NtdllCommandLine(3, a), "hello C:\\x.txt") == 0);
    expect("command line, arguments only", strcmp(NtdllCommandLine(2, b), "hello C:\\x.txt") == 0);
    expect("command line, no arguments", strcmp(NtdllCommandLine(1, c), "nttest") == 0);
}

int main(void)
{
    ntexec_client_t c = { 9, shm, sizeof shm };
    NtdllInitialize(&c);
    files();
    directory();
    objects();
    processes_and_controls();
    command_lines();
    printf("ntdll_test: %d failures\n", failures);
    return failures != 0;
}
