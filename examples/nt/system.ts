// SPDX-License-Identifier: BSD-2-Clause
/**
 * The NT personality on seL4 (personality-nt/): the executive (object manager, handle tables,
 * I/O manager, cache manager, processes and events) with NT-style driver processes written to
 * the driver library — \Device\Null, a disk driver over the virtio block device
 * (\Device\Harddisk0\Partition0, drive C:) and the FAT file system driver (fastfat, on
 * lib/fat) — and the command prompt on the serial console.
 *
 *   neptune-gen disk create disk.img --fat 16 --size 32M --from <folder>
 *   neptune-gen run -s examples/nt/system.ts --disk disk.img            (Ctrl-A X quits)
 *
 * or feed it a session (`--input session.txt`, codegen/test/nt.test.ts does on both targets).
 */

import { defineSystem, server, driver, program } from "neptune-gen";

export default defineSystem({
  name: "nt",
  platform: "qemu-arm-virt",
  untyped: "128M",
  idl: ["../../idl"],
  servers: [
    driver({
      name: "uart",
      src: "../../drivers/pl011",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "pl011", compatible: "arm,pl011", size: "4K", irq: 33 }],
    }),
    driver({
      name: "rtc",
      src: "../../drivers/pl031",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "pl031", compatible: "arm,pl031", size: "4K", irq: 34 }],
    }),
    driver({
      name: "virtio_blk",
      src: "../../drivers/virtio-blk",
      serves: ["blockdev"],
      priority: 200,
      deferredReplies: 8,
      dma: "512K",
      devices: [{ name: "disk", compatible: "virtio,mmio", count: 32 }],
    }),
    // The executive: NT programs call it (ntexec), driver processes pull IRPs from it (ntdrv).
    // It never calls a driver, so a dead driver cannot block it. Its heap holds the cache.
    server({
      name: "ntexec",
      src: "../../personality-nt/executive",
      serves: ["ntexec", "ntdrv"],
      uses: ["serial", "timer"],
      priority: 160,
      heap: "16M",
      deferredReplies: 32,
      connections: 16,
      sharedMemory: "1M",
      spawn: { maxProcesses: 8, memory: "16M" },
    }),
    // NT-style drivers: each a process of its own, restarted when it dies.
    server({ name: "ntnull", src: "../../personality-nt/drivers/null", uses: ["ntdrv"], priority: 150, restart: "always" }),
    server({ name: "ntdisk", src: "../../personality-nt/drivers/disk", uses: ["ntdrv", "blockdev"], priority: 150, heap: "1M", restart: "always" }),
    server({ name: "fastfat", src: "../../personality-nt/drivers/fastfat", uses: ["ntdrv", "timer"], priority: 150, heap: "4M", restart: "always" }),
    // The command prompt on the console.
    server({ name: "cmd", src: "../../personality-nt/cmd", uses: ["ntexec", "serial", "timer"], priority: 100, heap: "1M" }),
  ],
  programs: [
    // An NT program the prompt runs by name (NtCreateProcess through the root services).
    program({ name: "hello", src: "../../personality-nt/programs/hello", uses: ["ntexec"], priority: 90, sharedMemory: "256K" }),
    // Handles and least privilege at run time; it starts a child nttest through the executive.
    program({ name: "nttest", src: "../../personality-nt/programs/nttest", uses: ["ntexec"], priority: 90, sharedMemory: "256K" }),
  ],
});
