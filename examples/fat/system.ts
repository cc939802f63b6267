// SPDX-License-Identifier: BSD-2-Clause
/**
 * The FAT example: the virtio-blk driver, the FAT file-system server (drivers/fat: lib/fat and
 * the block cache lib/bcache behind idl/fs.idl, timestamps from the PL031 timer) and a test
 * client that lists, reads, writes, renames, truncates and unmounts (servers/fattest), or with
 * BENCH.BIN on the volume, compares reads through the file system with raw block reads.
 *
 *   mkfs.fat -F 32 -C disk.img 65536 && mcopy -i disk.img some-file ::/
 *   neptune-gen run -s examples/fat/system.ts --disk disk.img --expect "fattest: done"
 *   neptune-gen run -s examples/fat/system.ts --target host --disk disk.img --expect "fattest: done"
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "fat",
  platform: "qemu-arm-virt",
  idl: ["../../idl"],
  servers: [
    driver({
      name: "virtio_blk",
      src: "../../drivers/virtio-blk",
      serves: ["blockdev"],
      priority: 200,
      deferredReplies: 8,
      dma: "512K",
      // All 32 virtio-mmio transports; the driver probes them for the disk (as examples/storage).
      devices: [{ name: "disk", compatible: "virtio,mmio", count: 32 }],
    }),
    driver({
      name: "rtc",
      src: "../../drivers/pl031",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "pl031", compatible: "arm,pl031", size: "4K", irq: 34 }],
    }),
    // The block cache takes three quarters of the heap: 18 MiB, so the benchmark's 16 MiB file
    // (npm run bench:fat) is read again from the cache. A heap of whole 2 MiB pages is mapped
    // with large pages: 12 caps, not 6144.
    server({ name: "fat", src: "../../drivers/fat", serves: ["fs"], uses: ["blockdev", "timer"], priority: 150, heap: "24M" }),
    // blockdev: the benchmark's raw reads, to compare with reads through the file system.
    server({ name: "fattest", uses: ["fs", "blockdev"], priority: 100 }),
  ],
});
