/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The run-time library's string routines of ntdll (RtlInitUnicodeString, RtlUTF8ToUnicodeN,
 * RtlUnicodeToUTF8N, …) and neptune's NUL-terminated UTF-8 conveniences, with which the native
 * API turns UNICODE_STRINGs into the wire's UTF-8 and back. Pure C (rtl.c): the host unit
 * tests compile it alone. Invalid input (a stray UTF-8 byte, a lone surrogate) becomes U+FFFD.
 */
#ifndef NT_RTL_H
#define NT_RTL_H

#include <nt/ntdef.h>

/* Points `s` at the NUL-terminated `source` (NULL: an empty string); no copy. */
void RtlInitUnicodeString(PUNICODE_STRING s, PCWSTR source);

/* Copies `source` into `dest` (up to its MaximumLength; the rest is cut). */
void RtlCopyUnicodeString(PUNICODE_STRING dest, PCUNICODE_STRING source);

/* Equal, byte for byte or (CaseInSensitive) ignoring ASCII case. */
BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING a, PCUNICODE_STRING b, BOOLEAN CaseInSensitive);

/* UTF-8 (SourceBytes of it) into UTF-16 at `dest` (DestMaxBytes); *DestActualBytes = bytes
 * written, or needed when dest is NULL. STATUS_BUFFER_TOO_SMALL when it does not all fit (what
 * fits is written). */
NTSTATUS RtlUTF8ToUnicodeN(PWSTR dest, ULONG DestMaxBytes, PULONG DestActualBytes, PCCH source, ULONG SourceBytes);

/* UTF-16 (SourceBytes of it) into UTF-8, as above. */
NTSTATUS RtlUnicodeToUTF8N(PCHAR dest, ULONG DestMaxBytes, PULONG DestActualBytes, PCWSTR source, ULONG SourceBytes);

/* neptune: `s` as NUL-terminated UTF-8 in out[cap]. STATUS_NAME_TOO_LONG when it does not fit
 * (out then holds ""). A NULL or empty string gives "". */
NTSTATUS RtlUnicodeStringToUtf8z(PCUNICODE_STRING s, char *out, size_t cap);

/* neptune: NUL-terminated UTF-8 `utf8` into buf (buf_bytes) and `s` pointing at it.
 * STATUS_NAME_TOO_LONG when it does not fit in buf or in a UNICODE_STRING (64 KiB). */
NTSTATUS RtlUtf8zToUnicodeString(PUNICODE_STRING s, WCHAR *buf, size_t buf_bytes, const char *utf8);

#endif
