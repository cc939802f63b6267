// SPDX-License-Identifier: BSD-2-Clause
/**
 * The boot folder of a real board: what `neptune-gen build -p rpi3|rpi4` writes next to the
 * image, for the user to copy onto a FAT-formatted SD card. It holds
 *
 * - the image as seL4's elfloader makes it for the Pi (a raw binary, `ElfloaderImage=binary`;
 *   the firmware loads it as a 64-bit kernel at 0x80000 and the elfloader moves itself to the
 *   address it was linked at), under the name config.txt gives it;
 * - config.txt: 64-bit mode, the UART the console uses, the image's name;
 * - the Raspberry Pi firmware the GPU boots from (bootcode.bin, start*.elf, fixup*.dat), taken
 *   from Debian's `raspi-firmware` package (non-free-firmware; bookworm has 1.20220830+ds-1):
 *   from $NEPTUNE_RPI_FIRMWARE, else where the installed package puts it
 *   (/usr/lib/raspi-firmware). Files that are not found are listed in MISSING-FIRMWARE.txt and
 *   reported with where to get them; the build does not fail for them.
 *
 * The folder is rewritten on every build, so it always holds the image just built.
 */

import { copyFile, mkdir, readdir, rm, writeFile, access } from "node:fs/promises";
import path from "node:path";

export interface BootBoard {
  /** neptune-gen platform name. */
  platform: string;
  /** What the board is called in messages. */
  board: string;
  /** Firmware files the board's GPU needs on the card. */
  firmware: string[];
  /** config.txt lines after the common ones. */
  config: string[];
  /** The console: which UART, which pins. */
  console: string;
}

/** The image's name on the card (config.txt's `kernel=`). */
export const BOOT_IMAGE_NAME = "neptune.img";

export const BOOT_BOARDS: Record<string, BootBoard> = {
  rpi3: {
    platform: "rpi3",
    board: "Raspberry Pi 3",
    firmware: ["bootcode.bin", "start.elf", "fixup.dat"],
    config: [
      "# The console is the mini UART (GPIO 14/15); enable_uart=1 fixes the core clock it",
      "# divides at 250 MHz, so 115200 baud holds.",
      "enable_uart=1",
    ],
    console: "mini UART on GPIO 14 (TX, pin 8) and GPIO 15 (RX, pin 10), 115200 8N1",
  },
  rpi4: {
    platform: "rpi4",
    board: "Raspberry Pi 4",
    // The Pi 4 boots from its EEPROM: no bootcode.bin.
    firmware: ["start4.elf", "fixup4.dat"],
    config: [
      "# The console is the mini UART (GPIO 14/15); enable_uart=1 fixes the core clock it",
      "# divides, so 115200 baud holds.",
      "enable_uart=1",
      "# seL4 drives the GIC-400 itself.",
      "enable_gic=1",
    ],
    console: "mini UART on GPIO 14 (TX, pin 8) and GPIO 15 (RX, pin 10), 115200 8N1",
  },
};

export interface BootFolder {
  dir: string;
  /** Every file written, sorted. */
  files: string[];
  /** Firmware files that were not found. */
  missing: string[];
  /** Where the firmware came from, if any was found. */
  firmwareDir?: string;
}

/** config.txt for a board. */
export function bootConfig(b: BootBoard): string {
  return [
    `# ${b.board}: written by neptune-gen build -p ${b.platform}. Copy every file of this folder`,
    "# onto the first (FAT) partition of an SD card.",
    "# 64-bit mode: the image is an AArch64 seL4 elfloader.",
    "arm_64bit=1",
    `kernel=${BOOT_IMAGE_NAME}`,
    ...b.config,
    "",
  ].join("\n");
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

/** Folders to look for the firmware in, in order. */
export function firmwareDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.NEPTUNE_RPI_FIRMWARE) dirs.push(env.NEPTUNE_RPI_FIRMWARE);
  dirs.push("/usr/lib/raspi-firmware");
  return dirs;
}

/** Writes `<buildDir>/boot` for `platform`; undefined for a platform without one. */
export async function writeBootFolder(platform: string, image: string, buildDir: string): Promise<BootFolder | undefined> {
  const b = BOOT_BOARDS[platform];
  if (!b) return undefined;
  const dir = path.join(buildDir, "boot");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyFile(image, path.join(dir, BOOT_IMAGE_NAME));
  await writeFile(path.join(dir, "config.txt"), bootConfig(b));

  const missing: string[] = [];
  let firmwareDir: string | undefined;
  for (const f of b.firmware) {
    let found: string | undefined;
    for (const d of firmwareDirs()) {
      if (await exists(path.join(d, f))) {
        found = d;
        break;
      }
    }
    if (found) {
      await copyFile(path.join(found, f), path.join(dir, f));
      firmwareDir ??= found;
    } else {
      missing.push(f);
    }
  }
  if (missing.length) await writeFile(path.join(dir, "MISSING-FIRMWARE.txt"), missingText(b, missing));
  const files = (await readdir(dir)).sort();
  return { dir, files, missing, firmwareDir };
}

/** Where to get firmware files that were not found. */
export function missingText(b: BootBoard, missing: string[]): string {
  return [
    `The ${b.board} boots from firmware files this folder lacks: ${missing.join(", ")}.`,
    "Get them from Debian's raspi-firmware package (component non-free-firmware; bookworm has",
    "1.20220830+ds-1), without installing it (its scripts expect a mounted /boot/firmware):",
    "  apt-get download raspi-firmware && dpkg-deb -x raspi-firmware_*.deb fw",
    "  export NEPTUNE_RPI_FIRMWARE=$PWD/fw/usr/lib/raspi-firmware",
    "or from the Raspberry Pi's own repository: https://github.com/raspberrypi/firmware/tree/master/boot",
    "then build again (or copy them next to config.txt yourself).",
    "",
  ].join("\n");
}
