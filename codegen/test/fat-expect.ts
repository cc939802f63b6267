// SPDX-License-Identifier: BSD-2-Clause
/**
 * What the FAT example's test client (examples/fat/servers/fattest) writes and prints, and how a
 * test checks a run and the image afterwards: shared by the FAT example's tests on QEMU virt and
 * the host (fat-system.test.ts) and on the Raspberry Pi 3's SD card (sdhci.test.ts).
 */

import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { mtool, sh } from "../../scripts/fat-lib.ts";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The client's file contents (fattest_byte in examples/fat/servers/fattest/main.c). */
export function pattern(seed: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) {
    let x = Math.imul((i ^ Math.imul(seed, 0x9e3779b1)) >>> 0, 0x85ebca6b) >>> 0;
    x = (x ^ (x >>> 13)) >>> 0;
    x = Math.imul(x, 0xc2b2ae35) >>> 0;
    b[i] = (x >>> 16) & 0xff;
  }
  return b;
}

/** What the client writes: path after its renames, size, seed, size after truncation. */
export const WRITTEN: [string, number, number, number][] = [
  ["New Folder/empty file with a long name.txt", 0, 1, 0],
  ["New Folder/one byte renamed.bin", 1, 2, 1],
  ["almost a page (4095 bytes).dat", 4095, 3, 4095],
  ["PAGE.BIN", 4096, 4, 1000],
  ["moved directory/one MiB and seven bytes.data", (1 << 20) + 7, 5, (1 << 20) + 7],
];

export function checkRun(out: string, files: Map<string, Buffer>): void {
  expect(out).not.toMatch(/ERROR: AddressSanitizer|runtime error:|FAILED|WRONG|fault: server/);
  expect(out).toMatch(/fat: mounted FAT\d+: \d+ clusters/);
  for (const [p, data] of files) expect(out, p).toContain(`fattest: file ${p} ${data.length} ${sha(data)}`);
  for (const [p, size, seed] of WRITTEN) {
    const name = p.replace("New Folder/one byte renamed.bin", "one byte.bin").replace("moved directory/", "New Folder/a directory with a long name/");
    expect(out).toContain(`fattest: wrote ${name} ${size} ${sha(pattern(seed, size))} (read back ok)`);
  }
  expect(out).toContain("fat: unmounted clean");
  expect(out).toContain("fattest: done");
}

export function checkImage(img: string, dir: string): void {
  const fsck = sh("fsck.fat", ["-n", img]);
  expect(fsck.stdout, fsck.stdout).not.toMatch(/Dirty bit|wrong|share|Orphan|lost|bad/i);
  expect(fsck.status, fsck.stdout).toBe(0);
  for (const [p, size, seed, after] of WRITTEN) {
    const out = path.join(dir, "back.bin");
    rmSync(out, { force: true });
    mtool("mcopy", img, ["-n", `::/${p}`, out]);
    expect(sha(readFileSync(out)), p).toBe(sha(pattern(seed, size).subarray(0, after)));
  }
  const shared = path.join(dir, "shared.bin");
  rmSync(shared, { force: true });
  mtool("mcopy", img, ["-n", "::/New Folder/shared renamed.txt", shared]);
  expect(sha(readFileSync(shared))).toBe(sha(pattern(6, 15000)));
  expect(mtool("mdir", img, ["-b", "::/moved directory/.."])).toContain("almost a page (4095 bytes).dat");
}

