// SPDX-License-Identifier: BSD-2-Clause
/**
 * NT personality benchmark (issue 11): a FAT32 volume with 4 KiB clusters made on the host by
 * mkfs.fat + mcopy, holding BENCH.BIN (1 MiB) and COLD.BIN (8 MiB); examples/nt/bench.ts built
 * with the IPC benchmark's settings (release kernel keeping its console, PMU exported to user
 * mode) and booted once under QEMU -icount. ntbench (examples/nt/servers/ntbench) prints, for an
 * NtReadFile of 4 KiB that hits the executive's cache, one that misses it, and an NtCreateFile of
 * a path already open (+ NtClose), the instructions retired, the round trips to the executive
 * and the IRPs it sent to drivers, each; beside them the POSIX layer's figures for the same files
 * (pread hit and miss through the FAT server, open + close), and a plain round trip.
 *
 *   npm run bench:nt [-- --build-dir DIR]      (needs NEPTUNE_SEL4_WORKSPACE, mkfs.fat, mtools)
 *
 * Without a workspace it prints why it skips, exit 0.
 */

import { execa } from "execa";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BENCH_CMAKE_DEFS } from "./bench-ipc.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const SYSTEM = "examples/nt/bench.ts";

/** Bytes that are not all alike (xorshift32). */
function pattern(bytes: number, seed: number): Buffer {
  const b = Buffer.alloc(bytes);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < bytes; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeUInt32LE(x >>> 0, i);
  }
  return b;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const bi = argv.indexOf("--build-dir");
  const buildDir = bi >= 0 ? argv[bi + 1] : path.join(os.tmpdir(), "neptune-bench-nt");
  if (!process.env.NEPTUNE_SEL4_WORKSPACE) {
    console.log("bench:nt skipped: NEPTUNE_SEL4_WORKSPACE is not set (no seL4 sources to build the benchmark image from)");
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "neptune-bench-nt-"));
  const img = path.join(dir, "bench.img");
  writeFileSync(path.join(dir, "BENCH.BIN"), pattern(1 << 20, 0x9e3779b9));
  writeFileSync(path.join(dir, "COLD.BIN"), pattern(8 << 20, 0x12345678));
  // 320 MiB: enough clusters of 4 KiB (8 sectors) for FAT32.
  await execa("mkfs.fat", ["-F", "32", "-s", "8", "-C", img, "327680"]);
  await execa("mcopy", ["-i", img, path.join(dir, "BENCH.BIN"), path.join(dir, "COLD.BIN"), "::/"]);
  const defs = BENCH_CMAKE_DEFS.flatMap((d) => ["--cmake-def", d]);
  const args = [CLI, "run", "-s", SYSTEM, "-B", buildDir, ...defs, "--icount", "--disk", img, "--timeout", "900"];
  args.push("--expect", "ntbench: done \\(0 failures\\)", "--fail", "FAILED|fault: server");
  console.log(`$ node ${path.relative(ROOT, CLI)} ${args.slice(1).join(" ")}`);
  const run = await execa("node", args, { cwd: ROOT, reject: false, all: true });
  const lines = (run.stdout ?? "").replace(/\r/g, "").split("\n").filter((l) => l.startsWith("ntbench: "));
  if (run.exitCode !== 0) {
    process.stderr.write(`${(run.all ?? "").split("\n").slice(-40).join("\n")}\nbench:nt: the benchmark run failed\n`);
    process.exitCode = 1;
    return;
  }
  console.log("NT personality beside the POSIX personality on seL4, instructions retired under QEMU -icount shift=0, one image, one boot");
  for (const l of lines) console.log(l);
}

await main();
