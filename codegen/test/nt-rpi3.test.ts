// SPDX-License-Identifier: BSD-2-Clause
/**
 * The NT personality on the Raspberry Pi 3 (examples/nt/rpi3.ts in QEMU raspi3b): the same
 * executive, drivers, prompt and programs as examples/nt, over the Pi's SD card driver
 * (drivers/sdhci), mini UART and system timer. A FAT16 SD-card image made here (mkfs.fat +
 * mcopy, a power of two in size as QEMU's SD model wants); at the prompt: dir, md, copy of a
 * 300 KB file into the new folder, dir of it, type, obdir \Device, nttest (handles and least
 * privilege), shutdown. Then `fsck.fat -n` finds the card clean and mtools reads the copy back
 * identical to its source.
 *
 * seL4 only (the Pi's devices have host models, but the board's value here is the real
 * kernel and drivers): with NEPTUNE_SEL4_WORKSPACE, else a visible skip.
 */
import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";
const MTOOLS = { ...process.env, MTOOLS_SKIP_CHECK: "1" };

/** 300 KB of a fixed pattern. */
function bigFile(): Buffer {
  const b = Buffer.alloc(300_000);
  let x = 0x2545f491;
  for (let i = 0; i < b.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

describe.skipIf(!workspace)(`the NT personality on the Raspberry Pi 3 (QEMU raspi3b)${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("copies onto the SD card through the NT stack; nttest passes; fsck clean, the copy reads back identical", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ng-nt-rpi3-"));
    const img = path.join(dir, "sd.img");
    const big = bigFile();
    writeFileSync(path.join(dir, "big.bin"), big);
    writeFileSync(path.join(dir, "readme.txt"), "hello from the SD card\n");
    for (const [cmd, args] of [
      ["mkfs.fat", ["-C", "-F", "16", "-n", "PISD", img, "32768"]],
      ["mcopy", ["-i", img, path.join(dir, "big.bin"), path.join(dir, "readme.txt"), "::/"]],
    ] as [string, string[]][]) {
      const r = spawnSync(cmd, args, { encoding: "utf8", env: MTOOLS });
      expect(r.status, `${cmd}: ${r.stderr}`).toBe(0);
    }
    const typed = path.join(dir, "typed.txt");
    writeFileSync(typed, ["", "dir C:\\", "md C:\\pi", "copy C:\\big.bin C:\\pi\\big.bin", "dir C:\\pi", "type C:\\readme.txt",
      "obdir \\Device", "nttest C:\\readme.txt", "shutdown", ""].join("\n"));
    const run = await execa("node", [CLI, "run", "-s", "examples/nt/rpi3.ts", "-B", path.join(os.tmpdir(), "neptune-test-nt-rpi3"),
      "--disk", img, "--input", typed, "--input-prompt", "(^|\\n)[A-Z]:\\\\[^\\n]*> ", "--timeout", "600",
      "--expect", "It is now safe to turn off your computer", "--fail", "fault:|libsel4muslcsys: Error"], { cwd: ROOT, reject: false, all: true });
    expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
    const log = run.stdout.replace(/\r/g, "");
    // Servers print at boot together and their characters can interleave on the UART (seen:
    // "suart: … IRQ handdhci: SD host controller …"), so the line is matched from its message.
    expect(log).toMatch(/SD host controller v[\d.]+ at 0x[0-9a-f]+.* card .*: SDSC/);
    expect(log).toMatch(/fastfat: mounted FAT16/);
    expect(log).toContain("1 file(s) copied.");
    expect(log).toMatch(/ {7}300,000 big\.bin/);
    expect(log).toContain("hello from the SD card");
    expect(log).toMatch(/Device {9}Null/);
    expect(log).toMatch(/nttest: \d+ checks passed, 0 failed/);
    const fsck = spawnSync("fsck.fat", ["-n", img], { encoding: "utf8" });
    expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
    const back = spawnSync("mcopy", ["-n", "-i", img, "::/pi/big.bin", "-"], { env: MTOOLS, maxBuffer: 1 << 24 });
    expect(back.status).toBe(0);
    expect(Buffer.compare(back.stdout, big)).toBe(0);
  }, 900_000);
});
