// SPDX-License-Identifier: BSD-2-Clause
/**
 * Bulk-data benchmark (issue 7), a sibling of bench-ipc.ts and bench-spawn.ts: builds
 * examples/bulk as the IPC benchmark builds its image (release kernel with its console kept, PMU
 * exported to user mode), boots it once with `neptune-gen run --icount` (PMCCNTR_EL0 then counts
 * guest instructions) and prints, from that one boot, a 4 KiB and a 64 KiB `bulk.echo` round trip
 * through a run-time connection (payload in the shared buffer: copied in once by the client's
 * encoder and once by the server's reply encoder) next to the plain round trip of `bulk.nop` on
 * the same connection (1 word each way, the register fast path).
 *
 *   npm run bench:bulk [-- --build-dir DIR]   (needs NEPTUNE_SEL4_WORKSPACE)
 *
 * Without a workspace it prints why it skips, exit 0.
 */

import { execa } from "execa";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_CMAKE_DEFS } from "./bench-ipc.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const SYSTEM = "examples/bulk/system.ts";

export interface BulkBench {
  nop: number;
  /** bytes -> instructions per round trip */
  echo: Map<number, number>;
}

/** Reads the writer's `writer: bench: …` lines. */
export function parseBulkBench(log: string): { ok: true; result: BulkBench } | { ok: false; reason: string } {
  const text = log.replace(/\r/g, "");
  const nop = /^writer: bench: nop round trip: (\d+(?:\.\d+)?)$/m.exec(text);
  if (!nop) return { ok: false, reason: "no 'writer: bench: nop round trip' line" };
  const echo = new Map<number, number>();
  for (const m of text.matchAll(/^writer: bench: echo (\d+) bytes: (\d+(?:\.\d+)?)( \(FAILED\))?$/gm)) {
    if (m[3]) return { ok: false, reason: `the ${m[1]}-byte echo failed` };
    echo.set(Number(m[1]), Number(m[2]));
  }
  if (!echo.has(4096) || !echo.has(65536)) return { ok: false, reason: "no 4096- and 65536-byte echo lines" };
  const result = { nop: Number(nop[1]), echo };
  // Plausibility: a round trip through the kernel is hundreds of instructions, and moving 64 KiB
  // each way must cost more than moving 4 KiB.
  if (result.nop < 100) return { ok: false, reason: `a round trip of ${result.nop} instructions is implausible (the counter does not count the kernel?)` };
  if (echo.get(65536)! <= echo.get(4096)!) return { ok: false, reason: "64 KiB cost no more than 4 KiB" };
  return { ok: true, result };
}

export function formatBulkTable(r: BulkBench): string {
  const rows = [
    ["bulk.nop round trip (1 word each way)", r.nop, 0],
    ...[...r.echo].map(([bytes, n]) => [`bulk.echo ${bytes / 1024} KiB each way`, n, bytes] as const),
  ] as const;
  return [
    "Bulk data, PMCCNTR_EL0 under QEMU -icount shift=0 (= guest instructions), one image, one boot",
    "",
    `  ${"operation".padEnd(40)}${"instructions".padStart(14)}${"per byte".padStart(10)}${"x round trip".padStart(14)}`,
    ...rows.map(([n, v, bytes]) => `  ${n.padEnd(40)}${v.toFixed(2).padStart(14)}${(bytes ? (v / bytes).toFixed(3) : "-").padStart(10)}${(v / r.nop).toFixed(1).padStart(14)}`),
  ].join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const bi = argv.indexOf("--build-dir");
  const buildDir = bi >= 0 ? argv[bi + 1] : path.join(os.tmpdir(), "neptune-bench-bulk");
  if (!process.env.NEPTUNE_SEL4_WORKSPACE) {
    console.log("bench:bulk skipped: NEPTUNE_SEL4_WORKSPACE is not set (no seL4 sources to build the benchmark image from)");
    return;
  }
  const defs = BENCH_CMAKE_DEFS.flatMap((d) => ["--cmake-def", d]);
  const args = [CLI, "run", "-s", SYSTEM, "-B", buildDir, ...defs, "--icount", "--timeout", "600"];
  args.push("--expect", "writer: done", "--fail", "writer: (FAILED|bench: the cycle counter)");
  console.log(`$ node ${path.relative(ROOT, CLI)} ${args.slice(1).map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(" ")}`);
  const run = await execa("node", args, { cwd: ROOT, reject: false, all: true });
  if (run.exitCode !== 0) {
    process.stderr.write(`${(run.all ?? "").split("\n").slice(-40).join("\n")}\nbench:bulk: the benchmark run failed\n`);
    process.exitCode = 1;
    return;
  }
  const parsed = parseBulkBench(run.stdout);
  if (!parsed.ok) {
    process.stderr.write(`${run.stdout.split("\n").slice(-30).join("\n")}\nbench:bulk: cannot read the results: ${parsed.reason}\n`);
    process.exitCode = 1;
    return;
  }
  console.log(formatBulkTable(parsed.result));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
