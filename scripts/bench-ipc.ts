// SPDX-License-Identifier: BSD-2-Clause
/**
 * IPC benchmark (issues 3 and 13): builds examples/ipc-bench with `neptune-gen build` (release
 * kernel with its debug console kept for the output, PMU exported to user mode) for each kernel
 * configuration asked for, boots each once with `neptune-gen run --icount` (QEMU -icount
 * shift=0,sleep=off,align=off: the cycle counter PMCCNTR_EL0 then counts guest instructions, so
 * figures are exact and repeat; the client sets PMCCFILTR_EL0 to count EL0, EL1 and EL2, so the
 * kernel counts at either level), and prints, per configuration, the round-trip cost of a
 * generated rpc with two word arguments, the same by hand with libsel4, the inline-`svc` floor,
 * and 4- and 5-word calls around the kernel's fast-path boundary, with the ratios and PASS/MISS
 * against the targets:
 *   generated <= 1.02 x libsel4, generated <= 1.05 x floor, generated on the fast path (well
 *   below a 5-word call), messages of up to 4 words on the fast path.
 * Then one table of every configuration. On MCS the servers are passive (the MCS fast path
 * refuses a server with a scheduling context of its own).
 *
 * The boundary checks are hard: a round trip under 100 counts (the counter missed the kernel)
 * or a 5-word call that does not cost clearly more than a 4-word one makes the run fail (exit 1),
 * whatever --strict says.
 *
 *   npm run bench:ipc [-- --mcs] [-- --hyp] [-- --all | --configs non-mcs/el1,mcs/el2]
 *                     [-- --build-dir DIR] [-- --strict]
 *
 * --strict also exits 1 when a target is missed. Without a workspace it prints why it skips, exit 0.
 */

import { execa } from "execa";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { requireWorkspace } from "../codegen/src/build/workspace.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const SYSTEM = "examples/ipc-bench/system.ts";
/** Release kernel (no debug checks on the IPC path) that can still print the figures. */
export const BENCH_CMAKE_DEFS = ["NEPTUNE_BUILD=release", "NEPTUNE_KERNEL_PRINTING=ON"];
/** Fewer counts than this per round trip cannot have gone through the kernel. */
export const MIN_ROUND_TRIP = 100;

export interface BenchConfig {
  mcs: boolean;
  hyp: boolean;
}

export const ALL_CONFIGS: BenchConfig[] = [
  { mcs: false, hyp: false },
  { mcs: false, hyp: true },
  { mcs: true, hyp: false },
  { mcs: true, hyp: true },
];

export function configLabel(c: BenchConfig): string {
  return `${c.mcs ? "mcs" : "non-mcs"}/${c.hyp ? "el2" : "el1"}`;
}

/** The -D settings that select a configuration (the system is compiled for them too). */
export function configDefs(c: BenchConfig): string[] {
  return [...BENCH_CMAKE_DEFS, `KernelIsMCS=${c.mcs ? "ON" : "OFF"}`, `KernelArmHypervisorSupport=${c.hyp ? "ON" : "OFF"}`];
}

/** Configurations from the command line: --all, --configs a,b, or --mcs / --hyp (one). */
export function parseConfigs(argv: string[]): { ok: true; configs: BenchConfig[] } | { ok: false; reason: string } {
  if (argv.includes("--all")) return { ok: true, configs: ALL_CONFIGS };
  const ci = argv.indexOf("--configs");
  if (ci >= 0) {
    const out: BenchConfig[] = [];
    for (const name of (argv[ci + 1] ?? "").split(",").filter(Boolean)) {
      const c = ALL_CONFIGS.find((k) => configLabel(k) === name);
      if (!c) return { ok: false, reason: `unknown configuration '${name}' (known: ${ALL_CONFIGS.map(configLabel).join(", ")})` };
      out.push(c);
    }
    if (!out.length) return { ok: false, reason: "--configs needs a list, e.g. --configs non-mcs/el1,mcs/el2" };
    return { ok: true, configs: out };
  }
  return { ok: true, configs: [{ mcs: argv.includes("--mcs"), hyp: argv.includes("--hyp") }] };
}

/** The figures the client prints, by name (count per round trip). */
export const FIGURES = ["generated", "libsel4", "inline", "libsel4-4w", "libsel4-5w"] as const;
export type Figure = (typeof FIGURES)[number];

export interface BenchResult {
  /** What the client says it ran on, e.g. "mcs/el2". */
  kernel: string;
  figures: Record<Figure, number>;
  rounds: number;
  warmup: number;
  failedChecks: number;
}

/** Parses the client's `bench: …` lines; undefined names what is missing. */
export function parseBench(log: string): { ok: true; result: BenchResult } | { ok: false; reason: string } {
  const text = log.replace(/\r/g, "");
  const head = /^bench: (\d+) round trips per figure, after (\d+) warm-up/m.exec(text);
  if (!head) return { ok: false, reason: "no 'bench: N round trips' line" };
  const kernel = /^bench: kernel: ([^\s,]+)/m.exec(text)?.[1] ?? "unknown";
  const figures = {} as Record<Figure, number>;
  for (const name of FIGURES) {
    const m = new RegExp(`^bench: ${name}: (\\d+(?:\\.\\d+)?)$`, "m").exec(text);
    if (!m) return { ok: false, reason: `no 'bench: ${name}: <count>' line` };
    figures[name] = Number(m[1]);
  }
  const failed = /^bench: failed checks: (\d+)/m.exec(text);
  if (!failed) return { ok: false, reason: "no 'bench: failed checks' line" };
  return { ok: true, result: { kernel, figures, rounds: Number(head[1]), warmup: Number(head[2]), failedChecks: Number(failed[1]) } };
}

export interface Verdict {
  what: string;
  value: string;
  target: string;
  pass: boolean;
  /** A boundary check: missing it means the figures are wrong, not slow (FAIL, exit 1). */
  hard?: boolean;
}

/** The issue's targets, checked against one run's figures. */
export function verdicts(f: Record<Figure, number>): Verdict[] {
  const genLib = f.generated / f.libsel4;
  const genFloor = f.generated / f.inline;
  const w5w4 = f["libsel4-5w"] / f["libsel4-4w"];
  const w4w2 = f["libsel4-4w"] / f.libsel4;
  const genSlow = f.generated / f["libsel4-5w"];
  const least = Math.min(...FIGURES.map((n) => f[n]));
  return [
    { what: "generated / libsel4", value: genLib.toFixed(3), target: "<= 1.02", pass: genLib <= 1.02 },
    { what: "generated / inline floor", value: genFloor.toFixed(3), target: "<= 1.05", pass: genFloor <= 1.05 },
    // On the fast path a 4-word message costs little more than a 2-word one…
    { what: "4 words / 2 words (libsel4)", value: w4w2.toFixed(3), target: "<= 1.20 (fast path)", pass: w4w2 <= 1.2 },
    // …and 5 words leave it (seL4's slow path: about 2.7x).
    { what: "5 words / 4 words", value: w5w4.toFixed(3), target: ">= 1.5 (5 words: slow path)", pass: w5w4 >= 1.5, hard: true },
    // The generated call costs what a fast-path call does, far below the slow path.
    { what: "generated / 5 words", value: genSlow.toFixed(3), target: "<= 0.6 (fast path)", pass: genSlow <= 0.6 },
    // Under ~100 counts a round trip cannot have counted the kernel (two traps, two IPCs).
    { what: "cheapest round trip", value: least.toFixed(0), target: `>= ${MIN_ROUND_TRIP} (kernel counted)`, pass: least >= MIN_ROUND_TRIP, hard: true },
  ];
}

export function formatTable(r: BenchResult): string {
  const f = r.figures;
  const rows: [string, number][] = [
    ["generated    echo_bench() -> echo_serve", f.generated],
    ["libsel4      seL4_Call -> seL4_ReplyRecv", f.libsel4],
    ["inline svc   (the floor)", f.inline],
    ["libsel4      4 words each way", f["libsel4-4w"]],
    ["libsel4      5 words each way", f["libsel4-5w"]],
  ];
  const out = [
    `IPC round trip (call + reply) on ${r.kernel}, PMCCNTR_EL0 (EL0+EL1+EL2) under QEMU -icount shift=0 (= guest instructions),`,
    `${r.rounds} round trips per figure after ${r.warmup} warm-up, one image, one run; failed checks: ${r.failedChecks}`,
    "",
    `  ${"path".padEnd(42)}${"per round trip".padStart(15)}`,
    ...rows.map(([name, v]) => `  ${name.padEnd(42)}${v.toFixed(2).padStart(15)}`),
    "",
    `  ${"ratio".padEnd(30)}${"value".padStart(8)}  ${"target".padEnd(28)}result`,
    ...verdicts(f).map((v) => `  ${v.what.padEnd(30)}${v.value.padStart(8)}  ${v.target.padEnd(28)}${verdictWord(v)}`),
  ];
  return out.join("\n");
}

function verdictWord(v: Verdict): string {
  return v.pass ? "PASS" : v.hard ? "FAIL" : "MISS";
}

/** One row per configuration: the three round trips, the 4/5-word pair and the ratios. */
export function formatSummary(rows: { config: BenchConfig; result: BenchResult }[]): string {
  const head = ["kernel", "generated", "libsel4", "inline floor", "4 words", "5 words", "gen/libsel4", "gen/floor", "checks"];
  const w = [12, 11, 11, 13, 10, 10, 12, 10, 8];
  const line = (cells: string[]) => "  " + cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("");
  const out = [`IPC round trips, guest instructions (PMCCNTR_EL0 counting EL0, EL1 and EL2, QEMU -icount), per configuration:`, "", line(head)];
  for (const { config, result } of rows) {
    const f = result.figures;
    const v = verdicts(f);
    const ok = v.every((x) => x.pass || !x.hard) && result.failedChecks === 0;
    out.push(
      line([
        configLabel(config),
        f.generated.toFixed(2),
        f.libsel4.toFixed(2),
        f.inline.toFixed(2),
        f["libsel4-4w"].toFixed(2),
        f["libsel4-5w"].toFixed(2),
        (f.generated / f.libsel4).toFixed(3),
        (f.generated / f.inline).toFixed(3),
        ok ? "ok" : "FAIL",
      ]),
    );
  }
  return out.join("\n");
}

/** Builds and boots one configuration; the parsed figures, or undefined after printing why. */
async function runConfig(config: BenchConfig, buildDir: string, workspace: string): Promise<BenchResult | undefined> {
  const defs = configDefs(config).flatMap((d) => ["--cmake-def", d]);
  const args = [CLI, "run", "-s", SYSTEM, "-B", buildDir, ...defs, "--icount", "--timeout", "300"];
  args.push("--expect", "bench: done", "--fail", "bench: error");
  console.log(`$ node ${path.relative(ROOT, CLI)} ${args.slice(1).map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(" ")}`);
  const run = await execa("node", args, { cwd: ROOT, reject: false, all: true, env: { NEPTUNE_SEL4_WORKSPACE: workspace } });
  if (run.exitCode !== 0) {
    process.stderr.write(`${(run.all ?? "").split("\n").slice(-40).join("\n")}\nbench:ipc: the ${configLabel(config)} run failed\n`);
    return undefined;
  }
  const parsed = parseBench(run.stdout);
  if (!parsed.ok) {
    process.stderr.write(`${run.stdout.split("\n").slice(-30).join("\n")}\nbench:ipc: cannot read the results: ${parsed.reason}\n`);
    return undefined;
  }
  if (parsed.result.kernel !== configLabel(config)) {
    process.stderr.write(`bench:ipc: asked for ${configLabel(config)}, but the image says it ran on ${parsed.result.kernel}\n`);
    return undefined;
  }
  return parsed.result;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const strict = argv.includes("--strict");
  const bi = argv.indexOf("--build-dir");
  const base = bi >= 0 ? argv[bi + 1] : path.join(os.tmpdir(), "neptune-bench-ipc");
  const configs = parseConfigs(argv);
  if (!configs.ok) {
    process.stderr.write(`bench:ipc: error: ${configs.reason}\n`);
    process.exitCode = 1;
    return;
  }
  const ws = await requireWorkspace();
  if (!ws.ok) {
    console.log(`bench:ipc skipped: ${ws.message} (no seL4 sources to build the benchmark image from)\nhint: ${ws.hint}`);
    return;
  }
  const rows: { config: BenchConfig; result: BenchResult }[] = [];
  let failed = false;
  for (const config of configs.configs) {
    const buildDir = configs.configs.length > 1 || config.mcs || config.hyp ? `${base}-${configLabel(config).replace("/", "-")}` : base;
    const result = await runConfig(config, buildDir, ws.dir);
    if (!result) {
      failed = true;
      continue;
    }
    console.log(formatTable(result));
    console.log("");
    rows.push({ config, result });
    const v = verdicts(result.figures);
    if (result.failedChecks !== 0) {
      process.stderr.write(`bench:ipc: ${configLabel(config)}: some replies were wrong: the figures do not count\n`);
      failed = true;
    }
    for (const x of v.filter((x) => x.hard && !x.pass)) {
      process.stderr.write(`bench:ipc: ${configLabel(config)}: boundary check failed: ${x.what} = ${x.value}, must be ${x.target}\n`);
      failed = true;
    }
    if (strict && v.some((x) => !x.pass)) failed = true;
  }
  if (rows.length) console.log(formatSummary(rows));
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
