// SPDX-License-Identifier: BSD-2-Clause
/**
 * The FAT example (examples/fat): the FAT server (drivers/fat) over the virtio-blk driver, and a
 * client that lists and reads the volume, writes files with long names and sizes 0, 1, 4095,
 * 4096 and 1 MiB + 7, makes and removes directories, renames, truncates and unmounts.
 *
 * - host target (always): FAT12, FAT16 and FAT32 images made by mkfs.fat + mcopy; the client's
 *   SHA-256 of every file equals the host's, `fsck.fat -n` finds the image clean afterwards and
 *   mtools reads the new files back identical. Then a crash: the system is stopped in the middle
 *   of a long write after a sync; the image has no cross-linked clusters and the synced file
 *   reads back intact.
 * - seL4 in QEMU (needs NEPTUNE_SEL4_WORKSPACE, else a visible skip): the same on FAT32, and
 *   the crash by killing QEMU.
 */

import { execa } from "execa";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fatSkipReason, makeImage, mtool, sh } from "../../scripts/fat-lib.ts";
import { checkImage, checkRun, pattern } from "./fat-expect.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const SYSTEM = "examples/fat/system.ts";
const skip = fatSkipReason();
if (skip) console.warn(`fat-system: skipped: ${skip}`);
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const sel4Skip = skip ?? (workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from");
if (sel4Skip && !skip) console.warn(`fat-system (seL4): skipped: ${sel4Skip}`);

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
let dir: string;

/** A volume of the type with a few files; their contents by path. */
function volume(type: 12 | 16 | 32, name: string, kib?: number): { img: string; files: Map<string, Buffer> } {
  const img = path.join(dir, name);
  makeImage(img, type, kib);
  mtool("mmd", img, ["::/docs"]);
  const files = new Map<string, Buffer>();
  for (const [p, n] of [["docs/hello world.txt", 5000], ["BIG.BIN", 300_000], ["readme.txt", 17]] as const) {
    const data = createHash("sha512").update(p).digest();
    const full = Buffer.concat(Array.from({ length: Math.ceil(n / data.length) }, () => data)).subarray(0, n);
    writeFileSync(path.join(dir, "host.bin"), full);
    mtool("mcopy", img, [path.join(dir, "host.bin"), `::/${p}`]);
    files.set(p, full);
  }
  return { img, files };
}

async function runSystem(args: string[], expectRe: string, timeout: number) {
  return execa("node", [CLI, "run", "-s", SYSTEM, ...args, "--expect", expectRe, "--timeout", String(timeout)], {
    cwd: ROOT, reject: false, all: true, timeout: (timeout + 600) * 1000, env: { ...process.env, MTOOLS_SKIP_CHECK: "1" },
  });
}

/** A FAT32 volume with 4 KiB clusters holding a 4 MiB BENCH.BIN (the client's benchmark mode). */
function benchVolume(name: string): string {
  const img = path.join(dir, name);
  rmSync(img, { force: true });
  const r = sh("mkfs.fat", ["-F", "32", "-s", "8", "-C", img, "327680"]);
  expect(r.status, r.stderr).toBe(0);
  writeFileSync(path.join(dir, "bench.bin"), pattern(9, 4 << 20));
  mtool("mcopy", img, [path.join(dir, "bench.bin"), "::/BENCH.BIN"]);
  return img;
}

function checkBench(out: string): void {
  expect(out).not.toMatch(/ERROR: AddressSanitizer|runtime error:|FAILED|fault: server/);
  expect(out).toMatch(/fattest: bench: 1024 cached 4 KiB reads: \d+ counts, \d+ instructions each, 1024 fs round trips \+ 0 blockdev calls = 1\.00 round trips per read/);
  expect(out).toContain("fattest: bench done");
  for (const l of out.split("\n").filter((x) => x.startsWith("fattest: bench:"))) console.log(l);
}

function checkCrash(img: string, out: string): void {
  expect(out).toContain("fattest: synced synced.bin (0)");
  const fsck = sh("fsck.fat", ["-n", img]);
  expect(fsck.stdout).not.toMatch(/share clusters|cross/i);
  const back = path.join(dir, "synced.bin");
  rmSync(back, { force: true });
  mtool("mcopy", img, ["-n", "::/synced.bin", back]);
  expect(sha(readFileSync(back))).toBe(sha(pattern(7, 300000)));
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ng-fat-system-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Per-test time limit: a first build (seL4 especially) takes minutes on a busy machine. */
const LONG = 1_200_000;
const HOST = ["--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/fat")];

describe.skipIf(!!skip)("FAT example on the host target", () => {
  it.each([12, 16, 32] as const)("FAT%i: lists, reads, writes, renames, truncates and unmounts; fsck.fat and mtools agree", async (type) => {
    const { img, files } = volume(type, `host${type}.img`);
    const r = await runSystem([...HOST, "--disk", img], "fattest: done", 180);
    checkRun(r.all ?? "", files);
    expect(r.exitCode, r.all).toBe(0);
    checkImage(img, dir);
  }, LONG);

  it("keeps the synced file and cross-links nothing when stopped in a long write", async () => {
    const { img } = volume(32, "hostcrash.img");
    writeFileSync(path.join(dir, "cmd"), "");
    mtool("mcopy", img, [path.join(dir, "cmd"), "::/CRASH.CMD"]);
    const r = await runSystem([...HOST, "--disk", img], "fattest: long write at 3072 KiB", 180);
    expect(r.exitCode, r.all).toBe(0);
    checkCrash(img, r.all ?? "");
  }, LONG);
});

describe.skipIf(!!skip)("FAT example's benchmark mode on the host target", () => {
  it("reads through the cache: a cached 4 KiB read is one round trip", async () => {
    const r = await runSystem([...HOST, "--disk", benchVolume("hostbench.img")], "fattest: bench done", 180);
    expect(r.exitCode, r.all).toBe(0);
    checkBench(r.all ?? "");
  }, LONG);
});

describe.skipIf(!!sel4Skip)("FAT example on seL4 in QEMU", () => {
  const SEL4 = ["-B", path.join(ROOT, "build/sel4-test/fat")];

  it.each([12, 16, 32] as const)("FAT%i: one boot lists, reads, writes, renames, truncates and unmounts; fsck.fat and mtools agree", async (type) => {
    const { img, files } = volume(type, `sel4-${type}.img`);
    const r = await runSystem([...SEL4, "--disk", img], "fattest: done", 300);
    checkRun(r.all ?? "", files);
    expect(r.exitCode, r.all).toBe(0);
    checkImage(img, dir);
  }, LONG);

  it("QEMU killed in a long write: the synced file intact, no cross-linked clusters", async () => {
    const { img } = volume(32, "sel4crash.img");
    writeFileSync(path.join(dir, "cmd"), "");
    mtool("mcopy", img, [path.join(dir, "cmd"), "::/CRASH.CMD"]);
    const r = await runSystem([...SEL4, "--disk", img], "fattest: long write at 3072 KiB", 300);
    expect(r.exitCode, r.all).toBe(0);
    checkCrash(img, r.all ?? "");
  }, LONG);

  it("benchmark under -icount: raw reads, cold and cached reads through the file system, round trips", async () => {
    const r = await runSystem([...SEL4, "--icount", "--disk", benchVolume("sel4bench.img")], "fattest: bench done", 600);
    expect(r.exitCode, r.all).toBe(0);
    checkBench(r.all ?? "");
    expect(r.all).toMatch(/fattest: bench: fs re-read, cached \(64 KiB calls\): 4096 KiB, \d+ counts/);
  }, LONG);
});
