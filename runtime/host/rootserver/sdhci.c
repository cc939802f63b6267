/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A model of an SD Host Controller (specification version 3.00; the Arasan controller of the
 * Raspberry Pi 3 at 0x3f300000) with an SD card in its slot, backed by a disk-image file: what
 * drivers/sdhci sees on the host target, as QEMU raspi3b's `-drive if=sd` gives it on seL4.
 *
 * The controller: 32-bit register words (block size and count, argument, transfer mode and
 * command, response, buffer data port, present state, host/power control, clock control with
 * timeout and software reset, interrupt status/enable/signal, capabilities, version). Writing
 * the command word (offset 0x0c, bits 31:16) runs the command at once, unless the clock is off
 * or the command or data line is busy; status bits are recorded only where enabled; the
 * interrupt line follows status & signal enable. Data moves by PIO through the buffer data port
 * (block sizes up to 512), with block count and auto CMD12 for multi-block transfers.
 *
 * The card: the identification sequence (CMD0, CMD8, ACMD41 with busy for the first call, CMD2,
 * CMD3, CMD9, CMD7), ACMD6, CMD12, CMD13, CMD16, CMD17/18/24/25. Images up to 2 GiB are standard
 * capacity (CSD 1.0, byte addresses), larger ones high capacity (CSD 2.0, block addresses); the
 * size must be a power of two, as QEMU's SD card requires. A command the card does not know, or
 * any command with no disk, is a command timeout (no response), as from a missing card. An
 * address past the end answers R1 with OUT_OF_RANGE and moves no data.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models.h"
#include "root.h"

const char *hr_sd_disk_path;

enum {
    R_BLOCK = 0x04, R_ARG = 0x08, R_CMD = 0x0c, R_RESP = 0x10, R_DATA = 0x20, R_PRESENT = 0x24,
    R_CTRL0 = 0x28, R_CTRL1 = 0x2c, R_INT = 0x30, R_INT_EN = 0x34, R_INT_SIG = 0x38, R_CAPS = 0x40,
    R_VERSION = 0xfc,
};
#define INT_CMD_DONE (1u << 0)
#define INT_DATA_DONE (1u << 1)
#define INT_WRITE_READY (1u << 4)
#define INT_READ_READY (1u << 5)
#define INT_ERROR (1u << 15)
#define INT_CMD_TIMEOUT (1u << 16)
#define PS_CMD_INHIBIT (1u << 0)
#define PS_DAT_INHIBIT (1u << 1)
#define PS_WRITE_ENABLE (1u << 10)
#define PS_READ_ENABLE (1u << 11)
#define PS_CARD (1u << 16 | 1u << 17 | 1u << 18 | 1u << 19) /* inserted, stable, detect, writable */
#define TM_BLKCNT_EN (1u << 1)
#define TM_AUTO_CMD12 (1u << 2)
#define TM_READ (1u << 4)
#define TM_MULTI (1u << 5)
#define CLK_ON 0x5u /* internal and SD clock enabled */
#define R1_OUT_OF_RANGE (1u << 31)
#define R1_APP_CMD (1u << 5)
#define SDSC_MAX (2ull << 30)
#define RCA 0xb00bu

enum card_state { IDLE, READY, IDENT, STBY, TRAN, DATA, RCV };

typedef struct sd_model {
    ng_host_object_t *irq;
    /* controller */
    uint32_t block, arg, cmd, resp[4], ctrl0, ctrl1, sts, en, sig;
    /* card */
    int fd;
    uint64_t bytes;
    bool hc;
    enum card_state state;
    bool app;
    unsigned acmd41_calls;
    uint32_t blocklen;
    /* a data transfer */
    bool active, reading, auto12;
    uint32_t left;   /* blocks still to move (a multi-block transfer without block count: unbounded) */
    bool counted;
    uint64_t addr;   /* byte offset of the current block */
    uint8_t buf[512];
    uint32_t pos, len;
} sd_model_t;

static void irq_update(sd_model_t *m)
{
    if (m->sts & 0xffff0000u) m->sts |= INT_ERROR;
    else m->sts &= ~INT_ERROR;
    if (m->irq) ng_host_irq_set_level(m->irq, (m->sts & m->sig) != 0);
}

static void raise(sd_model_t *m, uint32_t bits)
{
    m->sts |= bits & m->en;
    irq_update(m);
}

static uint32_t r1(const sd_model_t *m, uint32_t extra)
{
    return ((uint32_t)m->state << 9) | (m->state == TRAN ? 1u << 8 : 0) | (m->app ? R1_APP_CMD : 0) | extra;
}

/* The 128-bit register `reg` (reg[0] = bits 127:96) as the four response words: bits 127:8. */
static void resp136(sd_model_t *m, const uint32_t reg[4])
{
    for (unsigned i = 0; i < 4; i++) {
        uint32_t lo = reg[3 - i], hi = i < 3 ? reg[2 - i] : 0;
        m->resp[i] = lo >> 8 | hi << 24;
    }
}

/* Sets bits [lo + width - 1 : lo] of a 128-bit register (reg[0] = bits 127:96). */
static void put_bits(uint32_t reg[4], unsigned lo, unsigned width, uint32_t v)
{
    for (unsigned i = 0; i < width; i++) {
        unsigned n = lo + i;
        if ((v >> i) & 1u) reg[3 - n / 32] |= 1u << (n % 32);
    }
}

static void cid(sd_model_t *m)
{
    uint32_t reg[4] = { 0 };
    const char *pnm = "NGSIM";
    put_bits(reg, 120, 8, 0x4e); /* manufacturer */
    for (unsigned i = 0; i < 5; i++) put_bits(reg, 96 - 8 * i, 8, (uint8_t)pnm[i]);
    put_bits(reg, 56, 8, 0x10); /* revision 1.0 */
    put_bits(reg, 24, 32, 0x0badcafe);
    put_bits(reg, 0, 1, 1);
    resp136(m, reg);
}

static void csd(sd_model_t *m)
{
    uint32_t reg[4] = { 0 };
    put_bits(reg, 0, 1, 1);
    put_bits(reg, 112, 8, 0x0e);  /* TAAC */
    put_bits(reg, 96, 8, 0x32);   /* TRAN_SPEED: 25 MHz */
    put_bits(reg, 84, 12, 0x5b5); /* command classes */
    put_bits(reg, 80, 4, 9);      /* READ_BL_LEN: 512 */
    if (m->hc) {
        put_bits(reg, 126, 2, 1);
        put_bits(reg, 48, 22, (uint32_t)(m->bytes / (512u * 1024u) - 1u));
    } else {
        /* bytes = (C_SIZE + 1) << (C_SIZE_MULT + 2 + 9), C_SIZE < 4096, C_SIZE_MULT < 8. */
        unsigned mult = 0;
        while (mult < 7 && (m->bytes >> (mult + 11)) > 4096u) mult++;
        unsigned bl = 9;
        while (bl < 11 && (m->bytes >> (mult + 2 + bl)) > 4096u) bl++;
        put_bits(reg, 80, 4, bl);
        put_bits(reg, 62, 12, (uint32_t)(m->bytes >> (mult + 2 + bl)) - 1u);
        put_bits(reg, 47, 3, mult);
    }
    resp136(m, reg);
}

/* Loads the block at the transfer's address into the buffer (a read). */
static void load(sd_model_t *m)
{
    m->pos = 0;
    if (pread(m->fd, m->buf, m->len, (off_t)m->addr) != (ssize_t)m->len) memset(m->buf, 0, m->len);
    raise(m, INT_READ_READY);
}

static void end_transfer(sd_model_t *m)
{
    m->active = false;
    if (m->auto12 || m->state == DATA || m->state == RCV) m->state = TRAN;
    raise(m, INT_DATA_DONE);
}

static bool start_transfer(sd_model_t *m, unsigned index, uint32_t tm)
{
    uint64_t addr = m->hc ? (uint64_t)m->arg * 512u : m->arg;
    if (m->state != TRAN || addr % 512u != 0 || addr >= m->bytes) return false;
    bool multi = index == 18 || index == 25;
    m->reading = index == 17 || index == 18;
    m->addr = addr;
    m->len = (m->block & 0xfffu) < 512u ? m->block & 0xfffu : 512u;
    m->counted = !multi || (tm & TM_BLKCNT_EN);
    m->left = !multi ? 1u : (tm & TM_BLKCNT_EN) ? m->block >> 16 : UINT32_MAX;
    m->auto12 = multi && (tm & TM_AUTO_CMD12);
    if (m->left == 0 || m->len == 0) return true; /* nothing to move */
    m->active = true;
    m->state = m->reading ? DATA : RCV;
    if (m->reading) load(m);
    else {
        m->pos = 0;
        raise(m, INT_WRITE_READY);
    }
    return true;
}

static void run_command(sd_model_t *m, uint32_t word)
{
    unsigned index = (word >> 24) & 0x3fu, rtype = (word >> 16) & 0x3u;
    uint32_t tm = word & 0xffffu;
    bool app = m->app;
    m->app = false;
    memset(m->resp, 0, sizeof m->resp);
    bool answered = m->fd >= 0;
    if (answered) {
        switch (index) {
        case 0: m->state = IDLE; m->acmd41_calls = 0; m->blocklen = 512; break;
        case 8: m->resp[0] = m->arg & 0xfffu; break;
        case 55: m->app = true; m->resp[0] = r1(m, 0); break;
        case 41:
            if (!app) { answered = false; break; }
            m->resp[0] = 0x00ff8000u;
            if (m->acmd41_calls++ > 0) {
                m->resp[0] |= 1u << 31 | (m->hc && (m->arg & (1u << 30)) ? 1u << 30 : 0);
                m->state = READY;
            }
            break;
        case 2: if (m->state != READY) { answered = false; break; } cid(m); m->state = IDENT; break;
        case 3: m->resp[0] = RCA << 16 | ((uint32_t)m->state << 9); m->state = STBY; break;
        case 9: if ((m->arg >> 16) != RCA) { answered = false; break; } csd(m); break;
        case 7: m->resp[0] = r1(m, 0); m->state = (m->arg >> 16) == RCA ? TRAN : STBY; break;
        case 6: m->resp[0] = r1(m, 0); break; /* ACMD6 (bus width) or CMD6: accepted */
        case 12: m->resp[0] = r1(m, 0); m->active = false; m->state = TRAN; break;
        case 13: m->resp[0] = r1(m, 0); break;
        case 16: m->resp[0] = r1(m, m->arg == 512 ? 0 : 1u << 29); break;
        case 17: case 18: case 24: case 25:
            m->resp[0] = r1(m, 0);
            if (!start_transfer(m, index, tm)) m->resp[0] |= R1_OUT_OF_RANGE;
            break;
        default: answered = false; break;
        }
    }
    if (rtype != 0 && !answered) {
        raise(m, INT_CMD_TIMEOUT);
        return;
    }
    raise(m, INT_CMD_DONE | (rtype == 3 ? INT_DATA_DONE : 0));
}

static uint32_t present(const sd_model_t *m)
{
    uint32_t ps = m->fd >= 0 ? PS_CARD : 1u << 18;
    if (m->active) ps |= PS_DAT_INHIBIT | (m->reading ? PS_READ_ENABLE : PS_WRITE_ENABLE);
    return ps;
}

static uint32_t data_read(sd_model_t *m)
{
    if (!m->active || !m->reading || m->pos + 4 > m->len) return 0;
    uint32_t w;
    memcpy(&w, m->buf + m->pos, 4);
    m->pos += 4;
    if (m->pos == m->len) {
        m->addr += m->len;
        if (m->counted) m->left--;
        if (m->left == 0 || m->addr >= m->bytes) end_transfer(m);
        else load(m);
    }
    return w;
}

static void data_write(sd_model_t *m, uint32_t w)
{
    if (!m->active || m->reading || m->pos + 4 > m->len) return;
    memcpy(m->buf + m->pos, &w, 4);
    m->pos += 4;
    if (m->pos == m->len) {
        if (pwrite(m->fd, m->buf, m->len, (off_t)m->addr) != (ssize_t)m->len) {
            raise(m, 1u << 20); /* data timeout */
            m->active = false;
            return;
        }
        m->addr += m->len;
        m->pos = 0;
        if (m->counted) m->left--;
        if (m->left == 0 || m->addr >= m->bytes) end_transfer(m);
        else raise(m, INT_WRITE_READY);
    }
}

static uint32_t sd_read32(void *dev, uintptr_t off)
{
    sd_model_t *m = dev;
    switch (off) {
    case R_BLOCK: return m->block;
    case R_ARG: return m->arg;
    case R_CMD: return m->cmd;
    case R_RESP: case R_RESP + 4: case R_RESP + 8: case R_RESP + 12: return m->resp[(off - R_RESP) / 4];
    case R_DATA: return data_read(m);
    case R_PRESENT: return present(m);
    case R_CTRL0: return m->ctrl0;
    case R_CTRL1: return m->ctrl1;
    case R_INT: return m->sts;
    case R_INT_EN: return m->en;
    case R_INT_SIG: return m->sig;
    case R_CAPS: return 1u << 24 | 1u << 21 | 50u << 8 | 1u << 7 | 50u; /* 3.3 V, high speed, 50 MHz */
    case R_VERSION: return 0x9902u << 16; /* vendor 0x99, specification 3.00 */
    default: return 0;
    }
}

static void reset_all(sd_model_t *m)
{
    m->block = m->arg = m->cmd = m->ctrl0 = m->ctrl1 = m->sts = m->en = m->sig = 0;
    memset(m->resp, 0, sizeof m->resp);
    m->active = false;
    irq_update(m);
}

static void sd_write32(void *dev, uintptr_t off, uint32_t v)
{
    sd_model_t *m = dev;
    switch (off) {
    case R_BLOCK: if (!m->active) m->block = v; break;
    case R_ARG: m->arg = v; break;
    case R_CMD:
        m->cmd = v;
        /* No clock: nothing happens. A data or busy command waits for the data line (a driver
         * that does not check the inhibit bits loses it, as on the controller). */
        if ((m->ctrl1 & CLK_ON) != CLK_ON || (m->active && ((v >> 16) & 0x23u) != 0 && ((v >> 16) & 0x23u) != 0x2u)) break;
        run_command(m, v);
        break;
    case R_DATA: data_write(m, v); break;
    case R_CTRL0: m->ctrl0 = v; break;
    case R_CTRL1:
        if (v & (1u << 24)) { reset_all(m); break; }
        if (v & (1u << 26)) { m->active = false; m->sts &= ~(INT_DATA_DONE | INT_READ_READY | INT_WRITE_READY); }
        m->ctrl1 = (v & 0x000fffffu & ~2u) | (v & 1u ? 2u : 0); /* internal clock stable at once */
        irq_update(m);
        break;
    case R_INT: m->sts &= ~v; irq_update(m); break;
    case R_INT_EN: m->en = v; m->sts &= v; irq_update(m); break;
    case R_INT_SIG: m->sig = v; irq_update(m); break;
    default: break;
    }
}

const ng_host_dev_ops_t hr_sdhci_ops = { .read32 = sd_read32, .write32 = sd_write32 };

void *hr_sdhci_create(ng_host_object_t *irq)
{
    sd_model_t *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->irq = irq;
    m->fd = -1;
    m->blocklen = 512;
    if (hr_sd_disk_path) {
        struct stat st;
        int fd = open(hr_sd_disk_path, O_RDWR);
        if (fd < 0 || fstat(fd, &st) != 0) {
            printf(HR_PREFIX "SD card: cannot open %s\n", hr_sd_disk_path);
        } else if (st.st_size < 512 * 1024 || (st.st_size & (st.st_size - 1)) != 0 || (uint64_t)st.st_size > (1ull << 40)) {
            printf(HR_PREFIX "SD card: %s is %lld bytes: the SD card's size must be a power of two of "
                   "at least 512K (as QEMU's)\n", hr_sd_disk_path, (long long)st.st_size);
        } else {
            m->fd = fd;
            m->bytes = (uint64_t)st.st_size;
            m->hc = m->bytes > SDSC_MAX;
            fd = -1;
        }
        if (fd >= 0) close(fd);
    }
    return m;
}
