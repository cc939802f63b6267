/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit test of the controller code (sdhci.c) against the host target's SD host controller
 * model (runtime/host/rootserver/sdhci.c) over an image file, with faults injected between them:
 * - a healthy card, standard and high capacity: identification, the capacity from the CSD,
 *   single and multi-block writes and reads landing at the right offsets of the image file;
 * - a controller that never leaves reset, a card that never answers, a card whose data stops
 *   after the first block, an address beyond the card: each ends in its error within the
 *   driver's timeouts (checked against a bound), never a hang, and the next request works.
 *
 *   sdhci_test IMAGE_SDSC IMAGE_SDHC   (power-of-two sizes, SDHC larger than 2 GiB; sparse is fine)
 */
#define _GNU_SOURCE /* fseeko, ftello */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <neptune/dev.h>

#include "models.h"
#include "../sdcard.h"
#include "../sdhci.h"

#define BASE 0x40000000u
#define INT_REG 0x30u
#define CTRL1_REG 0x2cu

enum fault { NONE, STUCK_RESET, SILENT_CARD, STALL_DATA };
static enum fault fault;
static void *model;
static unsigned data_words;
static int checks, failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            failed++;                                                                              \
            printf("sdhci_test: FAILED at line %d: %s\n", __LINE__, #cond);                        \
        }                                                                                          \
    } while (0)

uint32_t ng_reg_read32(uintptr_t addr)
{
    uintptr_t off = addr - BASE;
    uint32_t v = hr_sdhci_ops.read32(model, off);
    if (fault == STUCK_RESET && off == CTRL1_REG) {
        v |= 1u << 24;
    }
    if (fault == SILENT_CARD && off == INT_REG) {
        v &= ~1u; /* command complete never comes (nor an error) */
    }
    if (off == 0x20u) {
        data_words++;
    }
    if (fault == STALL_DATA && off == INT_REG && data_words >= 128u) {
        v &= ~0x32u; /* after the first block: no buffer ready, no transfer complete */
    }
    return v;
}

void ng_reg_write32(uintptr_t addr, uint32_t value)
{
    hr_sdhci_ops.write32(model, addr - BASE, value);
}

int ng_irq_ack(ng_cptr_t irq)
{
    (void)irq;
    return NG_OK;
}

void ng_host_irq_set_level(ng_host_object_t *irq, int asserted)
{
    (void)irq;
    (void)asserted;
}

static uint8_t wbuf[16 * 512], rbuf[16 * 512];

static void fill(uint32_t seed)
{
    for (size_t i = 0; i < sizeof wbuf; i++) {
        seed = seed * 1103515245u + 12345u;
        wbuf[i] = (uint8_t)(seed >> 16);
    }
}

/* Block `lba` of the image file equals buf. */
static int on_disk(const char *img, uint64_t lba, const uint8_t *buf, size_t n)
{
    FILE *f = fopen(img, "rb");
    uint8_t *got = malloc(n);
    int same = f && got && fseeko(f, (off_t)(lba * 512u), SEEK_SET) == 0 && fread(got, 1, n, f) == n && memcmp(got, buf, n) == 0;
    if (f) fclose(f);
    free(got);
    return same;
}

static void healthy(const char *img, uint64_t want_blocks, bool want_hc)
{
    sdhci_t h;
    fault = NONE;
    hr_sd_disk_path = img;
    model = hr_sdhci_create(NULL);
    CHECK(sdhci_init(&h, BASE, 250000000u, false) == SDHCI_OK);
    CHECK(sdhci_card_init(&h) == SDHCI_OK);
    CHECK(h.blocks == want_blocks);
    CHECK(h.high_capacity == want_hc);
    CHECK(h.wide && h.clock_hz == 25000000u && strcmp(h.name, "NGSIM") == 0);
    uint64_t last = h.blocks - 16u;
    fill(1);
    CHECK(sdhci_write(&h, 5, 1, wbuf) == SDHCI_OK);
    CHECK(on_disk(img, 5, wbuf, 512));
    CHECK(sdhci_read(&h, 5, 1, rbuf) == SDHCI_OK && memcmp(rbuf, wbuf, 512) == 0);
    fill(2);
    CHECK(sdhci_write(&h, last, 16, wbuf) == SDHCI_OK);
    CHECK(on_disk(img, last, wbuf, sizeof wbuf));
    memset(rbuf, 0, sizeof rbuf);
    CHECK(sdhci_read(&h, last, 16, rbuf) == SDHCI_OK && memcmp(rbuf, wbuf, sizeof rbuf) == 0);
    /* Beyond the card: the card refuses it (R1 out of range), then the next read works. */
    CHECK(sdhci_read(&h, h.blocks, 1, rbuf) == SDHCI_ESTATUS);
    CHECK(sdhci_read(&h, 5, 1, rbuf) == SDHCI_OK);
    printf("sdhci_test: %s card, %llu blocks: identified, wrote and read back 1 and 16 blocks\n",
           want_hc ? "SDHC" : "SDSC", (unsigned long long)h.blocks);
    free(model);
}

/* The operation ended with `want` within `max_ms`. */
static void bounded(sdhci_err_t got, sdhci_err_t want, uint64_t t0, uint64_t max_ms, const char *what)
{
    uint64_t ms = (sdhci_now_us() - t0) / 1000u;
    CHECK(got == want);
    CHECK(ms <= max_ms);
    printf("sdhci_test: %s -> %s after %llu ms\n", what, sdhci_strerror(got), (unsigned long long)ms);
}

static void faults(const char *img)
{
    sdhci_t h;
    hr_sd_disk_path = img;
    model = hr_sdhci_create(NULL);

    fault = STUCK_RESET;
    uint64_t t0 = sdhci_now_us();
    bounded(sdhci_init(&h, BASE, 250000000u, false), SDHCI_ETIMEOUT, t0, 1000, "controller stuck in reset");

    fault = SILENT_CARD;
    t0 = sdhci_now_us();
    sdhci_err_t e = sdhci_init(&h, BASE, 250000000u, false);
    CHECK(e == SDHCI_OK);
    bounded(sdhci_card_init(&h), SDHCI_ETIMEOUT, t0, 3000, "card that never answers");

    fault = NONE;
    CHECK(sdhci_init(&h, BASE, 250000000u, false) == SDHCI_OK && sdhci_card_init(&h) == SDHCI_OK);
    fault = STALL_DATA;
    data_words = 0;
    t0 = sdhci_now_us();
    bounded(sdhci_read(&h, 0, 4, rbuf), SDHCI_ETIMEOUT, t0, 3000, "data stops after the first block");
    fault = NONE;
    fill(3);
    CHECK(sdhci_write(&h, 7, 2, wbuf) == SDHCI_OK && sdhci_read(&h, 7, 2, rbuf) == SDHCI_OK && memcmp(rbuf, wbuf, 1024) == 0);
    free(model);

    /* No card in the slot: the first command with a response times out at the controller. */
    hr_sd_disk_path = NULL;
    model = hr_sdhci_create(NULL);
    t0 = sdhci_now_us();
    CHECK(sdhci_init(&h, BASE, 250000000u, false) == SDHCI_OK);
    bounded(sdhci_card_init(&h), SDHCI_ECMD, t0, 1000, "empty slot");
    free(model);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s IMAGE_SDSC IMAGE_SDHC\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f || fseeko(f, 0, SEEK_END) != 0) return 2;
    uint64_t sdsc_blocks = (uint64_t)ftello(f) / 512u;
    fclose(f);
    f = fopen(argv[2], "rb");
    if (!f || fseeko(f, 0, SEEK_END) != 0) return 2;
    uint64_t sdhc_blocks = (uint64_t)ftello(f) / 512u;
    fclose(f);
    healthy(argv[1], sdsc_blocks, false);
    healthy(argv[2], sdhc_blocks, true);
    faults(argv[1]);
    printf("sdhci_test: %d checks, %d failed\n", checks, failed);
    return failed ? 1 : 0;
}
