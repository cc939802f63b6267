/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The native API's basic C types as NT programs know them (ntdef.h): integer names, HANDLE,
 * LARGE_INTEGER, UNICODE_STRING of 16-bit WCHARs, OBJECT_ATTRIBUTES with
 * InitializeObjectAttributes, IO_STATUS_BLOCK. Pure C, no seL4 or transport dependency, so the
 * host unit tests include it too. WCHAR is 16 bits (not the platform's wchar_t): u"..." literals
 * are WCHAR strings.
 */
#ifndef NT_NTDEF_H
#define NT_NTDEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nt/status.h>

typedef uint8_t UCHAR, BOOLEAN;
typedef char CHAR, CCHAR;
typedef uint16_t USHORT, WCHAR;
typedef int32_t LONG;
typedef uint32_t ULONG, ACCESS_MASK;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef void VOID, *PVOID;
typedef ULONG *PULONG;
typedef LONG *PLONG;
typedef WCHAR *PWSTR;
typedef const WCHAR *PCWSTR;
typedef const char *PCSTR, *PCCH;
typedef char *PCHAR;

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

/* A handle in the calling process's handle table (multiples of 4; 0 never issued). */
typedef void *HANDLE, **PHANDLE;
#define NT_HANDLE_VALUE(h) ((uint64_t)(uintptr_t)(h))
#define NT_HANDLE_FROM(v) ((HANDLE)(uintptr_t)(v))
/* The calling process itself (NtTerminateProcess, NtQueryInformationProcess). */
#define NtCurrentProcess() ((HANDLE)(intptr_t)-1)

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

/* Counted UTF-16 string: Length and MaximumLength in bytes, Buffer not NUL-terminated. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

#define OBJ_INHERIT 0x00000002u
#define OBJ_CASE_INSENSITIVE 0x00000040u
#define OBJ_OPENIF 0x00000080u

typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;
    HANDLE RootDirectory;
    PUNICODE_STRING ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;       /* not carried: must be NULL */
    PVOID SecurityQualityOfService; /* not carried */
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;

#define InitializeObjectAttributes(p, n, a, r, s) \
    do {                                          \
        (p)->Length = sizeof(OBJECT_ATTRIBUTES);  \
        (p)->RootDirectory = (r);                 \
        (p)->Attributes = (a);                    \
        (p)->ObjectName = (n);                    \
        (p)->SecurityDescriptor = (s);            \
        (p)->SecurityQualityOfService = NULL;     \
    } while (0)

typedef struct _IO_STATUS_BLOCK {
    union {
        NTSTATUS Status;
        PVOID Pointer;
    };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

/* Asynchronous completion is not carried (every handle is synchronous): ApcRoutine must be NULL. */
typedef void (*PIO_APC_ROUTINE)(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG Reserved);

#endif
