// SPDX-License-Identifier: BSD-2-Clause
/**
 * The boot folder of the Raspberry Pi boards (build/bootdir.ts), without seL4: config.txt says
 * 64-bit, the UART and the image's name; the image in the folder is byte for byte the one given;
 * firmware files are copied from $NEPTUNE_RPI_FIRMWARE, and the ones not found are named with
 * where to get them. The seL4 boards test checks the same on a folder `neptune-gen build` wrote.
 */

import { mkdtemp, readFile, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BOOT_IMAGE_NAME, bootConfig, BOOT_BOARDS, writeBootFolder } from "../src/build/bootdir.ts";

const saved = process.env.NEPTUNE_RPI_FIRMWARE;
afterEach(() => {
  if (saved === undefined) delete process.env.NEPTUNE_RPI_FIRMWARE;
  else process.env.NEPTUNE_RPI_FIRMWARE = saved;
});

async function fakeBuild(): Promise<{ dir: string; image: string; bytes: Buffer }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "neptune-boot-"));
  const image = path.join(dir, "rootserver-image-arm-bcm2837");
  const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31 + 7) & 0xff));
  await writeFile(image, bytes);
  return { dir, image, bytes };
}

/** config.txt as key=value pairs (comments and blank lines left out). */
function settings(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([a-z_0-9]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

describe("boot folder for the Raspberry Pi", () => {
  it("rpi3: config.txt, the image unchanged, the firmware from NEPTUNE_RPI_FIRMWARE", async () => {
    const { dir, image, bytes } = await fakeBuild();
    const fw = path.join(dir, "fw");
    await mkdir(fw);
    for (const f of ["bootcode.bin", "start.elf", "fixup.dat", "start4.elf"]) await writeFile(path.join(fw, f), `firmware ${f}`);
    process.env.NEPTUNE_RPI_FIRMWARE = fw;

    const boot = await writeBootFolder("rpi3", image, dir);
    expect(boot?.files).toEqual(["bootcode.bin", "config.txt", "fixup.dat", BOOT_IMAGE_NAME, "start.elf"]);
    expect(boot?.missing).toEqual([]);
    expect(await readFile(path.join(boot!.dir, BOOT_IMAGE_NAME))).toEqual(bytes);
    expect(await readFile(path.join(boot!.dir, "start.elf"), "utf8")).toBe("firmware start.elf");
    const cfg = settings(await readFile(path.join(boot!.dir, "config.txt"), "utf8"));
    expect(cfg).toEqual({ arm_64bit: "1", kernel: BOOT_IMAGE_NAME, enable_uart: "1" });
  });

  it("rpi4: its own firmware (no bootcode.bin) and the GIC enabled", async () => {
    const { dir, image } = await fakeBuild();
    const fw = path.join(dir, "fw");
    await mkdir(fw);
    for (const f of ["bootcode.bin", "start4.elf", "fixup4.dat"]) await writeFile(path.join(fw, f), f);
    process.env.NEPTUNE_RPI_FIRMWARE = fw;
    const boot = await writeBootFolder("rpi4", image, dir);
    expect(boot?.files).toEqual(["config.txt", "fixup4.dat", BOOT_IMAGE_NAME, "start4.elf"]);
    expect(settings(bootConfig(BOOT_BOARDS.rpi4))).toEqual({ arm_64bit: "1", kernel: BOOT_IMAGE_NAME, enable_uart: "1", enable_gic: "1" });
  });

  it("names the firmware it did not find and where to get it, instead of failing silently", async () => {
    const { dir, image } = await fakeBuild();
    process.env.NEPTUNE_RPI_FIRMWARE = path.join(dir, "no-such-folder");
    const boot = await writeBootFolder("rpi3", image, dir);
    // (A machine with Debian's raspi-firmware installed finds them in /usr/lib/raspi-firmware.)
    if (boot!.missing.length === 0) return;
    expect(boot!.files).toContain("MISSING-FIRMWARE.txt");
    const note = await readFile(path.join(boot!.dir, "MISSING-FIRMWARE.txt"), "utf8");
    expect(note).toMatch(/lacks: bootcode\.bin, start\.elf, fixup\.dat/);
    expect(note).toMatch(/raspi-firmware/);
    expect(note).toMatch(/github\.com\/raspberrypi\/firmware/);
  });

  it("writes no folder for a board that boots in QEMU only", async () => {
    const { dir, image } = await fakeBuild();
    expect(await writeBootFolder("qemu-arm-virt", image, dir)).toBeUndefined();
  });
});
