// SPDX-License-Identifier: BSD-2-Clause
/**
 * Helpers of the emit tests: the fixture IDL (codegen/test/fixtures/emit/*.idl) compiled by the
 * real front end, the fixture system with its layout, a scratch directory to write generated
 * headers into, and a C compiler runner.
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import type { IdlModel } from "../src/model/idl.ts";
import { compileIdl } from "../src/model/resolve-idl.ts";
import { loadSystemFile } from "../src/parse/system/loader.ts";
import { resolveSystem } from "../src/model/resolve-system.ts";
import { computeLayout } from "../src/model/layout.ts";
import type { CompiledSystem } from "../src/model/system.ts";
import type { GeneratedFile } from "../src/emit/files.ts";
import { SEL4_SKIP, SEL4_WORKSPACE } from "./sel4-workspace.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const EMIT_FIXTURES = path.join(ROOT, "codegen/test/fixtures/emit");
export const RUNTIME_INCLUDE = path.join(ROOT, "runtime/include");
export const STUB_TRANSPORT = path.join(ROOT, "codegen/test/c/stub-transport");
export const C_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"];

const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join("/");

/** The fixture IDL files compiled by the real IDL front end (no diagnostics allowed). */
export function fixtureIdl(): IdlModel {
  const files = readdirSync(EMIT_FIXTURES).filter((f) => f.endsWith(".idl")).sort();
  const bag = new DiagnosticBag();
  const idl = compileIdl(
    files.map((f) => ({ file: rel(path.join(EMIT_FIXTURES, f)), text: readFileSync(path.join(EMIT_FIXTURES, f), "utf8") })),
    bag,
  );
  expect(bag.format()).toBe("");
  return idl;
}

/** The fixture system (fixtures/emit/system.ts over the fixture IDL), resolved and laid out. */
export async function fixtureSystem(): Promise<CompiledSystem> {
  const bag = new DiagnosticBag();
  const loaded = await loadSystemFile(path.join(EMIT_FIXTURES, "system.ts"), bag);
  expect(bag.format()).toBe("");
  const model = resolveSystem(loaded!, fixtureIdl(), bag);
  expect(bag.errors).toEqual([]);
  const layout = computeLayout(model!, bag);
  expect(bag.errors).toEqual([]);
  return { model: model!, layout };
}

export function scratchDir(tag: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `ng-emit-${tag}-`));
}

export function writeFiles(dir: string, files: GeneratedFile[]): void {
  for (const f of files) {
    const p = path.join(dir, f.path);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
}

export function hasCompiler(cc: string): boolean {
  try {
    execFileSync(cc, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Runs a command; returns its output, or throws with the compiler's messages. */
export function run(cmd: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")}\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
}

/** Why the real-seL4 compile tests cannot run here, or undefined when they can. */
export function sel4SkipReason(): string | undefined {
  const ws = SEL4_WORKSPACE;
  if (!ws) return SEL4_SKIP;
  if (!existsSync(path.join(ws, "kernel/libsel4"))) return `no kernel/libsel4 in ${ws}`;
  if (!existsSync(path.join(ROOT, "runtime/sel4/include/neptune/transport.h"))) return "runtime/sel4 (the seL4 transport) is absent";
  for (const tool of ["cmake", "ninja", "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objdump"]) {
    if (!hasCompiler(tool)) return `${tool} is not installed`;
  }
  return undefined;
}

/**
 * Configure and build libsel4's generated headers once (runtime/sel4/cmake/libsel4-headers,
 * cached under the temp dir, keyed by workspace and CMake file) and return its -I flags.
 */
export function libsel4Includes(ws: string): string[] {
  const cmakeDir = path.join(ROOT, "runtime/sel4/cmake/libsel4-headers");
  const key = createHash("sha256")
    .update(path.resolve(ws))
    .update(readFileSync(path.join(cmakeDir, "CMakeLists.txt")))
    .digest("hex")
    .slice(0, 16);
  const build = path.join(os.tmpdir(), `neptune-libsel4-${key}`);
  mkdirSync(build, { recursive: true });
  if (!existsSync(path.join(build, "build.ninja"))) run("cmake", ["-G", "Ninja", "-S", cmakeDir, "-B", build, `-DNEPTUNE_SEL4_WORKSPACE=${ws}`]);
  run("ninja", ["-C", build, "-j2", "sel4"]);
  const cmds = run("ninja", ["-C", build, "-t", "commands", "sel4"]);
  const line = cmds.split("\n").find((l) => l.includes("sel4_bootinfo.c"));
  if (!line) throw new Error("no compile command for libsel4 in the build");
  return line.split(/\s+/).filter((a) => a.startsWith("-I"));
}

/**
 * Instructions per function in an AArch64 object file (objdump -d), nops not counted: `total`,
 * and `fast`, those up to the first `ret` (gcc lays the success path out first).
 */
export function instructionCounts(obj: string): Map<string, { total: number; fast: number }> {
  const dis = run("aarch64-linux-gnu-objdump", ["-d", obj]);
  const counts = new Map<string, { total: number; fast: number }>();
  let fn = "";
  let returned = false;
  for (const l of dis.split("\n")) {
    const head = /^[0-9a-f]+ <([^>]+)>:$/.exec(l);
    if (head) {
      fn = head[1];
      returned = false;
      counts.set(fn, { total: 0, fast: 0 });
    } else if (fn && /^\s+[0-9a-f]+:\s+[0-9a-f]{8}\s+(?!nop)/.test(l)) {
      const c = counts.get(fn)!;
      c.total++;
      if (!returned) c.fast++;
      if (/\sret\b/.test(l)) returned = true;
    }
  }
  return counts;
}

/**
 * Compiles a C check program against generated headers (server folder first, then the interface
 * headers, the portable runtime and the stub transport) under ASan/UBSan, runs it, and returns
 * the counts of its closing `<tag>: N checks, M failed` line.
 */
export function runCheckProgram(opts: { exe: string; source: string; serverDir: string; includeDir: string; tag: string }): { checks: number; failed: number; out: string } {
  run("gcc", [
    ...C_FLAGS,
    "-O1",
    "-g",
    "-fsanitize=address,undefined",
    "-fno-sanitize-recover=all",
    `-I${opts.serverDir}`,
    `-I${opts.includeDir}`,
    `-I${RUNTIME_INCLUDE}`,
    `-I${STUB_TRANSPORT}`,
    opts.source,
    "-o",
    opts.exe,
  ]);
  const out = run(opts.exe, []);
  const m = new RegExp(`${opts.tag}: (\\d+) checks, (\\d+) failed`).exec(out);
  if (!m) throw new Error(`no '${opts.tag}: N checks, M failed' line in:\n${out}`);
  return { checks: Number(m[1]), failed: Number(m[2]), out };
}
