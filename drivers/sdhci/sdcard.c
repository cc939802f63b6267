/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SD card protocol's pure part (sdcard.h): command register values, response decoding and
 * clock dividers. No register access and no seL4: it is unit-tested on the host.
 */
#include "sdcard.h"

uint32_t sd_command_reg(unsigned cmd, bool app, bool data)
{
    uint32_t r;
    if (app && cmd == SD_ACMD_SEND_OP_COND) {
        r = SD_CR_RESP_48; /* R3: the OCR, no CRC or index */
    } else {
        switch (cmd) {
        case SD_CMD_GO_IDLE:
            r = SD_CR_RESP_NONE;
            break;
        case SD_CMD_ALL_SEND_CID:
        case SD_CMD_SEND_CSD:
            r = SD_CR_RESP_136 | SD_CR_CRC_CHECK; /* R2 */
            break;
        case SD_CMD_SELECT:
        case SD_CMD_STOP:
            r = SD_CR_RESP_48_BUSY | SD_CR_CRC_CHECK | SD_CR_INDEX_CHECK; /* R1b */
            break;
        default: /* R1, R6 (CMD3), R7 (CMD8) */
            r = SD_CR_RESP_48 | SD_CR_CRC_CHECK | SD_CR_INDEX_CHECK;
            break;
        }
    }
    return r | SD_CR_INDEX(cmd & 0x3fu) | (data ? SD_CR_DATA : 0);
}

bool sd_r7_ok(uint32_t r7)
{
    return (r7 & 0xfffu) == SD_IF_COND_ARG;
}

/* Bits [lo + width - 1 : lo] of a 128-bit register whose bits [127:8] are in resp[0..3]. */
static uint32_t reg_bits(const uint32_t resp[4], unsigned lo, unsigned width)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < width; i++) {
        unsigned n = lo + i - 8u;
        v |= ((resp[n / 32u] >> (n % 32u)) & 1u) << i;
    }
    return v;
}

unsigned sd_csd_version(const uint32_t resp[4])
{
    return reg_bits(resp, 126, 2);
}

uint64_t sd_csd_blocks(const uint32_t resp[4])
{
    switch (sd_csd_version(resp)) {
    case 0: {
        uint32_t read_bl_len = reg_bits(resp, 80, 4), c_size = reg_bits(resp, 62, 12), mult = reg_bits(resp, 47, 3);
        if (read_bl_len < 9 || read_bl_len > 11) {
            return 0; /* 512, 1024 and 2048-byte blocks are all the specification allows */
        }
        uint64_t bytes = (uint64_t)(c_size + 1u) << (mult + 2u + read_bl_len);
        return bytes / SD_BLOCK;
    }
    case 1: /* SDHC/SDXC: C_SIZE is 22 bits, in units of 512 KiB */
        return ((uint64_t)reg_bits(resp, 48, 22) + 1u) * 1024u;
    case 2: /* SDUC: 28 bits */
        return ((uint64_t)reg_bits(resp, 48, 28) + 1u) * 1024u;
    default:
        return 0;
    }
}

void sd_cid_name(const uint32_t resp[4], char out[6])
{
    for (unsigned i = 0; i < 5; i++) {
        uint32_t c = reg_bits(resp, 96u - 8u * i, 8);
        out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    out[5] = '\0';
}

bool sd_data_arg(bool high_capacity, uint64_t lba, uint32_t *arg)
{
    uint64_t a = high_capacity ? lba : lba * SD_BLOCK;
    if (a > UINT32_MAX || (!high_capacity && lba > UINT32_MAX / SD_BLOCK)) {
        return false;
    }
    *arg = (uint32_t)a;
    return true;
}

uint32_t sd_clock_divider(uint32_t base_hz, uint32_t target_hz, unsigned spec_version, uint32_t *actual_hz)
{
    if (target_hz == 0) {
        target_hz = 1;
    }
    if (spec_version >= 2) {
        /* SDCLK = base / (2N), N = 0 meaning base itself. */
        uint32_t n = base_hz <= target_hz ? 0 : (base_hz + 2u * target_hz - 1u) / (2u * target_hz);
        if (n > 0x3ffu) {
            n = 0x3ffu;
        }
        *actual_hz = n == 0 ? base_hz : base_hz / (2u * n);
        return ((n & 0xffu) << 8) | ((n >> 8) << 6);
    }
    /* Version 1 and 2: SDCLK = base / d, d a power of two up to 256 (field d / 2, 0 for 1). */
    uint32_t d = 1;
    while (d < 256u && base_hz / d > target_hz) {
        d <<= 1;
    }
    *actual_hz = base_hz / d;
    return (d / 2u) << 8;
}
