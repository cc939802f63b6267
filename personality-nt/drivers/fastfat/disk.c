/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A volume's block device: the disk driver below, reached as an NT file system reaches it —
 * IRPs built with IoBuildSynchronousFsdRequest / IoBuildDeviceIoControlRequest and sent with
 * IoCallDriver (through the executive: ntdrv.call_driver) — in pieces of at most one IRP's
 * payload, with lib/bcache in front (write-back; fat_sync writes it out). The disk's status of
 * a failure is kept so that FAT_EIO can report it (STATUS_NO_MEDIA_IN_DEVICE, ...).
 */
#include <stdlib.h>

#include <ddk/ddk.h>

#include "fastfat.h"

static NTSTATUS transfer(ff_vcb_t *vcb, ULONG major, uint64_t offset, void *buf, ULONG len)
{
    KEVENT event;
    IO_STATUS_BLOCK iosb = {0};
    LARGE_INTEGER off = {.QuadPart = (LONGLONG)offset};
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    PIRP irp = IoBuildSynchronousFsdRequest(major, vcb->disk, buf, len, &off, &event, &iosb);
    if (!irp) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS st = IoCallDriver(vcb->disk, irp);
    if (st == STATUS_PENDING) {
        KeWaitForSingleObject(&event, Executive, KernelMode, FALSE, NULL);
        st = iosb.Status;
    }
    if (NT_SUCCESS(st) && major != IRP_MJ_FLUSH_BUFFERS && iosb.Information != len) st = STATUS_IO_DEVICE_ERROR;
    if (!NT_SUCCESS(st)) vcb->io_status = st;
    return st;
}

static int raw_rw(void *ctx, ULONG major, uint64_t lba, uint32_t count, void *buf)
{
    ff_vcb_t *vcb = ctx;
    uint32_t per = DDK_MAX_DATA / vcb->block_size;
    uint8_t *p = buf;
    while (count > 0) {
        uint32_t n = count < per ? count : per;
        if (!NT_SUCCESS(transfer(vcb, major, lba * vcb->block_size, p, n * vcb->block_size))) return -1;
        p += (size_t)n * vcb->block_size;
        lba += n;
        count -= n;
    }
    return 0;
}

static int raw_read(void *ctx, uint64_t lba, uint32_t count, void *buf) { return raw_rw(ctx, IRP_MJ_READ, lba, count, buf); }
static int raw_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
    return raw_rw(ctx, IRP_MJ_WRITE, lba, count, (void *)buf);
}
static int raw_flush(void *ctx) { return NT_SUCCESS(transfer(ctx, IRP_MJ_FLUSH_BUFFERS, 0, NULL, 0)) ? 0 : -1; }

static int c_read(void *ctx, uint64_t lba, uint32_t count, void *buf) { return bcache_read(ctx, lba, count, buf); }
static int c_write(void *ctx, uint64_t lba, uint32_t count, const void *buf) { return bcache_write(ctx, lba, count, buf); }
static int c_flush(void *ctx) { return bcache_sync(ctx); }

static NTSTATUS ioctl(ff_vcb_t *vcb, ULONG code, void *out, ULONG len)
{
    KEVENT event;
    IO_STATUS_BLOCK iosb = {0};
    KeInitializeEvent(&event, NotificationEvent, FALSE);
    PIRP irp = IoBuildDeviceIoControlRequest(code, vcb->disk, NULL, 0, out, len, FALSE, &event, &iosb);
    if (!irp) return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS st = IoCallDriver(vcb->disk, irp);
    if (st == STATUS_PENDING) st = iosb.Status;
    if (NT_SUCCESS(st) && iosb.Information < len) st = STATUS_IO_DEVICE_ERROR;
    return st;
}

NTSTATUS FatDiskInit(ff_vcb_t *vcb, PDEVICE_OBJECT disk)
{
    vcb->disk = disk;
    nt_disk_geometry_t g;
    nt_get_length_information_t li;
    NTSTATUS st = ioctl(vcb, IOCTL_DISK_GET_DRIVE_GEOMETRY, &g, sizeof g);
    if (NT_SUCCESS(st)) st = ioctl(vcb, IOCTL_DISK_GET_LENGTH_INFO, &li, sizeof li);
    if (!NT_SUCCESS(st)) return st;
    if (g.bytes_per_sector < 512 || g.bytes_per_sector > FAT_SECTOR_MAX || (g.bytes_per_sector & (g.bytes_per_sector - 1)) ||
        li.length <= 0)
        return STATUS_UNRECOGNIZED_MEDIA;
    vcb->block_size = g.bytes_per_sector;
    vcb->num_blocks = (uint64_t)li.length / g.bytes_per_sector;
    uint32_t stage = DDK_MAX_DATA / vcb->block_size;
    size_t fixed = bcache_mem_size(vcb->block_size, 0, stage);
    size_t per_block = bcache_mem_size(vcb->block_size, 2, 0) / 2 + 8;
    uint32_t blocks = (uint32_t)((FF_CACHE_BYTES - fixed) / per_block);
    size_t need = bcache_mem_size(vcb->block_size, blocks, stage);
    bcache_dev_t raw = {.ctx = vcb, .block_size = vcb->block_size, .num_blocks = vcb->num_blocks,
                        .read = raw_read, .write = raw_write, .flush = raw_flush};
    if (FatData.spare_cache && FatData.spare_cache_bytes == need) {
        vcb->cache_mem = FatData.spare_cache; /* the last dismounted volume's */
        FatData.spare_cache = NULL;
    } else {
        vcb->cache_mem = malloc(need);
    }
    vcb->cache_bytes = need;
    if (!vcb->cache_mem || bcache_init(&vcb->cache, &raw, vcb->cache_mem, need, blocks, stage, stage)) {
        FatDiskFree(vcb);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    return STATUS_SUCCESS;
}

/* The cache's memory is kept for the next mount rather than freed: on seL4 a region this
 * large came from mmap, which the heap cannot give back (every umount/mount would leak it). */
void FatDiskFree(ff_vcb_t *vcb)
{
    if (vcb->cache_mem && !FatData.spare_cache) {
        FatData.spare_cache = vcb->cache_mem;
        FatData.spare_cache_bytes = vcb->cache_bytes;
    } else {
        free(vcb->cache_mem);
    }
    vcb->cache_mem = NULL;
}

const fat_blockdev_t FatBlockdevTemplate = {.read = c_read, .write = c_write, .flush = c_flush};
