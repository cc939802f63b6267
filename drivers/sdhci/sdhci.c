/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SD host controller and the card behind it (sdhci.h): reset, power, clocks, commands with
 * their responses and errors, card identification, and PIO block transfers. Every loop that
 * waits for the controller or the card has a deadline; when it passes, the operation ends with
 * SDHCI_ETIMEOUT and the command and data lines are reset, so the next request starts clean.
 */
#if !defined(__aarch64__)
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <time.h>
#endif
#include <string.h>

#include <neptune/dev.h>

#include "sdcard.h"
#include "sdhci.h"
#include "sdhci_regs.h"

#define MS 1000u
#define RESET_TIMEOUT_US (100u * MS)
#define CMD_TIMEOUT_US (500u * MS)
#define DATA_TIMEOUT_US (1000u * MS) /* per block, and for the end of a transfer */
#define POWER_UP_TIMEOUT_US (1000u * MS) /* ACMD41: the specification's 1 s */
#define IDENT_HZ 400000u
#define DATA_HZ 25000000u

uint64_t sdhci_now_us(void)
{
#if defined(__aarch64__)
    uint64_t count, freq;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(count));
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    return freq ? (uint64_t)((__uint128_t)count * 1000000u / freq) : count;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
#endif
}

static void delay_us(uint64_t us)
{
    uint64_t end = sdhci_now_us() + us;
    while (sdhci_now_us() < end) {
    }
}

const char *sdhci_strerror(sdhci_err_t e)
{
    switch (e) {
    case SDHCI_OK:
        return "ok";
    case SDHCI_ETIMEOUT:
        return "timeout";
    case SDHCI_ECMD:
        return "command error";
    case SDHCI_EDATA:
        return "data error";
    case SDHCI_ESTATUS:
        return "card status error";
    case SDHCI_ECARD:
        return "unusable card";
    case SDHCI_ERANGE:
        return "block address out of range";
    }
    return "?";
}

static uint32_t rd(const sdhci_t *h, uintptr_t off)
{
    return ng_reg_read32(h->regs + off);
}

/* The Arasan drops a register write that follows another within two SD clocks: at the slow
 * identification clock, wait four of them (10 us at 400 kHz) after each. */
static void wr(const sdhci_t *h, uintptr_t off, uint32_t v)
{
    ng_reg_write32(h->regs + off, v);
    if (h->slow_writes && h->clock_hz <= IDENT_HZ) {
        delay_us(h->clock_hz ? (4u * 1000000u + h->clock_hz - 1u) / h->clock_hz : 10u);
    }
}

/* Waits until (reg & mask) != 0 (set) or == 0 (!set); false at the deadline. */
static bool wait_reg(const sdhci_t *h, uintptr_t off, uint32_t mask, bool set, uint64_t timeout_us)
{
    uint64_t end = sdhci_now_us() + timeout_us;
    for (;;) {
        bool now = (rd(h, off) & mask) != 0;
        if (now == set) {
            return true;
        }
        if (sdhci_now_us() > end) {
            return ((rd(h, off) & mask) != 0) == set;
        }
    }
}

static sdhci_err_t fail(sdhci_t *h, sdhci_err_t e, const char *what)
{
    h->what = what;
    h->errors++;
    return e;
}

/* Resets one line (the command or the data circuit); QEMU takes one reset bit at a time. */
static void reset_line(sdhci_t *h, uint32_t bit)
{
    wr(h, SDHCI_CONTROL1, (rd(h, SDHCI_CONTROL1) & 0x000fffffu) | bit);
    wait_reg(h, SDHCI_CONTROL1, bit, false, RESET_TIMEOUT_US);
}

static void recover(sdhci_t *h)
{
    h->last_int = rd(h, SDHCI_INT);
    reset_line(h, SDHCI_RESET_CMD);
    reset_line(h, SDHCI_RESET_DATA);
    wr(h, SDHCI_INT, 0xffffffffu);
}

/* Waits for any of `bits` or an error in the interrupt status. */
static sdhci_err_t wait_int(sdhci_t *h, uint32_t bits, uint64_t timeout_us, sdhci_err_t on_error, const char *what)
{
    if (!wait_reg(h, SDHCI_INT, bits | SDHCI_INT_ERROR | SDHCI_INT_ERRORS, true, timeout_us)) {
        recover(h);
        return fail(h, SDHCI_ETIMEOUT, what);
    }
    uint32_t st = rd(h, SDHCI_INT);
    if (st & (SDHCI_INT_ERROR | SDHCI_INT_ERRORS)) {
        recover(h);
        h->last_int = st;
        return fail(h, on_error, what);
    }
    return SDHCI_OK;
}

/* Sends a command (an application command after CMD55 with the card's RCA) and waits for its
 * response; `mode` is the transfer mode of a data command. */
static sdhci_err_t command(sdhci_t *h, unsigned cmd, bool app, uint32_t arg, uint32_t mode, bool data, uint32_t resp[4])
{
    if (app) {
        uint32_t r[4];
        sdhci_err_t e = command(h, SD_CMD_APP, false, (uint32_t)h->rca << 16, 0, false, r);
        if (e != SDHCI_OK) {
            return e;
        }
    }
    uint32_t creg = sd_command_reg(cmd, app, data);
    bool busy = (creg & 0x3u) == SD_CR_RESP_48_BUSY;
    uint32_t inhibit = SDHCI_PS_CMD_INHIBIT | (data || busy ? SDHCI_PS_DAT_INHIBIT : 0);
    if (!wait_reg(h, SDHCI_PRESENT, inhibit, false, CMD_TIMEOUT_US)) {
        recover(h);
        return fail(h, SDHCI_ETIMEOUT, "the command or data line stayed busy");
    }
    wr(h, SDHCI_INT, 0xffffffffu);
    wr(h, SDHCI_ARG, arg);
    wr(h, SDHCI_CMD, creg << 16 | mode);
    h->commands++;
    sdhci_err_t e = wait_int(h, SDHCI_INT_CMD_DONE, CMD_TIMEOUT_US, SDHCI_ECMD, "no response to a command");
    if (e != SDHCI_OK) {
        return e;
    }
    wr(h, SDHCI_INT, SDHCI_INT_CMD_DONE);
    for (unsigned i = 0; i < 4; i++) {
        resp[i] = rd(h, SDHCI_RESP0 + 4u * i);
    }
    if (busy) { /* R1b: the end of busy is a transfer complete */
        e = wait_int(h, SDHCI_INT_DATA_DONE, DATA_TIMEOUT_US, SDHCI_ECMD, "the card stayed busy");
        if (e != SDHCI_OK) {
            return e;
        }
        wr(h, SDHCI_INT, SDHCI_INT_DATA_DONE);
    }
    return SDHCI_OK;
}

static sdhci_err_t set_clock(sdhci_t *h, uint32_t hz)
{
    uint32_t c1 = rd(h, SDHCI_CONTROL1) & 0x000fffffu;
    wr(h, SDHCI_CONTROL1, c1 & ~SDHCI_CLK_SD_EN);
    uint32_t actual;
    uint32_t div = sd_clock_divider(h->base_hz, hz, h->spec_version, &actual);
    c1 = (c1 & ~(SDHCI_CLK_DIV_MASK | SDHCI_CLK_SD_EN | 0x000f0000u)) | div | SDHCI_CLK_INT_EN | SDHCI_TIMEOUT_MAX;
    wr(h, SDHCI_CONTROL1, c1);
    if (!wait_reg(h, SDHCI_CONTROL1, SDHCI_CLK_INT_STABLE, true, RESET_TIMEOUT_US)) {
        return fail(h, SDHCI_ETIMEOUT, "the internal clock did not become stable");
    }
    h->clock_hz = actual;
    wr(h, SDHCI_CONTROL1, c1 | SDHCI_CLK_SD_EN);
    delay_us(1000); /* at least 74 clocks before the next command */
    return SDHCI_OK;
}

sdhci_err_t sdhci_init(sdhci_t *h, uintptr_t regs, uint32_t base_hz, bool arasan)
{
    memset(h, 0, sizeof *h);
    h->regs = regs;
    h->slow_writes = arasan;
    wr(h, SDHCI_CONTROL1, SDHCI_RESET_ALL);
    if (!wait_reg(h, SDHCI_CONTROL1, SDHCI_RESET_ALL, false, RESET_TIMEOUT_US)) {
        return fail(h, SDHCI_ETIMEOUT, "the controller did not come out of reset");
    }
    h->spec_version = (rd(h, SDHCI_VERSION) >> 16) & 0xffu;
    uint32_t caps = rd(h, SDHCI_CAPS);
    uint32_t caps_mhz = SDHCI_CAPS_BASE_MHZ(caps) & (h->spec_version >= 2 ? 0xffu : 0x3fu);
    /* The platform's clock wins: the BCM2837's capabilities do not give the one the firmware set. */
    h->base_hz = base_hz ? base_hz : caps_mhz * 1000000u;
    if (h->base_hz == 0) {
        return fail(h, SDHCI_ECARD, "no base clock: the capabilities give none and neither does the platform");
    }
    wr(h, SDHCI_CONTROL0, SDHCI_POWER_330);
    wr(h, SDHCI_INT_EN, SDHCI_INT_ENABLE);
    wr(h, SDHCI_INT_SIG, 0); /* polled */
    wr(h, SDHCI_INT, 0xffffffffu);
    return set_clock(h, IDENT_HZ);
}

sdhci_err_t sdhci_card_init(sdhci_t *h)
{
    uint32_t r[4];
    sdhci_err_t e;
    h->rca = 0;
    if ((e = command(h, SD_CMD_GO_IDLE, false, 0, 0, false, r)) != SDHCI_OK) {
        return e;
    }
    delay_us(1000);
    e = command(h, SD_CMD_SEND_IF_COND, false, SD_IF_COND_ARG, 0, false, r);
    if (e == SDHCI_OK && !sd_r7_ok(r[0])) {
        return fail(h, SDHCI_ECARD, "CMD8: the card did not echo the check pattern");
    }
    h->v2 = e == SDHCI_OK; /* no answer: a version 1 card (standard capacity only) */
    uint32_t arg = SD_OCR_VDD_WINDOW | (h->v2 ? SD_OCR_HCS : 0), ocr = 0;
    uint64_t end = sdhci_now_us() + POWER_UP_TIMEOUT_US;
    for (;;) {
        if ((e = command(h, SD_ACMD_SEND_OP_COND, true, arg, 0, false, r)) != SDHCI_OK) {
            h->what = "ACMD41: no answer (no card, or not an SD card)";
            return e;
        }
        ocr = r[0];
        if (ocr & SD_OCR_BUSY) {
            break;
        }
        if (sdhci_now_us() > end) {
            return fail(h, SDHCI_ETIMEOUT, "ACMD41: the card did not finish powering up in 1 s");
        }
        delay_us(1000);
    }
    h->high_capacity = h->v2 && (ocr & SD_OCR_CCS);
    if ((e = command(h, SD_CMD_ALL_SEND_CID, false, 0, 0, false, r)) != SDHCI_OK) {
        return e;
    }
    sd_cid_name(r, h->name);
    if ((e = command(h, SD_CMD_SEND_RCA, false, 0, 0, false, r)) != SDHCI_OK) {
        return e;
    }
    h->rca = (uint16_t)(r[0] >> 16);
    if ((e = command(h, SD_CMD_SEND_CSD, false, (uint32_t)h->rca << 16, 0, false, r)) != SDHCI_OK) {
        return e;
    }
    h->csd_version = sd_csd_version(r);
    h->blocks = sd_csd_blocks(r);
    if (h->blocks == 0) {
        return fail(h, SDHCI_ECARD, "CMD9: a CSD this driver cannot read");
    }
    if ((e = command(h, SD_CMD_SELECT, false, (uint32_t)h->rca << 16, 0, false, r)) != SDHCI_OK) {
        return e;
    }
    if ((e = command(h, SD_ACMD_SET_BUS_WIDTH, true, 2, 0, false, r)) == SDHCI_OK && !(r[0] & SD_R1_ERRORS)) {
        wr(h, SDHCI_CONTROL0, rd(h, SDHCI_CONTROL0) | SDHCI_HC_4BIT);
        h->wide = true;
    }
    if (!h->high_capacity) {
        if ((e = command(h, SD_CMD_SET_BLOCKLEN, false, SD_BLOCK, 0, false, r)) != SDHCI_OK) {
            return e;
        }
        if (r[0] & SD_R1_ERRORS) {
            return fail(h, SDHCI_ESTATUS, "CMD16: the card refused 512-byte blocks");
        }
    }
    return set_clock(h, DATA_HZ);
}

/* One transfer: the command, then every block through the buffer data port, then its end. */
static sdhci_err_t transfer(sdhci_t *h, bool write, uint64_t lba, uint32_t count, uint8_t *buf)
{
    uint32_t arg, r[4];
    if (count == 0 || count > 0xffffu || !sd_data_arg(h->high_capacity, lba, &arg) ||
        !sd_data_arg(h->high_capacity, lba + count - 1u, &arg)) {
        return fail(h, SDHCI_ERANGE, "block address out of the card's addressing");
    }
    sd_data_arg(h->high_capacity, lba, &arg);
    bool multi = count > 1;
    unsigned cmd = write ? (multi ? SD_CMD_WRITE_MULTIPLE : SD_CMD_WRITE_SINGLE)
                         : (multi ? SD_CMD_READ_MULTIPLE : SD_CMD_READ_SINGLE);
    uint32_t mode = (write ? 0 : SDHCI_TM_READ) | (multi ? SDHCI_TM_MULTI | SDHCI_TM_BLKCNT_EN | SDHCI_TM_AUTO_CMD12 : 0);
    wr(h, SDHCI_BLOCK, SD_BLOCK | count << 16);
    sdhci_err_t e = command(h, cmd, false, arg, mode, true, r);
    if (e != SDHCI_OK) {
        return e;
    }
    if (r[0] & SD_R1_ERRORS) {
        e = fail(h, SDHCI_ESTATUS, "the card refused the transfer");
        goto stop;
    }
    uint32_t ready = write ? SDHCI_INT_WRITE_READY : SDHCI_INT_READ_READY;
    for (uint32_t b = 0; b < count; b++) {
        e = wait_int(h, ready, DATA_TIMEOUT_US, SDHCI_EDATA, write ? "the controller did not take a block" : "no block came from the card");
        if (e != SDHCI_OK) {
            goto stop;
        }
        wr(h, SDHCI_INT, ready);
        uint8_t *p = buf + (size_t)b * SD_BLOCK;
        for (unsigned i = 0; i < SD_BLOCK; i += 4) {
            uint32_t w;
            if (write) {
                memcpy(&w, p + i, 4);
                ng_reg_write32(h->regs + SDHCI_DATA, w);
            } else {
                w = ng_reg_read32(h->regs + SDHCI_DATA);
                memcpy(p + i, &w, 4);
            }
        }
    }
    e = wait_int(h, SDHCI_INT_DATA_DONE, DATA_TIMEOUT_US, SDHCI_EDATA, "the transfer did not complete");
    if (e != SDHCI_OK) {
        goto stop;
    }
    wr(h, SDHCI_INT, SDHCI_INT_DATA_DONE);
    return SDHCI_OK;
stop:
    /* Back to the transfer state for the next request (wait_int reset the lines already). */
    {
        const char *what = h->what;
        recover(h);
        if (multi) {
            command(h, SD_CMD_STOP, false, 0, 0, false, r);
        }
        h->what = what;
    }
    return e;
}

sdhci_err_t sdhci_read(sdhci_t *h, uint64_t lba, uint32_t count, uint8_t *buf)
{
    return transfer(h, false, lba, count, buf);
}

sdhci_err_t sdhci_write(sdhci_t *h, uint64_t lba, uint32_t count, const uint8_t *buf)
{
    return transfer(h, true, lba, count, (uint8_t *)buf);
}
