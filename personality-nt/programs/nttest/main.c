/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nttest: least privilege and handles of the NT personality at run time, one line per check
 * and a count at the end ("nttest: N checks passed, M failed"; exit status STATUS_SUCCESS only
 * when none failed). A handle opened for reading cannot write (STATUS_ACCESS_DENIED); a handle
 * closed twice, or never issued, is STATUS_INVALID_HANDLE; a handle value valid here, passed on
 * the command line to a child nttest process, is STATUS_INVALID_HANDLE there (each process has
 * its own handle table); \Device\Null reads end at once and swallows writes; notification and
 * synchronization events; waiting on a process and reading its exit status; a file's
 * information and position; a symbolic link made at run time.
 *
 *   nttest [C:\file]          the checks (with a file: its read-only handle too)
 *   nttest child <handle>     what the child runs: uses the parent's handle value
 *   nttest wait               waits for good (for the prompt's Ctrl-C)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nt/ntdll.h>

#include "server_gen.h"

static unsigned passed, failed;

static void check(const char *what, NTSTATUS got, NTSTATUS want)
{
    if (got == want) {
        passed++;
        NtdllPrintf("nttest: %s: %s (ok)\n", what, nt_status_name(got));
    } else {
        failed++;
        NtdllPrintf("nttest: %s: %s (FAILED: expected %s)\n", what, nt_status_name(got), nt_status_name(want));
    }
}

static void check_true(const char *what, int ok)
{
    if (ok) passed++;
    else failed++;
    NtdllPrintf("nttest: %s (%s)\n", what, ok ? "ok" : "FAILED");
}

static NTSTATUS open_shared(HANDLE *h, const char *name, ACCESS_MASK access, ULONG share)
{
    WCHAR w[NTEXEC_MAX_NAME + 1];
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    NTSTATUS st = RtlUtf8zToUnicodeString(&us, w, sizeof w, name);
    if (!NT_SUCCESS(st)) return st;
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    return NtOpenFile(h, access | SYNCHRONIZE, &oa, &iosb, share, FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
}

static NTSTATUS open_name(HANDLE *h, const char *name, ACCESS_MASK access)
{
    return open_shared(h, name, access, FILE_SHARE_READ | FILE_SHARE_WRITE);
}

static NTSTATUS write_some(HANDLE h, ULONG *written)
{
    IO_STATUS_BLOCK iosb = { { 0 }, 0 };
    NTSTATUS st = NtWriteFile(h, NULL, NULL, NULL, &iosb, "hello", 5, NULL, NULL);
    if (written != NULL) *written = (ULONG)iosb.Information;
    return st;
}

static NTSTATUS read_some(HANDLE h)
{
    char buf[16];
    IO_STATUS_BLOCK iosb;
    return NtReadFile(h, NULL, NULL, NULL, &iosb, buf, sizeof buf, NULL, NULL);
}

/* The child: the parent's handle value means nothing in this process's table. It prints
 * nothing (its lines could come before or after the parent's): its exit status says what it
 * saw, STATUS_SUCCESS when both a read and a close were STATUS_INVALID_HANDLE, else the first
 * other status. */
static NTSTATUS child(const char *value)
{
    HANDLE h = NT_HANDLE_FROM(strtoull(value, NULL, 0));
    NTSTATUS r = read_some(h), c = NtClose(h);
    if (r != STATUS_INVALID_HANDLE) return r == STATUS_SUCCESS ? STATUS_UNSUCCESSFUL : r;
    if (c != STATUS_INVALID_HANDLE) return c == STATUS_SUCCESS ? STATUS_UNSUCCESSFUL : c;
    return STATUS_SUCCESS;
}

static void null_device(void)
{
    HANDLE ro, rw, dup;
    ULONG n = 0;
    NTSTATUS st = open_name(&ro, "\\Device\\Null", GENERIC_READ);
    check("open \\Device\\Null for reading", st, STATUS_SUCCESS);
    if (NT_SUCCESS(st)) {
        check("write through the read-only handle", write_some(ro, NULL), STATUS_ACCESS_DENIED);
        check("read \\Device\\Null", read_some(ro), STATUS_END_OF_FILE);
        check("close it", NtClose(ro), STATUS_SUCCESS);
        check("close it again", NtClose(ro), STATUS_INVALID_HANDLE);
        check("read through the closed handle", read_some(ro), STATUS_INVALID_HANDLE);
    }
    st = open_name(&rw, "\\Device\\Null", GENERIC_READ | GENERIC_WRITE);
    check("open \\Device\\Null for reading and writing", st, STATUS_SUCCESS);
    if (!NT_SUCCESS(st)) return;
    st = write_some(rw, &n);
    check_true("write 5 bytes to \\Device\\Null: all taken", st == STATUS_SUCCESS && n == 5);
    st = NtDuplicateObject(NtCurrentProcess(), rw, NtCurrentProcess(), &dup, 0, 0, DUPLICATE_SAME_ACCESS);
    check("duplicate the handle", st, STATUS_SUCCESS);
    if (NT_SUCCESS(st)) {
        check_true("the duplicate is another handle value", dup != rw);
        check("write through the duplicate", write_some(dup, NULL), STATUS_SUCCESS);
        check("close the duplicate", NtClose(dup), STATUS_SUCCESS);
    }
    check("the original still writes", write_some(rw, NULL), STATUS_SUCCESS);
    NtClose(rw);
    check("a handle value never issued", read_some(NT_HANDLE_FROM(0x7ffc)), STATUS_INVALID_HANDLE);
}

/* A disk control through a file of the volume: the file system passes it down to the disk. */
static void disk_control(const char *dos)
{
    char name[NTEXEC_MAX_NAME + 1];
    HANDLE h;
    snprintf(name, sizeof name, "%s%s", dos[0] == '\\' ? "" : "\\??\\", dos);
    NTSTATUS st = open_name(&h, name, GENERIC_READ);
    if (!NT_SUCCESS(st)) return;
    IO_STATUS_BLOCK iosb;
    nt_get_length_information_t len = { 0 };
    st = NtDeviceIoControlFile(h, NULL, NULL, NULL, &iosb, IOCTL_DISK_GET_LENGTH_INFO, NULL, 0, &len, sizeof len);
    check_true("IOCTL_DISK_GET_LENGTH_INFO through the file: the disk answers its length",
               st == STATUS_SUCCESS && len.length > 0 && len.length % 512 == 0 && iosb.Information == sizeof len);
    NtClose(h);
}

static void read_only_file(const char *dos)
{
    char name[NTEXEC_MAX_NAME + 1];
    HANDLE h;
    snprintf(name, sizeof name, "%s%s", dos[0] == '\\' ? "" : "\\??\\", dos);
    NTSTATUS st = open_name(&h, name, GENERIC_READ);
    check("open the file for reading", st, STATUS_SUCCESS);
    if (!NT_SUCCESS(st)) return;
    check("read the file", read_some(h), STATUS_SUCCESS);
    check("write the file through its read-only handle", write_some(h, NULL), STATUS_ACCESS_DENIED);
    IO_STATUS_BLOCK iosb;
    FILE_STANDARD_INFORMATION std;
    FILE_BASIC_INFORMATION basic;
    FILE_POSITION_INFORMATION pos;
    st = NtQueryInformationFile(h, &iosb, &std, sizeof std, FileStandardInformation);
    check_true("its standard information: a file, not empty",
               st == STATUS_SUCCESS && !std.Directory && std.EndOfFile.QuadPart > 0 && iosb.Information == sizeof std);
    st = NtQueryInformationFile(h, &iosb, &basic, sizeof basic, FileBasicInformation);
    check_true("its basic information: no directory attribute", st == STATUS_SUCCESS && !(basic.FileAttributes & FILE_ATTRIBUTE_DIRECTORY));
    st = NtQueryInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation);
    check_true("its position after one read of 16 bytes", st == STATUS_SUCCESS && pos.CurrentByteOffset.QuadPart == 16);
    pos.CurrentByteOffset.QuadPart = 3;
    st = NtSetInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation);
    check("move the position back", st, STATUS_SUCCESS);
    st = NtQueryInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation);
    check_true("the position moved", st == STATUS_SUCCESS && pos.CurrentByteOffset.QuadPart == 3);
    check("a too small buffer for the information", NtQueryInformationFile(h, &iosb, &pos, 4, FilePositionInformation),
          STATUS_INFO_LENGTH_MISMATCH);
    /* Share access: a reader that shares only reading keeps writers out while it is open. */
    HANDLE reader, writer;
    st = open_shared(&reader, name, GENERIC_READ, FILE_SHARE_READ);
    check("a second reader that shares only reading", st, STATUS_SUCCESS);
    if (NT_SUCCESS(st)) {
        check("a writer meanwhile", open_shared(&writer, name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE),
              STATUS_SHARING_VIOLATION);
        NtClose(reader);
        st = open_shared(&writer, name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE);
        check("a writer once that reader closed", st, STATUS_SUCCESS);
        if (NT_SUCCESS(st)) NtClose(writer);
    }
    NtClose(h);
}

/* A symbolic link made at run time: \??\NUL: to \Device\Null, usable while its handle is open. */
static void symbolic_link(void)
{
    HANDLE link, h;
    WCHAR wn[16], wt[16];
    UNICODE_STRING name, target;
    OBJECT_ATTRIBUTES oa;
    RtlUtf8zToUnicodeString(&name, wn, sizeof wn, "\\??\\NUL:");
    RtlUtf8zToUnicodeString(&target, wt, sizeof wt, "\\Device\\Null");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS st = NtCreateSymbolicLinkObject(&link, GENERIC_ALL, &oa, &target);
    check("create the link \\??\\NUL: to \\Device\\Null", st, STATUS_SUCCESS);
    if (!NT_SUCCESS(st)) return;
    WCHAR got[32];
    UNICODE_STRING back = { 0, sizeof got, got };
    st = NtQuerySymbolicLinkObject(link, &back, NULL);
    check_true("its target reads back", st == STATUS_SUCCESS && RtlEqualUnicodeString(&back, &target, FALSE));
    st = open_name(&h, "\\??\\NUL:", GENERIC_WRITE);
    check("open a file through the link", st, STATUS_SUCCESS);
    if (NT_SUCCESS(st)) {
        check("write through it", write_some(h, NULL), STATUS_SUCCESS);
        NtClose(h);
    }
    NtClose(link);
    check("the link is gone with its last handle", open_name(&h, "\\??\\NUL:", GENERIC_WRITE), STATUS_OBJECT_NAME_NOT_FOUND);
}

static void events(void)
{
    HANDLE e;
    LONG prev = -1;
    LARGE_INTEGER poll = { .QuadPart = 0 };
    NTSTATUS st = NtCreateEvent(&e, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    check("create a notification event", st, STATUS_SUCCESS);
    if (NT_SUCCESS(st)) {
        check("wait on it, not signalled (poll)", NtWaitForSingleObject(e, FALSE, &poll), STATUS_TIMEOUT);
        st = NtSetEvent(e, &prev);
        check_true("set it: it was not signalled", st == STATUS_SUCCESS && prev == 0);
        check("wait on it, signalled", NtWaitForSingleObject(e, FALSE, NULL), STATUS_WAIT_0);
        check("wait again: a notification event stays signalled", NtWaitForSingleObject(e, FALSE, &poll), STATUS_WAIT_0);
        st = NtResetEvent(e, &prev);
        check_true("reset it: it was signalled", st == STATUS_SUCCESS && prev == 1);
        check("wait on it after the reset (poll)", NtWaitForSingleObject(e, FALSE, &poll), STATUS_TIMEOUT);
        NtClose(e);
    }
    st = NtCreateEvent(&e, EVENT_ALL_ACCESS, NULL, SynchronizationEvent, TRUE);
    check("create a synchronization event, signalled", st, STATUS_SUCCESS);
    if (NT_SUCCESS(st)) {
        check("wait on it", NtWaitForSingleObject(e, FALSE, NULL), STATUS_WAIT_0);
        check("wait again: the wait reset it (poll)", NtWaitForSingleObject(e, FALSE, &poll), STATUS_TIMEOUT);
        NtClose(e);
    }
}

static void processes(void)
{
    PROCESS_BASIC_INFORMATION info;
    NTSTATUS st = NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &info, sizeof info, NULL);
    check_true("this process runs (exit status STATUS_PENDING) under its own pid",
               st == STATUS_SUCCESS && info.ExitStatus == STATUS_PENDING && info.UniqueProcessId == NtdllProcessId());

    /* A handle valid here, named to a child on its command line. */
    HANDLE mine, p;
    st = open_name(&mine, "\\Device\\Null", GENERIC_READ);
    check("open a handle for the child to try", st, STATUS_SUCCESS);
    if (!NT_SUCCESS(st)) return;
    char line[64];
    WCHAR wn[16], wl[64];
    UNICODE_STRING un, ul;
    snprintf(line, sizeof line, "nttest child 0x%llx", (unsigned long long)NT_HANDLE_VALUE(mine));
    RtlUtf8zToUnicodeString(&un, wn, sizeof wn, "nttest");
    RtlUtf8zToUnicodeString(&ul, wl, sizeof wl, line);
    st = NtCreateProcessByName(&p, &un, &ul, NULL);
    check("start a child nttest with our handle's value", st, STATUS_SUCCESS);
    if (NT_SUCCESS(st)) {
        check("wait for the child", NtWaitForSingleObject(p, FALSE, NULL), STATUS_WAIT_0);
        st = NtQueryInformationProcess(p, ProcessBasicInformation, &info, sizeof info, NULL);
        check("the child's exit status (our handle was STATUS_INVALID_HANDLE there, to read and to close)",
              NT_SUCCESS(st) ? info.ExitStatus : st, STATUS_SUCCESS);
        LARGE_INTEGER poll = { .QuadPart = 0 };
        check("wait on the ended child again (poll)", NtWaitForSingleObject(p, FALSE, &poll), STATUS_WAIT_0);
        NtClose(p);
    }
    check("our handle still works here", read_some(mine), STATUS_END_OF_FILE);
    NtClose(mine);
}

int main(int argc, char **argv)
{
    static char words[NTEXEC_MAX_COMMAND_LINE + 1];
    snprintf(words, sizeof words, "%s", NtdllCommandLine(argc, argv)); /* a copy, taken first */
    NTSTATUS st = NtdllInitializeProcess(NTTEST_CAP_NTEXEC, nttest_connect, NTTEST_SLOT_FREE_FIRST, NTTEST_SLOT_FREE_FIRST + 1);
    if (!NT_SUCCESS(st)) {
        printf("nttest: cannot attach to the executive: %s\n", nt_status_name(st));
        return st;
    }
    /* The words after the program's name. */
    char *w[4] = { NULL, NULL, NULL, NULL };
    int n = 0;
    for (char *t = strtok(words, " "); t != NULL && n < 4; t = strtok(NULL, " ")) w[n++] = t;
    if (n >= 2 && strcmp(w[1], "wait") == 0) {
        /* Waits for good, silently (a Ctrl-C may come before or after the wait starts): the
         * prompt's Ctrl-C (NtTerminateProcess from outside) ends it. */
        HANDLE e;
        if (NT_SUCCESS(NtCreateEvent(&e, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE))) NtWaitForSingleObject(e, FALSE, NULL);
        return NtdllProcessExit(STATUS_UNSUCCESSFUL);
    }
    /* The child ends through NtTerminateProcess itself (the parent checks the status it gave). */
    if (n >= 3 && strcmp(w[1], "child") == 0) NtTerminateProcess(NtCurrentProcess(), child(w[2]));

    null_device();
    if (n >= 2) read_only_file(w[1]);
    if (n >= 2) disk_control(w[1]);
    symbolic_link();
    events();
    processes();
    NtdllPrintf("nttest: %u checks passed, %u failed\n", passed, failed);
    return NtdllProcessExit(failed == 0 ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL);
}
