// SPDX-License-Identifier: BSD-2-Clause
/**
 * Evaluating system.ts (issue 15, class 3): a description runs in a realm of its own with a time
 * limit and no Node globals. An endless loop (plain, or in a promise job), a call of
 * `process.exit`, an escape to `process` through `globalThis`, `new Function` and a throw are each
 * one error at the offending position; the compiler never hangs, exits or crashes.
 */

import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { loadSystemFile } from "../src/parse/system/loader.ts";

// Short, so that the endless loops below end quickly.
process.env.NEPTUNE_GEN_EVAL_TIMEOUT_MS = "1500";

const HEAD = `import { defineSystem, server } from "neptune-gen";\n`;
const TAIL = `export default defineSystem({ name: "t", idl: [], servers: [server({ name: "a" })] });\n`;

async function load(body: string): Promise<{ errors: string[]; ok: boolean; ms: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "neptune-eval-"));
  const file = path.join(dir, "system.ts");
  writeFileSync(file, HEAD + body + TAIL);
  const bag = new DiagnosticBag();
  const start = Date.now();
  const loaded = await loadSystemFile(file, bag);
  const errors = bag.format().split("\n").filter(Boolean).map((l) => l.replace(dir + path.sep, ""));
  return { errors, ok: loaded !== undefined, ms: Date.now() - start };
}

describe("system.ts evaluation", () => {
  it("runs a well-behaved description (loops and all)", async () => {
    const r = await load(`let n = 0;\nfor (let i = 0; i < 100000; i++) n += i;\nwhile (n > 10) n = Math.floor(n / 2);\n`);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("stops an endless loop at the time limit and reports the loop", async () => {
    const r = await load(`let n = 0;\nwhile (n >= 0) {\n  n = (n + 1) % 7;\n}\n`);
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toBe("system.ts:3:1: error: system description did not finish within 1.5 s (an endless loop?)");
    expect(r.errors[1]).toMatch(/^hint: .*must end/);
    expect(r.ms).toBeLessThan(10_000);
  });

  it("stops a loop that catches the guard's error", async () => {
    const r = await load(`for (;;) {\n  try {\n    for (;;) {}\n  } catch {}\n}\n`);
    expect(r.errors[0]).toMatch(/^system\.ts:\d+:1: error: system description did not finish within 1\.5 s/);
  });

  it("stops an endless loop in a promise job", async () => {
    const r = await load(`void Promise.resolve().then(() => {\n  for (;;) {}\n});\n`);
    expect(r.errors[0]).toBe("system.ts:3:3: error: system description did not finish within 1.5 s (an endless loop?)");
  });

  it("stops work no loop sees (a backtracking regular expression) with the vm's timeout", async () => {
    const r = await load(`const bad = /^(a+)+$/.test("a".repeat(40) + "b");\nexport const x = bad;\n`);
    expect(r.errors[0]).toBe("system.ts:1:1: error: system description did not finish within 1.5 s");
  });

  it("reports process.exit as an error at the call; the compiler goes on", async () => {
    const r = await load(`declare const process: { exit(code: number): never };\nconst name = "a";\nif (name === "a") process.exit(0);\n`);
    expect(r.errors[0]).toBe("system.ts:4:19: error: system description threw: process is not defined");
    expect(r.errors[1]).toMatch(/^hint: a system description runs without Node's globals \('process' among them\)/);
  });

  it("reports process.exit in an async function", async () => {
    const r = await load(`declare const process: { exit(code: number): never };\nasync function later(): Promise<void> {\n  process.exit(0);\n}\nvoid later();\n`);
    expect(r.errors[0]).toBe("system.ts:4:3: error: system description threw: process is not defined");
  });

  it("has no Node globals", async () => {
    const r = await load(
      `const g = globalThis as unknown as Record<string, unknown>;\n` +
        `const found = ["process", "require", "module", "Buffer", "console", "setTimeout", "setImmediate", "queueMicrotask", "fetch", "global"].filter((k) => k in g);\n` +
        `if (found.length) throw new Error("reachable: " + found.join(", "));\n`,
    );
    expect(r.errors).toEqual([]);
  });

  it("reports new Function (no code from strings)", async () => {
    const r = await load(`const f = new Function("return 1");\nexport const x = f;\n`);
    expect(r.errors[0]).toMatch(/^system\.ts:2:11: error: system description threw: Code generation from strings disallowed/);
  });

  it("reports a throw at its position", async () => {
    const r = await load(`function pick(): string {\n  throw new Error("nope");\n}\nexport const x = pick();\n`);
    expect(r.errors[0]).toBe("system.ts:3:9: error: system description threw: nope");
  });
});
