// SPDX-License-Identifier: BSD-2-Clause
/**
 * The pipeline as a library: system.ts + IDL → model → layout → generated files.
 *
 *   const bag = new DiagnosticBag();
 *   const sys = await compileSystem("system.ts", bag);    // undefined when bag has errors
 *   const files = emitSystem(sys);
 *   await writeGenerated("build/gen", files);
 *
 * Every stage reports into the one bag; the pipeline stops after a stage that reported errors,
 * because later stages assume a consistent model. The CLI is a thin layer over these functions.
 */

import { readFile, readdir, stat, mkdir, writeFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DiagnosticBag, UserErrors, suggestionHint } from "./diag/diagnostics.ts";
import { findPlatform, platformNames } from "./model/platforms.ts";
import type { IdlModel } from "./model/idl.ts";
import { type CompiledSystem, allProcesses } from "./model/system.ts";
import { compileIdl } from "./model/resolve-idl.ts";
import { loadSystemFile } from "./parse/system/loader.ts";
import { type ResolveOptions, resolveSystem } from "./model/resolve-system.ts";
import { computeLayout } from "./model/layout.ts";
import type { GeneratedFile } from "./emit/files.ts";
import { emitAllInterfaces } from "./emit/interface.ts";
import { emitServerWrapper } from "./emit/server-wrapper.ts";
import { emitRootTables } from "./emit/root-tables.ts";
import { emitRootService } from "./emit/root-service.ts";
import { emitLayoutTxt } from "./emit/layout-txt.ts";
import { emitSystemJson } from "./emit/system-json.ts";
import { checkIdlCNames, checkSystemCNames } from "./emit/cnames-check.ts";

/** Expands files and folders (recursively, *.idl) into a sorted list of IDL files. */
export async function findIdlFiles(entries: string[], bag: DiagnosticBag, base = "."): Promise<string[]> {
  const out = new Set<string>();
  for (const entry of entries) {
    const p = path.isAbsolute(entry) ? entry : path.join(base, entry);
    let st;
    try {
      st = await stat(p);
    } catch {
      bag.error(undefined, `IDL path '${displayPath(p)}' does not exist`, "list IDL files or folders in the system's `idl` field, relative to system.ts");
      continue;
    }
    if (st.isDirectory()) {
      for (const f of await walk(p)) if (f.endsWith(".idl")) out.add(f);
    } else {
      out.add(p);
    }
  }
  return [...out].map(displayPath).sort();
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) for (const f of await walk(p)) files.push(f);
    else files.push(p);
  }
  return files;
}

/** Paths in diagnostics and banners: relative to the working directory when below it. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : p;
}

/**
 * The root server's services: processes (idl/root.idl) and run-time shared memory
 * (idl/rootmem.idl). Part of every system, so the root server, every spawner and every server
 * with run-time connections have their stubs, whatever the system's `idl` paths list.
 */
export const ROOT_IDL = fileURLToPath(new URL("../../idl/root.idl", import.meta.url));
export const ROOTMEM_IDL = fileURLToPath(new URL("../../idl/rootmem.idl", import.meta.url));
/** The root server's services (emit/root-service.ts ROOT_SERVICE_INTERFACES), in every system. */
export const BUILTIN_IDL: readonly string[] = [ROOT_IDL, ROOTMEM_IDL];

/**
 * The system's IDL files plus the built-in ones it does not list already. A listed file with a
 * built-in's name (a copy of the toolkit's idl/ folder, as `new server` projects hold) stands
 * for it.
 */
export function withBuiltinIdl(files: string[]): string[] {
  const have = new Set(files.map((f) => path.basename(f)));
  const add = BUILTIN_IDL.filter((f) => !have.has(path.basename(f))).map(displayPath);
  return add.length ? [...files, ...add].sort() : files;
}

export async function compileIdlFiles(files: string[], bag: DiagnosticBag): Promise<IdlModel> {
  const sources = await Promise.all(
    files.map(async (file) => ({ file: displayPath(file), text: await readFile(file, "utf8") })),
  );
  return compileIdlSources(sources, bag);
}

/** IDL sources → model, as `check` does it: resolved, then its generated C names checked. */
export function compileIdlSources(sources: { file: string; text: string }[], bag: DiagnosticBag): IdlModel {
  const idl = compileIdl(sources, bag);
  if (!bag.hasErrors) checkIdlCNames(idl, bag);
  return idl;
}

/**
 * `platform`: compile for this platform instead of the one system.ts names (`-p`): its devices
 * are then checked against this platform's table. `kernel`: command-line kernel settings.
 */
export type CompileOptions = ResolveOptions;

export async function compileSystem(systemFile: string, bag: DiagnosticBag, opts: CompileOptions = {}): Promise<CompiledSystem | undefined> {
  const loaded = await loadSystemFile(systemFile, bag);
  if (!loaded || bag.hasErrors) return undefined;
  if (opts.platform !== undefined) {
    const p = findPlatform(opts.platform);
    if (!p) {
      bag.error(undefined, `unknown platform '${opts.platform}'`, suggestionHint(opts.platform, platformNames()) ?? `use one of: ${platformNames().join(", ")}`);
      return undefined;
    }
    loaded.spec.platform = p.name;
  }
  const idlFiles = await findIdlFiles(loaded.spec.idl ?? ["idl"], bag, path.dirname(systemFile));
  if (bag.hasErrors) return undefined;
  const idl = await compileIdlFiles(withBuiltinIdl(idlFiles), bag);
  if (bag.hasErrors) return undefined;
  const model = resolveSystem(loaded, idl, bag, opts);
  if (!model || bag.hasErrors) return undefined;
  const layout = computeLayout(model, bag);
  if (bag.hasErrors) return undefined;
  checkSystemCNames(model, layout, bag);
  if (bag.hasErrors) return undefined;
  return { model, layout };
}

/** Everything generated for a system, in a stable order. */
export function emitSystem(sys: CompiledSystem): GeneratedFile[] {
  const files: GeneratedFile[] = [...emitAllInterfaces(sys.model.idl)];
  for (const server of allProcesses(sys.model)) {
    const layout = [...sys.layout.servers, ...sys.layout.programs].find((s) => s.name === server.name);
    if (!layout) throw new Error(`internal: no layout for server ${server.name}`);
    files.push(...emitServerWrapper(server, layout, sys.model, sys.layout.programs));
  }
  files.push(...emitRootTables(sys.model, sys.layout));
  files.push(...emitRootService(sys.model));
  files.push(...emitLayoutTxt(sys.model, sys.layout));
  files.push(...emitSystemJson(sys.model, sys.layout));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Writes files below outDir, leaving unchanged files untouched (their mtime too, so ninja does
 * not rebuild what depends on them) and removing stale *_gen.* files and outputs of earlier runs
 * that this run no longer produces (listed in .neptune-gen-files).
 */
export async function writeGenerated(outDir: string, files: GeneratedFile[]): Promise<WriteResult> {
  try {
    return await writeFiles(outDir, files);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code !== "string" || !err.syscall) throw e;
    // The file system refused (a path too long, a file where a folder must be, permissions,
    // space): the user's to fix, one line, no stack trace.
    const bag = new DiagnosticBag();
    const where = err.path && path.resolve(err.path) !== path.resolve(outDir) ? ` (${displayPath(err.path)})` : "";
    const why = FS_REASONS[err.code] ?? `${err.code} (${err.syscall})`;
    bag.error(undefined, `cannot write generated files to '${displayPath(outDir)}': ${why}${where}`, FS_HINTS[err.code] ?? "choose another output directory (-o, or -B for build)");
    // A user's error (printed from the bag) that still reads as the file-system error it was,
    // for callers that word their own message (`docs`).
    throw Object.assign(new UserErrors(bag), { code: err.code, message: err.message });
  }
}

const FS_REASONS: Record<string, string> = {
  ENAMETOOLONG: "a file name is longer than the file system allows",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "a folder is in the way of a file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EEXIST: "a file is in the way of a folder",
};

const FS_HINTS: Record<string, string> = {
  ENAMETOOLONG: "shorten the output directory or the namespace and server names that file names are built from",
};

async function writeFiles(outDir: string, files: GeneratedFile[]): Promise<WriteResult> {
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  await mkdir(outDir, { recursive: true });
  const manifest = path.join(outDir, ".neptune-gen-files");
  const previous = await readFile(manifest, "utf8").then((t) => t.split("\n").filter(Boolean), () => [] as string[]);
  const now = new Set(files.map((f) => f.path));
  for (const f of files) {
    const p = path.join(outDir, f.path);
    const old = await readFile(p, "utf8").catch(() => undefined);
    if (old === f.text) {
      result.unchanged.push(f.path);
      continue;
    }
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, f.text);
    result.written.push(f.path);
  }
  for (const old of previous) {
    if (!now.has(old)) {
      await rm(path.join(outDir, old), { force: true });
      result.removed.push(old);
    }
  }
  const list = [...now].sort().join("\n") + "\n";
  if ((await readFile(manifest, "utf8").catch(() => "")) !== list) await writeFile(manifest, list);
  return result;
}
