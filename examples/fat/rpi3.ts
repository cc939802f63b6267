// SPDX-License-Identifier: BSD-2-Clause
/**
 * The FAT example on the Raspberry Pi 3 (BCM2837; QEMU raspi3b): the same FAT server and test
 * client as system.ts, over the SD card (drivers/sdhci: the Arasan SD host controller) instead of
 * virtio-blk, with the system timer for timestamps. QEMU's SD card must be a power of two in
 * size (`disk create` sizes such as 64M are):
 *
 *   neptune-gen disk create --fat 32 --size 64M --from some-folder sd.img
 *   neptune-gen run -s examples/fat/rpi3.ts --disk sd.img --expect "fattest: done"
 *
 * On a board the card the Pi boots from is this one: the driver routes GPIO 48-53 to the Arasan
 * controller itself (docs/boards.md, "SD card storage").
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "fat_rpi3",
  platform: "rpi3",
  idl: ["../../idl"],
  servers: [
    driver({
      name: "sdhci",
      src: "../../drivers/sdhci",
      serves: ["blockdev"],
      priority: 200,
      devices: [
        { name: "emmc", compatible: "brcm,bcm2835-sdhci" },
        // To route the card's pins (GPIO 48-53) to this controller on a real Pi 3.
        { name: "gpio", compatible: "brcm,bcm2835-gpio" },
      ],
    }),
    driver({
      name: "timer",
      src: "../../drivers/bcm2835-systimer",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "systimer", compatible: "brcm,bcm2835-system-timer" }],
    }),
    // A cache of 18 MiB, as on virt, so the benchmark's 16 MiB file is re-read from it
    // (npm run bench:fat -- --board rpi3).
    server({ name: "fat", src: "../../drivers/fat", serves: ["fs"], uses: ["blockdev", "timer"], priority: 150, heap: "24M" }),
    server({ name: "fattest", uses: ["fs", "blockdev"], priority: 100 }),
  ],
});
