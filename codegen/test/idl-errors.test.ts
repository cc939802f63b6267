// SPDX-License-Identifier: BSD-2-Clause
/**
 * One negative case per IDL rule: the exact `file:line:col: severity: message` (+ hint) text,
 * and no exception escaping the front end. Inline sources are compiled as "x.idl"; the
 * multi-file cases live in fixtures/idl/<case>/.
 */

import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { compileIdl } from "../src/model/resolve-idl.ts";

function diagnose(sources: { file: string; text: string }[]): string {
  const bag = new DiagnosticBag();
  expect(() => compileIdl(sources, bag)).not.toThrow();
  return bag.format();
}

const cases: [rule: string, idl: string, expected: string[]][] = [
  ["syntax: expected X, found Y", "namespace x {\n  rpc a() ;\n}", [
    "x.idl:2:11: error: expected '->', found ';'",
    "hint: an rpc lists its results, e.g. `-> ()`; use `oneway` for a message without a reply",
  ]],
  ["syntax: not a declaration", "namespace x { foo bar; }", [
    "x.idl:1:15: error: expected a declaration (const, type, enum, struct, errors, rpc or oneway), found 'foo'",
  ]],
  ["syntax: nested namespace", "namespace x { namespace y { } }", [
    "x.idl:1:15: error: namespaces cannot be nested",
    "hint: close namespace 'x' with '}' before opening another",
  ]],
  ["unknown type with did-you-mean", "namespace x {\n  struct stat { a: uint8; }\n  rpc a(s: stats) -> ();\n}", [
    "x.idl:3:12: error: unknown type 'stats'",
    "hint: did you mean 'stat'?",
  ]],
  ["unknown type without a close match", "namespace x { rpc a(s: whatever) -> (); }", [
    "x.idl:1:24: error: unknown type 'whatever'",
    "hint: declare it with `type`, `enum` or `struct`, or qualify it with its namespace (`ns.name`)",
  ]],
  ["unknown namespace in a qualified type", "namespace x { rpc a(s: fss.stat) -> (); }\nnamespace fs { struct stat { a: uint8; } }", [
    "x.idl:1:24: error: unknown namespace 'fss' in type 'fss.stat'",
    "hint: did you mean 'fs'?",
  ]],
  ["constant used as a type", "const N: size = 4;\nnamespace x { rpc a(s: N) -> (); }", [
    "x.idl:2:24: error: 'N' is a constant, not a type",
    "hint: use it as a bound or length, e.g. str<N>",
  ]],
  ["bound on a type that takes none", "namespace x { rpc a(s: uint32<4>) -> (); }", [
    "x.idl:1:31: error: type 'uint32' takes no size bound",
    "hint: only str<N> and bytes<N> have a bound; use T[N] for an array",
  ]],
  ["duplicate declaration", "namespace x {\n  type a = uint8;\n  struct a { v: uint8; }\n}", [
    "x.idl:3:10: error: duplicate declaration 'a'",
    "hint: 'a' is already declared at x.idl:2:8; rename one of them",
  ]],
  ["duplicate namespace", "namespace x { }\nnamespace x { }", [
    "x.idl:2:11: error: duplicate namespace 'x'",
    "hint: it is already declared at x.idl:1:11; one interface is one namespace block",
  ]],
  ["duplicate method", "namespace x {\n  rpc a() -> ();\n  oneway a();\n}", [
    "x.idl:3:10: error: duplicate method 'a' in interface 'x'",
    "hint: it is already declared at x.idl:2:7; rename one of them",
  ]],
  ["duplicate struct field", "namespace x { struct s { v: uint8; v: uint16; } }", [
    "x.idl:1:36: error: duplicate field 'v' in struct 'x.s'",
    "hint: it is already declared at x.idl:1:26; rename one of them",
  ]],
  ["duplicate argument", "namespace x { rpc a(v: uint8, v: uint8) -> (); }", [
    "x.idl:1:31: error: duplicate argument 'v' in 'x.a'",
    "hint: it is already declared at x.idl:1:21; rename one of them",
  ]],
  ["duplicate result", "namespace x { rpc a() -> (v: uint8, v: uint8); }", [
    "x.idl:1:37: error: duplicate result 'v' in 'x.a'",
    "hint: it is already declared at x.idl:1:27; rename one of them",
  ]],
  ["derived label collision", "namespace t { rpc m644() -> (); rpc m1515() -> (); }", [
    "x.idl:1:37: error: label 0xa3c6f of 't.m1515' collides with 't.m644'",
    "hint: give one of them an explicit label, e.g. `= 0xa3c70`",
  ]],
  ["explicit label collision", "namespace t {\n  rpc a() -> () = 0x200;\n  rpc b() -> () = 512;\n}", [
    "x.idl:3:19: error: label 0x200 of 't.b' collides with 't.a'",
    "hint: give one of them an explicit label, e.g. `= 0x201`",
  ]],
  ["explicit label in the reserved range", "namespace t { rpc a() -> () = 0x10; }", [
    "x.idl:1:31: error: label 0x10 of 't.a' is in the range reserved for the runtime (below 0x100)",
    "hint: use a label from 0x100 to 0xfffff, or leave it out to derive one",
  ]],
  ["explicit label out of range", "namespace t { oneway a() = 0x100000; }", [
    "x.idl:1:28: error: label 0x100000 of 't.a' is out of range",
    "hint: use a label from 0x100 to 0xfffff, or leave it out to derive one",
  ]],
  ["more than 3 caps in a message", "namespace t { rpc a(a: cap, b: endpoint, c: frame, d: irq) -> (); }", [
    "x.idl:1:19: error: request of 't.a' carries 4 capabilities; seL4 transfers at most 3 per message (seL4_MsgMaxExtraCaps)",
    "hint: pass fewer capabilities per message, e.g. split the method in two",
  ]],
  ["warning: more than one cap", "namespace t { rpc a() -> (a: notification, b: endpoint); }", [
    "x.idl:1:19: warning: reply of 't.a' carries 2 capabilities; seL4 delivers only one per IPC into the receiver's single receive slot (the others arrive only as unwrapped badges)",
    "hint: send one capability per message to be portable; the host runtime transfers up to 3",
  ]],
  ["unbounded str in a struct", "namespace t { struct s { name: str; } }", [
    "x.idl:1:32: error: unbounded 'str' cannot be a struct field ('name' in struct 't.s')",
    "hint: give it a bound, e.g. str<64>",
  ]],
  ["cap in a struct", "namespace t { struct s { ep: endpoint; } }", [
    "x.idl:1:30: error: capability type 'endpoint' cannot be a struct field ('ep' in struct 't.s')",
    "hint: structs are plain data: pass capabilities as method arguments",
  ]],
  ["cap as an array element", "namespace t { rpc a(eps: endpoint[2]) -> (); }", [
    "x.idl:1:26: error: capability type 'endpoint' cannot be an array element",
    "hint: declare separate capability arguments instead of an array",
  ]],
  ["recursive struct", "namespace t {\n  struct a { b: b; }\n  struct b { x: uint8; a: a[2]; }\n}", [
    "x.idl:3:24: error: struct 't.a' contains itself (t.a -> t.b -> t.a)",
    "hint: a struct cannot nest itself; refer to the other object by an id or handle instead",
  ]],
  ["empty struct", "struct e { }", [
    "x.idl:1:8: error: struct 'e' has no fields",
    "hint: C forbids empty structs: add a field or remove the struct",
  ]],
  ["array length not positive", "namespace t { struct s { v: uint8[0]; } }", [
    "x.idl:1:35: error: array length must be a positive integer constant, found 0",
    "hint: use a value from 1 to 16777216",
  ]],
  ["bound not a constant", "namespace t { type n = uint8; rpc a(s: str<n>) -> (); }", [
    "x.idl:1:44: error: 'n' is not a constant",
    "hint: use an integer literal or the name of a `const`",
  ]],
  ["bound names an unknown constant", "namespace t { const MAX_PATH: size = 4; rpc a(s: str<MAX_PAHT>) -> (); }", [
    "x.idl:1:54: error: unknown constant 'MAX_PAHT'",
    "hint: did you mean 'MAX_PATH'?",
  ]],
  ["negative bound", "namespace t { rpc a(s: bytes<-4>) -> (); }", [
    "x.idl:1:30: error: size bound must be a positive integer constant, found -4",
    "hint: use a value from 1 to 16777216",
  ]],
  ["enum value duplicate", "enum e { a = 1, b = 1 }", [
    "x.idl:1:21: error: enum value 1 of 'b' duplicates 'a'",
    "hint: give every member a distinct value (decoders map values back to members)",
  ]],
  ["enum value out of its base range", "enum e: uint8 { a = 255, b }", [
    "x.idl:1:26: error: enum value 256 of 'b' is out of range for uint8 (0..255)",
    "hint: use a wider base type, e.g. `enum e: uint16 { … }`",
  ]],
  ["enum without members", "namespace t { enum e: uint8 { } }", [
    "x.idl:1:20: error: enum 't.e' has no members",
    "hint: add a member, or use an integer type instead",
  ]],
  ["enum base not an integer", "enum e: str { a }", [
    "x.idl:1:9: error: enum base type must be an integer type (int8..int64, uint8..uint64, size), found 'str'",
    "hint: write e.g. `enum mode: uint8 { … }`",
  ]],
  ["unknown error in raises", "namespace t {\n  errors { not_found }\n  rpc a() -> () raises (notfound);\n}", [
    "x.idl:3:25: error: unknown error 'notfound' in raises of 't.a'",
    "hint: did you mean 'not_found'?",
  ]],
  ["error code collision", "namespace t { errors { a = 20, b = 19, c } }", [
    "x.idl:1:40: error: error code 20 of 'c' collides with 'a'",
    "hint: give every error a distinct code, or leave the value out to number them automatically",
  ]],
  ["error code below 16", "namespace t { errors { busy = 7 } }", [
    "x.idl:1:31: error: error code 7 of 'busy' is below 16, in the runtime's generic range",
    "hint: interface error codes start at 16 (NG_ERR_USER_BASE); leave the value out to number them automatically",
  ]],
  ["errors outside a namespace", "errors { a }", [
    "x.idl:1:1: error: an errors block must be inside a namespace",
    "hint: error codes belong to an interface: move it into the namespace that raises them",
  ]],
  ["method outside a namespace", "oneway exited(task: int32);", [
    "x.idl:1:8: error: oneway 'exited' must be inside a namespace",
    "hint: wrap it in `namespace <interface> { … }`: a namespace is one interface",
  ]],
  ["const value out of its type's range", "const X: int8 = 128;", [
    "x.idl:1:17: error: constant value 128 is out of range for int8 (-128..127)",
    "hint: use a wider type or a smaller value",
  ]],
  ["const of a non-integer type", "const X: str = 1;", [
    "x.idl:1:10: error: constant 'X' must have an integer type, found 'str'",
    "hint: constants are integers, e.g. `const MAX: size = 256;`",
  ]],
  ["const defined by itself", "const X: size = Y;\nconst Y: size = X;", [
    "x.idl:1:7: error: constant 'X' is defined in terms of itself",
    "hint: give it a literal value",
  ]],
  ["alias cycle", "type a = b;\ntype b = a;", [
    "x.idl:1:6: error: type alias 'a' refers to itself",
    "hint: make the alias name a concrete type",
  ]],
  ["fixed part larger than a message", "namespace t {\n  struct big { a: uint64[121]; }\n  rpc a(b: big) -> ();\n}", [
    "x.idl:3:7: error: request of 't.a' needs 121 fixed words, more than the 120 a message holds (even with a shared buffer)",
    "hint: pass large data as a bounded bytes<N> or str<N> (it moves to the shared buffer), or split the method",
  ]],
  ["unbounded payload in a message that needs the shared buffer", "namespace t { rpc a(x: bytes<4096>, y: str) -> (); }", [
    "x.idl:1:37: error: unbounded 'str' field 'y' in request of 't.a', which needs the shared buffer",
    "hint: give it a bound (e.g. str<4096>): only bounded payloads can move to the shared buffer",
  ]],
  ["C keyword as a name", "namespace t { rpc a(int: uint32) -> (); }", [
    "x.idl:1:21: error: 'int' is a C keyword and cannot be used as a name",
    "hint: rename the argument, e.g. 'int_'",
  ]],
  ["reserved C identifier as a name", "namespace t { struct _Foo { x: uint8; } }", [
    "x.idl:1:22: error: '_Foo' is reserved in C (a leading underscore followed by a capital or '_') and cannot be used as a name",
    "hint: rename the struct, e.g. 'Foo'",
  ]],
  ["runtime prefix as a name", "namespace ng_core { }", [
    "x.idl:1:11: error: 'ng_core' uses a prefix reserved for the runtime and seL4 (ng_, seL4_) and cannot be used as a name",
    "hint: rename the namespace, e.g. 'core'",
  ]],
  ["built-in type redeclared", "type uint32 = uint64;", [
    "x.idl:1:6: error: 'uint32' is a built-in type and cannot be redeclared",
    "hint: choose another name",
  ]],
  ["interfaces using each other's types", "namespace a {\n  struct x { v: b.y; }\n}\nnamespace b {\n  struct y { v: uint8; }\n  rpc f(z: a.x) -> ();\n}", [
    "x.idl:1:1: error: interfaces use each other's types in a cycle (a -> b -> a)",
    "hint: move the shared types to top level (outside any namespace) or into a namespace of their own",
  ]],
  ["include is not supported", "include;", [
    "x.idl:1:1: error: 'include' is not supported",
    "hint: list every .idl file (or its folder) in the system's `idl` field; they are compiled together",
  ]],
];

describe("IDL rules", () => {
  it.each(cases)("%s", (_rule, idl, expected) => {
    expect(diagnose([{ file: "x.idl", text: idl }])).toBe(expected.join("\n"));
  });
});

describe("multi-file fixtures", () => {
  const root = path.join(import.meta.dirname, "fixtures/idl");
  const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

  it("has fixtures", () => {
    expect(dirs.length).toBeGreaterThan(0);
  });

  it.each(dirs)("%s", (dir) => {
    const files = readdirSync(path.join(root, dir)).filter((f) => f.endsWith(".idl")).sort();
    const sources = files.map((f) => ({ file: `${dir}/${f}`, text: readFileSync(path.join(root, dir, f), "utf8") }));
    const expected = readFileSync(path.join(root, dir, "expected.txt"), "utf8").trimEnd();
    expect(diagnose(sources)).toBe(expected);
  });
});

describe("robustness", () => {
  // Deterministic mutations of the real IDL files: whatever the damage, the front end reports
  // diagnostics and never throws.
  const root = path.join(import.meta.dirname, "../../idl");
  const texts = readdirSync(root).filter((f) => f.endsWith(".idl")).sort().map((f) => readFileSync(path.join(root, f), "utf8"));
  const junk = ["{", "}", "(", ")", "<", ">", "[", "]", ";", ":", ",", "=", ".", "->", "-", "0", "-9", "0x", "str", "cap", "rpc", "namespace", "/*", "///", "\n", "uint8[", "struct", "x.y.z"];

  it("never throws on damaged input", () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let withErrors = 0;
    for (let round = 0; round < 400; round++) {
      let text = texts[round % texts.length];
      for (let k = 0; k < 1 + rand(3); k++) {
        const at = rand(text.length);
        const op = rand(3);
        if (op === 0) text = text.slice(0, at) + text.slice(at + 1 + rand(20));
        else if (op === 1) text = text.slice(0, at) + junk[rand(junk.length)] + text.slice(at);
        else text = text.slice(0, at) + text.slice(rand(text.length), rand(text.length)) + text.slice(at);
      }
      const bag = new DiagnosticBag();
      expect(() => compileIdl([{ file: "m.idl", text }], bag)).not.toThrow();
      if (bag.hasErrors) withErrors++;
    }
    // Many mutations land in comments and stay harmless; most others must be caught.
    expect(withErrors).toBeGreaterThan(200);
  });
});
