// SPDX-License-Identifier: BSD-2-Clause
/**
 * Runs a type-checked system.ts: transpiles it (and the local files it imports) to CommonJS with
 * a source map, evaluates it with node:vm in this realm, and hands it the real "neptune-gen" API
 * module. While it runs, the API's origin hook maps every builder call back to its call site in
 * the TypeScript source, so each builder result carries `ORIGIN` (see api/index.ts).
 */

import path from "node:path";
import vm from "node:vm";
import { SourceMap } from "node:module";
import { ts, type SourceFile, Node } from "ts-morph";
import * as api from "../../api/index.ts";
import type { Origin } from "../../api/index.ts";

/** One evaluated module: its source, its source map and the file name V8 sees. */
interface EvalModule {
  source: SourceFile;
  display: string;
  map: SourceMap;
  exports: Record<string, unknown>;
}

export interface EvalResult {
  exports: Record<string, unknown> | undefined;
  /** Set when system.ts (or a file it imports) threw. */
  thrown?: { message: string; at?: Origin };
}

export interface EvalContext {
  /** Source files of the project by absolute path. */
  getSource(absPath: string): SourceFile | undefined;
  /** Path for diagnostics (relative to the working directory where possible). */
  display(absPath: string): string;
}

const HOOK_KEY = Symbol.for("neptune-gen.originHook");
const EVAL_SUFFIX = ".neptune-gen-eval.cjs";

/** A user error raised by our own `require` (bad import); reported at the import's line. */
class ImportError extends Error {}

export function evaluateSystem(entry: string, ctx: EvalContext): EvalResult {
  const modules = new Map<string, EvalModule>(); // by eval file name

  const load = (absPath: string): Record<string, unknown> => {
    const evalName = absPath + EVAL_SUFFIX;
    const done = modules.get(evalName);
    if (done) return done.exports;
    const source = ctx.getSource(absPath);
    if (!source) throw new ImportError(`cannot find '${ctx.display(absPath)}'`);
    const out = ts.transpileModule(source.getFullText(), {
      fileName: absPath,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        sourceMap: true,
        esModuleInterop: true,
      },
    });
    const map = new SourceMap(JSON.parse(out.sourceMapText ?? "{}"));
    const mod: EvalModule = { source, display: ctx.display(absPath), map, exports: {} };
    modules.set(evalName, mod);
    const fn = vm.compileFunction(out.outputText, ["exports", "require", "module", "__filename", "__dirname"], {
      filename: evalName,
    });
    const module = { exports: mod.exports };
    const req = (spec: string): unknown => {
      if (spec === "neptune-gen") return api;
      if (spec.startsWith("./") || spec.startsWith("../")) {
        const file = localCandidates(absPath, spec).find((c) => ctx.getSource(c));
        if (!file) throw new ImportError(`cannot find '${spec}' (imported by ${ctx.display(absPath)})`);
        return load(file);
      }
      throw new ImportError(`system.ts may import only "neptune-gen" and local files, not '${spec}'`);
    };
    fn(module.exports, req, module, absPath, path.dirname(absPath));
    mod.exports = module.exports as Record<string, unknown>;
    return mod.exports;
  };

  /** The innermost frame in an evaluated file, mapped to its TypeScript source. */
  const originOf = (sites: NodeJS.CallSite[] | undefined): Origin | undefined => {
    for (const site of sites ?? []) {
      const mod = modules.get(site.getFileName() ?? "");
      if (!mod) continue;
      const line = site.getLineNumber() ?? 1;
      const col = site.getColumnNumber() ?? 1;
      const entry = mod.map.findEntry(line - 1, col - 1) as { originalLine?: number; originalColumn?: number };
      if (entry.originalLine === undefined) return { file: mod.display, line: 1, col: 1 };
      return callSiteAt(mod.source, mod.display, entry.originalLine, entry.originalColumn ?? 0);
    }
    return undefined;
  };

  const g = globalThis as Record<symbol, unknown>;
  const savedHook = g[HOOK_KEY];
  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(savedLimit, 64);
  g[HOOK_KEY] = () => originOf(captureSites());
  try {
    return { exports: load(entry) };
  } catch (e) {
    const sites = e instanceof Error ? structuredSites(e) : undefined;
    const message = e instanceof Error ? e.message : String(e);
    return { exports: undefined, thrown: { message, at: originOf(sites) } };
  } finally {
    g[HOOK_KEY] = savedHook;
    Error.stackTraceLimit = savedLimit;
  }
}

/** Files a relative import may name: as written, with .js read as .ts, or a folder's index. */
function localCandidates(from: string, spec: string): string[] {
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(m?js|cjs)$/, "");
  return [base, stem + ".ts", stem + ".mts", path.join(base, "index.ts")];
}

function captureSites(): NodeJS.CallSite[] {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, sites) => sites;
  try {
    return new Error().stack as unknown as NodeJS.CallSite[];
  } finally {
    Error.prepareStackTrace = saved;
  }
}

/** Call sites of a caught error, if its stack has not been formatted yet. */
function structuredSites(e: Error): NodeJS.CallSite[] | undefined {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, sites) => sites;
  try {
    const s = e.stack as unknown;
    return Array.isArray(s) ? (s as NodeJS.CallSite[]) : undefined;
  } finally {
    Error.prepareStackTrace = saved;
  }
}

/**
 * The call expression that a mapped position falls in (V8 reports a call at its callee or its
 * opening parenthesis); its start is the origin. Outside any call (a `throw`), the position.
 */
function callSiteAt(sf: SourceFile, display: string, line0: number, col0: number): Origin {
  const pos = ts.getPositionOfLineAndCharacter(sf.compilerNode, line0, col0);
  let node: Node | undefined = sf.getDescendantAtPos(pos);
  while (node && !Node.isCallExpression(node) && !Node.isNewExpression(node) && !Node.isThrowStatement(node))
    node = node.getParent();
  const at = node ? node.getStart() : pos;
  const lc = sf.getLineAndColumnAtPos(at);
  return { file: display, line: lc.line, col: lc.column };
}
