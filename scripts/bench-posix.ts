// SPDX-License-Identifier: BSD-2-Clause
/**
 * POSIX layer benchmark (issue 9): examples/posix-libc/bench.ts built with the IPC benchmark's
 * settings (release kernel keeping its console, PMU exported to user mode) and booted once under
 * QEMU -icount on a FAT32 image made by `neptune-gen disk create`; pbench prints, for open+close,
 * stat, a 4 KiB read that hits the FAT server's cache (read and pread) and posix_spawn+waitpid of a
 * program that exits at once, the instructions retired (PMU event 0x08) and the round trips the
 * POSIX layer made per operation, next to a plain round trip of the same boot (root.stats).
 *
 *   npm run bench:posix [-- --build-dir DIR]      (needs NEPTUNE_SEL4_WORKSPACE)
 *
 * Without a workspace it prints why it skips, exit 0.
 */

import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BENCH_CMAKE_DEFS } from "./bench-ipc.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const bi = argv.indexOf("--build-dir");
  const buildDir = bi >= 0 ? argv[bi + 1] : path.join(os.tmpdir(), "neptune-bench-posix");
  if (!process.env.NEPTUNE_SEL4_WORKSPACE) {
    console.log("bench:posix skipped: NEPTUNE_SEL4_WORKSPACE is not set (no seL4 sources to build the benchmark image from)");
    return;
  }
  const disk = path.join(mkdtempSync(path.join(os.tmpdir(), "neptune-bench-posix-")), "disk.img");
  const mk = await execa("node", [CLI, "disk", "create", disk, "--size", "64M", "--fat", "32"], { cwd: ROOT, reject: false, all: true });
  if (mk.exitCode !== 0) {
    process.stderr.write(`${mk.all}\nbench:posix: could not make the disk image\n`);
    process.exitCode = 1;
    return;
  }
  const defs = BENCH_CMAKE_DEFS.flatMap((d) => ["--cmake-def", d]);
  const args = [CLI, "run", "-s", "examples/posix-libc/bench.ts", "-B", buildDir, ...defs, "--icount", "--disk", disk, "--timeout", "600"];
  args.push("--expect", "pbench: done \\(0 failures\\)", "--fail", "FAILED|fault:");
  console.log(`$ node ${path.relative(ROOT, CLI)} ${args.slice(1).join(" ")}`);
  const run = await execa("node", args, { cwd: ROOT, reject: false, all: true });
  const lines = (run.stdout ?? "").replace(/\r/g, "").split("\n").filter((l) => l.startsWith("pbench: "));
  if (run.exitCode !== 0) {
    process.stderr.write(`${(run.all ?? "").split("\n").slice(-40).join("\n")}\nbench:posix: the benchmark run failed\n`);
    process.exitCode = 1;
    return;
  }
  console.log("POSIX layer on seL4, instructions retired under QEMU -icount shift=0, one image, one boot");
  for (const l of lines) console.log(l);
}

await main();
