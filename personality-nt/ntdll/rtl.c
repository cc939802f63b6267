/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdll's string routines (include/nt/rtl.h): UNICODE_STRING handling and the UTF-8 <-> UTF-16
 * conversions the native API needs to put names on the wire (ntexec carries UTF-8). Code points
 * are decoded strictly (no overlong forms, no surrogates in UTF-8, nothing above U+10FFFF); what
 * does not decode becomes U+FFFD, one per bad byte, as the Unicode standard recommends.
 */
#include <string.h>

#include <nt/rtl.h>

#define REPLACEMENT 0xFFFDu

void RtlInitUnicodeString(PUNICODE_STRING s, PCWSTR source)
{
    size_t n = 0;
    while (source != NULL && source[n] != 0 && n < 0x7FFE) n++;
    s->Buffer = (PWSTR)source;
    s->Length = (USHORT)(n * sizeof(WCHAR));
    s->MaximumLength = source != NULL ? (USHORT)((n + 1) * sizeof(WCHAR)) : 0;
}

void RtlCopyUnicodeString(PUNICODE_STRING dest, PCUNICODE_STRING source)
{
    if (source == NULL || source->Buffer == NULL) {
        dest->Length = 0;
        return;
    }
    USHORT n = source->Length <= dest->MaximumLength ? source->Length : dest->MaximumLength;
    n &= (USHORT)~1u;
    memmove(dest->Buffer, source->Buffer, n);
    dest->Length = n;
    if (n + sizeof(WCHAR) <= dest->MaximumLength) dest->Buffer[n / sizeof(WCHAR)] = 0;
}

static WCHAR ascii_upper(WCHAR c)
{
    return c >= 'a' && c <= 'z' ? (WCHAR)(c - 'a' + 'A') : c;
}

BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING a, PCUNICODE_STRING b, BOOLEAN CaseInSensitive)
{
    if (a->Length != b->Length) return FALSE;
    for (size_t i = 0; i < a->Length / sizeof(WCHAR); i++) {
        WCHAR x = a->Buffer[i], y = b->Buffer[i];
        if (CaseInSensitive) {
            x = ascii_upper(x);
            y = ascii_upper(y);
        }
        if (x != y) return FALSE;
    }
    return TRUE;
}

/* One code point from s[*i..n) (advancing *i); U+FFFD for a bad sequence (one byte consumed). */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *i)
{
    unsigned char c = s[(*i)++];
    if (c < 0x80) return c;
    int more;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) {
        more = 1;
        cp = c & 0x1Fu;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        more = 2;
        cp = c & 0x0Fu;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        more = 3;
        cp = c & 0x07u;
        min = 0x10000;
    } else {
        return REPLACEMENT;
    }
    if (*i + (size_t)more > n) return REPLACEMENT;
    for (int k = 0; k < more; k++) {
        if ((s[*i + (size_t)k] & 0xC0) != 0x80) return REPLACEMENT;
        cp = (cp << 6) | (s[*i + (size_t)k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return REPLACEMENT;
    *i += (size_t)more;
    return cp;
}

NTSTATUS RtlUTF8ToUnicodeN(PWSTR dest, ULONG DestMaxBytes, PULONG DestActualBytes, PCCH source, ULONG SourceBytes)
{
    const unsigned char *s = (const unsigned char *)source;
    size_t i = 0, out = 0, max = DestMaxBytes / sizeof(WCHAR);
    NTSTATUS st = STATUS_SUCCESS;
    if (source == NULL && SourceBytes != 0) return STATUS_INVALID_PARAMETER;
    while (i < SourceBytes) {
        uint32_t cp = utf8_next(s, SourceBytes, &i);
        size_t units = cp >= 0x10000 ? 2 : 1;
        if (dest != NULL && out + units > max) {
            st = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        if (dest != NULL && units == 2) {
            dest[out] = (WCHAR)(0xD800u + ((cp - 0x10000u) >> 10));
            dest[out + 1] = (WCHAR)(0xDC00u + ((cp - 0x10000u) & 0x3FFu));
        } else if (dest != NULL) {
            dest[out] = (WCHAR)cp;
        }
        out += units;
    }
    if (DestActualBytes != NULL) *DestActualBytes = (ULONG)(out * sizeof(WCHAR));
    return st;
}

NTSTATUS RtlUnicodeToUTF8N(PCHAR dest, ULONG DestMaxBytes, PULONG DestActualBytes, PCWSTR source, ULONG SourceBytes)
{
    size_t n = SourceBytes / sizeof(WCHAR), out = 0;
    NTSTATUS st = STATUS_SUCCESS;
    if (source == NULL && n != 0) return STATUS_INVALID_PARAMETER;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = source[i];
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && source[i + 1] >= 0xDC00 && source[i + 1] <= 0xDFFF) {
            cp = 0x10000u + ((cp - 0xD800u) << 10) + (source[i + 1] - 0xDC00u);
            i++;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = REPLACEMENT;
        }
        unsigned char b[4];
        size_t k;
        if (cp < 0x80) {
            b[0] = (unsigned char)cp;
            k = 1;
        } else if (cp < 0x800) {
            b[0] = (unsigned char)(0xC0 | (cp >> 6));
            b[1] = (unsigned char)(0x80 | (cp & 0x3F));
            k = 2;
        } else if (cp < 0x10000) {
            b[0] = (unsigned char)(0xE0 | (cp >> 12));
            b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            b[2] = (unsigned char)(0x80 | (cp & 0x3F));
            k = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | (cp >> 18));
            b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            b[3] = (unsigned char)(0x80 | (cp & 0x3F));
            k = 4;
        }
        if (dest != NULL && out + k > DestMaxBytes) {
            st = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        if (dest != NULL) memcpy(dest + out, b, k);
        out += k;
    }
    if (DestActualBytes != NULL) *DestActualBytes = (ULONG)out;
    return st;
}

NTSTATUS RtlUnicodeStringToUtf8z(PCUNICODE_STRING s, char *out, size_t cap)
{
    ULONG got = 0;
    if (cap == 0) return STATUS_NAME_TOO_LONG;
    out[0] = 0;
    if (s == NULL || s->Buffer == NULL || s->Length == 0) return STATUS_SUCCESS;
    NTSTATUS st = RtlUnicodeToUTF8N(out, (ULONG)(cap - 1), &got, s->Buffer, s->Length);
    if (st != STATUS_SUCCESS) {
        out[0] = 0;
        return st == STATUS_BUFFER_TOO_SMALL ? STATUS_NAME_TOO_LONG : st;
    }
    out[got] = 0;
    return STATUS_SUCCESS;
}

NTSTATUS RtlUtf8zToUnicodeString(PUNICODE_STRING s, WCHAR *buf, size_t buf_bytes, const char *utf8)
{
    ULONG got = 0;
    size_t len = utf8 != NULL ? strlen(utf8) : 0;
    size_t max = buf_bytes >= sizeof(WCHAR) ? buf_bytes - sizeof(WCHAR) : 0; /* room for a NUL */
    if (max > 0xFFFC) max = 0xFFFC;
    s->Buffer = buf;
    s->Length = 0;
    s->MaximumLength = (USHORT)(max + (buf_bytes >= sizeof(WCHAR) ? sizeof(WCHAR) : 0));
    if (buf_bytes >= sizeof(WCHAR)) buf[0] = 0;
    if (len > 0xFFFFFFFFu) return STATUS_NAME_TOO_LONG;
    NTSTATUS st = RtlUTF8ToUnicodeN(buf, (ULONG)max, &got, utf8, (ULONG)len);
    if (st != STATUS_SUCCESS) return st == STATUS_BUFFER_TOO_SMALL ? STATUS_NAME_TOO_LONG : st;
    s->Length = (USHORT)got;
    if (buf_bytes >= sizeof(WCHAR)) buf[got / sizeof(WCHAR)] = 0;
    return STATUS_SUCCESS;
}
