/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtio-blk device under the driver: finding the transport that holds a block device,
 * bringing it up (legacy or modern virtio-mmio), and a request queue in DMA memory with several
 * requests in flight. No IPC here: main.c serves blockdev on top of it. Register access goes
 * through <neptune/dev.h>, so the same code runs on seL4 and against the host target's model.
 *
 * DMA memory layout (from its start): the virtqueue (descriptors, available ring, used ring at
 * 4K: the legacy layout, also given to modern devices) in the first 8K, request headers and
 * status bytes in the next 4K, then one VBLK_MAX_BYTES data buffer per request slot.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio_mmio.h"

#define VBLK_QUEUE_BYTES 0x2000u
#define VBLK_HDR_BYTES 0x1000u
#define VBLK_MAX_BYTES 0x10000u /* largest transfer per request (blockdev.MAX_TRANSFER) */
#define VBLK_MAX_REQS 8u
#define VBLK_QUEUE_MAX 32u

typedef struct vblk_req {
    bool used;
    bool busy;                 /* at the device (its descriptors are its own until it completes) */
    uint16_t head;             /* first descriptor of its chain */
    uint32_t type;             /* VIRTIO_BLK_T_* */
    uint32_t bytes;            /* data length */
    virtio_blk_req_hdr_t *hdr; /* in DMA memory */
    volatile uint8_t *status;  /* in DMA memory */
    uint8_t *buf;              /* data buffer in DMA memory (VBLK_MAX_BYTES) */
    void *user;                /* the caller's: what to answer when it completes */
} vblk_req_t;

typedef struct vblk {
    uintptr_t regs;   /* the transport's registers */
    uint32_t version; /* 1 legacy, 2 modern */
    uint64_t sectors; /* capacity in 512-byte sectors */
    bool read_only;
    bool flush;       /* VIRTIO_BLK_F_FLUSH negotiated */
    uint8_t *dma;
    uint64_t dma_paddr;
    virtq_desc_t *desc;
    volatile virtq_avail_t *avail;
    volatile virtq_used_t *used;
    uint16_t num;       /* queue size */
    uint16_t free_head; /* free descriptors, linked through `next` */
    uint16_t nfree;
    uint16_t last_used; /* used ring entries consumed so far */
    vblk_req_t reqs[VBLK_MAX_REQS];
    unsigned nreqs;
    unsigned inflight, max_inflight;
    uint64_t completed;
} vblk_t;

/* The offset of a transport in [window, window + bytes) that holds a block device: `prefer`
 * (the transport whose IRQ the driver holds) if it does, else the highest one; -1 if none. */
long vblk_find(uintptr_t window, size_t bytes, uintptr_t prefer);

/* Resets and brings up the device at `regs` with its queue in the DMA memory [dma, dma + bytes)
 * at device address `paddr`. Returns 0, or -1 (and prints why). */
int vblk_init(vblk_t *d, uintptr_t regs, uint8_t *dma, uint64_t paddr, size_t bytes);

/* A free request slot (its buf is where write data goes), or NULL when all are in flight. */
vblk_req_t *vblk_alloc(vblk_t *d);
/* Queues the request (type, first sector, data bytes) and tells the device. */
void vblk_submit(vblk_t *d, vblk_req_t *r, uint32_t type, uint64_t sector, uint32_t bytes);
/* Acknowledges the device's interrupt status (call on its IRQ). */
void vblk_irq_ack(vblk_t *d);
/* Hands every request the device has finished to done(ctx, req, virtio status byte), then
 * frees its slot unless done returns true (the slot's buffer still holds data the caller will
 * use: it frees it with vblk_release); returns how many. */
unsigned vblk_complete(vblk_t *d, bool (*done)(void *ctx, vblk_req_t *r, uint8_t status), void *ctx);
/* Frees a slot that vblk_complete was told to keep (or one allocated and never submitted). */
void vblk_release(vblk_req_t *r);
