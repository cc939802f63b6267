// SPDX-License-Identifier: BSD-2-Clause
/**
 * Building and running the generated libFuzzer harnesses (emit/fuzz.ts), shared by
 * scripts/fuzz.ts (the long runs) and codegen/test/fuzz-smoke.test.ts (the short ones):
 * generate headers + harnesses for an IDL model, compile one harness with clang and the
 * sanitizers, run it (whole interface or one decoder) and read libFuzzer's output back.
 */

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DiagnosticBag } from "../codegen/src/diag/diagnostics.ts";
import { compileIdlFiles, findIdlFiles, writeGenerated } from "../codegen/src/compile.ts";
import type { IdlModel, Interface } from "../codegen/src/model/idl.ts";
import { emitAllInterfaces } from "../codegen/src/emit/interface.ts";
import { emitFuzzHarnesses, fuzzHarnessPath } from "../codegen/src/emit/fuzz.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const RUNTIME_INCLUDE = path.join(ROOT, "runtime/include");
/** The host transport: what <neptune/ipc.h> needs to compile the server headers on the host. */
export const HOST_INCLUDE = path.join(ROOT, "runtime/host/include");

/** The flags the harnesses are built with (the sanitizers libFuzzer runs them under). */
export const FUZZ_CFLAGS = ["-g", "-O1", "-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=undefined"];

/** Why harnesses cannot be built here (no clang, no libFuzzer runtime), or undefined. */
export function fuzzSkipReason(cc = "clang"): string | undefined {
  const version = spawnSync(cc, ["--version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return `${cc} is not installed`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "ng-fuzz-probe-"));
  try {
    const src = path.join(dir, "probe.c");
    writeFileSync(src, "#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n");
    const r = spawnSync(cc, [...FUZZ_CFLAGS, src, "-o", path.join(dir, "probe")], { encoding: "utf8" });
    if (r.status !== 0) {
      return `${cc} cannot link -fsanitize=fuzzer (install the fuzzer runtime, e.g. Debian's libclang-rt-14-dev): ${(r.stderr ?? "").trim().split("\n")[0]}`;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return undefined;
}

/** Compiles the IDL (files or folders); diagnostics go to the returned text, model undefined on errors. */
export async function loadIdl(entries: string[], base = ROOT): Promise<{ idl?: IdlModel; diagnostics: string }> {
  const bag = new DiagnosticBag();
  const files = await findIdlFiles(entries, bag, base);
  const idl = bag.hasErrors ? undefined : await compileIdlFiles(files, bag);
  return { idl: bag.hasErrors ? undefined : idl, diagnostics: bag.format() };
}

/** Writes include/<iface>_gen.h (and friends) and fuzz/<iface>_fuzz_gen.c below genDir. */
export async function writeFuzzTree(idl: IdlModel, genDir: string): Promise<void> {
  await writeGenerated(genDir, [...emitAllInterfaces(idl), ...emitFuzzHarnesses(idl)]);
}

export interface BuildOptions {
  genDir: string;
  iface: Interface;
  out: string;
  cc?: string;
  /** Directory of headers to use instead of <genDir>/include (a patched copy, in the negative tests). */
  includeDir?: string;
}

/** Compiles one interface's harness; throws with the compiler's messages on failure. */
export function buildHarness(o: BuildOptions): void {
  mkdirSync(path.dirname(o.out), { recursive: true });
  const args = [
    ...FUZZ_CFLAGS,
    `-I${o.includeDir ?? path.join(o.genDir, "include")}`,
    `-I${RUNTIME_INCLUDE}`,
    `-I${HOST_INCLUDE}`,
    path.join(o.genDir, fuzzHarnessPath(o.iface)),
    "-o",
    o.out,
  ];
  const r = spawnSync(o.cc ?? "clang", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${o.cc ?? "clang"} ${args.join(" ")}\n${r.stdout}${r.stderr}${r.error ?? ""}`);
}

export interface RunOptions {
  bin: string;
  runs: number;
  maxLen: number;
  /** Only this decoder (NG_FUZZ_DECODER); all of the interface's otherwise. */
  decoder?: string;
  seed?: number;
  /** Where crashing inputs go (created); the file names start with `<tag>-`. */
  crashDir: string;
  tag: string;
  /** Corpus directory kept between runs (created), or none. */
  corpusDir?: string;
}

export interface DecoderStats {
  inputs: number;
  accepted: number;
}

export interface RunResult {
  runs: number;
  execPerSec: number;
  seconds: number;
  crashes: number;
  /** Crashing inputs libFuzzer wrote. */
  artifacts: string[];
  /** The line saying what went wrong (sanitizer or violated invariant), if it crashed. */
  reason?: string;
  decoders: Map<string, DecoderStats>;
  exitCode: number;
  output: string;
}

/** Reads what libFuzzer (and the harness's exit report) printed. */
export function parseFuzzOutput(text: string, exitCode: number, seconds: number): RunResult {
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const artifacts = [...text.matchAll(/Test unit written to (\S+)/g)].map((m) => m[1]);
  const decoders = new Map<string, DecoderStats>();
  for (const m of text.matchAll(/^ng-fuzz: decoder (\S+): (\d+) inputs, (\d+) accepted$/gm)) {
    decoders.set(m[1], { inputs: Number(m[2]), accepted: Number(m[3]) });
  }
  const doneRuns = num(/^Done (\d+) runs in/m);
  const lastProgress = [...text.matchAll(/^#(\d+)\s/gm)].map((m) => Number(m[1])).pop();
  const runs = num(/stat::number_of_executed_units:\s*(\d+)/) ?? doneRuns ?? lastProgress ?? 0;
  const crashed = artifacts.length > 0 || (exitCode !== 0 && /ERROR: libFuzzer|ERROR: AddressSanitizer|runtime error|deadly signal|ng-fuzz: invariant/.test(text));
  const reason = /^(ng-fuzz: invariant violated.*|.*ERROR: (?:AddressSanitizer|LeakSanitizer|libFuzzer).*|.*runtime error:.*)$/m.exec(text)?.[1];
  return {
    runs,
    execPerSec: seconds > 0 ? Math.round(runs / seconds) : 0,
    seconds,
    crashes: crashed ? Math.max(1, artifacts.length) : 0,
    artifacts,
    reason,
    decoders,
    exitCode,
    output: text,
  };
}

/** Runs a harness to the end (its runs, or its first crash). */
export function runHarness(o: RunOptions): Promise<RunResult> {
  mkdirSync(o.crashDir, { recursive: true });
  const args = [
    `-runs=${o.runs}`,
    `-max_len=${o.maxLen}`,
    `-seed=${o.seed ?? 0}`,
    "-timeout=10",
    "-print_final_stats=1",
    `-artifact_prefix=${path.join(o.crashDir, `${o.tag}-`)}`,
  ];
  if (o.corpusDir) {
    mkdirSync(o.corpusDir, { recursive: true });
    args.push(o.corpusDir);
  }
  const env = { ...process.env, NG_FUZZ_DECODER: o.decoder ?? "" };
  delete (env as Record<string, string | undefined>).NG_FUZZ_LIST;
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(o.bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => chunks.push(b));
    child.stderr.on("data", (b: Buffer) => chunks.push(b));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const text = Buffer.concat(chunks).toString("utf8");
      resolve(parseFuzzOutput(text, code ?? (signal ? 128 : 1), seconds));
    });
  });
}

/** Files in a directory (none if it does not exist). */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Runs `tasks` with at most `jobs` of them at once; results in task order. */
export async function pool<T>(jobs: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, worker));
  return results;
}
