/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An SD card behind an SD Host Controller (specification version 2 or 3; the Arasan controller
 * of the BCM2835/2837, as on the Raspberry Pi 3 and QEMU raspi3b): bringing the controller and
 * the card up, and reading and writing 512-byte blocks by PIO through the buffer data port.
 * Every wait is bounded by a timeout (the generic timer's counter on Arm, the host's monotonic
 * clock on the host target) and ends in an error, never a hang. No IPC here: main.c serves
 * blockdev on top of it. Register access goes through <neptune/dev.h>.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum sdhci_err {
    SDHCI_OK = 0,
    SDHCI_ETIMEOUT,  /* the controller or the card did not answer in time */
    SDHCI_ECMD,      /* a command error (timeout, CRC, index, end bit) */
    SDHCI_EDATA,     /* a data error (timeout, CRC, end bit, auto CMD12) */
    SDHCI_ESTATUS,   /* the card reported an error in its R1 status */
    SDHCI_ECARD,     /* the card is not one this driver can use */
    SDHCI_ERANGE,    /* the block address does not fit the command */
} sdhci_err_t;

typedef struct sdhci {
    uintptr_t regs;
    uint32_t base_hz;      /* the controller's base clock */
    uint32_t clock_hz;     /* SD clock now */
    unsigned spec_version; /* 0: 1.00, 1: 2.00, 2: 3.00 */
    bool slow_writes;      /* the Arasan loses writes closer than two SD clocks apart */
    /* The card (valid after sdhci_card_init returned SDHCI_OK). */
    bool high_capacity; /* SDHC/SDXC: block addresses */
    bool v2;            /* answered CMD8 */
    bool wide;          /* 4-bit bus */
    uint16_t rca;
    uint64_t blocks;
    unsigned csd_version;
    char name[6];       /* CID product name */
    /* What went wrong last, for people. */
    const char *what;
    uint32_t last_int;
    /* Counters. */
    uint64_t commands, errors;
} sdhci_t;

/* A human name of an error. */
const char *sdhci_strerror(sdhci_err_t e);

/* Resets the controller at `regs`, powers the bus (3.3 V) and starts the identification clock
 * (400 kHz). `base_hz` is the base clock when the capabilities register gives none (0: trust
 * it). `arasan` asks for the BCM2835 Arasan's write spacing. */
sdhci_err_t sdhci_init(sdhci_t *h, uintptr_t regs, uint32_t base_hz, bool arasan);

/* Identifies and selects the card: CMD0, CMD8, ACMD41 (HCS) until ready, CMD2, CMD3, CMD9
 * (capacity), CMD7, ACMD6 (4-bit), CMD16 (SDSC), then the 25 MHz data clock. */
sdhci_err_t sdhci_card_init(sdhci_t *h);

/* Reads or writes `count` (1..65535) blocks from block `lba` into or from `buf` (4-byte aligned,
 * count * 512 bytes): CMD17/CMD24 for one block, CMD18/CMD25 with auto CMD12 for more. */
sdhci_err_t sdhci_read(sdhci_t *h, uint64_t lba, uint32_t count, uint8_t *buf);
sdhci_err_t sdhci_write(sdhci_t *h, uint64_t lba, uint32_t count, const uint8_t *buf);

/* Microseconds on a free-running clock (for timeouts). */
uint64_t sdhci_now_us(void);
