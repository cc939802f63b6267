/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtio-mmio transport (virtio 1.2, section 4.2) and the parts of virtio-blk (5.2) this
 * driver uses: register offsets of both register layouts (legacy, version 1, and modern, version
 * 2), status bits, feature bits, the split virtqueue and the block request header. Facts of the
 * specification only, shared by the driver and the host target's device model.
 */
#pragma once

#include <stdint.h>

#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_STRIDE 0x200u     /* QEMU virt: transports 0x200 apart */
#define VIRTIO_ID_BLOCK 2u

/* Registers (offsets into one transport). */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028 /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_ALIGN 0x03c /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN 0x040   /* legacy */
#define VIRTIO_MMIO_QUEUE_READY 0x044 /* modern */
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080 /* modern, and the two pairs below */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW 0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH 0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

/* Device status. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_FAILED 0x80u

/* Interrupt status bits. */
#define VIRTIO_INT_USED_RING 1u
#define VIRTIO_INT_CONFIG 2u

/* Feature bits. */
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_F_VERSION_1 32

/* virtio-blk configuration space (offsets from VIRTIO_MMIO_CONFIG). */
#define VIRTIO_BLK_CFG_CAPACITY 0x00 /* 64-bit, in 512-byte sectors */

/* Split virtqueue. */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u

typedef struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} virtq_desc_t;

typedef struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[];
} virtq_avail_t;

typedef struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
} virtq_used_elem_t;

typedef struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    virtq_used_elem_t ring[];
} virtq_used_t;

/* Where the parts of a queue of `num` entries sit from its start, in the layout legacy devices
 * require (descriptors, available ring, then the used ring at the next `align` boundary); a
 * modern device is given the same three addresses. */
#define VIRTQ_AVAIL_OFFSET(num) ((uint64_t)(num) * sizeof(virtq_desc_t))
#define VIRTQ_USED_OFFSET(num, align)                                                             \
    ((VIRTQ_AVAIL_OFFSET(num) + 6u + 2u * (uint64_t)(num) + (align) - 1u) & ~((uint64_t)(align) - 1u))

/* Block requests. */
#define VIRTIO_BLK_T_IN 0u
#define VIRTIO_BLK_T_OUT 1u
#define VIRTIO_BLK_T_FLUSH 4u
#define VIRTIO_BLK_S_OK 0u
#define VIRTIO_BLK_S_IOERR 1u
#define VIRTIO_BLK_S_UNSUPP 2u
#define VIRTIO_BLK_SECTOR 512u

typedef struct virtio_blk_req_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
} virtio_blk_req_hdr_t;
