// SPDX-License-Identifier: BSD-2-Clause
/**
 * Process benchmark (issue 7), a sibling of bench-ipc.ts: builds examples/launcher as the IPC
 * benchmark builds its image (release kernel with its console kept, PMU exported to user mode),
 * boots it once with `neptune-gen run --icount` (PMCCNTR_EL0 then counts guest instructions) and
 * prints, from that one boot, what spawn+wait of a trivial program costs next to two plain round
 * trips: echo.add (generated stub to a generated server, 2 words in, 1 out) and root.stats (the
 * root server's generated fast path, 4 words out). The spawn figure includes everything the
 * root server does: ELF load from the CPIO archive, CSpace and VSpace, the exit report on the
 * console, the reap.
 *
 *   npm run bench:spawn [-- --build-dir DIR]   (needs NEPTUNE_SEL4_WORKSPACE)
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
const SYSTEM = "examples/launcher/system.ts";

export interface SpawnBench {
  spawnWait: number;
  spawnsOk: string;
  echoAdd: number;
  rootStats: number;
}

/** Reads the launcher's `launcher: bench: …` lines. */
export function parseSpawnBench(log: string): { ok: true; result: SpawnBench } | { ok: false; reason: string } {
  const text = log.replace(/\r/g, "");
  const spawn = /^launcher: bench: spawn\+wait \(trivial, (\d+ of \d+) ok\): (\d+(?:\.\d+)?)$/m.exec(text);
  const add = /^launcher: bench: echo\.add round trip: (\d+(?:\.\d+)?)$/m.exec(text);
  const stats = /^launcher: bench: root\.stats round trip: (\d+(?:\.\d+)?)$/m.exec(text);
  if (!spawn) return { ok: false, reason: "no 'launcher: bench: spawn+wait' line" };
  if (!add || !stats) return { ok: false, reason: "no round-trip lines" };
  return { ok: true, result: { spawnWait: Number(spawn[2]), spawnsOk: spawn[1], echoAdd: Number(add[1]), rootStats: Number(stats[1]) } };
}

export function formatSpawnTable(r: SpawnBench): string {
  const rows: [string, number][] = [
    ["spawn + wait of `trivial` (exits at once)", r.spawnWait],
    ["echo.add round trip (2 words in, 1 out)", r.echoAdd],
    ["root.stats round trip (0 in, 4 out)", r.rootStats],
  ];
  return [
    "Process service, PMCCNTR_EL0 under QEMU -icount shift=0 (= guest instructions), one image, one boot",
    `spawns that exited as expected: ${r.spawnsOk}`,
    "",
    `  ${"operation".padEnd(46)}${"instructions".padStart(14)}${"x round trip".padStart(14)}`,
    ...rows.map(([n, v]) => `  ${n.padEnd(46)}${v.toFixed(2).padStart(14)}${(v / r.echoAdd).toFixed(1).padStart(14)}`),
  ].join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const bi = argv.indexOf("--build-dir");
  const buildDir = bi >= 0 ? argv[bi + 1] : path.join(os.tmpdir(), "neptune-bench-spawn");
  if (!process.env.NEPTUNE_SEL4_WORKSPACE) {
    console.log("bench:spawn skipped: NEPTUNE_SEL4_WORKSPACE is not set (no seL4 sources to build the benchmark image from)");
    return;
  }
  const defs = BENCH_CMAKE_DEFS.flatMap((d) => ["--cmake-def", d]);
  const args = [CLI, "run", "-s", SYSTEM, "-B", buildDir, ...defs, "--icount", "--timeout", "600"];
  args.push("--expect", "launcher: done", "--fail", "launcher: bench: the cycle counter");
  console.log(`$ node ${path.relative(ROOT, CLI)} ${args.slice(1).map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(" ")}`);
  const run = await execa("node", args, { cwd: ROOT, reject: false, all: true });
  if (run.exitCode !== 0) {
    process.stderr.write(`${(run.all ?? "").split("\n").slice(-40).join("\n")}\nbench:spawn: the benchmark run failed\n`);
    process.exitCode = 1;
    return;
  }
  const parsed = parseSpawnBench(run.stdout);
  if (!parsed.ok) {
    process.stderr.write(`${run.stdout.split("\n").slice(-30).join("\n")}\nbench:spawn: cannot read the results: ${parsed.reason}\n`);
    process.exitCode = 1;
    return;
  }
  console.log(formatSpawnTable(parsed.result));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
