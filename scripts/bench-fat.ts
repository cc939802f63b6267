// SPDX-License-Identifier: BSD-2-Clause
/**
 * File-system benchmark (issue 8): a FAT32 volume with 4 KiB clusters made on the host by
 * mkfs.fat + mcopy, holding a 16 MiB BENCH.BIN; examples/fat built with the IPC benchmark's
 * settings and booted once with `neptune-gen run --icount --disk`, where the test client
 * (examples/fat/servers/fattest/bench.c) sees BENCH.BIN and measures, in one boot:
 *   - raw sequential reads of the file's own blocks from the block driver (64 KiB blockdev
 *     calls, one at a time and with 3 prefetched ahead),
 *   - the file read sequentially through the FAT server (cold cache after an unmount: read-ahead
 *     and prefetch),
 *   - the file read again (every block cached: the cache holds 18 MiB),
 *   - 1024 reads of 4 KiB that hit the cache, with the block-device calls the server made
 *     meanwhile (its cache_stats), so round trips per read are counted.
 * Every figure is the best of 3 passes.
 * Each figure is printed twice: PMCCNTR_EL0 counts (QEMU's virtual clock: instructions plus any
 * idle wait for the device) and instructions retired (PMU event 0x08: CPU work only), per byte,
 * with ratios against the raw read measured in the same boot.
 *
 * The raw read is a baseline of the same boot; what it costs depends on the device. QEMU's
 * virtio-blk answers within the request (the device takes no time the guest sees), so on `virt`
 * the ratios compare CPU work alone. With `--board rpi3` the same client and FAT server run on
 * QEMU raspi3b over the SD card, whose driver moves every byte through the controller's data
 * port (PIO), as on the board: there the raw read's cost is the device's.
 *
 *   npm run bench:fat [-- --build-dir DIR] [--board rpi3]   (needs NEPTUNE_SEL4_WORKSPACE, mkfs.fat, mtools)
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
const SYSTEMS: Record<string, string> = { virt: "examples/fat/system.ts", rpi3: "examples/fat/rpi3.ts" };
const FILE_BYTES = 16 << 20;

/** Bytes that are not all alike (xorshift32), so a wrong block is a wrong byte. */
function pattern(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  let x = 0x9e3779b9;
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
  const boi = argv.indexOf("--board");
  const board = boi >= 0 ? argv[boi + 1] : "virt";
  const SYSTEM = SYSTEMS[board];
  if (!SYSTEM) {
    console.error(`bench:fat: no board "${board}" (boards: ${Object.keys(SYSTEMS).join(", ")})`);
    process.exitCode = 2;
    return;
  }
  const buildDir = bi >= 0 ? argv[bi + 1] : path.join(os.tmpdir(), `neptune-bench-fat-${board}`);
  if (!process.env.NEPTUNE_SEL4_WORKSPACE) {
    console.log("bench:fat skipped: NEPTUNE_SEL4_WORKSPACE is not set (no seL4 sources to build the benchmark image from)");
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "neptune-bench-fat-"));
  const img = path.join(dir, "bench.img");
  const file = path.join(dir, "BENCH.BIN");
  writeFileSync(file, pattern(FILE_BYTES));
  // Enough clusters of 4 KiB (8 sectors) for FAT32: 320 MiB, or 512 MiB on the Pi (QEMU's SD
  // card takes only a power of two).
  await execa("mkfs.fat", ["-F", "32", "-s", "8", "-C", img, board === "rpi3" ? "524288" : "327680"]);
  await execa("mcopy", ["-i", img, file, "::/BENCH.BIN"]);
  const defs = BENCH_CMAKE_DEFS.flatMap((d) => ["--cmake-def", d]);
  const args = [CLI, "run", "-s", SYSTEM, "-B", buildDir, ...defs, "--icount", "--disk", img, "--timeout", "900"];
  args.push("--expect", "fattest: bench done", "--fail", "FAILED|fault: server");
  console.log(`$ node ${path.relative(ROOT, CLI)} ${args.slice(1).join(" ")}`);
  const run = await execa("node", args, { cwd: ROOT, reject: false, all: true });
  const lines = (run.stdout ?? "").replace(/\r/g, "").split("\n").filter((l) => /^(fat: |fattest: bench)/.test(l));
  if (run.exitCode !== 0 || !lines.some((l) => l.includes("bench done"))) {
    process.stderr.write(`${(run.all ?? "").split("\n").slice(-40).join("\n")}\nbench:fat: the benchmark run failed\n`);
    process.exitCode = 1;
    return;
  }
  const device = board === "rpi3" ? "QEMU raspi3b, SD card (PIO)" : "QEMU virt, virtio-blk";
  console.log(`file-system benchmark: ${FILE_BYTES >> 20} MiB BENCH.BIN on a FAT32 volume with 4 KiB clusters, ${device}, -icount shift=0`);
  for (const l of lines) console.log(l);
  if (board === "rpi3") {
    console.log("bench:fat: the SD card's driver moves every byte through the data port (PIO), so the raw read costs what the device costs; counts equal instructions and repeat exactly");
  } else {
    console.log("bench:fat: QEMU's virtio-blk does its work outside the guest's time: the raw read costs only the driver's CPU work, and the counts add idle waits for QEMU's I/O thread that depend on the host's load; compare CPU work here, device-bound ratios with --board rpi3");
  }
}

await main();
