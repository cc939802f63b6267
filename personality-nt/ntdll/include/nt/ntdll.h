/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll: the native API of the NT personality for programs and servers, with NT's C shapes
 * (NtCreateFile, NtReadFile, … taking UNICODE_STRING, OBJECT_ATTRIBUTES, IO_STATUS_BLOCK), over
 * the client stubs generated from idl/ntexec.idl. Names are converted from UTF-16 to the
 * wire's UTF-8 here; reads and writes larger than ntexec.MAX_IO are split into several calls;
 * directory records are packed into the caller's buffer with NT's layouts.
 *
 * Before the first call a process initialises the library once:
 *   - a server of the static layout:     NtdllInitialize(&(ntexec_client_t){...}) with
 *                                        <server>_use_ntexec() (its cap and shared buffer);
 *   - a program started by the executive: NtdllInitializeProcess(<PROG>_CAP_NTEXEC,
 *                                        <prog>_connect, two free slots), which connects at run
 *                                        time and attaches with NT_PROCESS_COOKIE from its
 *                                        environment. It ends with NtTerminateProcess(
 *                                        NtCurrentProcess(), status) (or `return
 *                                        NtdllProcessExit(status)` from main).
 * Not carried (NULL or 0 expected): events and APCs of I/O calls, EA buffers, security
 * descriptors, keys. Every handle is synchronous.
 */
#ifndef NT_NTDLL_H
#define NT_NTDLL_H

#include <neptune/ipc.h>
#include <ntexec_client_gen.h>

#include <nt/ntdef.h>
#include <nt/ntioapi.h>
#include <nt/ioctl.h>
#include <nt/rtl.h>

/* --- initialisation -------------------------------------------------------------------------- */

/* A program's generated <prog>_connect (server_gen.h). */
typedef int (*ntdll_connect_fn)(ng_cptr_t ep, size_t bytes, ng_cptr_t obj_slot, ng_cptr_t conn_slot,
                                ng_cptr_t *conn_ep, uint8_t **shm, size_t *shm_size);

/* A static server: calls go through `c` (its layout's ntexec cap and shared buffer). */
void NtdllInitialize(const ntexec_client_t *c);

/* A program spawned by the executive: connects through `ntexec_cap` (a shared buffer from its
 * own quota, made with `connect` in slots obj_slot and conn_slot) and attaches as the process
 * the executive started (the cookie in its environment: NT_PROCESS_COOKIE=<hex>). STATUS_UNSUCCESSFUL when the
 * connection fails, STATUS_INVALID_PARAMETER without a cookie, or the executive's answer. */
NTSTATUS NtdllInitializeProcess(ng_cptr_t ntexec_cap, ntdll_connect_fn connect, ng_cptr_t obj_slot, ng_cptr_t conn_slot);

/* The process id attach_process answered (0 for a static server). */
ULONG NtdllProcessId(void);

/* Calls this process has made to the executive (each one round trip), for benchmarks. */
uint64_t NtdllRoundTripsMade(void);

/* The client the library calls through (for ntexec calls the native API has no shape for). */
const ntexec_client_t *NtdllClient(void);

/* A program's end: NtTerminateProcess(NtCurrentProcess(), status) without the exit, for
 * `return NtdllProcessExit(status);` from main. */
int NtdllProcessExit(NTSTATUS status);

/* The process's command line as NT gives it (the program's name first, then its arguments,
 * separated by blanks), from main's argv. */
const char *NtdllCommandLine(int argc, char **argv);

/* The environment variable `name` of this process (its first stack frame on seL4; the host
 * root server's copy on the host target), or NULL. */
const char *NtdllGetEnvironmentVariable(const char *name);

/* --- files ----------------------------------------------------------------------------------- */

NTSTATUS NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                      PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                      ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength);
NTSTATUS NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                    PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions);
/* ByteOffset NULL or FILE_USE_FILE_POINTER_POSITION: the current position. Any Length: split
 * into ntexec.MAX_IO pieces; Information = bytes read (STATUS_END_OF_FILE only when none). */
NTSTATUS NtReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key);
/* ByteOffset FILE_WRITE_TO_END_OF_FILE appends. */
NTSTATUS NtWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                     PIO_STATUS_BLOCK IoStatusBlock, const void *Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                     PULONG Key);
/* FileDirectoryInformation, FileFullDirectoryInformation or FileBothDirectoryInformation
 * records, as many as fit (one with ReturnSingleEntry). FileName: a wildcard pattern, taken on
 * the first call and with RestartScan. */
NTSTATUS NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                              PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                              FILE_INFORMATION_CLASS FileInformationClass, BOOLEAN ReturnSingleEntry,
                              PUNICODE_STRING FileName, BOOLEAN RestartScan);
/* FileBasicInformation, FileStandardInformation, FilePositionInformation. */
NTSTATUS NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                ULONG Length, FILE_INFORMATION_CLASS FileInformationClass);
/* FileRenameInformation, FileDispositionInformation, FilePositionInformation,
 * FileEndOfFileInformation, FileAllocationInformation. */
NTSTATUS NtSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                              ULONG Length, FILE_INFORMATION_CLASS FileInformationClass);
NTSTATUS NtFlushBuffersFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock);
NTSTATUS NtFsControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                         PIO_STATUS_BLOCK IoStatusBlock, ULONG FsControlCode, PVOID InputBuffer,
                         ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength);
NTSTATUS NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                               PIO_STATUS_BLOCK IoStatusBlock, ULONG IoControlCode, PVOID InputBuffer,
                               ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength);

/* --- objects --------------------------------------------------------------------------------- */

NTSTATUS NtClose(HANDLE Handle);
/* Within the calling process only (both process handles NtCurrentProcess()). */
NTSTATUS NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle, HANDLE TargetProcessHandle,
                           PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes, ULONG Options);
#define DUPLICATE_CLOSE_SOURCE 0x1u
#define DUPLICATE_SAME_ACCESS 0x2u
NTSTATUS NtOpenDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes);
/* OBJECT_DIRECTORY_INFORMATION records ended by a zero record, the names after them. */
NTSTATUS NtQueryDirectoryObject(HANDLE DirectoryHandle, PVOID Buffer, ULONG Length, BOOLEAN ReturnSingleEntry,
                                BOOLEAN RestartScan, PULONG Context, PULONG ReturnLength);
NTSTATUS NtCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                    PUNICODE_STRING LinkTarget);
NTSTATUS NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes);
/* LinkTarget->MaximumLength says how much fits; STATUS_BUFFER_TOO_SMALL with *ReturnedLength
 * the bytes needed when it does not. */
NTSTATUS NtQuerySymbolicLinkObject(HANDLE LinkHandle, PUNICODE_STRING LinkTarget, PULONG ReturnedLength);

/* --- processes, events, system --------------------------------------------------------------- */

/* NtCreateUserProcess reduced to what the executive offers: starts program `ImageName` (a
 * program of the system) with `CommandLine` (the whole line, the program's name first, as NT
 * passes it). ProcessId may be NULL. */
NTSTATUS NtCreateProcessByName(PHANDLE ProcessHandle, PCUNICODE_STRING ImageName, PCUNICODE_STRING CommandLine,
                               PULONG ProcessId);
/* NtCurrentProcess(): the caller ends with ExitStatus (does not return). */
NTSTATUS NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSTATUS NtQueryInformationProcess(HANDLE ProcessHandle, PROCESSINFOCLASS ProcessInformationClass,
                                   PVOID ProcessInformation, ULONG ProcessInformationLength, PULONG ReturnLength);
NTSTATUS NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                       EVENT_TYPE EventType, BOOLEAN InitialState);
NTSTATUS NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSTATUS NtResetEvent(HANDLE EventHandle, PLONG PreviousState);
/* Timeout NULL: forever; negative: relative, in 100 ns units; 0: poll. */
NTSTATUS NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSTATUS NtDisplayString(PUNICODE_STRING String);
NTSTATUS NtShutdownSystem(SHUTDOWN_ACTION Action);

/* neptune: the executive's counters (IRPs sent to drivers, cache hits and misses, the caller's
 * open handles), for tests and benchmarks. */
typedef struct _NT_EXECUTIVE_STATISTICS {
    ULONGLONG Irps;
    ULONGLONG CacheHits;
    ULONGLONG CacheMisses;
    ULONG Handles;
} NT_EXECUTIVE_STATISTICS;
NTSTATUS NtQueryExecutiveStatistics(NT_EXECUTIVE_STATISTICS *Statistics);

/* UTF-8 conveniences (neptune): NtDisplayString of a UTF-8 string, and the same formatted. */
NTSTATUS NtdllDisplayUtf8(const char *text);
NTSTATUS NtdllPrintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
