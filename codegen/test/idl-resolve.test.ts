// SPDX-License-Identifier: BSD-2-Clause
/** IDL resolution: labels, C layouts and message placement, with hand-computed numbers. */

import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import type { IdlModel, Method } from "../src/model/idl.ts";
import { compileIdl } from "../src/model/resolve-idl.ts";
import { cLayoutOf, structOffsets } from "../src/model/clayout.ts";
import { deriveLabel, findLabelCollisions, fnv1a32 } from "../src/model/labels.ts";
import { allStructs, structsInDependencyOrder, findAlias, findConst, findEnum, findInterface, findStruct, interfaceDeps, intRange } from "../src/model/lookup.ts";

function compile(text: string, file = "t.idl"): IdlModel {
  const bag = new DiagnosticBag();
  const model = compileIdl([{ file, text }], bag);
  expect(bag.format()).toBe("");
  return model;
}

function method(model: IdlModel, iface: string, name: string): Method {
  const m = findInterface(model, iface)?.methods.find((x) => x.name === name);
  if (!m) throw new Error(`no ${iface}.${name}`);
  return m;
}

const FS = `
/// File system */ with a comment closer in its doc.
namespace fs {
    const MAX_PATH: size = 256;
    type fd = uint32;
    enum mode: uint8 { read = 1, write = 2, append }
    struct stat { size: uint64; mode: mode; name: str<64>; blocks: uint32[4]; }
    struct blob { ok: bool; data: bytes<10>; }
    errors { not_found, exists = 20, no_space }
    rpc open(path: str<MAX_PATH>, mode: mode) -> (handle: fd) raises (not_found, exists);
    rpc fstat(handle: fd) -> (st: stat);
    rpc read(handle: fd, len: uint32) -> (data: bytes<4096>) = 0x1234;
    rpc put(h: uint32, a: str, b: bytes) -> ();
    rpc write(h: uint64, data: bytes<4096>, name: str<13>) -> (written: size);
    rpc mount(dev: endpoint, flags: uint8) -> ();
    oneway notify(code: uint32);
}
type task = int32;
struct pt { x: int16; y: int16; t: task; }
namespace proc { rpc owner(f: fs.fd, p: pt) -> (t: task, st: fs.stat); }
`;

describe("labels", () => {
  it("computes FNV-1a 32 (reference vectors)", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("folds to 20 bits: echo.add", () => {
    // fnv1a32("echo.add") = 0xc37b4c5d; 0xb4c5d ^ 0xc37 = 0xb406a
    expect(fnv1a32("echo.add")).toBe(0xc37b4c5d);
    expect(deriveLabel("echo", "add")).toBe(0xb406a);
  });

  it("moves folded labels below 0x100 up by 0x100", () => {
    // fnv1a32("t.m4890") = 0xd2300da3; 0x00da3 ^ 0xd23 = 0x080 → 0x180
    expect(fnv1a32("t.m4890")).toBe(0xd2300da3);
    expect(deriveLabel("t", "m4890")).toBe(0x180);
  });

  it("uses explicit labels and derives the rest, independent of method order", () => {
    const a = compile("namespace s { rpc x() -> (); rpc y() -> () = 0x4242; oneway z(); }");
    const b = compile("namespace s { oneway z(); rpc new_one() -> (); rpc x() -> (); rpc y() -> () = 0x4242; }");
    expect(method(a, "s", "y")).toMatchObject({ label: 0x4242, labelExplicit: true });
    expect(method(a, "s", "x")).toMatchObject({ label: deriveLabel("s", "x"), labelExplicit: false });
    for (const n of ["x", "y", "z"]) expect(method(b, "s", n).label).toBe(method(a, "s", n).label);
  });

  it("finds collisions across interfaces served together", () => {
    const m = compile("namespace a { rpc f() -> () = 0x300; rpc g() -> (); }\nnamespace b { oneway h() = 0x300; }");
    expect(findLabelCollisions(m.interfaces)).toEqual([{ label: 0x300, first: "a.f", second: "b.h" }]);
    expect(findLabelCollisions([m.interfaces[0]])).toEqual([]);
  });
});

describe("declarations", () => {
  const m = compile(FS);
  const fs = findInterface(m, "fs")!;

  it("keeps source order and qualified names", () => {
    expect(m.interfaces.map((i) => i.name)).toEqual(["fs", "proc"]);
    expect(fs.methods.map((x) => x.name)).toEqual(["open", "fstat", "read", "put", "write", "mount", "notify"]);
    expect(fs.doc).toBe("File system * / with a comment closer in its doc.");
    expect(findConst(m, "fs.MAX_PATH")).toMatchObject({ value: "256", type: { kind: "int", name: "size" } });
    expect(findAlias(m, "fs.fd")?.target).toEqual({ kind: "int", name: "uint32" });
    expect(findAlias(m, "task")?.target).toEqual({ kind: "int", name: "int32" });
    expect(allStructs(m).map((s) => s.qname)).toEqual(["pt", "fs.stat", "fs.blob"]);
  });

  it("numbers enum members and errors", () => {
    const e = findEnum(m, "fs.mode")!;
    expect(e.base).toBe("uint8");
    expect(e.members.map((x) => [x.name, x.value])).toEqual([["read", "1"], ["write", "2"], ["append", "3"]]);
    expect(fs.errors.map((x) => [x.name, x.code])).toEqual([["not_found", 16], ["exists", 20], ["no_space", 21]]);
    expect(method(m, "fs", "open").raises).toEqual(["not_found", "exists"]);
    const neg = compile("enum d: int8 { down = -1, flat, up }");
    expect(neg.globals.enums[0].members.map((x) => x.value)).toEqual(["-1", "0", "1"]);
  });

  it("resolves aliases away and qualifies cross-namespace references", () => {
    const owner = method(m, "proc", "owner");
    expect(owner.args.map((a) => a.type)).toEqual([{ kind: "int", name: "uint32" }, { kind: "struct", name: "pt" }]);
    expect(owner.results.map((a) => a.type)).toEqual([{ kind: "int", name: "int32" }, { kind: "struct", name: "fs.stat" }]);
    expect(interfaceDeps(m, findInterface(m, "proc")!)).toEqual(["fs"]);
    expect(interfaceDeps(m, fs)).toEqual([]);
  });

  it("takes bounds and lengths from constants of other namespaces and the top level", () => {
    const d = compile("const N: uint8 = 3;\nnamespace a { const MAX: size = 0x20; }\nnamespace b { struct s { v: uint16[N]; } rpc f(p: str<a.MAX>, q: b.s) -> (); }");
    const f = method(d, "b", "f");
    expect(f.args.map((x) => x.type)).toEqual([{ kind: "str", bound: 32 }, { kind: "struct", name: "b.s" }]);
    expect(findStruct(d, "b.s")!.fields[0].type).toEqual({ kind: "array", elem: { kind: "int", name: "uint16" }, length: 3 });
    expect(f.request).toMatchObject({ fixedWords: 2, maxWords: 6 });
  });

  it("orders structs so that contained ones come first", () => {
    const d = compile("namespace n { struct a { b: b[2]; c: c; } struct b { c: c; } struct c { v: uint8; } struct z { v: uint8; } }");
    expect(structsInDependencyOrder(d, findInterface(d, "n")!.structs).map((s) => s.name)).toEqual(["c", "b", "a", "z"]);
  });

  it("gives integer ranges", () => {
    expect(intRange("int8")).toEqual({ min: -128n, max: 127n });
    expect(intRange("uint16")).toEqual({ min: 0n, max: 65535n });
    expect(intRange("bool")).toEqual({ min: 0n, max: 1n });
    expect(intRange("size").max).toBe(18446744073709551615n);
  });
});

describe("C layout", () => {
  const m = compile(FS);

  it("lays out structs with natural alignment", () => {
    // size@0 (8), mode@8 (uint8), name@9 (char[65]) → 74, blocks@76 (uint32[4]) → 92, align 8 → 96
    const stat = findStruct(m, "fs.stat")!;
    expect(structOffsets(stat, m)).toEqual([0, 8, 9, 76]);
    expect(cLayoutOf({ kind: "struct", name: "fs.stat" }, m)).toEqual({ size: 96, align: 8 });
    // ok@0 (bool), data@8 ({ uint64_t len; uint8_t data[10]; } = 8 + 16) → 32
    expect(structOffsets(findStruct(m, "fs.blob")!, m)).toEqual([0, 8]);
    expect(cLayoutOf({ kind: "struct", name: "fs.blob" }, m)).toEqual({ size: 32, align: 8 });
    // int16, int16, int32 → 8, align 4
    expect(cLayoutOf({ kind: "struct", name: "pt" }, m)).toEqual({ size: 8, align: 4 });
  });

  it("lays out scalars, enums and arrays", () => {
    expect(cLayoutOf({ kind: "enum", name: "fs.mode" }, m)).toEqual({ size: 1, align: 1 });
    expect(cLayoutOf({ kind: "int", name: "size" }, m)).toEqual({ size: 8, align: 8 });
    expect(cLayoutOf({ kind: "array", elem: { kind: "int", name: "uint16" }, length: 3 }, m)).toEqual({ size: 6, align: 2 });
    expect(cLayoutOf({ kind: "array", elem: { kind: "struct", name: "fs.stat" }, length: 2 }, m)).toEqual({ size: 192, align: 8 });
    expect(() => cLayoutOf({ kind: "str" }, m)).toThrow(/internal/);
  });
});

describe("placement", () => {
  const m = compile(FS);

  it("puts scalars in words: a fast-path message", () => {
    const r = method(m, "fs", "read");
    expect(r.request).toEqual({
      fields: [
        { name: "handle", type: { kind: "int", name: "uint32" }, pos: { file: "t.idl", line: 12, col: 14 }, placement: { where: "word", word: 0 } },
        { name: "len", type: { kind: "int", name: "uint32" }, pos: { file: "t.idl", line: 12, col: 26 }, placement: { where: "word", word: 1 } },
      ],
      fixedWords: 2,
      maxWords: 2,
      caps: 0,
      shm: false,
      shmBytes: 0,
      fastPath: true,
    });
  });

  it("places a bounded string inline with its length word", () => {
    const req = method(m, "fs", "open").request;
    expect(req.fields.map((f) => f.placement)).toEqual([
      { where: "var", word: 0, index: 0, maxBytes: 256 },
      { where: "word", word: 1 },
    ]);
    expect(req).toMatchObject({ fixedWords: 2, maxWords: 2 + 32, shm: false, fastPath: false });
    expect(method(m, "fs", "open").reply).toMatchObject({ fixedWords: 1, maxWords: 1, fastPath: true });
  });

  it("copies structs as blocks of words", () => {
    const rep = method(m, "fs", "fstat").reply!;
    expect(rep.fields[0].placement).toEqual({ where: "block", word: 0, words: 12, bytes: 96 });
    expect(rep).toMatchObject({ fixedWords: 12, maxWords: 12, fastPath: false });
  });

  it("shares the rest of the message among unbounded payloads", () => {
    const req = method(m, "fs", "put").request;
    expect(req.fields.map((f) => f.placement)).toEqual([
      { where: "word", word: 0 },
      { where: "var", word: 1, index: 0, maxBytes: 117 * 8 },
      { where: "var", word: 2, index: 1, maxBytes: 117 * 8 },
    ]);
    expect(req).toMatchObject({ fixedWords: 3, maxWords: 120, shm: false, shmBytes: 0 });
  });

  it("moves payloads that cannot fit to the shared buffer", () => {
    const w = method(m, "fs", "write");
    // 3 fixed words + 512 + 2 payload words > 120 → shm; 4096 + roundup(13, 8)
    expect(w.request.fields.map((f) => f.placement)).toEqual([
      { where: "word", word: 0 },
      { where: "var", word: 1, index: 0, maxBytes: 4096 },
      { where: "var", word: 2, index: 1, maxBytes: 13 },
    ]);
    expect(w.request).toMatchObject({ fixedWords: 3, maxWords: 3, shm: true, shmBytes: 4112, fastPath: true });
    expect(method(m, "fs", "read").reply).toMatchObject({ fixedWords: 1, shm: true, shmBytes: 4096 });
    expect(findInterface(m, "fs")!.shmBytes).toBe(4112);
    expect(findInterface(m, "proc")!.shmBytes).toBe(0);
  });

  it("counts caps apart from words", () => {
    const req = method(m, "fs", "mount").request;
    expect(req.fields.map((f) => f.placement)).toEqual([
      { where: "cap", cap: 0 },
      { where: "word", word: 0 },
    ]);
    expect(req).toMatchObject({ fixedWords: 1, maxWords: 1, caps: 1, fastPath: false });
  });

  it("has a request only for oneway", () => {
    const n = method(m, "fs", "notify");
    expect(n.kind).toBe("oneway");
    expect(n.reply).toBeUndefined();
    expect(n.results).toEqual([]);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(compile(FS))).toBe(JSON.stringify(m));
  });
});
