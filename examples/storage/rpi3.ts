// SPDX-License-Identifier: BSD-2-Clause
/**
 * The block-device example on the Raspberry Pi 3 (QEMU raspi3b): the SD card driver
 * (drivers/sdhci) and one test client, sdtest, that writes, reads back and checksums blocks,
 * checks that bad requests are refused with the same errors as virtio-blk gives, and times raw
 * reads. QEMU's SD card must be a power of two in size:
 *
 *   neptune-gen disk create --size 16M sd.img
 *   neptune-gen run -s examples/storage/rpi3.ts --disk sd.img --expect "sdtest: done"
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "storage_rpi3",
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
        { name: "gpio", compatible: "brcm,bcm2835-gpio" },
      ],
    }),
    server({ name: "sdtest", uses: ["blockdev"], priority: 100 }),
  ],
});
