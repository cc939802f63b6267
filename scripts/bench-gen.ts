// SPDX-License-Identifier: BSD-2-Clause
/**
 * Generator benchmark: time to compile and emit a synthetic system of 200 servers / 500
 * interfaces, next to 20 / 50 and to a minimal system (1 / 1) measured in the same run.
 * Target: the large system in under 3 s, and linear growth: (large - minimal) / (small - minimal)
 * close to 10, the ratio of the sizes.
 *
 * Then deep and wide IDL (issue 15): a chain of 10,000 nested structs and an interface of
 * 100,000 methods, each against a tenth of its size, compiled and emitted (IDL alone); linear
 * growth again means a ratio near 10.
 *
 *   npm run bench:gen            (or: node --import tsx scripts/bench-gen.ts [--runs N])
 */

import { mkdtemp, mkdir, writeFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DiagnosticBag } from "../codegen/src/diag/diagnostics.ts";
import { compileSystem, emitSystem, writeGenerated } from "../codegen/src/compile.ts";
import { compileIdl } from "../codegen/src/model/resolve-idl.ts";
import { emitAllInterfaces } from "../codegen/src/emit/interface.ts";

interface Size {
  servers: number;
  interfaces: number;
}

/** One interface with a realistic mix: scalars, a struct, bounded str and bytes, a oneway, a cap. */
function interfaceIdl(i: number): string {
  return `/// Synthetic interface ${i}.
namespace if${i} {
    const MAX: size = 128;
    enum state: uint8 { idle = 0, busy = 1, done = 2 }
    struct info { id: uint64; state: state; name: str<32>; counters: uint32[4]; }
    errors { not_found, busy }
    rpc get(id: uint64) -> (info: info) raises (not_found);
    rpc put(id: uint64, name: str<MAX>) -> ();
    rpc read(id: uint64, len: uint32) -> (data: bytes<256>) raises (not_found, busy);
    rpc attach(ep: endpoint) -> (ok: bool);
    oneway poke(seq: uint64);
}
`;
}

/** Server s serves a slice of the interfaces and uses a few served by others. */
function systemTs(size: Size): string {
  const per = Math.ceil(size.interfaces / size.servers);
  const lines: string[] = [];
  for (let s = 0; s < size.servers; s++) {
    const serves: string[] = [];
    for (let k = 0; k < per; k++) {
      const i = s * per + k;
      if (i < size.interfaces) serves.push(`"if${i}"`);
    }
    const uses: string[] = [];
    for (const d of [1, 2, 3]) {
      const other = (s + d) % size.servers;
      const i = other * per;
      if (other !== s && i < size.interfaces) uses.push(`"if${i}"`);
    }
    lines.push(
      `    server({ name: "srv${s}", priority: ${100 + (s % 50)}, serves: [${serves.join(", ")}], uses: [${[...new Set(uses)].join(", ")}] }),`,
    );
  }
  return `import { defineSystem, server } from "neptune-gen";

export default defineSystem({
  name: "bench",
  untyped: "4G",
  servers: [
${lines.join("\n")}
  ],
});
`;
}

async function makeSystem(root: string, size: Size): Promise<string> {
  const dir = path.join(root, `s${size.servers}-i${size.interfaces}`);
  await mkdir(path.join(dir, "idl"), { recursive: true });
  for (let i = 0; i < size.interfaces; i++) await writeFile(path.join(dir, "idl", `if${i}.idl`), interfaceIdl(i));
  await writeFile(path.join(dir, "system.ts"), systemTs(size));
  return dir;
}

async function timeOnce(dir: string): Promise<{ ms: number; files: number }> {
  const t0 = performance.now();
  const bag = new DiagnosticBag();
  const sys = await compileSystem(path.join(dir, "system.ts"), bag);
  if (!sys) throw new Error(`synthetic system does not compile:\n${bag.format()}`);
  const files = emitSystem(sys);
  await writeGenerated(path.join(dir, "out"), files);
  const ms = performance.now() - t0;
  await rm(path.join(dir, "out"), { recursive: true, force: true });
  return { ms, files: files.length };
}

async function best(dir: string, runs: number): Promise<{ ms: number; files: number }> {
  let bestRun = await timeOnce(dir);
  for (let r = 1; r < runs; r++) {
    const t = await timeOnce(dir);
    if (t.ms < bestRun.ms) bestRun = t;
  }
  return bestRun;
}

/** `struct s0 { v: s1; } … struct s<n-1> { v: uint64; }` and one rpc that returns s0. */
function structChainIdl(n: number): string {
  const lines = ["namespace chain {"];
  for (let i = 0; i < n; i++) lines.push(`    struct s${i} { v: ${i + 1 < n ? `s${i + 1}` : "uint64"}; }`);
  lines.push("    rpc get() -> (x: s0);", "}");
  return lines.join("\n") + "\n";
}

/** One interface of n methods (explicit labels: 100,000 derived 20-bit labels would collide). */
function manyMethodsIdl(n: number): string {
  const lines = ["namespace wide {"];
  for (let i = 0; i < n; i++) lines.push(`    rpc m${i}(a: uint64) -> (b: uint64) = ${0x100 + i};`);
  lines.push("}");
  return lines.join("\n") + "\n";
}

/** Milliseconds to compile IDL text and emit its headers (in memory). */
function timeIdl(text: string): { ms: number; bytes: number } {
  const t0 = performance.now();
  const bag = new DiagnosticBag();
  const idl = compileIdl([{ file: "bench.idl", text }], bag);
  if (bag.hasErrors) throw new Error(`synthetic IDL does not compile:\n${bag.format()}`);
  const bytes = emitAllInterfaces(idl).reduce((n, f) => n + f.text.length, 0);
  return { ms: performance.now() - t0, bytes };
}

function idlLine(what: string, make: (n: number) => string, n: number): void {
  const small = timeIdl(make(n / 10));
  const large = timeIdl(make(n));
  console.log(
    `  ${what.padEnd(34)} ${large.ms.toFixed(0).padStart(6)} ms  (${(large.bytes / 1e6).toFixed(1)} MB of C; ` +
      `a tenth: ${small.ms.toFixed(0)} ms, ratio ${(large.ms / Math.max(1, small.ms)).toFixed(1)}, linear = 10)`,
  );
}

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const root = await mkdtemp(path.join(os.tmpdir(), "neptune-bench-"));
try {
  const sizes: Size[] = [
    { servers: 1, interfaces: 1 },
    { servers: 20, interfaces: 50 },
    { servers: 200, interfaces: 500 },
  ];
  const dirs = await Promise.all(sizes.map((s) => makeSystem(root, s)));
  // Warm-up: the first compile loads ts-morph and the TypeScript compiler.
  await timeOnce(dirs[0]);
  const results = [];
  for (let k = 0; k < sizes.length; k++) results.push(await best(dirs[k], runs));
  console.log(`generator benchmark (best of ${runs} runs, compile + emit + write)`);
  for (let k = 0; k < sizes.length; k++) {
    const { servers, interfaces } = sizes[k];
    console.log(
      `  ${String(servers).padStart(3)} servers / ${String(interfaces).padStart(3)} interfaces: ` +
        `${results[k].ms.toFixed(0).padStart(6)} ms  (${results[k].files} files)`,
    );
  }
  const [base, small, large] = results.map((r) => r.ms);
  const growth = (large - base) / Math.max(1, small - base);
  console.log(`  large / small, fixed cost removed: ${growth.toFixed(2)} (sizes differ 10x; linear = 10)`);
  console.log(`  large system: ${(large / 1000).toFixed(2)} s (target < 3 s): ${large < 3000 ? "met" : "NOT met"}`);
  console.log("deep and wide IDL (compile + emit, in memory)");
  idlLine("10,000-deep struct chain:", structChainIdl, 10_000);
  idlLine("100,000 methods in one interface:", manyMethodsIdl, 100_000);
} finally {
  await rm(root, { recursive: true, force: true });
}
