/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hello: a tiny NT program. Started by the executive (the prompt runs it by name), it connects
 * and attaches through ntdll, shows its command line with NtDisplayString and, given a file
 * ("C:\dir\name" or an NT name), opens it, reads it and says how long it is and what its first
 * line says. It ends with NtTerminateProcess: STATUS_SUCCESS, or the status that stopped it.
 */
#include <stdio.h>
#include <string.h>

#include <nt/ntdll.h>

#include "server_gen.h"

static char data[4096];

/* The file's first line, its size, or the status that stopped it. */
static NTSTATUS show_file(const char *arg)
{
    char name[NTEXEC_MAX_NAME + 1];
    WCHAR w[NTEXEC_MAX_NAME + 1];
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    /* "C:\x" is a DOS name: its NT name is \??\C:\x. */
    snprintf(name, sizeof name, "%s%s", arg[0] == '\\' ? "" : "\\??\\", arg);
    NTSTATUS st = RtlUtf8zToUnicodeString(&us, w, sizeof w, name);
    if (!NT_SUCCESS(st)) return st;
    InitializeObjectAttributes(&oa, &us, OBJ_CASE_INSENSITIVE, NULL, NULL);
    st = NtOpenFile(&h, GENERIC_READ | SYNCHRONIZE, &oa, &iosb, FILE_SHARE_READ,
                    FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
    if (!NT_SUCCESS(st)) {
        NtdllPrintf("hello: cannot open %s: %s\n", arg, nt_status_name(st));
        return st;
    }
    size_t total = 0, first = 0;
    int line_done = 0;
    for (;;) {
        st = NtReadFile(h, NULL, NULL, NULL, &iosb, data, sizeof data, NULL, NULL);
        if (!NT_SUCCESS(st) || iosb.Information == 0) break;
        if (!line_done) {
            while (first < iosb.Information && data[first] != '\n' && first < 60) first++;
            line_done = 1;
            data[first] = 0;
            NtdllPrintf("hello: %s begins \"%s\"\n", arg, data);
        }
        total += iosb.Information;
    }
    NtClose(h);
    if (st == STATUS_END_OF_FILE) st = STATUS_SUCCESS;
    if (!NT_SUCCESS(st)) NtdllPrintf("hello: reading %s: %s\n", arg, nt_status_name(st));
    else NtdllPrintf("hello: %s has %zu bytes\n", arg, total);
    return st;
}

int main(int argc, char **argv)
{
    const char *line = NtdllCommandLine(argc, argv); /* a copy, taken first */
    NTSTATUS st = NtdllInitializeProcess(HELLO_CAP_NTEXEC, hello_connect, HELLO_SLOT_FREE_FIRST, HELLO_SLOT_FREE_FIRST + 1);
    if (!NT_SUCCESS(st)) {
        printf("hello: cannot attach to the executive: %s\n", nt_status_name(st));
        return st;
    }
    /* The command line through NtDisplayString, as UTF-16 in a UNICODE_STRING. */
    static WCHAR w[NTEXEC_MAX_COMMAND_LINE + 32];
    char text[NTEXEC_MAX_COMMAND_LINE + 32];
    UNICODE_STRING us;
    snprintf(text, sizeof text, "hello from an NT process: \"%s\"\n", line);
    if (NT_SUCCESS(RtlUtf8zToUnicodeString(&us, w, sizeof w, text))) NtDisplayString(&us);
    /* Its argument: the command line's second word. */
    const char *arg = strchr(line, ' ');
    while (arg != NULL && *arg == ' ') arg++;
    st = arg != NULL && *arg ? show_file(arg) : STATUS_SUCCESS;
    return NtdllProcessExit(st);
}
