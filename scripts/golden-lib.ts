// SPDX-License-Identifier: BSD-2-Clause
/**
 * Golden files: what the compiler generates for every IDL file in idl/ and for every example
 * system, kept under codegen/test/golden/ and reviewed in diffs.
 *   codegen/test/golden/idl/<file>/…        interface headers of idl/<file>.idl
 *   codegen/test/golden/systems/<example>/… what `neptune-gen gen` writes for examples/<example>
 *                                            beyond the interface headers (wrappers, tables, layout),
 *                                            and the servers.cmake a build writes (servers/<name>)
 *   codegen/test/golden/scaffold/kv/…       what `neptune-gen new server kv` writes
 *   codegen/test/golden/scaffold/resmgr/…   what `neptune-gen new server --resmgr procfs` writes
 * `npm run golden:update` rewrites them; the golden test fails when a regeneration would change
 * a tracked file.
 */

import { readFile, readdir, rm, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { DiagnosticBag } from "../codegen/src/diag/diagnostics.ts";
import { compileIdlFiles, compileSystem, emitSystem, findIdlFiles } from "../codegen/src/compile.ts";
import { emitAllInterfaces } from "../codegen/src/emit/interface.ts";
import { emitServersCmake } from "../codegen/src/emit/servers-cmake.ts";
import { resmgrScaffoldFiles, scaffoldFiles } from "../codegen/src/scaffold/server.ts";
import type { GeneratedFile } from "../codegen/src/emit/files.ts";
import { allProcesses } from "../codegen/src/model/system.ts";

export const GOLDEN_DIR = "codegen/test/golden";

export interface GoldenCase {
  name: string;
  files: GeneratedFile[];
}

async function exists(p: string): Promise<boolean> {
  return readdir(p).then(
    () => true,
    () => false,
  );
}

/** Generates every golden case in memory. Paths are relative to the repository root (the cwd). */
export async function generateGolden(): Promise<GoldenCase[]> {
  const cases: GoldenCase[] = [];
  const bag = new DiagnosticBag();
  // Each IDL file may use the others' types, so compile them together and split by file.
  const idlFiles = await findIdlFiles(["idl"], bag);
  const all = await compileIdlFiles(idlFiles, bag);
  for (const file of idlFiles) {
    const mine = { ...all, interfaces: all.interfaces.filter((i) => i.file === file) };
    cases.push({ name: `idl/${path.basename(file, ".idl")}`, files: emitAllInterfaces(mine) });
  }
  if (await exists("examples")) {
    for (const ex of (await readdir("examples")).sort()) {
      const sysFile = path.join("examples", ex, "system.ts");
      if (!(await readFile(sysFile).then(() => true, () => false))) continue;
      const sys = await compileSystem(sysFile, bag);
      // Interface headers do not depend on the system and are golden under idl/ already.
      if (!sys) continue;
      const serverDirs = Object.fromEntries(allProcesses(sys.model).map((s) => [s.name, `servers/${s.elf}`]));
      const files = [...emitSystem(sys).filter((f) => !f.path.startsWith("include/")), ...emitServersCmake(sys.model, sys.layout, { serverDirs })];
      cases.push({ name: `systems/${ex}`, files });
    }
  }
  cases.push({ name: "scaffold/kv", files: scaffoldFiles("kv", "idl") });
  cases.push({ name: "scaffold/resmgr", files: resmgrScaffoldFiles("procfs") });
  if (bag.hasErrors) throw new Error(`golden inputs do not compile:\n${bag.format()}`);
  return cases;
}

async function listFiles(dir: string): Promise<string[]> {
  if (!(await exists(dir))) return [];
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)).map((f) => path.join(e.name, f)));
    else out.push(e.name);
  }
  return out.map((f) => f.split(path.sep).join("/"));
}

export interface GoldenDiff {
  changed: string[];
  missing: string[];
  stale: string[];
}

/** Compares generated cases with the tracked golden files; with `update`, rewrites them. */
export async function compareGolden(cases: GoldenCase[], update: boolean): Promise<GoldenDiff> {
  const diff: GoldenDiff = { changed: [], missing: [], stale: [] };
  const expected = new Set<string>();
  for (const c of cases) {
    for (const f of c.files) {
      const rel = `${c.name}/${f.path}`;
      expected.add(rel);
      const p = path.join(GOLDEN_DIR, rel);
      const old = await readFile(p, "utf8").catch(() => undefined);
      if (old === f.text) continue;
      (old === undefined ? diff.missing : diff.changed).push(rel);
      if (update) {
        await mkdir(path.dirname(p), { recursive: true });
        await writeFile(p, f.text);
      }
    }
  }
  for (const rel of await listFiles(GOLDEN_DIR)) {
    if (!expected.has(rel)) {
      diff.stale.push(rel);
      if (update) await rm(path.join(GOLDEN_DIR, rel));
    }
  }
  return diff;
}
