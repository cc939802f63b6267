// SPDX-License-Identifier: BSD-2-Clause
/**
 * Building and driving the FAT library's host programs (lib/fat, lib/bcache), shared by
 * codegen/test/fat-lib.test.ts and scripts/fuzz-fat.ts: the C sources, the test driver
 * (lib/fat/test/fat_tool.c) built with gcc under ASan/UBSan, disk images made by mkfs.fat and
 * filled by mtools, and a run of the driver over a list of commands.
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const FAT_DIR = path.join(ROOT, "lib/fat");
export const BCACHE_DIR = path.join(ROOT, "lib/bcache");

/** The library sources: lib/fat/*.c and lib/bcache/*.c. */
export function fatLibSources(): string[] {
  const c = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".c")).sort().map((f) => path.join(dir, f));
  return [...c(FAT_DIR), ...c(BCACHE_DIR)];
}

export const FAT_INCLUDES = [`-I${path.join(FAT_DIR, "include")}`, `-I${path.join(BCACHE_DIR, "include")}`];

/** Why the FAT host tests cannot run here (a missing tool, with its Debian package), or undefined. */
export function fatSkipReason(): string | undefined {
  const tools: [string, string[], string][] = [
    ["gcc", ["--version"], "gcc"],
    ["mkfs.fat", ["--help"], "dosfstools"],
    ["fsck.fat", ["--help"], "dosfstools"],
    ["mcopy", ["--version"], "mtools"],
  ];
  for (const [tool, args, pkg] of tools) {
    const r = spawnSync(tool, args, { encoding: "utf8" });
    if (r.error) return `${tool} is not installed (Debian package ${pkg})`;
  }
  return undefined;
}

/** Compiles the test driver with the sanitizers; throws with gcc's messages on failure. */
export function buildFatTool(out: string): void {
  const args = [
    "-std=c11", "-g", "-O1", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
    "-Wall", "-Wextra", "-Werror", ...FAT_INCLUDES,
    ...fatLibSources(), path.join(FAT_DIR, "test/fat_tool.c"), "-o", out,
  ];
  const r = spawnSync("gcc", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gcc ${args.join(" ")}\n${r.stdout}${r.stderr}`);
}

/** The environment mtools and the driver run in (no geometry checks, no leak report). */
export const TOOL_ENV = { ...process.env, MTOOLS_SKIP_CHECK: "1", ASAN_OPTIONS: "detect_leaks=0" };

/** Runs a command; returns status and output. */
export function sh(cmd: string, args: string[], input?: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: TOOL_ENV, input, maxBuffer: 64 << 20, timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

/** Size in KiB and mkfs.fat options of the test images of each FAT type. */
export const IMAGE_GEOMETRY: Record<12 | 16 | 32, { kib: number; opts: string[] }> = {
  12: { kib: 4096, opts: ["-F", "12"] },
  16: { kib: 32768, opts: ["-F", "16", "-s", "4"] },
  32: { kib: 40960, opts: ["-F", "32", "-s", "1"] },
};

/** Makes an empty FAT image of the given type (mkfs.fat -C). */
export function makeImage(img: string, type: 12 | 16 | 32, kib = IMAGE_GEOMETRY[type].kib): void {
  rmSync(img, { force: true });
  const r = sh("mkfs.fat", [...IMAGE_GEOMETRY[type].opts, "-n", "NEPTUNE", "-C", img, String(kib)]);
  if (r.status !== 0) throw new Error(`mkfs.fat: ${r.stderr}`);
}

/** Runs mtools (mmd, mcopy, mdir, ...) on an image; throws on failure. */
export function mtool(tool: string, img: string, args: string[]): string {
  const r = sh(tool, ["-i", img, ...args]);
  if (r.status !== 0) throw new Error(`${tool} -i ${img} ${args.join(" ")}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Runs the driver over commands (each a list of fields); the sanitizers must stay quiet. */
export function fatTool(bin: string, img: string, commands: string[][]): { status: number; lines: string[]; stderr: string } {
  const r = sh(bin, [img], commands.map((c) => c.join("\t")).join("\n") + "\n");
  if (/ERROR: AddressSanitizer|runtime error|LeakSanitizer/.test(r.stderr)) throw new Error(`fat_tool: sanitizer report:\n${r.stderr}`);
  return { status: r.status, lines: r.stdout.split("\n").filter(Boolean), stderr: r.stderr };
}

/** Builds the libFuzzer harness (lib/fat/test/fat_fuzz.c) with clang; throws on failure. */
export function buildFatFuzz(out: string, cc = "clang", defines: string[] = []): void {
  const args = [
    ...defines.map((d) => `-D${d}`),
    "-g", "-O1", "-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=undefined", "-Wall", "-Wextra", "-Werror",
    ...FAT_INCLUDES, ...fatLibSources(), path.join(FAT_DIR, "test/fat_fuzz.c"), "-o", out,
  ];
  const r = spawnSync(cc, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cc} ${args.join(" ")}\n${r.stdout}${r.stderr}`);
}

/** An image in the harness's sparse input form: u32 blocks, then (u32 block, 512 bytes) per non-zero block. */
export function sparseImage(image: Buffer): Buffer {
  const blocks = image.length / 512;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(4);
  head.writeUInt32LE(blocks);
  parts.push(head);
  for (let b = 0; b < blocks; b++) {
    const blk = image.subarray(b * 512, (b + 1) * 512);
    if (!blk.some((x) => x !== 0)) continue;
    const n = Buffer.alloc(4);
    n.writeUInt32LE(b);
    parts.push(n, blk);
  }
  return Buffer.concat(parts);
}

/** Writes the fuzzing seeds (small FAT12/16/32 images with files, directories, long names) into dir. */
export function makeFuzzSeeds(dir: string, work: string): string[] {
  mkdirSync(dir, { recursive: true });
  mkdirSync(work, { recursive: true });
  const kinds: [12 | 16 | 32, number, string[]][] = [
    [12, 1024, ["-F", "12"]],
    [16, 8192, ["-F", "16", "-s", "1"]],
    [32, 34000, ["-F", "32", "-s", "1"]],
  ];
  const seeds: string[] = [];
  for (const [type, kib, opts] of kinds) {
    const img = path.join(work, `seed${type}.img`);
    rmSync(img, { force: true });
    const r = sh("mkfs.fat", [...opts, "-C", img, String(kib)]);
    if (r.status !== 0) throw new Error(`mkfs.fat: ${r.stderr}`);
    mtool("mmd", img, ["::/sub", "::/sub/A longer directory name"]);
    const files: [string, number][] = [["readme.txt", 700], ["sub/Long File Name.data", 1500], ["sub/A longer directory name/E", 0], ["UP.BIN", 3000]];
    for (const [p, n] of files) {
      const host = path.join(work, "f");
      writeFileSync(host, Buffer.alloc(n, p.length));
      mtool("mcopy", img, [host, `::/${p}`]);
    }
    const out = path.join(dir, `fat${type}.seed`);
    writeFileSync(out, sparseImage(readFileSync(img)));
    seeds.push(out);
  }
  return seeds;
}
