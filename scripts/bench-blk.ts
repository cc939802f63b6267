// SPDX-License-Identifier: BSD-2-Clause
/**
 * Raw block-read benchmark (issue 8's baseline for the file-system benchmark): builds
 * examples/storage with the IPC benchmark's settings (release kernel keeping its console, PMU
 * exported to user mode), boots it once with `neptune-gen run --icount --disk` on a blank 16 MiB
 * image, and prints what blktest_a measured with PMCCNTR_EL0 (guest instructions under
 * -icount shift=0): reading 4 MiB through the virtio-blk driver in 64 KiB blockdev.read_blocks
 * calls, i.e. client stub + IPC + driver + virtqueue + device interrupt + the copy into the
 * client's shared buffer, as instructions per byte and per call. The file system's benchmark
 * compares its sequential read of the same amount against this figure.
 *
 * The count includes any time the guest waits idle for the device: under -icount with
 * sleep=off QEMU moves virtual time on to the next timer event while the vCPU waits. With the
 * legacy transport (QEMU's default) a request completes within the notify write and nothing
 * waits; with --virtio-modern the completion came later (the guest idles until the next event),
 * which shows as a far larger figure (last run: legacy 0.21 per byte, 13622 per call; modern
 * 3.93 per byte).
 *
 *   npm run bench:blk [-- --build-dir DIR] [-- --virtio-modern]   (needs NEPTUNE_SEL4_WORKSPACE)
 *
 * Without a workspace it prints why it skips, exit 0.
 */

import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_CMAKE_DEFS } from "./bench-ipc.ts";
import { DiagnosticBag } from "../codegen/src/diag/diagnostics.ts";
import { createDisk } from "../codegen/src/disk/create.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const SYSTEM = "examples/storage/system.ts";

export interface BlkBench {
  kib: number;
  counts: number;
}

/** Reads blktest_a's bench line. */
export function parseBlkBench(log: string): BlkBench | undefined {
  const m = /^blktest_a: bench: raw read of (\d+) KiB in 64 KiB calls: (\d+) PMCCNTR_EL0 counts/m.exec(log.replace(/\r/g, ""));
  return m ? { kib: Number(m[1]), counts: Number(m[2]) } : undefined;
}

export function formatBlkBench(b: BlkBench, modern: boolean): string {
  const bytes = b.kib * 1024;
  const calls = b.kib / 64;
  return [
    `(guest instructions plus any idle wait for the device, see scripts/bench-blk.ts)`,
    `raw block read through drivers/virtio-blk (virtio-mmio ${modern ? "v2, modern" : "v1, legacy"}), PMCCNTR_EL0 under QEMU -icount shift=0 (= guest instructions)`,
    `  ${b.kib} KiB in ${calls} calls of 64 KiB: ${b.counts} instructions`,
    `  per byte: ${(b.counts / bytes).toFixed(2)}    per 64 KiB call: ${Math.round(b.counts / calls)}`,
  ].join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const bi = argv.indexOf("--build-dir");
  const modern = argv.includes("--virtio-modern");
  const buildDir = bi >= 0 ? argv[bi + 1] : path.join(os.tmpdir(), "neptune-bench-blk");
  if (!process.env.NEPTUNE_SEL4_WORKSPACE) {
    console.log("bench:blk skipped: NEPTUNE_SEL4_WORKSPACE is not set (no seL4 sources to build the benchmark image from)");
    return;
  }
  const disk = path.join(mkdtempSync(path.join(os.tmpdir(), "neptune-bench-blk-")), "disk.img");
  const bag = new DiagnosticBag();
  if ((await createDisk({ out: disk, size: "16M" }, bag)) === undefined) {
    process.stderr.write(`${bag.format()}\n`);
    process.exitCode = 1;
    return;
  }
  const defs = BENCH_CMAKE_DEFS.flatMap((d) => ["--cmake-def", d]);
  const args = [CLI, "run", "-s", SYSTEM, "-B", buildDir, ...defs, "--icount", "--disk", disk, "--timeout", "600"];
  if (modern) args.push("--virtio-modern");
  args.push("--expect", "blktest_b: done", "--fail", "FAILED|WRONG");
  console.log(`$ node ${path.relative(ROOT, CLI)} ${args.slice(1).join(" ")}`);
  const run = await execa("node", args, { cwd: ROOT, reject: false, all: true });
  const b = parseBlkBench(run.stdout);
  if (run.exitCode !== 0 || !b) {
    process.stderr.write(`${(run.all ?? "").split("\n").slice(-40).join("\n")}\nbench:blk: the benchmark run failed\n`);
    process.exitCode = 1;
    return;
  }
  console.log(formatBlkBench(b, modern));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
