// SPDX-License-Identifier: BSD-2-Clause
/**
 * Large and deep inputs (issue 15, class 2): the compiler has no recursion or argument spreading
 * that grows with the input, and no quadratic walk over nested structs. 100,000 methods, a chain
 * of 5,000 nested structs, a 3,000-long struct cycle, long chains of aliases, constants and
 * interfaces, names too long for a file system and an output directory that cannot exist each
 * end in success or one clean error, never an exception.
 */

import { execa } from "execa";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag, UserErrors } from "../src/diag/diagnostics.ts";
import { compileIdl } from "../src/model/resolve-idl.ts";
import { emitAllInterfaces } from "../src/emit/interface.ts";
import { writeGenerated } from "../src/compile.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");

function compile(text: string): { bag: DiagnosticBag; idl: ReturnType<typeof compileIdl> } {
  const bag = new DiagnosticBag();
  const idl = compileIdl([{ file: "x.idl", text }], bag);
  return { bag, idl };
}

function structChain(n: number, closeToFirst = false): string {
  const lines = ["namespace ch {"];
  for (let i = 0; i < n; i++) lines.push(`  struct s${i} { v: ${i + 1 < n ? `s${i + 1}` : closeToFirst ? "s0" : "uint64"}; }`);
  lines.push("  rpc get() -> (x: s0);", "}");
  return lines.join("\n");
}

function methods(n: number, explicit: boolean): string {
  const lines = ["namespace wide {"];
  for (let i = 0; i < n; i++) lines.push(`  rpc m${i}(a: uint64) -> (b: uint64)${explicit ? ` = ${0x100 + i}` : ""};`);
  lines.push("}");
  return lines.join("\n");
}

function msSince(t0: number): number {
  return performance.now() - t0;
}

describe("large and deep IDL", () => {
  it("compiles 100,000 methods: derived labels collide (errors, not a crash); 10,000 with explicit labels emit", () => {
    const big = compile(methods(100_000, false));
    expect(big.bag.format().split("\n")[0]).toMatch(/^x\.idl:\d+:\d+: error: label 0x[0-9a-f]+ of 'wide\.m\d+' collides with 'wide\.m\d+'$/);
    expect(big.idl.interfaces[0].methods.length).toBeGreaterThan(90_000);
    const some = compile(methods(10_000, true));
    expect(some.bag.format()).toBe("");
    const files = emitAllInterfaces(some.idl);
    expect(files.map((f) => f.path)).toEqual(["include/wide_gen.h", "include/wide_client_gen.h", "include/wide_server_gen.h"]);
    expect(files[2].text).toContain("case WIDE_M9999_LABEL:");
  }, 180_000);

  it("compiles and emits a chain of 5,000 nested structs, in linear time", () => {
    const time = (n: number) => {
      const t0 = performance.now();
      const r = compile(structChain(n));
      expect(r.bag.format()).toBe("");
      const files = emitAllInterfaces(r.idl);
      expect(files[0].text).toContain(`typedef struct ch_s${n - 1} {`);
      return msSince(t0);
    };
    time(500); // warm up
    const small = Math.min(time(1000), time(1000));
    const large = time(5000);
    // Linear: about 5x; the quadratic walk took 25x and more (2,000 deep: 13 s).
    expect(large / small, `1,000: ${small.toFixed(0)} ms, 5,000: ${large.toFixed(0)} ms`).toBeLessThan(15);
  }, 180_000);

  it("reports a 3,000-long struct cycle once, shortened", () => {
    const r = compile(structChain(3000, true));
    const lines = r.bag.format().split("\n");
    expect(lines[0]).toBe("x.idl:3001:18: error: struct 'ch.s0' contains itself (ch.s0 -> ch.s1 -> ch.s2 -> ch.s3 -> … (2993 more) … -> ch.s2997 -> ch.s2998 -> ch.s2999 -> ch.s0)");
    expect(lines).toHaveLength(2);
  });

  it("resolves chains of 10,000 aliases and constants, and reports a 5,000-long alias cycle", () => {
    const n = 10_000;
    const aliases = Array.from({ length: n }, (_, i) => `type a${i} = ${i + 1 < n ? `a${i + 1}` : "uint16"};`);
    const consts = Array.from({ length: n }, (_, i) => `const C${i}: a0 = ${i + 1 < n ? `C${i + 1}` : "7"};`);
    const ok = compile([...aliases, ...consts, "namespace t { rpc f(x: uint8[C0]) -> (y: a0); }"].join("\n"));
    expect(ok.bag.format()).toBe("");
    expect(ok.idl.interfaces[0].methods[0].args[0].type).toEqual({ kind: "array", elem: { kind: "int", name: "uint8" }, length: 7 });
    const cyc = compile(Array.from({ length: 5000 }, (_, i) => `type b${i} = b${(i + 1) % 5000};`).join("\n"));
    expect(cyc.bag.format().split("\n")).toEqual(["x.idl:1:6: error: type alias 'b0' refers to itself", "hint: make the alias name a concrete type"]);
  });

  it("checks a chain of 2,000 interfaces that use each other's types", () => {
    const n = 2000;
    const ns = Array.from({ length: n }, (_, i) => `namespace n${i} { struct s { v: ${i + 1 < n ? `n${i + 1}.s` : "uint8"}; } rpc f(x: s) -> (); }`);
    expect(compile(ns.join("\n")).bag.format()).toBe("");
    ns[n - 1] = `namespace n${n - 1} { struct s { v: uint8; } rpc f(x: n0.s) -> (); }`;
    const cyc = compile(ns.join("\n")).bag.format();
    expect(cyc.split("\n")).toEqual([
      "x.idl:1:1: error: interfaces use each other's types in a cycle (n0 -> n1 -> n2 -> n3 -> … (1993 more) … -> n1997 -> n1998 -> n1999 -> n0)",
      "hint: move the shared types to top level (outside any namespace) or into a namespace of their own",
    ]);
  });

  it("limits array dimensions", () => {
    const r = compile(`namespace t { rpc f(x: uint8${"[1]".repeat(5000)}) -> (); }`);
    expect(r.bag.format().split("\n")).toEqual([
      "x.idl:1:53: error: an array has at most 8 dimensions",
      "hint: use a struct for the inner rows, or flatten the array",
    ]);
  });

  it("rejects a name too long to be a file name", () => {
    const r = compile(`namespace ${"n".repeat(300)} { rpc a() -> (); }`);
    expect(r.bag.format().split("\n")).toEqual([
      "x.idl:1:11: error: 'nnnnnnnnnnnnnnnnnnnnnnnn…nnnnnnnn' is 300 characters long, more than 128 (names become C identifiers and file names) and cannot be used as a name",
      "hint: give the namespace a shorter name",
    ]);
  });

  it("reports an output directory that cannot exist or a name the file system refuses (ENOTDIR, ENAMETOOLONG)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "neptune-large-"));
    writeFileSync(path.join(dir, "afile"), "");
    const files = [{ path: "include/x_gen.h", text: "/* x */\n" }];
    const err = (e: unknown) => (e instanceof UserErrors ? e.bag.format() : `not a UserErrors: ${e}`);
    await expect(writeGenerated(path.join(dir, "afile", "sub"), files).catch(err)).resolves.toMatch(/^neptune-gen: error: cannot write generated files to '.*afile\/sub': a part of the path is a file, not a folder\nhint: /);
    await expect(writeGenerated(path.join(dir, "out"), [{ path: `include/${"x".repeat(300)}_gen.h`, text: "" }]).catch(err)).resolves.toMatch(
      /^neptune-gen: error: cannot write generated files to '.*out': a file name is longer than the file system allows \(.*xxx_gen\.h\)\nhint: shorten/,
    );
  });

  it("the CLI turns both into one line and exit 1", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "neptune-large-"));
    writeFileSync(path.join(dir, "afile"), "");
    const r = await execa(process.execPath, [CLI, "idl", "idl/echo.idl", "-o", path.join(dir, "afile", "gen")], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^neptune-gen: error: cannot write generated files to .*: a part of the path is a file, not a folder\nhint: choose another output directory/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
