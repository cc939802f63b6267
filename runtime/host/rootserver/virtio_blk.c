/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A virtio-blk device on QEMU virt's virtio-mmio transports, backed by a disk-image file: what
 * drivers/virtio-blk sees on the host target. As QEMU does with the first
 * `-device virtio-blk-device`, the disk sits on the highest transport (31, at 0x0a003e00, IRQ
 * 79), in whichever window covers it (its page, or a window over a run of transports); every
 * other transport reads as an empty slot (magic, version, device ID 0). Without a disk
 * (`--disk`) they are all empty.
 *
 * Both register layouts: legacy (version 1, QEMU's default: guest page size, queue align, PFN)
 * and modern (version 2, `--virtio-modern`, as `-global virtio-mmio.force-legacy=false`:
 * FEATURES_OK, QueueReady, 64-bit ring addresses, VIRTIO_F_VERSION_1 offered and required).
 *
 * A write to QueueNotify wakes the model's worker thread, which takes requests off the
 * available ring, does them with pread/pwrite/fdatasync on the image, puts them on the used ring
 * and raises the (edge-triggered) interrupt: completions arrive asynchronously (after 0.5 ms of
 * simulated latency), as from QEMU's block layer, so a driver can have several requests in flight. Every ring and buffer address is
 * a device ("physical") address checked with hr_dma_at: a driver pointing the device anywhere
 * but its DMA memory gets the device into FAILED state (DEVICE_NEEDS_RESET), not a host crash.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models.h"
#include "root.h"
#include "virtio_mmio.h"

#define DISK_PADDR 0x0a003e00u /* transport 31 */
#define DISK_IRQ 79u
#define QUEUE_NUM_MAX 128u
#define STATUS_NEEDS_RESET 0x40u

const char *hr_virtio_disk_path;
int hr_virtio_version = 1;

typedef struct vblk_model {
    pthread_mutex_t lock;
    pthread_cond_t kick;
    pthread_t worker;
    ng_host_object_t *irq;
    bool has_disk;
    uintptr_t disk_offset; /* of transport 31 in the window */
    int fd;
    uint64_t sectors;
    bool read_only;
    uint32_t version;
    uint32_t status, isr;
    uint32_t dev_features_sel, drv_features_sel;
    uint32_t drv_features[2];
    uint32_t page_size, queue_num, queue_align, queue_pfn, queue_ready;
    uint64_t desc, avail, used;
    uint16_t last_avail;
    bool kicked;
} vblk_model_t;

static uint64_t device_features(const vblk_model_t *m, uint32_t sel)
{
    uint64_t f = (1ull << VIRTIO_BLK_F_FLUSH) | (m->read_only ? 1ull << VIRTIO_BLK_F_RO : 0);
    if (m->version == 2) {
        f |= 1ull << VIRTIO_F_VERSION_1;
    }
    return sel == 0 ? (uint32_t)f : sel == 1 ? (uint32_t)(f >> 32) : 0;
}

/* Lock held: the queue's three parts as device addresses (legacy: from the PFN). */
static bool queue_live(vblk_model_t *m)
{
    if (m->version == 1) {
        if (m->queue_pfn == 0 || m->queue_num == 0) {
            return false;
        }
        uint64_t base = (uint64_t)m->queue_pfn * (m->page_size ? m->page_size : 4096u);
        m->desc = base;
        m->avail = base + VIRTQ_AVAIL_OFFSET(m->queue_num);
        m->used = base + VIRTQ_USED_OFFSET(m->queue_num, m->queue_align ? m->queue_align : 4096u);
        return true;
    }
    return m->queue_ready && m->queue_num != 0;
}

static void reset(vblk_model_t *m)
{
    m->status = m->isr = 0;
    m->dev_features_sel = m->drv_features_sel = 0;
    m->drv_features[0] = m->drv_features[1] = 0;
    m->queue_num = m->queue_pfn = m->queue_ready = 0;
    m->queue_align = 4096;
    m->desc = m->avail = m->used = 0;
    m->last_avail = 0;
}

static void broken(vblk_model_t *m, const char *why)
{
    printf(HR_PREFIX "virtio-blk model: %s: device needs reset\n", why);
    m->status |= STATUS_NEEDS_RESET;
}

/* One request (lock held); returns false if the rings are unusable. */
static bool do_request(vblk_model_t *m, uint16_t head)
{
    uint16_t idx = head;
    virtq_desc_t chain[3];
    unsigned n = 0;
    for (;;) {
        virtq_desc_t *d = hr_dma_at(m->desc + (uint64_t)idx * sizeof *d, sizeof *d);
        if (!d || idx >= m->queue_num || n == 3) {
            broken(m, "bad descriptor chain");
            return false;
        }
        chain[n++] = *d;
        if (!(d->flags & VIRTQ_DESC_F_NEXT)) {
            break;
        }
        idx = d->next;
    }
    virtq_desc_t *st = &chain[n - 1];
    virtio_blk_req_hdr_t *hdr = hr_dma_at(chain[0].addr, sizeof *hdr);
    uint8_t *status = hr_dma_at(st->addr, 1);
    if (n < 2 || !hdr || chain[0].len < sizeof *hdr || !status || !(st->flags & VIRTQ_DESC_F_WRITE)) {
        broken(m, "bad request header or status descriptor");
        return false;
    }
    uint8_t result = VIRTIO_BLK_S_OK;
    uint32_t written = 1;
    if (hdr->type == VIRTIO_BLK_T_IN || hdr->type == VIRTIO_BLK_T_OUT) {
        bool in = hdr->type == VIRTIO_BLK_T_IN;
        uint32_t len = n == 3 ? chain[1].len : 0;
        void *buf = n == 3 ? hr_dma_at(chain[1].addr, len) : NULL;
        if (!buf || len % VIRTIO_BLK_SECTOR || in != !!(chain[1].flags & VIRTQ_DESC_F_WRITE)) {
            broken(m, "bad data descriptor");
            return false;
        }
        uint64_t count = len / VIRTIO_BLK_SECTOR;
        off_t at = (off_t)(hdr->sector * VIRTIO_BLK_SECTOR);
        if (hdr->sector > m->sectors || count > m->sectors - hdr->sector) {
            result = VIRTIO_BLK_S_IOERR;
        } else if (in) {
            result = pread(m->fd, buf, len, at) == (ssize_t)len ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
            written += result == VIRTIO_BLK_S_OK ? len : 0;
        } else if (m->read_only) {
            result = VIRTIO_BLK_S_IOERR;
        } else {
            result = pwrite(m->fd, buf, len, at) == (ssize_t)len ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
        }
    } else if (hdr->type == VIRTIO_BLK_T_FLUSH) {
        result = fdatasync(m->fd) == 0 ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
    } else {
        result = VIRTIO_BLK_S_UNSUPP;
    }
    *status = result;
    volatile virtq_used_t *used = hr_dma_at(m->used, 4 + 8u * m->queue_num);
    if (!used) {
        broken(m, "bad used ring");
        return false;
    }
    uint16_t u = used->idx;
    used->ring[u % m->queue_num].id = head;
    used->ring[u % m->queue_num].len = written;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    used->idx = (uint16_t)(u + 1);
    return true;
}

/* Lock held: everything on the available ring. */
static void process(vblk_model_t *m)
{
    if (!(m->status & VIRTIO_STATUS_DRIVER_OK) || (m->status & STATUS_NEEDS_RESET) || !queue_live(m)) {
        return;
    }
    volatile virtq_avail_t *avail = hr_dma_at(m->avail, 4 + 2u * m->queue_num);
    if (!avail) {
        broken(m, "bad available ring");
        return;
    }
    bool any = false;
    for (;;) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        uint16_t idx = avail->idx;
        if (m->last_avail == idx) {
            break;
        }
        uint16_t head = avail->ring[m->last_avail % m->queue_num];
        m->last_avail++;
        if (!do_request(m, head)) {
            break;
        }
        any = true;
    }
    if (any) {
        m->isr |= VIRTIO_INT_USED_RING;
        if (m->irq) {
            ng_host_irq_pulse(m->irq);
        }
    }
}

static void *worker(void *arg)
{
    vblk_model_t *m = arg;
    pthread_mutex_lock(&m->lock);
    for (;;) {
        while (!m->kicked) {
            pthread_cond_wait(&m->kick, &m->lock);
        }
        m->kicked = false;
        /* A disk's latency (0.5 ms): requests queued meanwhile are in flight together, as on
         * QEMU, even on a fast or idle host. */
        pthread_mutex_unlock(&m->lock);
        usleep(500);
        pthread_mutex_lock(&m->lock);
        process(m);
    }
    return NULL;
}

static uint32_t vblk_read32(void *dev, uintptr_t off)
{
    vblk_model_t *m = dev;
    uintptr_t reg = off % VIRTIO_MMIO_STRIDE;
    bool disk = m->has_disk && off - reg == m->disk_offset;
    uint32_t v = 0;
    pthread_mutex_lock(&m->lock);
    switch (reg) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        v = VIRTIO_MMIO_MAGIC;
        break;
    case VIRTIO_MMIO_VERSION:
        v = m->version;
        break;
    case VIRTIO_MMIO_DEVICE_ID:
        v = disk ? VIRTIO_ID_BLOCK : 0;
        break;
    case VIRTIO_MMIO_VENDOR_ID:
        v = 0x554d4551u; /* "QEMU" */
        break;
    default:
        if (!disk) {
            break;
        }
        switch (reg) {
        case VIRTIO_MMIO_DEVICE_FEATURES:
            v = (uint32_t)device_features(m, m->dev_features_sel);
            break;
        case VIRTIO_MMIO_QUEUE_NUM_MAX:
            v = QUEUE_NUM_MAX;
            break;
        case VIRTIO_MMIO_QUEUE_PFN:
            v = m->version == 1 ? m->queue_pfn : 0;
            break;
        case VIRTIO_MMIO_QUEUE_READY:
            v = m->version == 2 ? m->queue_ready : 0;
            break;
        case VIRTIO_MMIO_INTERRUPT_STATUS:
            v = m->isr;
            break;
        case VIRTIO_MMIO_STATUS:
            v = m->status;
            break;
        case VIRTIO_MMIO_CONFIG_GENERATION:
            v = 0;
            break;
        case VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY:
            v = (uint32_t)m->sectors;
            break;
        case VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY + 4:
            v = (uint32_t)(m->sectors >> 32);
            break;
        default:
            break;
        }
    }
    pthread_mutex_unlock(&m->lock);
    return v;
}

static void set64(uint64_t *x, bool high, uint32_t v)
{
    *x = high ? (*x & 0xffffffffull) | (uint64_t)v << 32 : (*x & ~0xffffffffull) | v;
}

static void vblk_write32(void *dev, uintptr_t off, uint32_t v)
{
    vblk_model_t *m = dev;
    uintptr_t reg = off % VIRTIO_MMIO_STRIDE;
    if (!m->has_disk || off - reg != m->disk_offset) {
        return; /* an empty transport ignores writes */
    }
    pthread_mutex_lock(&m->lock);
    switch (reg) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        m->dev_features_sel = v;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        m->drv_features_sel = v;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (m->drv_features_sel < 2) {
            m->drv_features[m->drv_features_sel] = v & (uint32_t)device_features(m, m->drv_features_sel);
        }
        break;
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
        m->page_size = v;
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        m->queue_num = v <= QUEUE_NUM_MAX ? v : 0;
        break;
    case VIRTIO_MMIO_QUEUE_ALIGN:
        m->queue_align = v;
        break;
    case VIRTIO_MMIO_QUEUE_PFN:
        m->queue_pfn = v;
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        m->queue_ready = v & 1u;
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        set64(&m->desc, reg == VIRTIO_MMIO_QUEUE_DESC_HIGH, v);
        break;
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
        set64(&m->avail, reg == VIRTIO_MMIO_QUEUE_AVAIL_HIGH, v);
        break;
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        set64(&m->used, reg == VIRTIO_MMIO_QUEUE_USED_HIGH, v);
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        m->kicked = true;
        pthread_cond_signal(&m->kick);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        m->isr &= ~v;
        break;
    case VIRTIO_MMIO_STATUS:
        if (v == 0) {
            reset(m);
        } else {
            if (m->version == 2 && (v & VIRTIO_STATUS_FEATURES_OK) &&
                !(m->drv_features[1] & (1u << (VIRTIO_F_VERSION_1 - 32)))) {
                v &= ~VIRTIO_STATUS_FEATURES_OK; /* a modern device needs VERSION_1 */
            }
            m->status = v;
        }
        break;
    default:
        break;
    }
    pthread_mutex_unlock(&m->lock);
}

const ng_host_dev_ops_t hr_virtio_ops = { vblk_read32, vblk_write32 };

static vblk_model_t *create(ng_host_object_t *irq, bool with_disk)
{
    vblk_model_t *m = calloc(1, sizeof *m);
    if (!m) {
        return NULL;
    }
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->kick, NULL);
    m->irq = irq;
    m->fd = -1;
    m->version = hr_virtio_version == 2 ? 2u : 1u;
    reset(m);
    if (with_disk && hr_virtio_disk_path) {
        m->fd = open(hr_virtio_disk_path, O_RDWR | O_CLOEXEC);
        if (m->fd < 0 && (errno == EACCES || errno == EROFS)) {
            m->fd = open(hr_virtio_disk_path, O_RDONLY | O_CLOEXEC);
            m->read_only = true;
        }
        struct stat sb;
        if (m->fd < 0 || fstat(m->fd, &sb) != 0) {
            printf(HR_PREFIX "virtio-blk model: cannot open the disk image %s: %s\n",
                   hr_virtio_disk_path, strerror(errno));
            free(m);
            return NULL;
        }
        m->sectors = (uint64_t)sb.st_size / VIRTIO_BLK_SECTOR;
        m->has_disk = true;
        if (pthread_create(&m->worker, NULL, worker, m) != 0) {
            free(m);
            return NULL;
        }
        pthread_detach(m->worker);
        printf(HR_PREFIX "virtio-blk model: %s, %llu sectors, virtio-mmio v%u, on transport 31\n",
               hr_virtio_disk_path, (unsigned long long)m->sectors, (unsigned)m->version);
    }
    return m;
}

void *hr_virtio_create_window(uint64_t paddr, uint64_t bytes,
                              ng_host_object_t *(*irq_of)(const void *ctx, uint32_t irq),
                              const void *ctx)
{
    bool holds = paddr <= DISK_PADDR && DISK_PADDR - paddr < bytes;
    vblk_model_t *m = create(holds ? irq_of(ctx, DISK_IRQ) : NULL, holds);
    if (m) {
        m->disk_offset = holds ? (uintptr_t)(DISK_PADDR - paddr) : 0;
    }
    return m;
}
