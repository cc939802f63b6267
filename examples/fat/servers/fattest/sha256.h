/* SPDX-License-Identifier: BSD-2-Clause */
/* SHA-256 for the FAT test client (sha256.c). */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct sha256 {
    uint32_t h[8];
    uint64_t len;
    uint8_t buf[64];
    size_t fill;
} sha256_t;

void sha256_init(sha256_t *s);
void sha256_update(sha256_t *s, const void *data, size_t n);
/* Finishes and writes the digest as 64 hex digits. */
void sha256_hex(sha256_t *s, char out[65]);
