/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The SD host controller driver: serves `blockdev` (idl/blockdev.idl) for the SD card behind an
 * SD Host Controller, the Arasan controller of the Raspberry Pi 3's BCM2837 (0x3f300000; the
 * card slot of QEMU raspi3b, `-drive if=sd`). The same operations and errors as the virtio-blk
 * driver, so the FAT server runs on either unchanged. The system must name this driver `sdhci`
 * and its controller `emmc`:
 *
 *   driver({ name: "sdhci", src: "drivers/sdhci", serves: ["blockdev"],
 *            devices: [{ name: "emmc", compatible: "brcm,bcm2835-sdhci" },
 *                      { name: "gpio", compatible: "brcm,bcm2835-gpio" }] })
 *
 * With the `gpio` device the driver routes GPIO 48-53 (the card slot) to this controller
 * (function ALT3, pull-ups on CMD and DAT0-3): a real Pi 3's firmware leaves them on the other SD
 * controller (sdhost, ALT0). Without it the pins must already be routed here (QEMU does so at
 * reset).
 *
 * The layout also gives it the controller's IRQ (126 on the Pi 3); the driver polls instead
 * (the controller's signal enables stay 0), as a transfer by PIO keeps the CPU busy anyway.
 *
 * At start it resets the controller and identifies the card (sdhci.c); the card's capacity is
 * what info() reports. A card that is missing or fails to come up leaves the driver serving,
 * with every request answered no_media. Transfers are PIO through the controller's buffer and
 * polled, each wait bounded: a card or controller that stops answering gives io_error, never a
 * hang. Requests are checked as the virtio-blk driver checks them before anything reaches the
 * card: lengths that are not whole blocks or exceed max_transfer, ranges past the end; a
 * malformed message is refused by the generated decoder (NG_EBADMSG).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <neptune/dev.h>

#include "server_gen.h"
#include "sdcard.h"
#include "sdhci.h"

#define SD_MAX_BYTES BLOCKDEV_MAX_TRANSFER

typedef struct sd {
    sdhci_t host;
    bool ready; /* a card came up */
    ng_server_t srv;
    uint64_t completed, bad_requests;
    uint32_t max_in_flight;
    uint8_t buf[SD_MAX_BYTES] __attribute__((aligned(8)));
} sd_t;

static int sd_io(sd_t *s, sdhci_err_t e)
{
    if (e != SDHCI_OK) {
        printf("sdhci: %s: %s (interrupt status %#x)\n", sdhci_strerror(e), s->host.what ? s->host.what : "",
               (unsigned)s->host.last_int);
        return BLOCKDEV_ERR_IO_ERROR;
    }
    s->completed++;
    s->max_in_flight = 1;
    return NG_OK;
}

/* decode/validate: the block range [first, first + count) of a request. */
static int sd_check(sd_t *s, uint64_t first, uint64_t count)
{
    if (!s->ready) {
        return BLOCKDEV_ERR_NO_MEDIA;
    }
    if (count == 0 || count * SD_BLOCK > SD_MAX_BYTES) {
        s->bad_requests++;
        return BLOCKDEV_ERR_BAD_LENGTH;
    }
    if (first >= s->host.blocks || count > s->host.blocks - first) {
        s->bad_requests++;
        return BLOCKDEV_ERR_OUT_OF_RANGE;
    }
    return NG_OK;
}

static int sd_info(void *ctx, ng_call_t *call, blockdev_info_rep_t *rep)
{
    sd_t *s = ctx;
    (void)call;
    if (!s->ready) {
        return BLOCKDEV_ERR_NO_MEDIA;
    }
    memset(&rep->info, 0, sizeof rep->info);
    rep->info.block_size = SD_BLOCK;
    rep->info.max_transfer = SD_MAX_BYTES;
    rep->info.num_blocks = s->host.blocks;
    rep->info.read_only = false; /* a microSD card has no write-protect switch */
    rep->info.write_cache = false;
    snprintf(rep->info.model, sizeof rep->info.model, "SD%s card %s (SDHCI)", s->host.high_capacity ? "HC" : "SC",
             s->host.name);
    return NG_OK;
}

static int sd_read(void *ctx, ng_call_t *call, const blockdev_read_blocks_req_t *req, blockdev_read_blocks_rep_t *rep)
{
    sd_t *s = ctx;
    int err = sd_check(s, req->first, req->count);
    if (err != NG_OK) {
        return err;
    }
    if (!call->msg || (size_t)req->count * SD_BLOCK > call->msg->shm_size) {
        return NG_EBADMSG; /* no shared buffer for the data: not a client of this interface */
    }
    err = sd_io(s, sdhci_read(&s->host, req->first, req->count, s->buf));
    if (err != NG_OK) {
        return err;
    }
    rep->data.ptr = s->buf;
    rep->data.len = (size_t)req->count * SD_BLOCK;
    return NG_OK;
}

/* Transfers here are programmed I/O that the driver waits for, so there is nothing to start
 * and leave running: the hint is declined and the reader reads as it would have. */
static int sd_prefetch(void *ctx, ng_call_t *call, const blockdev_prefetch_req_t *req, blockdev_prefetch_rep_t *rep)
{
    sd_t *s = ctx;
    (void)call;
    int err = sd_check(s, req->first, req->count);
    if (err != NG_OK) {
        return err;
    }
    rep->queued = false;
    return NG_OK;
}

static int sd_write(void *ctx, ng_call_t *call, const blockdev_write_blocks_req_t *req)
{
    sd_t *s = ctx;
    (void)call;
    if (!s->ready) {
        return BLOCKDEV_ERR_NO_MEDIA;
    }
    if (req->data.len % SD_BLOCK != 0) {
        s->bad_requests++;
        return BLOCKDEV_ERR_BAD_LENGTH;
    }
    int err = sd_check(s, req->first, req->data.len / SD_BLOCK);
    if (err != NG_OK) {
        return err;
    }
    return sd_io(s, sdhci_write(&s->host, req->first, (uint32_t)(req->data.len / SD_BLOCK), req->data.ptr));
}

static int sd_flush(void *ctx, ng_call_t *call)
{
    sd_t *s = ctx;
    (void)call;
    /* Every write has finished on the card (its busy ended) before it was answered. */
    return s->ready ? NG_OK : BLOCKDEV_ERR_NO_MEDIA;
}

static int sd_stats(void *ctx, ng_call_t *call, blockdev_stats_rep_t *rep)
{
    sd_t *s = ctx;
    (void)call;
    rep->completed = s->completed;
    rep->max_in_flight = s->max_in_flight;
    rep->refused = s->bad_requests;
    return NG_OK;
}

static const blockdev_ops_t blockdev_ops = {
    .info = sd_info,
    .read_blocks = sd_read,
    .prefetch = sd_prefetch,
    .write_blocks = sd_write,
    .flush = sd_flush,
    .stats = sd_stats,
};

static const sdhci_server_ops_t ops = { .blockdev = &blockdev_ops };

#ifdef SDHCI_VADDR_GPIO
/* GPIO 48-53 to ALT3 (the Arasan controller), pull-ups on 49-53 (CMD, DAT0-3). */
static void sd_route_pins(uintptr_t gpio)
{
    enum { GPFSEL4 = 0x10, GPFSEL5 = 0x14, GPPUD = 0x94, GPPUDCLK1 = 0x9c, ALT3 = 7 };
    uint32_t f4 = ng_reg_read32(gpio + GPFSEL4), f5 = ng_reg_read32(gpio + GPFSEL5);
    f4 = (f4 & ~(077u << 24)) | (ALT3 << 24) | (ALT3 << 27);                     /* 48, 49 */
    f5 = (f5 & ~07777u) | ALT3 | (ALT3 << 3) | (ALT3 << 6) | (ALT3 << 9);        /* 50-53 */
    ng_reg_write32(gpio + GPFSEL4, f4);
    ng_reg_write32(gpio + GPFSEL5, f5);
    /* The pull sequence: control, 150 cycles, clock it into the pins, 150 cycles, release. */
    ng_reg_write32(gpio + GPPUD, 2);
    for (volatile int i = 0; i < 300; i++) {
    }
    ng_reg_write32(gpio + GPPUDCLK1, 0x1fu << (49 - 32));
    for (volatile int i = 0; i < 300; i++) {
    }
    ng_reg_write32(gpio + GPPUD, 0);
    ng_reg_write32(gpio + GPPUDCLK1, 0);
}
#endif

int main(void)
{
    static sd_t s;
#ifdef SDHCI_VADDR_GPIO
    sd_route_pins(SDHCI_VADDR_GPIO);
#endif
    uintptr_t regs = SDHCI_VADDR_EMMC;
#ifdef SDHCI_VADDR_EMMC_OFFSET
    regs += SDHCI_VADDR_EMMC_OFFSET;
#endif
    sdhci_err_t e = sdhci_init(&s.host, regs, SDHCI_CLOCK_HZ_EMMC, true);
    if (e == SDHCI_OK) {
        e = sdhci_card_init(&s.host);
    }
    s.ready = e == SDHCI_OK;
    if (s.ready) {
        printf("sdhci: SD host controller v%u.00 at %#lx, base clock %u MHz; card %s: SD%s, CSD v%u, "
               "%llu blocks (%llu MiB), RCA %#x, %s bus at %u kHz, PIO\n",
               s.host.spec_version + 1u, (unsigned long)regs, (unsigned)(s.host.base_hz / 1000000u), s.host.name,
               s.host.high_capacity ? "HC/XC" : "SC", s.host.csd_version + 1u, (unsigned long long)s.host.blocks,
               (unsigned long long)(s.host.blocks >> 11), (unsigned)s.host.rca, s.host.wide ? "4-bit" : "1-bit",
               (unsigned)(s.host.clock_hz / 1000u));
    } else {
        printf("sdhci: no usable SD card (%s: %s); answering no_media (QEMU: neptune-gen run --disk IMG "
               "attaches one)\n",
               sdhci_strerror(e), s.host.what ? s.host.what : "");
    }
    sdhci_server_init(&s.srv);
    sdhci_serve(&s.srv, &ops, &s);
    return 0;
}
