/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SD Host Controller Specification (version 3.00) registers, as the driver reaches them: 32-bit
 * accesses only, since the BCM2835/2837's Arasan controller does not take 8- and 16-bit writes
 * (each register below is named by the 32-bit word that holds it).
 */
#pragma once

#define SDHCI_BLOCK 0x04u    /* 15:0 block size (11:0 bytes), 31:16 block count */
#define SDHCI_ARG 0x08u      /* argument */
#define SDHCI_CMD 0x0cu      /* 15:0 transfer mode, 31:16 command (writing it starts the command) */
#define SDHCI_RESP0 0x10u    /* response, 4 words */
#define SDHCI_DATA 0x20u     /* buffer data port */
#define SDHCI_PRESENT 0x24u  /* present state */
#define SDHCI_CONTROL0 0x28u /* 7:0 host control 1, 15:8 power, 23:16 block gap, 31:24 wakeup */
#define SDHCI_CONTROL1 0x2cu /* 15:0 clock control, 19:16 timeout, 26:24 software reset */
#define SDHCI_INT 0x30u      /* 15:0 normal, 31:16 error interrupt status (write 1 to clear) */
#define SDHCI_INT_EN 0x34u   /* which status bits are recorded */
#define SDHCI_INT_SIG 0x38u  /* which raise the interrupt line */
#define SDHCI_CAPS 0x40u     /* capabilities */
#define SDHCI_VERSION 0xfcu  /* 31:16 host controller version (23:16 specification version) */

/* Transfer mode (SDHCI_CMD bits 15:0). */
#define SDHCI_TM_BLKCNT_EN (1u << 1)
#define SDHCI_TM_AUTO_CMD12 (1u << 2)
#define SDHCI_TM_READ (1u << 4)
#define SDHCI_TM_MULTI (1u << 5)

/* Present state. */
#define SDHCI_PS_CMD_INHIBIT (1u << 0)
#define SDHCI_PS_DAT_INHIBIT (1u << 1)
#define SDHCI_PS_CARD_INSERTED (1u << 16)

/* Control 0. */
#define SDHCI_HC_4BIT (1u << 1)
#define SDHCI_POWER_330 (0x0fu << 8) /* bus power on, 3.3 V */

/* Control 1. */
#define SDHCI_CLK_INT_EN (1u << 0)
#define SDHCI_CLK_INT_STABLE (1u << 1)
#define SDHCI_CLK_SD_EN (1u << 2)
#define SDHCI_CLK_DIV_MASK 0xffc0u
#define SDHCI_TIMEOUT_MAX (0xeu << 16) /* TMCLK * 2^27 */
#define SDHCI_RESET_ALL (1u << 24)
#define SDHCI_RESET_CMD (1u << 25)
#define SDHCI_RESET_DATA (1u << 26)

/* Interrupt status bits (normal in 15:0, error in 31:16). */
#define SDHCI_INT_CMD_DONE (1u << 0)
#define SDHCI_INT_DATA_DONE (1u << 1)
#define SDHCI_INT_WRITE_READY (1u << 4)
#define SDHCI_INT_READ_READY (1u << 5)
#define SDHCI_INT_CARD_INT (1u << 8)
#define SDHCI_INT_ERROR (1u << 15)
#define SDHCI_INT_CMD_TIMEOUT (1u << 16)
#define SDHCI_INT_ERRORS 0xffff0000u
/* Everything recorded except the card interrupt (SDIO), which would stay set. */
#define SDHCI_INT_ENABLE (0xffffffffu & ~SDHCI_INT_CARD_INT)

/* Capabilities: base clock in MHz (15:8, 7:0 bits on version 3). */
#define SDHCI_CAPS_BASE_MHZ(c) (((c) >> 8) & 0xffu)
