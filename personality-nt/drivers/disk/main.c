/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntdisk: the NT disk driver as a driver process (the system must name it `ntdisk`), over the
 * block device it `uses` (idl/blockdev.idl). blockdev errors become NTSTATUS values here.
 */
#include <ddk/transport.h>

#include "server_gen.h"
#include "disk.h"

static blockdev_client_t bd;
static uint32_t block_size = 512;

static NTSTATUS bd_status(int err)
{
    switch (err) {
    case NG_OK: return STATUS_SUCCESS;
    case BLOCKDEV_ERR_NO_MEDIA: return STATUS_NO_MEDIA_IN_DEVICE;
    case BLOCKDEV_ERR_READ_ONLY: return STATUS_MEDIA_WRITE_PROTECTED;
    case BLOCKDEV_ERR_OUT_OF_RANGE: return STATUS_END_OF_FILE;
    case BLOCKDEV_ERR_BAD_LENGTH: return STATUS_INVALID_PARAMETER;
    default: return STATUS_IO_DEVICE_ERROR;
    }
}

static NTSTATUS bd_info(void *ctx, disk_geometry_t *g)
{
    (void)ctx;
    blockdev_device_info_t i;
    int err = blockdev_info(&bd, &i);
    if (err != NG_OK) return bd_status(err);
    *g = (disk_geometry_t){.block_size = i.block_size, .max_transfer = i.max_transfer, .num_blocks = i.num_blocks,
                           .read_only = i.read_only};
    if (g->max_transfer > BLOCKDEV_MAX_TRANSFER) g->max_transfer = BLOCKDEV_MAX_TRANSFER;
    block_size = i.block_size;
    return STATUS_SUCCESS;
}

static NTSTATUS bd_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    (void)ctx;
    ng_bytes_t got;
    int err = blockdev_read_blocks(&bd, lba, count, &got);
    if (err != NG_OK) return bd_status(err);
    if (got.len != (size_t)count * block_size) return STATUS_IO_DEVICE_ERROR;
    memcpy(buf, got.ptr, got.len);
    return STATUS_SUCCESS;
}

static NTSTATUS bd_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
    (void)ctx;
    return bd_status(blockdev_write_blocks(&bd, lba, ng_bytes(buf, (size_t)count * block_size)));
}

static NTSTATUS bd_flush(void *ctx)
{
    (void)ctx;
    return bd_status(blockdev_flush(&bd));
}

int main(void)
{
    bd = ntdisk_use_blockdev();
    static const disk_backend_t b = {NULL, bd_info, bd_read, bd_write, bd_flush};
    DiskSetBackend(&b);
    return ddk_main(ntdisk_use_ntdrv(), "ntdisk", DiskDriverEntry);
}
