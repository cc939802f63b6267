/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit test of the SD card protocol's pure part (sdcard.c): command register values,
 * R7, CSD version 1.0 and 2.0 capacities and CID names from cards' register dumps (as hex, the
 * way a card sends them), addressing limits and clock dividers. Prints "sdcard_test: N checks,
 * M failed" and exits 1 on any failure (codegen/test/sdhci.test.ts builds and runs it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sdcard.h"

static int checks, failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            failed++;                                                                              \
            printf("sdcard_test: FAILED at line %d: %s\n", __LINE__, #cond);                       \
        }                                                                                          \
    } while (0)

/* A 128-bit register as 32 hex digits (byte 0 = bits 127:120, byte 15 = CRC and end bit) into the
 * controller's four response words, which hold bits 127:8. */
static void from_hex(const char *hex, uint32_t resp[4])
{
    uint8_t b[16];
    for (int i = 0; i < 16; i++) {
        char two[3] = { hex[2 * i], hex[2 * i + 1], 0 };
        b[i] = (uint8_t)strtoul(two, NULL, 16);
    }
    resp[0] = (uint32_t)b[11] << 24 | (uint32_t)b[12] << 16 | (uint32_t)b[13] << 8 | b[14];
    resp[1] = (uint32_t)b[7] << 24 | (uint32_t)b[8] << 16 | (uint32_t)b[9] << 8 | b[10];
    resp[2] = (uint32_t)b[3] << 24 | (uint32_t)b[4] << 16 | (uint32_t)b[5] << 8 | b[6];
    resp[3] = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
}

int main(void)
{
    /* Command register: index << 8 | data | index check | CRC check | response type. */
    CHECK(sd_command_reg(SD_CMD_GO_IDLE, false, false) == 0x0000u);
    CHECK(sd_command_reg(SD_CMD_SEND_IF_COND, false, false) == 0x081au);
    CHECK(sd_command_reg(SD_CMD_APP, false, false) == 0x371au);
    CHECK(sd_command_reg(SD_ACMD_SEND_OP_COND, true, false) == 0x2902u);   /* R3: no checks */
    CHECK(sd_command_reg(SD_CMD_ALL_SEND_CID, false, false) == 0x0209u);   /* R2: CRC only */
    CHECK(sd_command_reg(SD_CMD_SEND_CSD, false, false) == 0x0909u);
    CHECK(sd_command_reg(SD_CMD_SELECT, false, false) == 0x071bu);         /* R1b */
    CHECK(sd_command_reg(SD_CMD_STOP, false, false) == 0x0c1bu);
    CHECK(sd_command_reg(SD_ACMD_SET_BUS_WIDTH, true, false) == 0x061au);
    CHECK(sd_command_reg(SD_CMD_READ_MULTIPLE, false, true) == 0x123au);
    CHECK(sd_command_reg(SD_CMD_WRITE_SINGLE, false, true) == 0x183au);
    /* CMD41 without CMD55 is not ACMD41: an R1 command. */
    CHECK(sd_command_reg(41, false, false) == 0x291au);

    CHECK(sd_r7_ok(0x000001aau));
    CHECK(!sd_r7_ok(0x000000aau));
    CHECK(!sd_r7_ok(0x000002aau));

    uint32_t r[4];
    /* A 2 GB SDSC card (CSD 1.0): READ_BL_LEN 10, C_SIZE 3771, C_SIZE_MULT 7. */
    from_hex("002600325f5a83aefefbcfff928040df", r);
    CHECK(sd_csd_version(r) == 0);
    CHECK(sd_csd_blocks(r) == 3772ull * 512u * 1024u / 512u);
    /* A 32 GB SDHC card (CSD 2.0): C_SIZE 0xedc8. */
    from_hex("400e00325b590000edc87f800a404000", r);
    CHECK(sd_csd_version(r) == 1);
    CHECK(sd_csd_blocks(r) == (0xedc8ull + 1u) * 1024u);
    /* CSD 2.0 with the largest C_SIZE (22 bits): 2 TiB. */
    from_hex("400e0032db7903ffffff7f800a404000", r);
    CHECK(sd_csd_blocks(r) == (0x3fffffull + 1u) * 1024u);
    /* Reserved structure version, and a READ_BL_LEN the specification does not allow: no size. */
    from_hex("c00e00325b590000edc87f800a404000", r);
    CHECK(sd_csd_version(r) == 3 && sd_csd_blocks(r) == 0);
    from_hex("002600325f5f83aefefbcfff928040df", r);
    CHECK(sd_csd_blocks(r) == 0);

    /* CID: manufacturer 0x03, OEM "SD", product "SD02G". */
    char name[6];
    from_hex("035344534430324780ffffffff00c5cf", r);
    sd_cid_name(r, name);
    CHECK(strcmp(name, "SD02G") == 0);
    from_hex("0353440001ff7f1f80ffffffff00c5cf", r);
    sd_cid_name(r, name);
    CHECK(strcmp(name, "?????") == 0);

    /* Addresses: bytes on SDSC (up to 4 GiB), blocks on SDHC (up to 2^32 blocks). */
    uint32_t arg = 0;
    CHECK(sd_data_arg(false, 3, &arg) && arg == 1536u);
    CHECK(sd_data_arg(false, (1u << 23) - 1u, &arg) && arg == 0xfffffe00u);
    CHECK(!sd_data_arg(false, 1u << 23, &arg));
    CHECK(!sd_data_arg(false, UINT64_MAX / 256u, &arg));
    CHECK(sd_data_arg(true, 0xffffffffull, &arg) && arg == 0xffffffffu);
    CHECK(!sd_data_arg(true, 0x100000000ull, &arg));

    /* Clock dividers. Version 3: SDCLK = base / 2N, N in bits 15:8 and 7:6. */
    uint32_t hz = 0;
    CHECK(sd_clock_divider(250000000u, 400000u, 2, &hz) == ((313u & 0xffu) << 8 | (313u >> 8) << 6) && hz == 399361u);
    CHECK(sd_clock_divider(250000000u, 25000000u, 2, &hz) == 5u << 8 && hz == 25000000u);
    CHECK(sd_clock_divider(52000000u, 25000000u, 2, &hz) == 2u << 8 && hz == 13000000u);
    CHECK(sd_clock_divider(20000000u, 25000000u, 2, &hz) == 0 && hz == 20000000u);
    CHECK(sd_clock_divider(1000000000u, 100000u, 2, &hz) == (0xffu << 8 | 3u << 6) && hz == 488758u); /* N capped at 1023 */
    /* Version 2: a power of two, field = divisor / 2. */
    CHECK(sd_clock_divider(52000000u, 400000u, 1, &hz) == 0x8000u && hz == 203125u);
    CHECK(sd_clock_divider(50000000u, 25000000u, 1, &hz) == 0x0100u && hz == 25000000u);
    CHECK(sd_clock_divider(20000000u, 25000000u, 0, &hz) == 0 && hz == 20000000u);

    printf("sdcard_test: %d checks, %d failed\n", checks, failed);
    return failed ? 1 : 0;
}
