// SPDX-License-Identifier: BSD-2-Clause
/**
 * Generated C names that would collide are errors in `check` (issue 15, class 1), at the later
 * declaration and naming the earlier one: the examples, one case per family (namespace
 * joins, a user's struct or const against generated names, case folding, reserved prefixes,
 * C library names, fields a macro would replace, stub parameters), and names a server's
 * wrapper adds. The property test (cnames-property.test.ts) covers the rule as a whole.
 */

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { compileIdlSources, compileSystem, emitSystem } from "../src/compile.ts";

function check(text: string): string[] {
  const bag = new DiagnosticBag();
  compileIdlSources([{ file: "x.idl", text }], bag);
  return bag.format().split("\n").filter(Boolean);
}

const JOIN_HINT = "hint: rename one of them: generated C names join namespace, declaration and suffix with '_' (macros in upper case), so different IDL names can meet";

describe("C name clashes in IDL", () => {
  it("namespace a_b { rpc c } beside namespace a { rpc b_c }", () => {
    expect(check("namespace a_b { rpc c() -> (); }\nnamespace a { rpc b_c() -> (); }")).toEqual([
      "x.idl:2:15: error: C name 'A_B_C_LABEL' (the label macro of method 'a.b_c') is also the label macro of method 'a_b.c' at x.idl:1:17",
      JOIN_HINT,
    ]);
  });

  it("a struct add_req beside rpc add", () => {
    expect(check("namespace echo {\n  struct add_req { x: uint8; }\n  rpc add(a: uint64) -> ();\n}")).toEqual([
      "x.idl:3:3: error: C name 'echo_add_req' (the request struct tag of method 'echo.add') is also the struct tag of struct 'echo.add_req' at x.idl:2:3",
      JOIN_HINT,
    ]);
  });

  it("a const ADD_LABEL beside rpc add (it redefined the label macro)", () => {
    expect(check("namespace echo {\n  const ADD_LABEL: uint32 = 5;\n  rpc add(a: uint64) -> ();\n}")).toEqual([
      "x.idl:3:3: error: C name 'ECHO_ADD_LABEL' (the label macro of method 'echo.add') is also the macro of constant 'echo.ADD_LABEL' at x.idl:2:3",
      JOIN_HINT,
    ]);
  });

  it("an enum member against a method's macros, a top-level struct against a message", () => {
    expect(check("namespace t {\n  enum f: uint8 { label = 1 }\n  oneway f();\n}")[0]).toBe(
      "x.idl:3:3: error: C name 'T_F_LABEL' (the label macro of method 't.f') is also the macro of enum member 't.f.label' at x.idl:2:19",
    );
    expect(check("struct t_f_req { v: uint8; }\nnamespace t { oneway f(x: uint8); }")[0]).toBe(
      "x.idl:2:15: error: C name 't_f_req' (the request struct tag of method 't.f') is also the struct tag of struct 't_f_req' at x.idl:1:1",
    );
  });

  it("namespaces that differ in case share their headers and prefix", () => {
    expect(check("namespace Echo { rpc a() -> (); }\nnamespace echo { rpc b() -> (); }")[0]).toBe(
      "x.idl:2:1: error: generated file 'include/echo_gen.h' (a header file of namespace 'echo') is also a header file of namespace 'Echo' at x.idl:1:1",
    );
    expect(check("namespace a { rpc b() -> (); }\nnamespace a_client { rpc c() -> (); }")[0]).toBe(
      "x.idl:2:1: error: generated file 'include/a_client_gen.h' (a header file of namespace 'a_client') is also a header file of namespace 'a' at x.idl:1:1",
    );
  });

  it("constants that upper-case alike", () => {
    expect(check("namespace t { const max: uint8 = 1; const MAX: uint8 = 2; }")[0]).toBe(
      "x.idl:1:37: error: C name 'T_MAX' (the macro of constant 't.MAX') is also the macro of constant 't.max' at x.idl:1:15",
    );
  });

  it("the runtime's and seL4's prefixes", () => {
    expect(check("namespace ng { rpc call() -> (); }").slice(0, 2)).toEqual([
      "x.idl:1:1: error: C name 'ng_client' (the client struct tag of namespace 'ng') is in a prefix reserved for the runtime and seL4 (ng_, seL4_, CONFIG_, …)",
      "hint: rename namespace 'ng'",
    ]);
    expect(check("namespace config { const max_num_nodes: uint8 = 1; }")[0]).toMatch(/C name 'CONFIG_MAX_NUM_NODES' .* is in a prefix reserved/);
  });

  it("names of the C library the headers include", () => {
    expect(check("type uintptr = uint64;")).toEqual([
      "x.idl:1:1: error: C name 'uintptr_t' (the typedef of type 'uintptr') is also a typedef of the C library's <stdint.h>/<stddef.h>",
      "hint: rename type 'uintptr': the name is taken by C headers every generated file includes",
    ]);
    expect(check("namespace int8 { const max: uint8 = 1; }")[0]).toMatch(/C name 'INT8_MAX' \(the macro of constant 'int8.max'\) is also a macro of the C library's/);
  });

  it("fields and parameters a macro would replace or that would hide a name the stub uses", () => {
    expect(check("namespace x {\n  rpc f(uint8_t: uint8, X_F_LABEL: uint8) -> ();\n}")).toEqual([
      "x.idl:2:9: error: argument 'uint8_t' of method 'x.f' is also the C name of a typedef of the C library's <stdint.h>/<stddef.h> (as a parameter it would hide that name in the stub)",
      "hint: rename the argument 'uint8_t'",
      "x.idl:2:25: error: argument 'X_F_LABEL' of method 'x.f' is also the C name of the label macro of method 'x.f' at x.idl:2:3 (a macro replaces it)",
      "hint: rename the argument 'X_F_LABEL'",
    ]);
    expect(check("namespace x {\n  struct s { X_MAX: uint8; }\n  const MAX: uint8 = 1;\n}")[0]).toBe(
      "x.idl:2:14: error: field 'X_MAX' of struct 'x.s' is also the C name of the macro of constant 'x.MAX' at x.idl:3:3 (a macro replaces it)",
    );
    expect(check("namespace x {\n  rpc f(x_g: uint8) -> ();\n  rpc g() -> ();\n}")[0]).toBe(
      "x.idl:2:9: error: argument 'x_g' of method 'x.f' is also the C name of the client stub of method 'x.g' at x.idl:3:3 (as a parameter it would hide that name in the stub)",
    );
  });

  it("accepts what only looks alike, and stub parameters that need renaming", () => {
    expect(check("namespace x {\n  rpc f(index: uint8, c: uint8, c_: uint8, v: uint8) -> (v: uint8, c: uint8);\n}")).toEqual([]);
  });
});

describe("C name clashes between servers and interfaces", () => {
  async function system(servers: string, idl: string): Promise<{ errors: string[]; files?: ReturnType<typeof emitSystem> }> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "neptune-cnames-"));
    mkdirSync(path.join(dir, "idl"));
    writeFileSync(path.join(dir, "idl", "x.idl"), idl);
    writeFileSync(path.join(dir, "system.ts"), `import { defineSystem, server } from "neptune-gen";\nexport default defineSystem({\n  name: "t",\n  servers: [\n${servers}\n  ],\n});\n`);
    const bag = new DiagnosticBag();
    const sys = await compileSystem(path.join(dir, "system.ts"), bag);
    const errors = bag.format().split("\n").filter(Boolean).map((l) => l.replace(`${dir}/`, ""));
    return { errors, files: sys ? emitSystem(sys) : undefined };
  }

  it("a server's serve-loop names against an interface's stubs", async () => {
    const r = await system(`    server({ name: "echo", serves: ["echo"] }),`, "namespace echo { rpc server_init() -> (); }");
    expect(r.errors[0]).toMatch(/^.*system\.ts:5:5: error: C name 'echo_server_init' \(a serve-loop name of server 'echo'\) is also the client stub of method 'echo\.server_init' at .*x\.idl:1:18$/);
  });

  it("a server's slot macros against an interface's constants", async () => {
    const r = await system(`    server({ name: "a", serves: ["a"] }),`, "namespace a { const CAP_EP: uint8 = 1; rpc f() -> (); }");
    expect(r.errors[0]).toMatch(/error: C name 'A_CAP_EP' \(a slot macro of server 'a'\) is also the macro of constant 'a\.CAP_EP'/);
  });

  it("servers whose names differ only in case", async () => {
    const r = await system(`    server({ name: "a", serves: ["x"] }),\n    server({ name: "A" }),`, "namespace x { rpc f() -> (); }");
    expect(r.errors[0]).toMatch(/system\.ts:\d+:5: error: C name 'A_CNODE_BITS' \(a layout macro of server '(a|A)'\) is also a layout macro of server '(A|a)' at .*system\.ts:\d+:5$/);
  });

  it("a server called 'running' no longer redefines the root server's RS_SERVER_RUNNING", async () => {
    const r = await system(`    server({ name: "running", serves: ["x"] }),`, "namespace x { rpc f() -> (); }");
    expect(r.errors).toEqual([]);
    const h = r.files!.find((f) => f.path === "rootserver/system_gen.h")!.text;
    expect(h).toContain("#define RS_SERVER_INDEX_RUNNING 0u");
    expect(h).not.toMatch(/#define RS_SERVER_RUNNING\b/);
  });
});
