// SPDX-License-Identifier: BSD-2-Clause
/**
 * The NT personality on the Raspberry Pi 3 (BCM2837; QEMU raspi3b): the same executive, NT
 * drivers, command prompt and programs as system.ts, over the Pi's own drivers — the SD card
 * (drivers/sdhci, which serves the same blockdev interface as virtio-blk, so the NT disk driver
 * runs unchanged), the mini UART console and the system timer. QEMU's SD card must be a power
 * of two in size:
 *
 *   neptune-gen disk create --fat 16 --size 32M --from some-folder sd.img
 *   neptune-gen run -s examples/nt/rpi3.ts --disk sd.img            (Ctrl-A X quits)
 */

import { defineSystem, server, driver, program } from "neptune-gen";

export default defineSystem({
  name: "nt_rpi3",
  platform: "rpi3",
  untyped: "128M",
  idl: ["../../idl"],
  servers: [
    driver({
      name: "uart",
      src: "../../drivers/bcm2835-aux",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "aux", compatible: "brcm,bcm2835-aux-uart" }],
    }),
    driver({
      name: "timer",
      src: "../../drivers/bcm2835-systimer",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "systimer", compatible: "brcm,bcm2835-system-timer" }],
    }),
    driver({
      name: "sdhci",
      src: "../../drivers/sdhci",
      serves: ["blockdev"],
      priority: 200,
      devices: [
        { name: "emmc", compatible: "brcm,bcm2835-sdhci" },
        { name: "gpio", compatible: "brcm,bcm2835-gpio" },
      ],
    }),
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
    server({ name: "ntnull", src: "../../personality-nt/drivers/null", uses: ["ntdrv"], priority: 150, restart: "always" }),
    server({ name: "ntdisk", src: "../../personality-nt/drivers/disk", uses: ["ntdrv", "blockdev"], priority: 150, heap: "1M", restart: "always" }),
    server({ name: "fastfat", src: "../../personality-nt/drivers/fastfat", uses: ["ntdrv", "timer"], priority: 150, heap: "4M", restart: "always" }),
    server({ name: "cmd", src: "../../personality-nt/cmd", uses: ["ntexec", "serial", "timer"], priority: 100, heap: "1M" }),
  ],
  programs: [
    program({ name: "hello", src: "../../personality-nt/programs/hello", uses: ["ntexec"], priority: 90, sharedMemory: "256K" }),
    program({ name: "nttest", src: "../../personality-nt/programs/nttest", uses: ["ntexec"], priority: 90, sharedMemory: "256K" }),
  ],
});
