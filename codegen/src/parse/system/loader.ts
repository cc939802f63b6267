// SPDX-License-Identifier: BSD-2-Clause
/**
 * Loads a system description: type-checks system.ts (and the local files it imports) with
 * ts-morph against the real "neptune-gen" API, evaluates it (parse/system/evaluate.ts) and
 * returns its default export together with a way to turn any (builder, property path) into a
 * precise `file:line:col`. It does not validate the description: model/system-schema.ts and
 * model/resolve-system.ts do, reporting at the positions this module finds.
 *
 *   const loaded = await loadSystemFile("examples/hello/system.ts", bag);
 *   loaded.positionOf(loaded.spec.servers[0], ["priority"])  // -> system.ts:7:5
 */

import path from "node:path";
import { fileURLToPath } from "node:url";
import { Project, ts, type SourceFile } from "ts-morph";
import type { DiagnosticBag, SourcePos } from "../../diag/diagnostics.ts";
import type { System } from "../../api/index.ts";
import { evaluateSystem, settled } from "./evaluate.ts";
import { callAt, originOf, posOfNode, walkPath, type PathKey } from "./positions.ts";

export type { PathKey } from "./positions.ts";

export interface LoadedSystem {
  /** system.ts as given (relative to the working directory where possible). */
  file: string;
  /** Its default export, as the builders made it (not validated yet). */
  spec: System;
  /**
   * Position of `path` below a builder result (`spec`, a server, a driver, a memory region);
   * the builder's call site when the path cannot be followed in the source.
   */
  positionOf(value: unknown, path?: readonly PathKey[]): SourcePos;
}

/** The API module that system.ts imports as "neptune-gen". */
export const API_MODULE = fileURLToPath(new URL("../../api/index.ts", import.meta.url));

export function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : abs;
}

export async function loadSystemFile(file: string, bag: DiagnosticBag): Promise<LoadedSystem | undefined> {
  const abs = path.resolve(file);
  const display = displayPath(abs);
  const project = new Project({
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      lib: ["lib.es2022.d.ts"],
      paths: { "neptune-gen": [API_MODULE] },
    },
    skipAddingFilesFromTsConfig: true,
  });
  let entry: SourceFile;
  try {
    entry = project.addSourceFileAtPath(abs);
  } catch {
    bag.error({ file: display, line: 1, col: 1 }, `cannot read system description '${display}'`, "check the path; it names a system.ts file");
    return undefined;
  }
  project.resolveSourceFileDependencies();

  const apiPath = path.resolve(API_MODULE);
  const own = (sf: SourceFile): boolean => {
    const p = path.resolve(sf.getFilePath());
    return p !== apiPath && !p.includes(`${path.sep}node_modules${path.sep}`);
  };

  // 1. Type errors: reported as the TypeScript compiler words them, then stop.
  let typeErrors = 0;
  for (const d of project.getPreEmitDiagnostics()) {
    if (d.getCategory() !== ts.DiagnosticCategory.Error) continue;
    const sf = d.getSourceFile();
    if (sf && !own(sf)) continue;
    const text = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, "\n  ");
    let pos: SourcePos | undefined;
    if (sf) {
      const lc = sf.getLineAndColumnAtPos(d.getStart() ?? 0);
      pos = { file: displayPath(sf.getFilePath()), line: lc.line, col: lc.column };
    }
    bag.error(pos, `TS${d.getCode()}: ${text}`);
    typeErrors++;
  }
  if (typeErrors > 0) return undefined;

  // 2. Evaluate it.
  const sources = new Map<string, SourceFile>();
  for (const sf of project.getSourceFiles()) if (own(sf)) sources.set(path.resolve(sf.getFilePath()), sf);
  const result = evaluateSystem(abs, { getSource: (p) => sources.get(p), display: displayPath });
  await settled();
  const thrown = result.thrown ?? result.rejected[0];
  if (thrown) {
    const { message, at = { file: display, line: 1, col: 1 }, timeout } = thrown;
    if (timeout) {
      bag.error(at, `system description ${message}`, "a description runs once, at compile time, and must end: look for a loop that never stops");
    } else {
      const global = /^(\w+) is not defined$/.exec(message);
      const hint = global
        ? `a system description runs without Node's globals ('${global[1]}' among them): it may use the language's built-ins and the "neptune-gen" API only`
        : "fix the code in the system description; it runs once, at compile time";
      bag.error(at, `system description threw: ${message}`, hint);
    }
    return undefined;
  }

  const spec = result.exports?.default;
  if (spec === undefined) {
    bag.error(
      { file: display, line: 1, col: 1 },
      "the system description has no default export",
      'end it with `export default defineSystem({ name: "...", servers: [...] });`',
    );
    return undefined;
  }
  if (spec === null || typeof spec !== "object" || (spec as { kind?: unknown }).kind !== "system") {
    bag.error(
      defaultExportPos(entry, display),
      "the default export is not a system description",
      'export the result of defineSystem(...) from "neptune-gen": `export default defineSystem({ ... });`',
    );
    return undefined;
  }

  const byDisplay = new Map<string, SourceFile>();
  for (const sf of sources.values()) byDisplay.set(displayPath(sf.getFilePath()), sf);
  return makeLoaded(display, spec as System, byDisplay);
}

function defaultExportPos(sf: SourceFile, display: string): SourcePos {
  const exp = sf.getExportAssignment((e) => !e.isExportEquals());
  return exp ? posOfNode(exp, display) : { file: display, line: 1, col: 1 };
}

function makeLoaded(file: string, spec: System, sources: Map<string, SourceFile>): LoadedSystem {
  return {
    file,
    spec,
    positionOf(value, p = []) {
      const origin = originOf(value) ?? originOf(spec);
      if (!origin) return { file, line: 1, col: 1 };
      const sf = sources.get(origin.file);
      const call = sf && callAt(sf, origin);
      if (!call) return { file: origin.file, line: origin.line, col: origin.col };
      return posOfNode(walkPath(call, p), origin.file);
    },
  };
}

/**
 * A LoadedSystem for a spec built in code (tests, the library API): positions are the builders'
 * origins when they have one, else `file:1:1`.
 */
export function loadedFromSpec(spec: System, file = "<system>"): LoadedSystem {
  return makeLoaded(file, spec, new Map());
}

/**
 * Position of a path from the system spec's root, as zod reports it: the path is split at the
 * deepest builder result on the way (a server, a driver, a memory region) and resolved below it.
 */
export function positionOf(loaded: LoadedSystem, value: unknown, p: readonly PathKey[]): SourcePos {
  let owner: unknown = value;
  let rest: PathKey[] = [];
  let cur: unknown = value;
  for (const key of p) {
    cur = cur !== null && typeof cur === "object" ? (cur as Record<PathKey, unknown>)[key] : undefined;
    if (originOf(cur)) {
      owner = cur;
      rest = [];
    } else rest.push(key);
  }
  return loaded.positionOf(owner, rest);
}
