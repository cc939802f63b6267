/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * virtio-blk over virtio-mmio, legacy and modern: probe, initialisation in the order of the
 * specification (reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queue, DRIVER_OK), and the
 * split virtqueue (a request is a chain of three descriptors: header, data, status).
 */
#include <stdio.h>
#include <string.h>

#include <neptune/dev.h>

#include "vblk.h"

/* Orders the driver's stores to DMA memory before its register write that tells the device (and
 * the device's stores before the driver's loads): dsb, as Linux's wmb/rmb on arm64. */
static inline void vblk_barrier(void)
{
#if defined(__aarch64__)
    __asm__ volatile("dsb sy" ::: "memory");
#else
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

static uint32_t rd(const vblk_t *d, uintptr_t off)
{
    return ng_reg_read32(d->regs + off);
}

static void wr(const vblk_t *d, uintptr_t off, uint32_t v)
{
    ng_reg_write32(d->regs + off, v);
}

long vblk_find(uintptr_t window, size_t bytes, uintptr_t prefer)
{
    size_t n = bytes / VIRTIO_MMIO_STRIDE;
    for (long pass = 0; pass < 2; pass++) {
        /* Highest first: QEMU fills transports from the top, so its first disk is found. */
        for (size_t i = n; i-- > 0;) {
            uintptr_t off = (uintptr_t)i * VIRTIO_MMIO_STRIDE;
            if ((pass == 0) != (off == prefer)) {
                continue;
            }
            uintptr_t r = window + off;
            if (ng_reg_read32(r + VIRTIO_MMIO_MAGIC_VALUE) == VIRTIO_MMIO_MAGIC &&
                ng_reg_read32(r + VIRTIO_MMIO_DEVICE_ID) == VIRTIO_ID_BLOCK) {
                return (long)off;
            }
        }
    }
    return -1;
}

static uint32_t features(vblk_t *d, unsigned word)
{
    wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, word);
    return rd(d, VIRTIO_MMIO_DEVICE_FEATURES);
}

static int fail(vblk_t *d, const char *why)
{
    wr(d, VIRTIO_MMIO_STATUS, rd(d, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FAILED);
    printf("virtio_blk: %s\n", why);
    return -1;
}

static int setup_queue(vblk_t *d)
{
    wr(d, VIRTIO_MMIO_QUEUE_SEL, 0);
    uint32_t max = rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (max == 0 || (d->version == 2 && rd(d, VIRTIO_MMIO_QUEUE_READY) != 0)) {
        return fail(d, "queue 0 is not available");
    }
    d->num = (uint16_t)(max < VBLK_QUEUE_MAX ? max : VBLK_QUEUE_MAX);
    uint64_t avail = VIRTQ_AVAIL_OFFSET(d->num), used = VIRTQ_USED_OFFSET(d->num, 0x1000u);
    memset(d->dma, 0, VBLK_QUEUE_BYTES);
    d->desc = (virtq_desc_t *)d->dma;
    d->avail = (volatile virtq_avail_t *)(d->dma + avail);
    d->used = (volatile virtq_used_t *)(d->dma + used);
    for (uint16_t i = 0; i < d->num; i++) {
        d->desc[i].next = (uint16_t)(i + 1);
    }
    d->free_head = 0;
    d->nfree = d->num;
    d->last_used = 0;
    wr(d, VIRTIO_MMIO_QUEUE_NUM, d->num);
    if (d->version == 1) {
        wr(d, VIRTIO_MMIO_QUEUE_ALIGN, 0x1000u);
        wr(d, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(d->dma_paddr >> 12));
    } else {
        uint64_t base = d->dma_paddr;
        wr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)base);
        wr(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(base >> 32));
        wr(d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)(base + avail));
        wr(d, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, (uint32_t)((base + avail) >> 32));
        wr(d, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)(base + used));
        wr(d, VIRTIO_MMIO_QUEUE_USED_HIGH, (uint32_t)((base + used) >> 32));
        wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
    }
    return 0;
}

int vblk_init(vblk_t *d, uintptr_t regs, uint8_t *dma, uint64_t paddr, size_t bytes)
{
    memset(d, 0, sizeof *d);
    d->regs = regs;
    d->dma = dma;
    d->dma_paddr = paddr;
    if (bytes < VBLK_QUEUE_BYTES + VBLK_HDR_BYTES + VBLK_MAX_BYTES) {
        printf("virtio_blk: %zu bytes of DMA memory is too little (at least %u)\n", bytes,
               VBLK_QUEUE_BYTES + VBLK_HDR_BYTES + VBLK_MAX_BYTES);
        return -1;
    }
    d->version = rd(d, VIRTIO_MMIO_VERSION);
    if (rd(d, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC || (d->version != 1 && d->version != 2)) {
        printf("virtio_blk: no virtio-mmio transport (version %u)\n", (unsigned)d->version);
        return -1;
    }
    wr(d, VIRTIO_MMIO_STATUS, 0); /* reset */
    if (d->version == 1) {
        wr(d, VIRTIO_MMIO_GUEST_PAGE_SIZE, 0x1000u);
    }
    wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);

    uint32_t lo = features(d, 0), hi = features(d, 1);
    uint32_t want_lo = lo & ((1u << VIRTIO_BLK_F_RO) | (1u << VIRTIO_BLK_F_FLUSH));
    uint32_t want_hi = 0;
    if (d->version == 2) {
        if (!(hi & (1u << (VIRTIO_F_VERSION_1 - 32)))) {
            return fail(d, "modern transport without VIRTIO_F_VERSION_1");
        }
        want_hi = 1u << (VIRTIO_F_VERSION_1 - 32);
    }
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES, want_lo);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES, want_hi);
    d->read_only = want_lo & (1u << VIRTIO_BLK_F_RO);
    d->flush = want_lo & (1u << VIRTIO_BLK_F_FLUSH);
    if (d->version == 2) {
        wr(d, VIRTIO_MMIO_STATUS, rd(d, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FEATURES_OK);
        if (!(rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
            return fail(d, "the device refused our features");
        }
    }
    uint32_t gen;
    do {
        gen = d->version == 2 ? rd(d, VIRTIO_MMIO_CONFIG_GENERATION) : 0;
        d->sectors = rd(d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY) |
                     (uint64_t)rd(d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY + 4) << 32;
    } while (d->version == 2 && gen != rd(d, VIRTIO_MMIO_CONFIG_GENERATION));

    if (setup_queue(d) != 0) {
        return -1;
    }
    unsigned by_mem = (unsigned)((bytes - VBLK_QUEUE_BYTES - VBLK_HDR_BYTES) / VBLK_MAX_BYTES);
    d->nreqs = by_mem < VBLK_MAX_REQS ? by_mem : VBLK_MAX_REQS;
    if (d->nreqs > d->num / 3u) {
        d->nreqs = d->num / 3u;
    }
    for (unsigned i = 0; i < d->nreqs; i++) {
        vblk_req_t *r = &d->reqs[i];
        uint8_t *h = d->dma + VBLK_QUEUE_BYTES + i * 32u;
        r->hdr = (virtio_blk_req_hdr_t *)h;
        r->status = h + sizeof(virtio_blk_req_hdr_t);
        r->buf = d->dma + VBLK_QUEUE_BYTES + VBLK_HDR_BYTES + (size_t)i * VBLK_MAX_BYTES;
    }
    wr(d, VIRTIO_MMIO_STATUS, rd(d, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_DRIVER_OK);
    return 0;
}

vblk_req_t *vblk_alloc(vblk_t *d)
{
    for (unsigned i = 0; i < d->nreqs; i++) {
        if (!d->reqs[i].used) {
            d->reqs[i].used = true;
            return &d->reqs[i];
        }
    }
    return NULL;
}

void vblk_release(vblk_req_t *r)
{
    r->used = false;
}

static uint16_t desc_take(vblk_t *d)
{
    uint16_t i = d->free_head;
    d->free_head = d->desc[i].next;
    d->nfree--;
    return i;
}

static uint64_t paddr_of(const vblk_t *d, const volatile void *p)
{
    return d->dma_paddr + (uint64_t)((const volatile uint8_t *)p - d->dma);
}

void vblk_submit(vblk_t *d, vblk_req_t *r, uint32_t type, uint64_t sector, uint32_t bytes)
{
    r->type = type;
    r->bytes = bytes;
    r->hdr->type = type;
    r->hdr->reserved = 0;
    r->hdr->sector = sector;
    *r->status = 0xff;
    /* Three descriptors per request (two for a flush): nreqs <= num / 3 keeps enough free. */
    uint16_t h = desc_take(d), s;
    r->head = h;
    r->busy = true;
    d->desc[h].addr = paddr_of(d, r->hdr);
    d->desc[h].len = sizeof(virtio_blk_req_hdr_t);
    d->desc[h].flags = VIRTQ_DESC_F_NEXT;
    uint16_t last = h;
    if (bytes > 0) {
        uint16_t b = desc_take(d);
        d->desc[last].next = b;
        d->desc[b].addr = paddr_of(d, r->buf);
        d->desc[b].len = bytes;
        d->desc[b].flags = VIRTQ_DESC_F_NEXT | (type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0);
        last = b;
    }
    s = desc_take(d);
    d->desc[last].next = s;
    d->desc[s].addr = paddr_of(d, r->status);
    d->desc[s].len = 1;
    d->desc[s].flags = VIRTQ_DESC_F_WRITE;

    uint16_t idx = d->avail->idx;
    d->avail->ring[idx % d->num] = h;
    vblk_barrier();
    d->avail->idx = (uint16_t)(idx + 1);
    vblk_barrier();
    if (++d->inflight > d->max_inflight) {
        d->max_inflight = d->inflight;
    }
    wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

void vblk_irq_ack(vblk_t *d)
{
    uint32_t st = rd(d, VIRTIO_MMIO_INTERRUPT_STATUS);
    if (st) {
        wr(d, VIRTIO_MMIO_INTERRUPT_ACK, st);
    }
}

unsigned vblk_complete(vblk_t *d, bool (*done)(void *ctx, vblk_req_t *r, uint8_t status), void *ctx)
{
    unsigned n = 0;
    vblk_barrier();
    while (d->last_used != d->used->idx) {
        uint32_t id = d->used->ring[d->last_used % d->num].id;
        d->last_used++;
        vblk_req_t *r = NULL;
        for (unsigned i = 0; i < d->nreqs && !r; i++) {
            if (d->reqs[i].busy && d->reqs[i].head == id) {
                r = &d->reqs[i];
            }
        }
        if (!r) {
            printf("virtio_blk: the device completed descriptor %u, which is no request\n", (unsigned)id);
            continue;
        }
        /* Free the chain. */
        uint16_t i = r->head;
        for (;;) {
            uint16_t flags = d->desc[i].flags, next = d->desc[i].next;
            d->desc[i].next = d->free_head;
            d->free_head = i;
            d->nfree++;
            if (!(flags & VIRTQ_DESC_F_NEXT)) {
                break;
            }
            i = next;
        }
        vblk_barrier();
        uint8_t status = *r->status;
        r->busy = false;
        d->inflight--;
        d->completed++;
        if (!done(ctx, r, status)) {
            r->used = false;
        }
        n++;
    }
    return n;
}
