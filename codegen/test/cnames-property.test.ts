// SPDX-License-Identifier: BSD-2-Clause
/**
 * Property (issue 15, class 1): whatever IDL `check` accepts compiles. Random valid IDL, with
 * names drawn from a tiny alphabet joined by '_' (so that generated C names collide: `a_b` +
 * `c` against `a` + `b_c`, a struct `add_req` beside an rpc `add`, a const `ADD_LABEL`, fields
 * named like macros or stub locals), is compiled as `check` compiles it; every model it accepts
 * has all its headers (types, client, server) included in one translation unit and compiled with
 * `-Wall -Wextra -Werror -pedantic` by gcc for the host and by aarch64-linux-gnu-gcc. Seeded
 * (NEPTUNE_PROPERTY_SEED to vary it); the failing case is printed with its seed and index.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { compileIdlSources } from "../src/compile.ts";
import { emitAllInterfaces } from "../src/emit/interface.ts";
import { lowerIdent } from "../src/emit/cprinter.ts";
import { C_FLAGS, RUNTIME_INCLUDE, STUB_TRANSPORT, hasCompiler, scratchDir, writeFiles } from "./emit-helpers.ts";

const SEED = Number(process.env.NEPTUNE_PROPERTY_SEED ?? 15);
const CASES = 300;
const COMPILERS = ["gcc", "aarch64-linux-gnu-gcc"];

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PARTS = ["a", "b", "c", "m", "req", "rep", "label", "ok", "err", "valid", "client", "ops", "words", "dispatch"];
const SCALARS = ["uint8", "int16", "uint32", "uint64", "int64", "bool", "char", "size"];

/** One random IDL source (syntactically valid; names chosen to collide). */
function randomIdl(r: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chance = (p: number) => r() < p;
  const name = (): string => {
    const n = chance(0.6) ? pick(PARTS) : `${pick(PARTS)}_${pick(PARTS)}`;
    return chance(0.1) ? n.toUpperCase() : n;
  };
  const out: string[] = [];
  const scope = (ns: string | undefined, globals: { types: string[] }): void => {
    const types: string[] = [];
    const consts: string[] = [];
    const errors: string[] = [];
    const typeExpr = (inStruct: boolean): string => {
      const pool = [...SCALARS, ...types, ...globals.types];
      let t = pick(pool);
      if (!inStruct && chance(0.2)) t = pick(["str", "bytes<16>", "endpoint", "cap", "str<8>"]);
      if (inStruct && chance(0.1)) t = "str<7>";
      if (chance(0.15) && !/^(str|bytes|endpoint|cap)$/.test(t) && !t.startsWith("bytes")) t += `[${consts.length && chance(0.5) ? pick(consts) : 2}]`;
      return t;
    };
    const fields = (n: number, inStruct: boolean, sep: string): string =>
      Array.from({ length: n }, () => `${name().toLowerCase()}: ${typeExpr(inStruct)}`).join(sep);
    const decls = 1 + Math.floor(r() * 6);
    for (let i = 0; i < decls; i++) {
      const k = r();
      if (k < 0.15) {
        const c = name().toUpperCase();
        out.push(`const ${c}: uint32 = ${1 + Math.floor(r() * 3)};`);
        consts.push(ns === undefined ? c : c);
      } else if (k < 0.3) {
        const e = name().toLowerCase();
        const members = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, j) => `${name().toLowerCase()} = ${j}`);
        out.push(`enum ${e}${chance(0.5) ? ": uint8" : ""} { ${members.join(", ")} }`);
        types.push(e);
      } else if (k < 0.5) {
        const s = name().toLowerCase();
        out.push(`struct ${s} { ${fields(1 + Math.floor(r() * 3), true, "; ")}; }`);
        types.push(s);
      } else if (k < 0.6) {
        const a = name().toLowerCase();
        out.push(`type ${a} = ${typeExpr(true)};`);
        types.push(a);
      } else if (ns !== undefined && k < 0.68 && errors.length === 0) {
        const es = Array.from({ length: 1 + Math.floor(r() * 2) }, () => name().toLowerCase());
        out.push(`errors { ${es.join(", ")} }`);
        errors.push(...es);
      } else if (ns !== undefined) {
        const m = name().toLowerCase();
        const args = fields(Math.floor(r() * 3), false, ", ");
        if (chance(0.25)) out.push(`oneway ${m}(${args});`);
        else {
          const raises = errors.length && chance(0.4) ? ` raises (${pick(errors)})` : "";
          out.push(`rpc ${m}(${args}) -> (${fields(Math.floor(r() * 3), false, ", ")})${raises};`);
        }
      }
    }
    if (ns === undefined) globals.types.push(...types);
  };
  const globals = { types: [] as string[] };
  if (chance(0.4)) scope(undefined, globals);
  const nss = 1 + Math.floor(r() * 3);
  for (let i = 0; i < nss; i++) {
    const ns = name().toLowerCase();
    out.push(`namespace ${ns} {`);
    scope(ns, globals);
    out.push("}");
  }
  return out.join("\n") + "\n";
}

interface Case {
  index: number;
  idl: string;
  dir: string;
}

/** Compiles the cases' translation units with one compiler run; returns the failing ones. */
function compileAll(cc: string, cases: Case[]): { failed: Case[]; output: string } {
  const tus = cases.map((c) => path.join(c.dir, "all.c"));
  try {
    execFileSync(cc, [...C_FLAGS, "-fsyntax-only", `-I${RUNTIME_INCLUDE}`, `-I${STUB_TRANSPORT}`, ...tus], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
    return { failed: [], output: "" };
  } catch (e) {
    const output = `${(e as { stderr?: Buffer }).stderr ?? ""}`;
    return { failed: cases.filter((c) => output.includes(`${c.dir}${path.sep}`)), output };
  }
}

describe("generated C names (property)", () => {
  const missing = COMPILERS.filter((cc) => !hasCompiler(cc));
  it("every IDL model check accepts compiles with -Werror for the host and AArch64", () => {
    expect(missing, "the compilers this test needs").toEqual([]);
    const r = rng(SEED);
    const root = scratchDir("cnames");
    const accepted: Case[] = [];
    let nameClashes = 0;
    for (let index = 0; index < CASES; index++) {
      const idl = randomIdl(r);
      const bag = new DiagnosticBag();
      let model;
      try {
        model = compileIdlSources([{ file: "x.idl", text: idl }], bag);
      } catch (e) {
        throw new Error(`seed ${SEED} case ${index}: the compiler threw ${(e as Error).stack}\n${idl}`);
      }
      if (bag.hasErrors) {
        if (/C name|is also the C name/.test(bag.format())) nameClashes++;
        continue;
      }
      const dir = path.join(root, `case${index}`);
      mkdirSync(dir, { recursive: true });
      writeFiles(dir, emitAllInterfaces(model));
      const includes = model.interfaces.flatMap((i) => ["", "_client", "_server"].map((k) => `#include "include/${lowerIdent(i.name)}${k}_gen.h"`));
      writeFileSync(path.join(dir, "all.c"), `/* seed ${SEED} case ${index} */\n${includes.join("\n")}\nint all_compiled;\n`);
      writeFileSync(path.join(dir, "x.idl"), idl);
      accepted.push({ index, idl, dir });
    }
    console.log(`seed ${SEED}: ${accepted.length} of ${CASES} cases accepted, ${nameClashes} rejected for clashing C names`);
    // The generator must exercise both sides: models accepted, and models rejected for names.
    expect(accepted.length, "accepted cases").toBeGreaterThan(CASES / 5);
    expect(nameClashes, "cases rejected for clashing C names").toBeGreaterThan(CASES / 20);
    for (const cc of COMPILERS) {
      const { failed, output } = compileAll(cc, accepted);
      const first = failed[0];
      expect(failed.length, first ? `${cc}: seed ${SEED} case ${first.index} (${first.dir}) was accepted but does not compile:\n${first.idl}\n${output.slice(0, 4000)}` : output.slice(0, 4000)).toBe(0);
      expect(output).toBe("");
    }
  }, 300_000);
});
