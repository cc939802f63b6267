/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NTSTATUS values of the NT personality (NT's numbers), shared by the executive, the driver
 * library, the drivers and ntdll, and a name for each (nt_status_name) for messages and
 * transcripts. No seL4 dependency: the host tests include it too.
 */
#ifndef NT_STATUS_H
#define NT_STATUS_H

#include <stdint.h>

typedef int32_t NTSTATUS;

#define NT_SUCCESS(s) ((NTSTATUS)(s) >= 0)

/* The table every NTSTATUS this personality uses: X(NAME, value). */
#define NT_STATUS_TABLE(X)                                   \
    X(STATUS_SUCCESS, 0x00000000)                            \
    X(STATUS_WAIT_0, 0x00000000)                             \
    X(STATUS_TIMEOUT, 0x00000102)                            \
    X(STATUS_PENDING, 0x00000103)                            \
    X(STATUS_REPARSE, 0x00000104)                            \
    X(STATUS_MORE_ENTRIES, 0x00000105)                       \
    X(STATUS_BUFFER_OVERFLOW, 0x80000005)                    \
    X(STATUS_NO_MORE_FILES, 0x80000006)                      \
    X(STATUS_NO_MORE_ENTRIES, 0x8000001A)                    \
    X(STATUS_UNSUCCESSFUL, 0xC0000001)                       \
    X(STATUS_NOT_IMPLEMENTED, 0xC0000002)                    \
    X(STATUS_INVALID_INFO_CLASS, 0xC0000003)                 \
    X(STATUS_INFO_LENGTH_MISMATCH, 0xC0000004)               \
    X(STATUS_INVALID_HANDLE, 0xC0000008)                     \
    X(STATUS_INVALID_PARAMETER, 0xC000000D)                  \
    X(STATUS_NO_SUCH_DEVICE, 0xC000000E)                     \
    X(STATUS_NO_SUCH_FILE, 0xC000000F)                       \
    X(STATUS_INVALID_DEVICE_REQUEST, 0xC0000010)             \
    X(STATUS_END_OF_FILE, 0xC0000011)                        \
    X(STATUS_NO_MEDIA_IN_DEVICE, 0xC0000013)                 \
    X(STATUS_UNRECOGNIZED_MEDIA, 0xC0000014)                 \
    X(STATUS_ACCESS_DENIED, 0xC0000022)                      \
    X(STATUS_BUFFER_TOO_SMALL, 0xC0000023)                   \
    X(STATUS_OBJECT_TYPE_MISMATCH, 0xC0000024)               \
    X(STATUS_DISK_CORRUPT_ERROR, 0xC0000032)                 \
    X(STATUS_OBJECT_NAME_INVALID, 0xC0000033)                \
    X(STATUS_OBJECT_NAME_NOT_FOUND, 0xC0000034)              \
    X(STATUS_OBJECT_NAME_COLLISION, 0xC0000035)              \
    X(STATUS_OBJECT_PATH_INVALID, 0xC0000039)                \
    X(STATUS_OBJECT_PATH_NOT_FOUND, 0xC000003A)              \
    X(STATUS_OBJECT_PATH_SYNTAX_BAD, 0xC000003B)             \
    X(STATUS_SHARING_VIOLATION, 0xC0000043)                  \
    X(STATUS_DELETE_PENDING, 0xC0000056)                     \
    X(STATUS_DISK_FULL, 0xC000007F)                          \
    X(STATUS_INSUFFICIENT_RESOURCES, 0xC000009A)             \
    X(STATUS_FILE_INVALID, 0xC0000098)                       \
    X(STATUS_DEVICE_NOT_READY, 0xC00000A3)                   \
    X(STATUS_MEDIA_WRITE_PROTECTED, 0xC00000A2)              \
    X(STATUS_IO_DEVICE_ERROR, 0xC0000185)                    \
    X(STATUS_FILE_IS_A_DIRECTORY, 0xC00000BA)                \
    X(STATUS_NOT_SUPPORTED, 0xC00000BB)                      \
    X(STATUS_INTERNAL_ERROR, 0xC00000E5)                     \
    X(STATUS_DIRECTORY_NOT_EMPTY, 0xC0000101)                \
    X(STATUS_NOT_A_DIRECTORY, 0xC0000103)                    \
    X(STATUS_NAME_TOO_LONG, 0xC0000106)                      \
    X(STATUS_FILES_OPEN, 0xC0000107)                         \
    X(STATUS_CANNOT_DELETE, 0xC0000121)                      \
    X(STATUS_FILE_CLOSED, 0xC0000128)                        \
    X(STATUS_INVALID_DEVICE_STATE, 0xC0000184)               \
    X(STATUS_TOO_MANY_OPENED_FILES, 0xC000011F)              \
    X(STATUS_PROCESS_IS_TERMINATING, 0xC000010A)             \
    X(STATUS_DEVICE_DOES_NOT_EXIST, 0xC00000C0)              \
    X(STATUS_FILE_TOO_LARGE, 0xC0000904)                     \
    X(STATUS_VOLUME_DISMOUNTED, 0xC000026E)                  \
    X(STATUS_NOT_FOUND, 0xC0000225)

/* Enumerators, so that they work as case labels. */
#define NT_STATUS_DEFINE(name, value) name = (int32_t)(value),
enum nt_status_values { NT_STATUS_TABLE(NT_STATUS_DEFINE) };
#undef NT_STATUS_DEFINE

/* "STATUS_ACCESS_DENIED" for 0xC0000022; "STATUS_0x%08X" spelled into a static buffer for
 * values not in the table (STATUS_WAIT_0 and STATUS_SUCCESS share 0: "STATUS_SUCCESS"). */
static inline const char *nt_status_name(NTSTATUS s)
{
#define NT_STATUS_CASE(name, value) if (s == (NTSTATUS)(value)) return #name;
    NT_STATUS_TABLE(NT_STATUS_CASE)
#undef NT_STATUS_CASE
    static char buf[20];
    static const char hex[] = "0123456789ABCDEF";
    uint32_t v = (uint32_t)s;
    char *p = buf;
    for (const char *q = "STATUS_0x"; *q; q++) *p++ = *q;
    for (int i = 7; i >= 0; i--) *p++ = hex[(v >> (4 * i)) & 0xf];
    *p = 0;
    return buf;
}

#endif
