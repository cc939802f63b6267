// SPDX-License-Identifier: BSD-2-Clause
/**
 * The block-device example: the virtio-blk driver (drivers/virtio-blk) with its DMA memory, and
 * two test clients that write, read back and checksum blocks of their own ranges of the disk at
 * the same time (so the driver has several requests in flight), check that bad requests are
 * refused, and (blktest_a) time raw reads for the storage benchmark and check with the driver's
 * statistics that requests were in flight together.
 *
 *   neptune-gen disk create --size 16M disk.img
 *   neptune-gen run -s examples/storage/system.ts --disk disk.img
 *   neptune-gen run -s examples/storage/system.ts --target host --disk disk.img
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "storage",
  platform: "qemu-arm-virt",
  idl: ["../../idl"],
  servers: [
    driver({
      name: "virtio_blk",
      src: "../../drivers/virtio-blk",
      serves: ["blockdev"],
      priority: 200,
      deferredReplies: 8,
      // Queue, request headers and 7 request buffers of 64K (a 512K untyped).
      dma: "512K",
      // All 32 virtio-mmio transports of QEMU virt, one IRQ handler each: the driver probes
      // them for the block device (QEMU puts the first -device virtio-blk-device on the highest).
      devices: [{ name: "disk", compatible: "virtio,mmio", count: 32 }],
    }),
    // Both at one priority, so their requests interleave at the driver; each tells the other
    // when it is done (they print one after the other).
    server({ name: "blktest_a", uses: ["blockdev"], notifies: ["blktest_b"], priority: 100 }),
    server({ name: "blktest_b", uses: ["blockdev"], notifies: ["blktest_a"], priority: 100 }),
  ],
});
