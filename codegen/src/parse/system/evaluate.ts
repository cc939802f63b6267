// SPDX-License-Identifier: BSD-2-Clause
/**
 * Runs a type-checked system.ts: transpiles it (and the local files it imports) to CommonJS with
 * a source map, evaluates it with node:vm in a context of its own, and hands it the real
 * "neptune-gen" API module. While it runs, the API's origin hook maps every builder call back to
 * its call site in the TypeScript source, so each builder result carries `ORIGIN` (see
 * api/index.ts).
 *
 * What a description may do (README, "What a system description may do"): plain ECMAScript
 * (the language's built-in objects), imports of "neptune-gen" and of local files. It gets no Node
 * globals (`process`, `require`, `Buffer`, `console`, timers), no `eval`/`new Function`, and a
 * time limit (EVAL_TIME_LIMIT_MS, or NEPTUNE_GEN_EVAL_TIMEOUT_MS): every loop body first calls a
 * guard that ends the evaluation past the deadline, so an endless loop is reported at its own
 * line; a run that never reaches a loop guard (one huge built-in call) is stopped by node:vm's
 * timeout. Touching a missing global throws, and a throw is reported at its position. This keeps
 * an accident from hanging or ending the compiler; it is not a security boundary (node:vm is
 * not one): compile only descriptions you would run.
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

export interface EvalThrow {
  message: string;
  at?: Origin;
  /** It ran out of time. */
  timeout?: boolean;
}

export interface EvalResult {
  exports: Record<string, unknown> | undefined;
  /** Set when system.ts (or a file it imports) threw, or ran out of time (`timeout`). */
  thrown?: EvalThrow;
  /**
   * Promises of the description rejected with nobody to handle them. Node reports those a tick
   * after the evaluation: read this after `await settled()`.
   */
  rejected: EvalThrow[];
}

/** Rejections of a description's promises, by the Promise.prototype of its realm. */
const realmRejections = new WeakMap<object, (reason: unknown) => void>();
let rejectionListener = false;

/**
 * Routes unhandled rejections of a description's promises to its EvalResult instead of ending
 * the compiler; any other one is thrown on, as Node does without a listener.
 */
function listenForRejections(): void {
  if (rejectionListener) return;
  rejectionListener = true;
  process.on("unhandledRejection", (reason, promise) => {
    const report = realmRejections.get(Object.getPrototypeOf(promise) as object);
    if (!report) throw reason;
    report(reason);
  });
}

/** Resolves once Node has reported the rejections of promises settled so far. */
export function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface EvalContext {
  /** Source files of the project by absolute path. */
  getSource(absPath: string): SourceFile | undefined;
  /** Path for diagnostics (relative to the working directory where possible). */
  display(absPath: string): string;
}

const HOOK_KEY = Symbol.for("neptune-gen.originHook");
const EVAL_SUFFIX = ".neptune-gen-eval.cjs";
/** How long a description may run. */
export const EVAL_TIME_LIMIT_MS = 10_000;
/** The loop guard's name in the evaluated code (a parameter of each module's function). */
const GUARD = "__neptune_gen_loop";

/** A user error raised by our own `require` (bad import); reported at the import's line. */
class ImportError extends Error {}

/** Raised by the loop guard past the deadline; reported at the loop. */
class EvalTimeout extends Error {}

function timeLimitMs(): number {
  const env = Number(process.env.NEPTUNE_GEN_EVAL_TIMEOUT_MS);
  return Number.isFinite(env) && env > 0 ? env : EVAL_TIME_LIMIT_MS;
}

/**
 * A transformer that makes every loop body start with a call of the guard, mapped (source map)
 * to the loop statement: `while (c) s` → `while (c) { __neptune_gen_loop(); s }`.
 */
function loopGuards(context: ts.TransformationContext): ts.Transformer<ts.SourceFile> {
  const f = context.factory;
  const guarded = (loop: ts.Node, body: ts.Statement): ts.Block => {
    const call = f.createExpressionStatement(f.createCallExpression(f.createIdentifier(GUARD), undefined, []));
    ts.setSourceMapRange(call, { pos: loop.getStart(), end: loop.getEnd() });
    return f.createBlock([call, body], true);
  };
  const visit = (node: ts.Node): ts.Node => {
    const orig = node;
    node = ts.visitEachChild(node, visit, context);
    if (ts.isWhileStatement(node)) return f.updateWhileStatement(node, node.expression, guarded(orig, node.statement));
    if (ts.isDoStatement(node)) return f.updateDoStatement(node, guarded(orig, node.statement), node.expression);
    if (ts.isForStatement(node)) return f.updateForStatement(node, node.initializer, node.condition, node.incrementor, guarded(orig, node.statement));
    if (ts.isForInStatement(node)) return f.updateForInStatement(node, node.initializer, node.expression, guarded(orig, node.statement));
    if (ts.isForOfStatement(node)) return f.updateForOfStatement(node, node.awaitModifier, node.initializer, node.expression, guarded(orig, node.statement));
    return node;
  };
  return (sf) => ts.visitNode(sf, visit) as ts.SourceFile;
}

/** A value's `message` without trusting it (it may come from the description's realm or be no Error). */
function messageOf(e: unknown): string {
  try {
    if (e !== null && typeof e === "object" && typeof (e as { message?: unknown }).message === "string") return (e as { message: string }).message;
    return String(e);
  } catch {
    return "(a value that cannot be printed)";
  }
}

export function evaluateSystem(entry: string, ctx: EvalContext): EvalResult {
  const modules = new Map<string, EvalModule>(); // by eval file name
  const limit = timeLimitMs();
  const deadline = Date.now() + limit;
  // A realm with the language's built-ins only: no process, require, Buffer, console, timers.
  // Promise jobs run before runInContext returns, so they count against the time limit too.
  const sandbox = vm.createContext({}, { name: "system description", codeGeneration: { strings: false, wasm: false }, microtaskMode: "afterEvaluate" });
  // V8 puts a console in every context (silent in a vm context): a description has none.
  const sandboxError = vm.runInContext("delete globalThis.console; Error.stackTraceLimit = 64; Error", sandbox) as ErrorConstructor;
  let guardCalls = 0;
  let expired = false;
  const guard = (): void => {
    // Once past the deadline every guard throws, so a loop that catches the error cannot go on.
    if (expired || ((++guardCalls & 1023) === 0 && Date.now() > deadline)) {
      expired = true;
      throw new EvalTimeout(`did not finish within ${limit / 1000} s (an endless loop?)`);
    }
  };

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
      transformers: { before: [loopGuards] },
    });
    const map = new SourceMap(JSON.parse(out.sourceMapText ?? "{}"));
    const mod: EvalModule = { source, display: ctx.display(absPath), map, exports: {} };
    modules.set(evalName, mod);
    const fn = vm.compileFunction(out.outputText, ["exports", "require", "module", "__filename", "__dirname", GUARD], {
      filename: evalName,
      parsingContext: sandbox,
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
    fn(module.exports, req, module, absPath, path.dirname(absPath), guard);
    mod.exports = module.exports as Record<string, unknown>;
    return mod.exports;
  };

  /**
   * The innermost frame in an evaluated file, mapped to its TypeScript source: the call it falls
   * in, or (exact) the mapped position itself.
   */
  const originOf = (sites: NodeJS.CallSite[] | undefined, exact = false): Origin | undefined => {
    for (const site of sites ?? []) {
      const mod = modules.get(site.getFileName() ?? "");
      if (!mod) continue;
      const line = site.getLineNumber() ?? 1;
      const col = site.getColumnNumber() ?? 1;
      const entry = mod.map.findEntry(line - 1, col - 1) as { originalLine?: number; originalColumn?: number };
      if (entry.originalLine === undefined) return { file: mod.display, line: 1, col: 1 };
      if (exact) {
        const lc = { line: entry.originalLine + 1, col: (entry.originalColumn ?? 0) + 1 };
        return { file: mod.display, ...lc };
      }
      return callSiteAt(mod.source, mod.display, entry.originalLine, entry.originalColumn ?? 0);
    }
    return undefined;
  };

  const g = globalThis as Record<symbol, unknown>;
  const savedHook = g[HOOK_KEY];
  const savedLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(savedLimit, 64);
  g[HOOK_KEY] = () => originOf(captureSites());
  let thrown: EvalThrow | undefined;
  const rejected: EvalThrow[] = [];
  const describe = (e: unknown): EvalThrow => {
    const timeout = e instanceof EvalTimeout;
    return { message: messageOf(e), at: originOf(structuredSites(e, [Error, sandboxError]), timeout), timeout };
  };
  listenForRejections();
  realmRejections.set(vm.runInContext("Promise.prototype", sandbox) as object, (reason) => rejected.push(describe(reason)));
  // Caught inside the description's realm, before node:vm formats the stack on the way out.
  sandbox.__neptune_gen_run = () => load(entry);
  sandbox.__neptune_gen_caught = (e: unknown) => {
    thrown = describe(e);
  };
  try {
    // The vm timeout is the backstop for work no loop guard sees; the guards report first.
    const exports = vm.runInContext("try { __neptune_gen_run(); } catch (e) { __neptune_gen_caught(e); }", sandbox, {
      timeout: limit + 2000,
      filename: "neptune-gen",
    }) as Record<string, unknown> | undefined;
    return thrown ? { exports: undefined, thrown, rejected } : { exports, rejected };
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      return { exports: undefined, thrown: { message: `did not finish within ${limit / 1000} s`, timeout: true }, rejected };
    }
    throw e;
  } finally {
    delete sandbox.__neptune_gen_run;
    delete sandbox.__neptune_gen_caught;
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

/**
 * Call sites of a caught error, if its stack has not been formatted yet. An error formats its
 * stack with the prepareStackTrace of the realm it was made in: ours, or the description's.
 */
function structuredSites(e: unknown, realms: ErrorConstructor[]): NodeJS.CallSite[] | undefined {
  if (e === null || typeof e !== "object") return undefined;
  const saved = realms.map((r) => r.prepareStackTrace);
  for (const r of realms) r.prepareStackTrace = (_e, sites) => sites;
  try {
    const s = (e as { stack?: unknown }).stack;
    return Array.isArray(s) ? (s as NodeJS.CallSite[]) : undefined;
  } catch {
    return undefined;
  } finally {
    realms.forEach((r, i) => (r.prepareStackTrace = saved[i]));
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
