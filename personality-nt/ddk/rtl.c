/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Rtl, FsRtl, Ke and Ex routines of the driver library: counted UTF-16 strings and their
 * conversion to and from the wire's UTF-8 (strict: malformed input is refused, never guessed),
 * case-insensitive comparison (ASCII and Latin-1 upper-casing, as far as FAT names need),
 * wildcard matching, events that are always already signalled when waited on (every IRP
 * completes before IoCallDriver returns), pool memory and DbgPrint.
 */
#include <stdarg.h>
#include <stdio.h>

#include <ddk/ddk.h>

VOID RtlInitUnicodeString(PUNICODE_STRING d, PCWSTR s)
{
    size_t n = 0;
    if (s)
        while (s[n]) n++;
    if (n > 32766) n = 32766;
    d->Buffer = (PWSTR)s;
    d->Length = (USHORT)(n * 2);
    d->MaximumLength = s ? (USHORT)(n * 2 + 2) : 0;
}

VOID RtlCopyUnicodeString(PUNICODE_STRING d, PCUNICODE_STRING s)
{
    if (!s) {
        d->Length = 0;
        return;
    }
    USHORT n = s->Length < d->MaximumLength ? s->Length : d->MaximumLength;
    memmove(d->Buffer, s->Buffer, n);
    d->Length = n;
}

NTSTATUS RtlAppendUnicodeStringToString(PUNICODE_STRING d, PCUNICODE_STRING s)
{
    if ((ULONG)d->Length + s->Length > d->MaximumLength) return STATUS_BUFFER_TOO_SMALL;
    memmove((char *)d->Buffer + d->Length, s->Buffer, s->Length);
    d->Length = (USHORT)(d->Length + s->Length);
    return STATUS_SUCCESS;
}

WCHAR RtlUpcaseUnicodeChar(WCHAR c)
{
    if (c >= 'a' && c <= 'z') return (WCHAR)(c - 32);
    if (c >= 0xe0 && c <= 0xfe && c != 0xf7) return (WCHAR)(c - 32); /* Latin-1 */
    return c;
}

LONG RtlCompareUnicodeString(PCUNICODE_STRING a, PCUNICODE_STRING b, BOOLEAN ci)
{
    size_t na = a->Length / 2, nb = b->Length / 2;
    for (size_t i = 0; i < na && i < nb; i++) {
        WCHAR x = a->Buffer[i], y = b->Buffer[i];
        if (ci) {
            x = RtlUpcaseUnicodeChar(x);
            y = RtlUpcaseUnicodeChar(y);
        }
        if (x != y) return (LONG)x - (LONG)y;
    }
    return (LONG)na - (LONG)nb;
}

BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING a, PCUNICODE_STRING b, BOOLEAN ci)
{
    return a->Length == b->Length && RtlCompareUnicodeString(a, b, ci) == 0;
}

BOOLEAN RtlPrefixUnicodeString(PCUNICODE_STRING prefix, PCUNICODE_STRING s, BOOLEAN ci)
{
    if (prefix->Length > s->Length) return FALSE;
    UNICODE_STRING head = {prefix->Length, prefix->Length, s->Buffer};
    return RtlCompareUnicodeString(prefix, &head, ci) == 0;
}

VOID RtlFreeUnicodeString(PUNICODE_STRING s)
{
    if (s->Buffer) ddk_free(s->Buffer);
    s->Buffer = NULL;
    s->Length = s->MaximumLength = 0;
}

/* One code point from UTF-8 at s[*i] (n bytes); -1 if malformed (overlong, surrogate, > 10FFFF). */
static int32_t utf8_next(const unsigned char *s, ULONG n, ULONG *i)
{
    unsigned char c = s[*i];
    int extra;
    int32_t cp, min;
    if (c < 0x80) {
        (*i)++;
        return c;
    } else if ((c & 0xe0) == 0xc0) {
        extra = 1, cp = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        extra = 2, cp = c & 0x0f, min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        extra = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if (*i + (ULONG)extra >= n) return -1;
    for (int k = 1; k <= extra; k++) {
        unsigned char d = s[*i + (ULONG)k];
        if ((d & 0xc0) != 0x80) return -1;
        cp = cp << 6 | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
    *i += (ULONG)extra + 1;
    return cp;
}

NTSTATUS RtlUTF8ToUnicodeN(PWSTR dst, ULONG max, PULONG actual, PCSTR src, ULONG n)
{
    const unsigned char *s = (const unsigned char *)src;
    ULONG i = 0, out = 0;
    NTSTATUS st = STATUS_SUCCESS;
    while (i < n) {
        int32_t cp = utf8_next(s, n, &i);
        if (cp < 0) {
            st = STATUS_INVALID_PARAMETER;
            break;
        }
        ULONG units = cp >= 0x10000 ? 2 : 1;
        if ((out + units) * 2 > max) {
            st = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        if (dst) {
            if (units == 2) {
                dst[out] = (WCHAR)(0xd800 + ((cp - 0x10000) >> 10));
                dst[out + 1] = (WCHAR)(0xdc00 + ((cp - 0x10000) & 0x3ff));
            } else {
                dst[out] = (WCHAR)cp;
            }
        }
        out += units;
    }
    if (actual) *actual = out * 2;
    return st;
}

NTSTATUS RtlUnicodeToUTF8N(PCHAR dst, ULONG max, PULONG actual, PCWCH src, ULONG bytes)
{
    ULONG n = bytes / 2, out = 0;
    NTSTATUS st = STATUS_SUCCESS;
    for (ULONG i = 0; i < n; i++) {
        uint32_t cp = src[i];
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n && src[i + 1] >= 0xdc00 && src[i + 1] <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (src[i + 1] - 0xdc00u);
            i++;
        } else if (cp >= 0xd800 && cp <= 0xdfff) {
            st = STATUS_INVALID_PARAMETER;
            break;
        }
        unsigned char b[4];
        ULONG k;
        if (cp < 0x80) {
            b[0] = (unsigned char)cp, k = 1;
        } else if (cp < 0x800) {
            b[0] = (unsigned char)(0xc0 | cp >> 6), b[1] = (unsigned char)(0x80 | (cp & 0x3f)), k = 2;
        } else if (cp < 0x10000) {
            b[0] = (unsigned char)(0xe0 | cp >> 12), b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
            b[2] = (unsigned char)(0x80 | (cp & 0x3f)), k = 3;
        } else {
            b[0] = (unsigned char)(0xf0 | cp >> 18), b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
            b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (unsigned char)(0x80 | (cp & 0x3f)), k = 4;
        }
        if (out + k > max) {
            st = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        if (dst) memcpy(dst + out, b, k);
        out += k;
    }
    if (actual) *actual = out;
    return st;
}

NTSTATUS RtlCreateUnicodeStringFromUtf8(PUNICODE_STRING d, PCSTR s, ULONG n)
{
    ULONG need;
    d->Buffer = NULL;
    d->Length = d->MaximumLength = 0;
    NTSTATUS st = RtlUTF8ToUnicodeN(NULL, 0xfffe, &need, s, n);
    if (!NT_SUCCESS(st)) return st == STATUS_BUFFER_TOO_SMALL ? STATUS_NAME_TOO_LONG : STATUS_OBJECT_NAME_INVALID;
    d->Buffer = ddk_alloc(need + 2);
    if (!d->Buffer) return STATUS_INSUFFICIENT_RESOURCES;
    RtlUTF8ToUnicodeN(d->Buffer, need, &need, s, n);
    d->Buffer[need / 2] = 0;
    d->Length = (USHORT)need;
    d->MaximumLength = (USHORT)(need + 2);
    return STATUS_SUCCESS;
}

NTSTATUS RtlUnicodeStringToUtf8z(PCUNICODE_STRING s, PCHAR d, ULONG max)
{
    ULONG n = 0;
    if (max == 0) return STATUS_BUFFER_TOO_SMALL;
    NTSTATUS st = s ? RtlUnicodeToUTF8N(d, max - 1, &n, s->Buffer, s->Length) : STATUS_SUCCESS;
    d[n] = 0;
    return st;
}

/* Wildcard match of e[0..ne) against s[0..ns): '*' any run, '?' one character. Iterative with
 * one backtrack point, so hostile patterns stay linear-ish. */
BOOLEAN FsRtlIsNameInExpression(PUNICODE_STRING expr, PUNICODE_STRING name, BOOLEAN ci, PWCH upcase)
{
    (void)upcase;
    const WCHAR *e = expr->Buffer, *s = name->Buffer;
    size_t ne = expr->Length / 2, ns = name->Length / 2, i = 0, j = 0, star = (size_t)-1, mark = 0;
    while (j < ns) {
        if (i < ne && e[i] == '*') {
            star = i++;
            mark = j;
        } else if (i < ne && (e[i] == '?' || (ci ? RtlUpcaseUnicodeChar(e[i]) == RtlUpcaseUnicodeChar(s[j]) : e[i] == s[j]))) {
            i++;
            j++;
        } else if (star != (size_t)-1) {
            i = star + 1;
            j = ++mark;
        } else {
            return FALSE;
        }
    }
    while (i < ne && e[i] == '*') i++;
    return i == ne;
}

BOOLEAN FsRtlDoesNameContainWildCards(PUNICODE_STRING n)
{
    for (size_t i = 0; i < n->Length / 2u; i++)
        if (n->Buffer[i] == '*' || n->Buffer[i] == '?') return TRUE;
    return FALSE;
}

VOID KeInitializeEvent(PKEVENT ev, EVENT_TYPE type, BOOLEAN state)
{
    (void)type;
    ev->SignalState = state;
}

LONG KeSetEvent(PKEVENT ev, LONG inc, BOOLEAN wait)
{
    (void)inc;
    (void)wait;
    LONG old = ev->SignalState;
    ev->SignalState = 1;
    return old;
}

VOID KeClearEvent(PKEVENT ev) { ev->SignalState = 0; }

NTSTATUS KeWaitForSingleObject(PVOID obj, KWAIT_REASON r, KPROCESSOR_MODE m, BOOLEAN alertable, PLARGE_INTEGER timeout)
{
    (void)r;
    (void)m;
    (void)alertable;
    PKEVENT ev = obj;
    /* Synchronous dispatch: whatever was to set it has already run. */
    if (ev && ev->SignalState) return STATUS_SUCCESS;
    return timeout ? STATUS_TIMEOUT : STATUS_SUCCESS;
}

PVOID ExAllocatePoolWithTag(POOL_TYPE type, SIZE_T n, ULONG tag)
{
    (void)type;
    (void)tag;
    return ddk_alloc(n);
}

VOID ExFreePool(PVOID p) { ddk_free(p); }
VOID ExFreePoolWithTag(PVOID p, ULONG tag)
{
    (void)tag;
    ddk_free(p);
}

ULONG DbgPrint(PCSTR fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n < 0 ? 0 : (ULONG)n;
}
