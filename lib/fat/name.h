/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Name handling of the FAT library (name.c): UTF-8/UTF-16 conversion, long-name rules, 8.3
 * fitting and alias generation, checksums, comparison.
 */
#ifndef FAT_NAME_H
#define FAT_NAME_H

#include "fat_int.h"

/* a[0..alen) equals the NUL-terminated b, ASCII case folded. */
bool fat_name_eq(const char *a, size_t alen, const char *b);
uint8_t fat_lfn_checksum(const uint8_t name[11]);
/* Checks a long name and converts it; FAT_EINVAL or FAT_ENAMETOOLONG when it breaks the rules. */
fat_err_t fat_name_to_utf16(const char *s, size_t len, uint16_t *out, uint32_t *n);
/* The name is a valid upper-case 8.3 name as it stands: fills the 11 name bytes. */
bool fat_name_as_short(const char *s, size_t len, uint8_t out[11]);
/* The basis name of a long name (upper case, invalid characters as '_', 8 + 3). */
void fat_basis_name(const char *s, size_t len, uint8_t basis[11], size_t *base_len);
/* The basis name with the "~n" tail. */
void fat_alias_with_tail(const uint8_t basis[11], size_t base_len, uint32_t n, uint8_t out[11]);
/* n of a name ending in "~n", else 0. */
uint32_t fat_alias_tail_of(const uint8_t name[11]);

#endif /* FAT_NAME_H */
