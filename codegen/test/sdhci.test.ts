// SPDX-License-Identifier: BSD-2-Clause
/**
 * SD card storage on the Raspberry Pi 3 (drivers/sdhci, the Arasan SD host controller):
 * - host unit tests (always): the SD protocol's pure part (drivers/sdhci/test/sdcard_test.c) and
 *   the controller code against the host target's SDHCI model with injected faults
 *   (test/sdhci_test.c: every wait ends in an error within its timeout), gcc under ASan/UBSan;
 * - QEMU's command line for the SD card and its power-of-two rule (always);
 * - host target (always; FAT part needs dosfstools and mtools): examples/storage/rpi3.ts on a
 *   standard and a high capacity card (writes, read-backs, the refusals virtio-blk gives, the
 *   data landing in the image file), and examples/fat/rpi3.ts on an image made by
 *   `neptune-gen disk create --from` (files read back identical, new files written and read
 *   back, fsck.fat clean, mtools reads them back identical);
 * - seL4 in QEMU raspi3b (needs NEPTUNE_SEL4_WORKSPACE, else a visible skip): the same two
 *   examples booted by `neptune-gen run --disk`, the image attached as QEMU's SD card.
 */

import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fatSkipReason } from "../../scripts/fat-lib.ts";
import { diskSizeProblem, qemuCommand } from "../src/run/qemu.ts";
import { checkImage, checkRun } from "./fat-expect.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const fatSkip = fatSkipReason();
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const sel4Skip = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";
if (fatSkip) console.warn(`sdhci (FAT on the SD card): skipped: ${fatSkip}`);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ng-sdhci-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A blank (sparse) image of `bytes`. */
function blank(name: string, bytes: number): string {
  const img = path.join(dir, name);
  const fd = openSync(img, "w");
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return img;
}

/** Builds a C test under ASan/UBSan from repository-relative sources; returns the program. */
function gcc(name: string, sources: string[], includes: string[]): string {
  const exe = path.join(dir, name);
  const cc = spawnSync(
    "gcc",
    [
      "-std=c11", "-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-Wall", "-Wextra", "-Werror",
      ...includes.map((i) => `-I${path.join(ROOT, i)}`), ...sources.map((s) => path.join(ROOT, s)), "-o", exe,
    ],
    { encoding: "utf8" },
  );
  expect(cc.status, cc.stderr).toBe(0);
  return exe;
}

const ASAN_ENV = { ...process.env, ASAN_OPTIONS: "detect_leaks=0" };

describe("SD protocol and controller code on the host", () => {
  it("encodes commands, decodes R7, CSD 1.0/2.0, CID, addresses and clock dividers", () => {
    const exe = gcc("sdcard_test", ["drivers/sdhci/sdcard.c", "drivers/sdhci/test/sdcard_test.c"], ["drivers/sdhci"]);
    const r = spawnSync(exe, [], { encoding: "utf8", env: ASAN_ENV, timeout: 60_000 });
    expect(r.stderr).not.toMatch(/AddressSanitizer|runtime error/);
    expect(r.stdout).toMatch(/sdcard_test: \d+ checks, 0 failed/);
    expect(r.status, r.stdout).toBe(0);
  });

  it("identifies SDSC and SDHC cards, moves blocks, and ends every stalled wait in an error within its timeout", () => {
    const exe = gcc(
      "sdhci_test",
      ["drivers/sdhci/sdhci.c", "drivers/sdhci/sdcard.c", "drivers/sdhci/test/sdhci_test.c", "runtime/host/rootserver/sdhci.c"],
      ["drivers/sdhci", "runtime/include", "runtime/host/include", "runtime/host/rootserver", "rootserver/include", "rootserver/common/include"],
    );
    const r = spawnSync(exe, [blank("unit-sc.img", 16 << 20), blank("unit-hc.img", 4 * 2 ** 30)], { encoding: "utf8", env: ASAN_ENV, timeout: 60_000 });
    expect(r.stderr).not.toMatch(/AddressSanitizer|runtime error/);
    expect(r.stdout).toContain("sdhci_test: SDSC card, 32768 blocks: identified, wrote and read back 1 and 16 blocks");
    expect(r.stdout).toContain("sdhci_test: SDHC card, 8388608 blocks: identified, wrote and read back 1 and 16 blocks");
    expect(r.stdout).toMatch(/controller stuck in reset -> timeout after \d+ ms/);
    expect(r.stdout).toMatch(/card that never answers -> timeout after \d+ ms/);
    expect(r.stdout).toMatch(/data stops after the first block -> timeout after \d+ ms/);
    expect(r.stdout).toMatch(/empty slot -> command error after \d+ ms/);
    expect(r.stdout).toMatch(/sdhci_test: \d+ checks, 0 failed/);
    expect(r.status, r.stdout).toBe(0);
  });
});

describe("QEMU's SD card", () => {
  it("attaches --disk on rpi3 as the SD card (if=sd), virtio-blk elsewhere", () => {
    expect(qemuCommand("rpi3", "img", { disk: "/d/a,b.img" })!.args.slice(-2)).toEqual(["-drive", "if=sd,format=raw,file=/d/a,,b.img"]);
    expect(qemuCommand("qemu-arm-virt", "img", { disk: "d.img" })!.args.join(" ")).toContain("virtio-blk-device");
  });

  it("takes only power-of-two sizes on rpi3, and says how to fix one", () => {
    expect(diskSizeProblem("rpi3", "sd.img", 64 << 20)).toBeUndefined();
    expect(diskSizeProblem("rpi3", "sd.img", 4 * 2 ** 30)).toBeUndefined();
    expect(diskSizeProblem("qemu-arm-virt", "d.img", 10 << 20)).toBeUndefined();
    expect(diskSizeProblem("rpi3", "sd.img", 10 << 20)).toEqual({
      message: "disk image sd.img is 10485760 bytes: QEMU's SD card (rpi3) takes only a power of two",
      hint: "grow it (the file system in it keeps its size): truncate -s 16M sd.img; or make it so: neptune-gen disk create --size 16M ...",
    });
    expect(diskSizeProblem("rpi3", "sd.img", 3 * 2 ** 30)?.hint).toContain("truncate -s 4G sd.img");
  });
});

/** What examples/storage/rpi3.ts prints for a card of `blocks` (the same refusals as virtio-blk). */
function storageExpect(blocks: number, hc: boolean): RegExp[] {
  return [
    new RegExp(`sdhci: SD host controller v3\\.00 at 0x[0-9a-f]+, base clock 250 MHz; card \\S+: SD${hc ? "HC/XC, CSD v2" : "SC, CSD v1"}, ${blocks} blocks \\(${blocks >> 11} MiB\\), RCA 0x[0-9a-f]+, 4-bit bus at 25000 kHz, PIO`),
    new RegExp(`sdtest: disk "SD${hc ? "HC" : "SC"} card \\S+ \\(SDHCI\\)": ${blocks} blocks of 512 bytes, max transfer 65536`),
    /sdtest: wrote 8 x 64 KiB at block 2048, read back 8\/8 with matching checksums \(0 matched before writing\) \(ok\)/,
    /sdtest: read past the end -> 17 \(refused as expected\)/,
    /sdtest: read of 0 blocks -> 19 \(refused as expected\)/,
    /sdtest: read of 129 blocks -> 19 \(refused as expected\)/,
    /sdtest: write of 100 bytes -> 19 \(refused as expected\)/,
    /sdtest: malformed read_blocks -> 1 \(refused as expected\)/,
    /sdtest: flush -> 0 \(ok\)/,
    /sdtest: prefetch: 0 of 8 queued, 9\/9 reads right, a write over a prefetched range read back new \(ok\)/,
    /sdtest: prefetch past the end -> 17 \(refused as expected\)/,
    /sdtest: driver stats: \d+ requests completed, at most 1 in flight at once, 6 refused \(ok\)/,
    /sdtest: done/,
  ];
}

async function run(system: string, buildArgs: string[], disk: string, expects: (string | RegExp)[], timeout: number) {
  const args = ["run", "-s", system, ...buildArgs, "--disk", disk, "--timeout", String(timeout), "--fail", "FAILED|WRONG|fault: server|runtime error|AddressSanitizer"];
  for (const e of expects) args.push("--expect", typeof e === "string" ? e : e.source);
  return execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true, timeout: (timeout + 900) * 1000, env: { ...process.env, MTOOLS_SKIP_CHECK: "1" } });
}

/** Both card kinds: the run counter blktest keeps in block 2047 lands in the image file. */
async function storageBoth(buildArgs: string[], timeout: number): Promise<void> {
  for (const [name, bytes, hc] of [["sc.img", 16 << 20, false], ["hc.img", 4 * 2 ** 30, true]] as const) {
    const img = blank(`${buildArgs.join("_").replace(/\W/g, "")}-${name}`, bytes);
    const r = await run("examples/storage/rpi3.ts", buildArgs, img, storageExpect(bytes / 512, hc), timeout);
    expect(r.exitCode, r.all).toBe(0);
    // The image may be 4 GiB (sparse): read just that block.
    const block = Buffer.alloc(512);
    const fd = openSync(img, "r");
    try {
      readSync(fd, block, 0, 512, 2047 * 512);
    } finally {
      closeSync(fd);
    }
    expect(block.readUInt32LE(0), name).toBe(1);
  }
}

/** A FAT32 image made by `neptune-gen disk create --from` with a few files; their contents. */
async function fatImage(name: string): Promise<{ img: string; files: Map<string, Buffer> }> {
  const from = path.join(dir, `${name}-files`);
  mkdirSync(path.join(from, "docs"), { recursive: true });
  const files = new Map<string, Buffer>();
  for (const [p, n] of [["docs/hello world.txt", 5000], ["BIG.BIN", 300_000], ["readme.txt", 17]] as const) {
    const seed = createHash("sha512").update(p).digest();
    const data = Buffer.concat(Array.from({ length: Math.ceil(n / seed.length) }, () => seed)).subarray(0, n);
    writeFileSync(path.join(from, p), data);
    files.set(p, data);
  }
  const img = path.join(dir, name);
  const r = await execa("node", [CLI, "disk", "create", "--fat", "32", "--size", "64M", "--from", from, img], { cwd: ROOT, reject: false, all: true });
  expect(r.exitCode, r.all).toBe(0);
  expect(r.stdout).not.toContain("not a power of two");
  return { img, files };
}

const LONG = 1_800_000;
const HOST = ["--target", "host", "--sanitize"];

describe("SD card on the host target (the same driver against the host's SDHCI model)", () => {
  const build = [...HOST, "-B", path.join(ROOT, "build/host-test/storage-rpi3")];

  it("storage: SDSC and SDHC cards, writes read back, bad requests refused as virtio-blk refuses them", async () => {
    await storageBoth(build, 120);
  }, LONG);

  it("refuses an image QEMU's SD card would not take, with the fix", async () => {
    const r = await run("examples/storage/rpi3.ts", build, blank("odd.img", 10 << 20), ["sdtest: done"], 60);
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain("is 10485760 bytes: QEMU's SD card (rpi3) takes only a power of two");
    expect(r.all).toContain("hint: grow it (the file system in it keeps its size): truncate -s 16M");
  }, LONG);

  it.skipIf(!!fatSkip)("FAT: files from disk create read back identical, new files written, fsck.fat clean", async () => {
    const { img, files } = await fatImage("host-fat.img");
    const r = await run("examples/fat/rpi3.ts", [...HOST, "-B", path.join(ROOT, "build/host-test/fat-rpi3")], img, ["fattest: done"], 180);
    checkRun(r.all ?? "", files);
    expect(r.exitCode, r.all).toBe(0);
    checkImage(img, dir);
  }, LONG);
});

describe.skipIf(!!sel4Skip)("SD card on seL4 in QEMU raspi3b", () => {
  it("storage: SDSC and SDHC cards, writes read back, bad requests refused as virtio-blk refuses them", async () => {
    await storageBoth(["-B", path.join(ROOT, "build/sel4-test/storage-rpi3")], 300);
  }, LONG);

  it.skipIf(!!fatSkip)("FAT: an image made by disk create: files read back identical, new files written, fsck.fat clean", async () => {
    const { img, files } = await fatImage("sel4-fat.img");
    const r = await run("examples/fat/rpi3.ts", ["-B", path.join(ROOT, "build/sel4-test/fat-rpi3")], img, ["fattest: done"], 300);
    checkRun(r.all ?? "", files);
    expect(r.all).toContain("-drive if=sd,format=raw,file=");
    expect(r.exitCode, r.all).toBe(0);
    checkImage(img, dir);
  }, LONG);
});

describe.skipIf(!sel4Skip)("SD card on seL4 in QEMU raspi3b", () => {
  it.skip(`skipped: ${sel4Skip}`, () => {});
});
