/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Names: UTF-8 <-> UTF-16 for long names, the rules a long name must follow, whether a name
 * fits an 8.3 entry as it is, the basis-name-plus-"~N" alias of one that does not, the
 * long-name checksum, and case-insensitive comparison (ASCII folding, as FAT does without a
 * code page).
 */
#include "name.h"

static const char SHORT_SPECIAL[] = "$%'-_@~`!(){}^#&";

static bool short_char_ok(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c != 0 && strchr(SHORT_SPECIAL, c));
}

static char upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }

bool fat_name_eq(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (; i < alen && b[i]; i++)
        if (upper(a[i]) != upper(b[i])) return false;
    return i == alen && b[i] == 0;
}

uint8_t fat_lfn_checksum(const uint8_t name[11])
{
    uint8_t sum = 0;
    for (int i = 0; i < 11; i++) sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name[i]);
    return sum;
}

void fat_utf16_to_utf8(const uint16_t *in, uint32_t n, char *out)
{
    size_t o = 0;
    for (uint32_t i = 0; i < n && o + 5 < FAT_NAME_BUF; i++) {
        uint32_t c = in[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && in[i + 1] >= 0xDC00 && in[i + 1] < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (in[i + 1] - 0xDC00);
            i++;
        } else if (c >= 0xD800 && c < 0xE000) {
            c = '?'; /* a lone surrogate */
        }
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | c >> 6);
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | c >> 12);
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | c >> 18);
            out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = 0;
}

fat_err_t fat_name_to_utf16(const char *s, size_t len, uint16_t *out, uint32_t *n)
{
    if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.')) return FAT_EINVAL;
    if (s[len - 1] == ' ' || s[len - 1] == '.') return FAT_EINVAL; /* Windows would drop them */
    uint32_t k = 0;
    for (size_t i = 0; i < len;) {
        uint8_t b = (uint8_t)s[i];
        uint32_t c, need;
        if (b < 0x80) c = b, need = 0;
        else if ((b & 0xE0) == 0xC0) c = b & 0x1F, need = 1;
        else if ((b & 0xF0) == 0xE0) c = b & 0x0F, need = 2;
        else if ((b & 0xF8) == 0xF0) c = b & 0x07, need = 3;
        else return FAT_EINVAL;
        if (need > len - i - 1) return FAT_EINVAL;
        for (uint32_t j = 1; j <= need; j++) {
            uint8_t cb = (uint8_t)s[i + j];
            if ((cb & 0xC0) != 0x80) return FAT_EINVAL;
            c = c << 6 | (cb & 0x3F);
        }
        static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
        if (c < min[need] || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000)) return FAT_EINVAL;
        i += need + 1;
        if (c < 0x20 || (c < 0x80 && strchr("\"*/:<>?\\|", (int)c))) return FAT_EINVAL;
        if (c >= 0x10000) {
            if (k + 2 > FAT_NAME_MAX) return FAT_ENAMETOOLONG;
            out[k++] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
            out[k++] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            if (k + 1 > FAT_NAME_MAX) return FAT_ENAMETOOLONG;
            out[k++] = (uint16_t)c;
        }
    }
    *n = k;
    return FAT_OK;
}

bool fat_name_as_short(const char *s, size_t len, uint8_t out[11])
{
    memset(out, ' ', 11);
    size_t i = 0, b = 0, e = 0;
    for (; i < len && s[i] != '.'; i++) {
        if (b == 8 || !short_char_ok(s[i])) return false;
        out[b++] = (uint8_t)s[i];
    }
    if (b == 0) return false;
    if (i < len) {
        for (i++; i < len; i++) {
            if (e == 3 || !short_char_ok(s[i])) return false;
            out[8 + e++] = (uint8_t)s[i];
        }
        if (e == 0) return false;
    }
    if (out[0] == 0xE5) out[0] = 0x05;
    return true;
}

/* Appends the short-name form of the UTF-8 characters s[from, to) to dst (up to max). */
static size_t basis_part(const char *s, size_t from, size_t to, uint8_t *dst, size_t max)
{
    size_t n = 0;
    for (size_t i = from; i < to && n < max; i++) {
        char c = s[i];
        if (c == ' ' || c == '.') continue;
        if ((uint8_t)c >= 0x80 && ((uint8_t)c & 0xC0) == 0x80) continue; /* one '_' per character */
        c = upper(c);
        dst[n++] = (uint8_t)(short_char_ok(c) ? c : '_');
    }
    return n;
}

void fat_basis_name(const char *s, size_t len, uint8_t basis[11], size_t *base_len)
{
    memset(basis, ' ', 11);
    size_t start = 0;
    while (start < len && s[start] == '.') start++;
    size_t dot = len;
    for (size_t i = len; i > start; i--)
        if (s[i - 1] == '.') {
            dot = i - 1;
            break;
        }
    size_t b = basis_part(s, start, dot, basis, 8);
    if (b == 0) basis[b++] = '_';
    if (dot < len) basis_part(s, dot + 1, len, basis + 8, 3);
    *base_len = b;
}

void fat_alias_with_tail(const uint8_t basis[11], size_t base_len, uint32_t n, uint8_t out[11])
{
    char digits[8];
    int d = 0;
    for (uint32_t x = n; x; x /= 10) digits[d++] = (char)('0' + x % 10);
    size_t keep = base_len < (size_t)(7 - d) ? base_len : (size_t)(7 - d);
    memset(out, ' ', 8);
    memcpy(out, basis, keep);
    out[keep] = '~';
    for (int i = 0; i < d; i++) out[keep + 1 + i] = (uint8_t)digits[d - 1 - i];
    memcpy(out + 8, basis + 8, 3);
    if (out[0] == 0xE5) out[0] = 0x05;
}

uint32_t fat_alias_tail_of(const uint8_t name[11])
{
    int t = -1;
    for (int i = 7; i > 0; i--)
        if (name[i] == '~') {
            t = i;
            break;
        }
    if (t < 0) return 0;
    uint32_t n = 0;
    int i = t + 1;
    for (; i < 8 && name[i] >= '0' && name[i] <= '9'; i++) n = n * 10 + (uint32_t)(name[i] - '0');
    for (; i < 8; i++)
        if (name[i] != ' ') return 0;
    return n;
}
