/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtio-blk driver: serves `blockdev` (idl/blockdev.idl) for a virtio block device on a
 * virtio-mmio transport (QEMU virt: `-device virtio-blk-device`). The system must name this
 * driver `virtio_blk`, its device `disk` and give it DMA memory, e.g.
 *
 *   driver({ name: "virtio_blk", src: "drivers/virtio-blk", serves: ["blockdev"], dma: "512K",
 *            deferredReplies: 8, devices: [{ name: "disk", compatible: "virtio,mmio", count: 32 }] })
 *
 * (without `count` it gets the one transport the platform fills first, and the 4K page around it)
 *
 * At start it looks for a block device among the transports in its window (first the one the
 * layout picked, whose IRQ it holds, then from the highest down, as QEMU fills them); with
 * `count: 32` on the device the window covers every transport of QEMU virt and the driver holds
 * every one's IRQ. It learns where its DMA memory is from the info page
 * (<neptune/dma.h>) and brings the device up. Every read, write and flush becomes a request on
 * the virtqueue and a deferred reply: the driver goes back to its endpoint at once, so requests
 * from several clients are in flight together, and answers each when the device's interrupt
 * reports it done. (A device found on another transport than the one whose IRQ it holds is
 * polled: each request is waited for before the call returns.)
 *
 * Data goes through the DMA buffer of the request slot: a write's payload is copied from the
 * client's shared buffer into it, a read's from it into the client's shared buffer by the reply
 * encoder; nothing else is copied. A prefetch (read-ahead the caller does not wait for) reads
 * into a slot that stays filled after the device finishes, until a read inside its range takes
 * the blocks: the file system keeps several in flight while it serves its own clients.
 * Requests are checked before anything is queued: lengths that are not whole blocks or exceed
 * max_transfer, ranges past the end, writes to a read-only device; a malformed message is
 * refused by the generated decoder (NG_EBADMSG).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <neptune/dev.h>
#include <neptune/dma.h>

#include "server_gen.h"
#include "vblk.h"

#ifndef VIRTIO_BLK_VADDR_DISK_OFFSET
#define VIRTIO_BLK_VADDR_DISK_OFFSET 0ul
#endif
/* The IRQ handlers the layout gives: one for the transport at the offset, or (`count`) one per
 * transport of a run from there, in consecutive slots. */
#ifdef VIRTIO_BLK_CAP_IRQ_DISK_COUNT
#define BLK_NIRQ VIRTIO_BLK_CAP_IRQ_DISK_COUNT
#else
#define BLK_NIRQ 1u
#endif

_Static_assert(VBLK_MAX_BYTES == BLOCKDEV_MAX_TRANSFER, "a request slot holds the largest transfer");

typedef enum blk_op { BLK_READ, BLK_WRITE, BLK_FLUSH, BLK_PREFETCH } blk_op_t;

/* What a request slot is doing. A prefetch (read-ahead started by blockdev.prefetch) keeps its
 * slot after the device finishes, holding the blocks until a read takes them (the read that
 * reaches the end of the range frees it), a write over them makes them stale, or the slot is
 * needed: the oldest finished prefetch gives way to a read, write or flush. Prefetches hold at
 * most half the slots, so they never stop the driver from taking demand requests; at that
 * limit a new prefetch is declined, unless a finished one has sat untouched for PF_ABANDONED
 * requests (its reader went away), which then gives way. */
typedef struct blk_pending {
    blk_op_t op;
    ng_reply_t reply;
    uint8_t *shm; /* the caller's shared buffer (reads) */
    size_t shm_size;
    /* BLK_PREFETCH */
    uint64_t first;      /* the blocks the buffer holds (or will) */
    uint32_t count;
    uint64_t seq;        /* request clock when queued or last read from: the oldest gives way first */
    bool done;           /* the device has finished */
    bool stale;          /* written over since: answers nobody */
    uint8_t status;
    bool waiting;        /* a read waits for it: reply, shm, want_first/want_count */
    uint64_t want_first;
    uint32_t want_count;
} blk_pending_t;

typedef struct blk {
    vblk_t dev;
    ng_server_t srv;
    bool polled;      /* no IRQ for the transport the device is on */
    ng_cptr_t irq;    /* its IRQ handler */
    blk_pending_t pending[VBLK_MAX_REQS];
    uint64_t bad_requests;
    uint64_t clock;   /* read and prefetch requests taken */
} blk_t;

/* Requests after which a finished prefetch nobody read from counts as abandoned. */
#define PF_ABANDONED (4u * VBLK_MAX_REQS)

static int blk_status_err(uint8_t status)
{
    return status == VIRTIO_BLK_S_OK ? NG_OK : BLOCKDEV_ERR_IO_ERROR;
}

static bool is_prefetch(const blk_t *b, unsigned i)
{
    return b->dev.reqs[i].used && b->pending[i].op == BLK_PREFETCH;
}

/* The prefetch slot whose range holds [first, first + count), or -1. */
static int pf_find(const blk_t *b, uint64_t first, uint64_t count)
{
    for (unsigned i = 0; i < b->dev.nreqs; i++) {
        const blk_pending_t *p = &b->pending[i];
        if (is_prefetch(b, i) && !p->stale && first >= p->first && first + count <= p->first + p->count) {
            return (int)i;
        }
    }
    return -1;
}

/* Frees the oldest finished prefetch no read waits for, last used before `before`; false if
 * there is none. */
static bool pf_reclaim(blk_t *b, uint64_t before)
{
    int oldest = -1;
    for (unsigned i = 0; i < b->dev.nreqs; i++) {
        const blk_pending_t *p = &b->pending[i];
        if (is_prefetch(b, i) && p->done && !p->waiting && p->seq < before &&
            (oldest < 0 || p->seq < b->pending[oldest].seq)) {
            oldest = (int)i;
        }
    }
    if (oldest < 0) {
        return false;
    }
    vblk_release(&b->dev.reqs[oldest]);
    return true;
}

/* A free slot for a demand request, taken from a finished prefetch if need be. */
static vblk_req_t *blk_alloc(blk_t *b)
{
    vblk_req_t *r = vblk_alloc(&b->dev);
    if (!r && pf_reclaim(b, UINT64_MAX)) {
        r = vblk_alloc(&b->dev);
    }
    return r;
}

/* A write of [first, first + count): prefetched copies of those blocks are forgotten (one the
 * device is still filling, or a read waits on, is freed when it completes). */
static void pf_forget(blk_t *b, uint64_t first, uint64_t count)
{
    for (unsigned i = 0; i < b->dev.nreqs; i++) {
        blk_pending_t *p = &b->pending[i];
        if (!is_prefetch(b, i) || first >= p->first + p->count || p->first >= first + count) {
            continue;
        }
        p->stale = true;
        if (p->done && !p->waiting) {
            vblk_release(&b->dev.reqs[i]);
        }
    }
}

/* Where blocks [first, first + count) of a prefetch lie in its slot's buffer. */
static ng_bytes_t pf_bytes(const blk_pending_t *p, const vblk_req_t *r, uint64_t first, uint32_t count)
{
    return (ng_bytes_t){ r->buf + (first - p->first) * VIRTIO_BLK_SECTOR, (size_t)count * VIRTIO_BLK_SECTOR };
}

/* A finished prefetch: answers the read waiting on it; true while the slot stays (blocks left
 * that a read may still take). */
static bool pf_done(blk_t *b, blk_pending_t *p, vblk_req_t *r, uint8_t status)
{
    p->done = true;
    p->status = status;
    if (p->waiting) {
        p->waiting = false;
        blockdev_read_blocks_rep_t rep = { .data = pf_bytes(p, r, p->want_first, p->want_count) };
        blockdev_read_blocks_reply(&b->srv, p->reply, blk_status_err(status), &rep, p->shm, p->shm_size);
        if (p->want_first + p->want_count == p->first + p->count) {
            return false;
        }
    }
    return status == VIRTIO_BLK_S_OK && !p->stale;
}

static bool blk_done(void *ctx, vblk_req_t *r, uint8_t status)
{
    blk_t *b = ctx;
    blk_pending_t *p = &b->pending[r - b->dev.reqs];
    int err = blk_status_err(status);
    switch (p->op) {
    case BLK_READ: {
        blockdev_read_blocks_rep_t rep = { .data = { .ptr = r->buf, .len = r->bytes } };
        blockdev_read_blocks_reply(&b->srv, p->reply, err, &rep, p->shm, p->shm_size);
        break;
    }
    case BLK_WRITE:
        blockdev_write_blocks_reply(&b->srv, p->reply, err);
        break;
    case BLK_FLUSH:
        blockdev_flush_reply(&b->srv, p->reply, err);
        break;
    case BLK_PREFETCH:
        return pf_done(b, p, r, status);
    }
    return false;
}

/* decode/validate: the block range [first, first + count) of a request. */
static int blk_check(blk_t *b, uint64_t first, uint64_t count)
{
    if (count == 0 || count * VIRTIO_BLK_SECTOR > VBLK_MAX_BYTES) {
        b->bad_requests++;
        return BLOCKDEV_ERR_BAD_LENGTH;
    }
    if (first >= b->dev.sectors || count > b->dev.sectors - first) {
        b->bad_requests++;
        return BLOCKDEV_ERR_OUT_OF_RANGE;
    }
    return NG_OK;
}

/* perform: queue it with a saved reply; a polled device is waited for here. */
static int blk_start(blk_t *b, ng_call_t *call, blk_op_t op, vblk_req_t *r, uint32_t type,
                     uint64_t sector, uint32_t bytes)
{
    blk_pending_t *p = &b->pending[r - b->dev.reqs];
    int err = ng_reply_save(call->server, &p->reply);
    if (err != NG_OK) {
        vblk_release(r);
        return err;
    }
    p->op = op;
    p->shm = call->msg ? call->msg->shm : NULL;
    p->shm_size = call->msg ? call->msg->shm_size : 0;
    vblk_submit(&b->dev, r, type, sector, bytes);
    while (b->polled && b->dev.inflight > 0) {
        vblk_complete(&b->dev, blk_done, b);
    }
    return NG_DEFERRED;
}

static int blk_info(void *ctx, ng_call_t *call, blockdev_info_rep_t *rep)
{
    blk_t *b = ctx;
    (void)call;
    memset(&rep->info, 0, sizeof rep->info);
    rep->info.block_size = VIRTIO_BLK_SECTOR;
    rep->info.max_transfer = VBLK_MAX_BYTES;
    rep->info.num_blocks = b->dev.sectors;
    rep->info.read_only = b->dev.read_only;
    rep->info.write_cache = b->dev.flush;
    snprintf(rep->info.model, sizeof rep->info.model, "virtio-blk (virtio-mmio v%u)",
             (unsigned)b->dev.version);
    return NG_OK;
}

/* A read inside a prefetched range: answered from its buffer now (NG_OK, rep filled) or when
 * the device finishes (NG_DEFERRED); 1 if it has to go to the device after all. */
static int pf_read(blk_t *b, ng_call_t *call, const blockdev_read_blocks_req_t *req, blockdev_read_blocks_rep_t *rep)
{
    int i = pf_find(b, req->first, req->count);
    if (i < 0) {
        return 1;
    }
    blk_pending_t *p = &b->pending[i];
    vblk_req_t *r = &b->dev.reqs[i];
    if (p->done) {
        if (p->status != VIRTIO_BLK_S_OK) {
            vblk_release(r); /* that read-ahead failed: this read tries the device itself */
            return 1;
        }
        rep->data = pf_bytes(p, r, req->first, req->count);
        p->seq = b->clock;
        if (req->first + req->count == p->first + p->count) {
            vblk_release(r); /* the buffer stays as it is until the reply is encoded */
        }
        return NG_OK;
    }
    if (p->waiting || ng_reply_save(call->server, &p->reply) != NG_OK) {
        return 1;
    }
    p->waiting = true;
    p->seq = b->clock;
    p->want_first = req->first;
    p->want_count = req->count;
    p->shm = call->msg->shm;
    p->shm_size = call->msg->shm_size;
    return NG_DEFERRED;
}

static int blk_read(void *ctx, ng_call_t *call, const blockdev_read_blocks_req_t *req,
                    blockdev_read_blocks_rep_t *rep)
{
    blk_t *b = ctx;
    int err = blk_check(b, req->first, req->count);
    if (err != NG_OK) {
        return err;
    }
    if (!call->msg || (size_t)req->count * VIRTIO_BLK_SECTOR > call->msg->shm_size) {
        return NG_EBADMSG; /* no shared buffer for the data: not a client of this interface */
    }
    b->clock++;
    err = pf_read(b, call, req, rep);
    if (err != 1) {
        return err;
    }
    vblk_req_t *r = blk_alloc(b);
    if (!r) {
        return NG_EAGAIN;
    }
    return blk_start(b, call, BLK_READ, r, VIRTIO_BLK_T_IN, req->first,
                     req->count * VIRTIO_BLK_SECTOR);
}

/* Starts a read-ahead into a slot of its own and answers at once. Declined (queued = false)
 * on a polled device (nothing would overlap), when prefetches already hold half the slots and
 * none of them is abandoned, or when no slot is free. A range already prefetched is queued. */
static int blk_prefetch(void *ctx, ng_call_t *call, const blockdev_prefetch_req_t *req,
                        blockdev_prefetch_rep_t *rep)
{
    blk_t *b = ctx;
    (void)call;
    int err = blk_check(b, req->first, req->count);
    if (err != NG_OK) {
        return err;
    }
    b->clock++;
    rep->queued = false;
    if (b->polled) {
        return NG_OK;
    }
    if (pf_find(b, req->first, req->count) >= 0) {
        rep->queued = true;
        return NG_OK;
    }
    unsigned held = 0;
    for (unsigned i = 0; i < b->dev.nreqs; i++) {
        held += is_prefetch(b, i);
    }
    if (held >= b->dev.nreqs / 2 && (b->clock < PF_ABANDONED || !pf_reclaim(b, b->clock - PF_ABANDONED))) {
        return NG_OK;
    }
    vblk_req_t *r = vblk_alloc(&b->dev);
    if (!r) {
        return NG_OK;
    }
    blk_pending_t *p = &b->pending[r - b->dev.reqs];
    memset(p, 0, sizeof *p);
    p->op = BLK_PREFETCH;
    p->first = req->first;
    p->count = req->count;
    p->seq = b->clock;
    vblk_submit(&b->dev, r, VIRTIO_BLK_T_IN, req->first, req->count * VIRTIO_BLK_SECTOR);
    rep->queued = true;
    return NG_OK;
}

static int blk_write(void *ctx, ng_call_t *call, const blockdev_write_blocks_req_t *req)
{
    blk_t *b = ctx;
    if (req->data.len % VIRTIO_BLK_SECTOR != 0) {
        b->bad_requests++;
        return BLOCKDEV_ERR_BAD_LENGTH;
    }
    int err = blk_check(b, req->first, req->data.len / VIRTIO_BLK_SECTOR);
    if (err != NG_OK) {
        return err;
    }
    if (b->dev.read_only) {
        return BLOCKDEV_ERR_READ_ONLY;
    }
    pf_forget(b, req->first, req->data.len / VIRTIO_BLK_SECTOR);
    vblk_req_t *r = blk_alloc(b);
    if (!r) {
        return NG_EAGAIN;
    }
    memcpy(r->buf, req->data.ptr, req->data.len);
    return blk_start(b, call, BLK_WRITE, r, VIRTIO_BLK_T_OUT, req->first, (uint32_t)req->data.len);
}

static int blk_flush(void *ctx, ng_call_t *call)
{
    blk_t *b = ctx;
    if (!b->dev.flush) {
        return NG_OK; /* no volatile cache: everything written is stable */
    }
    vblk_req_t *r = blk_alloc(b);
    if (!r) {
        return NG_EAGAIN;
    }
    return blk_start(b, call, BLK_FLUSH, r, VIRTIO_BLK_T_FLUSH, 0, 0);
}

static int blk_stats(void *ctx, ng_call_t *call, blockdev_stats_rep_t *rep)
{
    blk_t *b = ctx;
    (void)call;
    rep->completed = b->dev.completed;
    rep->max_in_flight = b->dev.max_inflight;
    rep->refused = b->bad_requests;
    return NG_OK;
}

/* The device's interrupt: acknowledge it at the device, then at the kernel, then answer every
 * finished request (a completion after the ack raises the interrupt again). */
static void blk_notify(void *ctx, ng_badge_t bits)
{
    blk_t *b = ctx;
    (void)bits;
    vblk_irq_ack(&b->dev);
    ng_irq_ack(b->irq);
    vblk_complete(&b->dev, blk_done, b);
}

static const blockdev_ops_t blockdev_ops = {
    .info = blk_info,
    .read_blocks = blk_read,
    .prefetch = blk_prefetch,
    .write_blocks = blk_write,
    .flush = blk_flush,
    .stats = blk_stats,
};

static const virtio_blk_server_ops_t ops = { .blockdev = &blockdev_ops, .notify = blk_notify };

int main(void)
{
    static blk_t b;
    const ng_dma_info_t *dma = ng_dma_info(VIRTIO_BLK_VADDR_DMA_INFO);
    if (!dma || dma->bytes != VIRTIO_BLK_VADDR_DMA_SIZE) {
        printf("virtio_blk: no DMA memory described at %#lx (give the driver `dma` in system.ts)\n",
               (unsigned long)VIRTIO_BLK_VADDR_DMA_INFO);
        return 1;
    }
    long off = vblk_find(VIRTIO_BLK_VADDR_DISK, VIRTIO_BLK_VADDR_DISK_SIZE, VIRTIO_BLK_VADDR_DISK_OFFSET);
    if (off < 0) {
        printf("virtio_blk: no virtio block device in the %lu transports of the window (QEMU: "
               "-drive file=disk.img,if=none,format=raw,id=hd0 -device virtio-blk-device,drive=hd0; "
               "neptune-gen run --disk disk.img)\n",
               (unsigned long)(VIRTIO_BLK_VADDR_DISK_SIZE / VIRTIO_MMIO_STRIDE));
        return 1;
    }
    /* Which transport of the IRQ run it is on, if any. */
    unsigned long rel = (unsigned long)off - VIRTIO_BLK_VADDR_DISK_OFFSET; /* wraps if below */
    b.polled = rel >= (unsigned long)BLK_NIRQ * VIRTIO_MMIO_STRIDE;
    b.irq = b.polled ? 0 : VIRTIO_BLK_CAP_IRQ_DISK + (ng_cptr_t)(rel / VIRTIO_MMIO_STRIDE);
    if (vblk_init(&b.dev, VIRTIO_BLK_VADDR_DISK + (uintptr_t)off, (uint8_t *)VIRTIO_BLK_VADDR_DMA,
                  dma->paddr, (size_t)dma->bytes) != 0) {
        return 1;
    }
    if (!b.polled) {
        ng_irq_ack(b.irq);
    }
    printf("virtio_blk: block device at window offset %#lx, virtio-mmio v%u (%s), %llu sectors "
           "(%llu MiB)%s%s\n",
           (unsigned long)off, (unsigned)b.dev.version, b.dev.version == 1 ? "legacy" : "modern",
           (unsigned long long)b.dev.sectors, (unsigned long long)(b.dev.sectors >> 11),
           b.dev.read_only ? ", read-only" : "", b.dev.flush ? ", write cache (flush)" : "");
    printf("virtio_blk: queue of %u in DMA memory at paddr %#llx (%llu KiB), up to %u requests in "
           "flight, completion by %s\n",
           (unsigned)b.dev.num, (unsigned long long)dma->paddr,
           (unsigned long long)(dma->bytes >> 10), b.dev.nreqs, b.polled ? "polling" : "IRQ");
    virtio_blk_server_init(&b.srv);
    virtio_blk_serve(&b.srv, &ops, &b);
    return 0;
}
