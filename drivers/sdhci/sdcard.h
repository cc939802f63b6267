/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SD card protocol as an SD host controller driver needs it, with no register access: the
 * command register value of each command (response type, CRC and index checks, data), the
 * decoding of responses (R7 echo, OCR, R1 card status, RCA, CID, CSD version 1 and 2 into a
 * capacity), the address a data command takes (bytes on SDSC, blocks on SDHC/SDXC) and the clock
 * divider of the SD Host Controller Specification (version 2: powers of two; version 3: 10 bits).
 * sdhci.c drives the controller with these; test/sdcard_test.c checks them on the host.
 *
 * 136-bit responses (R2: CID, CSD) are the controller's four response registers, which hold bits
 * [127:8] of the register (the CRC byte dropped): bit n of the CID or CSD is bit n - 8 of them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define SD_BLOCK 512u

/* Commands (SD Physical Layer Simplified Specification; A = after CMD55). */
enum {
    SD_CMD_GO_IDLE = 0,
    SD_CMD_ALL_SEND_CID = 2,
    SD_CMD_SEND_RCA = 3,
    SD_ACMD_SET_BUS_WIDTH = 6,
    SD_CMD_SELECT = 7,
    SD_CMD_SEND_IF_COND = 8,
    SD_CMD_SEND_CSD = 9,
    SD_CMD_STOP = 12,
    SD_CMD_SEND_STATUS = 13,
    SD_CMD_SET_BLOCKLEN = 16,
    SD_CMD_READ_SINGLE = 17,
    SD_CMD_READ_MULTIPLE = 18,
    SD_CMD_WRITE_SINGLE = 24,
    SD_CMD_WRITE_MULTIPLE = 25,
    SD_ACMD_SEND_OP_COND = 41,
    SD_CMD_APP = 55,
};

/* The command register (bits 31:16 of the 32-bit word at 0x0c): index, type, data, checks. */
#define SD_CR_RESP_NONE 0x0u
#define SD_CR_RESP_136 0x1u
#define SD_CR_RESP_48 0x2u
#define SD_CR_RESP_48_BUSY 0x3u
#define SD_CR_CRC_CHECK (1u << 3)
#define SD_CR_INDEX_CHECK (1u << 4)
#define SD_CR_DATA (1u << 5)
#define SD_CR_INDEX(c) ((uint32_t)(c) << 8)

/* CMD8's argument: 2.7-3.6 V and the check pattern the card echoes. */
#define SD_IF_COND_ARG 0x1aau
/* ACMD41's argument: high capacity supported (HCS), 3.2-3.4 V (OCR bits 20-21) and the window
 * of every voltage from 2.7 V, as hosts usually send it. */
#define SD_OCR_BUSY (1u << 31) /* power-up done (set when ready) */
#define SD_OCR_CCS (1u << 30)  /* card capacity status: SDHC/SDXC */
#define SD_OCR_HCS SD_OCR_CCS
#define SD_OCR_VDD_WINDOW 0x00ff8000u

/* R1 card status: the error bits (out of range, address, block length, erase, write protect,
 * lock, CRC, illegal command, ECC, controller, general, CSD overwrite, erase skip, AKE) and the
 * state. */
#define SD_R1_ERRORS 0xfdf98008u
#define SD_R1_STATE(r) (((r) >> 9) & 0xfu)
#define SD_R1_READY_FOR_DATA (1u << 8)
#define SD_STATE_TRAN 4u

/* The command register value for a command: its response type and the checks the controller
 * can make on it (R2 and R3 carry no index; R3 no CRC either); `data` for a data transfer. */
uint32_t sd_command_reg(unsigned cmd, bool app, bool data);

/* CMD8's R7 answered our pattern and voltage: the card speaks version 2.00 or later. */
bool sd_r7_ok(uint32_t r7);

/* The card's capacity in 512-byte blocks from its CSD (the four response registers of CMD9),
 * for CSD version 1.0 (SDSC: C_SIZE, C_SIZE_MULT, READ_BL_LEN) and 2.0 (SDHC/SDXC: C_SIZE in
 * 512 KiB units); 0 for a CSD structure this does not know. */
uint64_t sd_csd_blocks(const uint32_t resp[4]);
/* The CSD structure version: 0 (1.0), 1 (2.0), 2 (3.0: SDUC), 3 reserved. */
unsigned sd_csd_version(const uint32_t resp[4]);

/* The product name of the CID (the four response registers of CMD2): five characters and a NUL;
 * characters outside printable ASCII become '?'. */
void sd_cid_name(const uint32_t resp[4], char out[6]);

/* The argument of a data command for block `lba`: a byte address on standard capacity cards,
 * a block address on high capacity ones. false when the block is beyond what the addressing
 * can reach. */
bool sd_data_arg(bool high_capacity, uint64_t lba, uint32_t *arg);

/* The clock control register's divider field (bits 15:6) for at most `target_hz` from a base
 * clock of `base_hz`: version 3 controllers (spec_version >= 2) divide by 2N with a 10-bit N,
 * older ones by a power of two up to 256. *actual_hz gets the resulting clock. */
uint32_t sd_clock_divider(uint32_t base_hz, uint32_t target_hz, unsigned spec_version, uint32_t *actual_hz);
