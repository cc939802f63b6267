// SPDX-License-Identifier: BSD-2-Clause
/** IDL lexer and parser: tree shape, positions, doc comments, Resea syntax, error recovery. */

import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { lex } from "../src/parse/idl/lexer.ts";
import { parseIdl } from "../src/parse/idl/parser.ts";
import type { MethodNode, NamespaceNode, StructNode } from "../src/parse/idl/ast.ts";

function parse(text: string) {
  const bag = new DiagnosticBag();
  const tree = parseIdl("t.idl", text, bag);
  return { tree, bag };
}

describe("lexer", () => {
  it("produces tokens with 1-based positions and skips comments", () => {
    const bag = new DiagnosticBag();
    const toks = lex("t.idl", "// line\n  a /* x\n y */ 0x1F->\n-7", bag);
    expect(bag.items).toEqual([]);
    expect(toks.map((t) => [t.kind, t.text, t.pos.line, t.pos.col])).toEqual([
      ["ident", "a", 2, 3],
      ["int", "0x1F", 3, 7],
      ["punct", "->", 3, 11],
      ["punct", "-", 4, 1],
      ["int", "7", 4, 2],
      ["eof", "", 4, 3],
    ]);
    expect(toks[1].value).toBe(31n);
  });

  it("attaches consecutive /// lines to the next token, but not ////", () => {
    const bag = new DiagnosticBag();
    const toks = lex("t.idl", "/// one\n///two\n//// not doc\nx\n// plain\ny", bag);
    expect(toks[0].doc).toBe("one\ntwo");
    expect(toks[1].doc).toBeUndefined();
  });

  it("reports bad characters, bad literals and unterminated comments without throwing", () => {
    const bag = new DiagnosticBag();
    lex("t.idl", "a $ 12ab\n/* open", bag);
    expect(bag.format()).toBe(
      [
        "t.idl:1:3: error: unexpected character '$'",
        "hint: IDL uses identifiers, integers and the punctuation { } ( ) < > [ ] : ; , = . -> -",
        "t.idl:1:5: error: invalid integer literal '12ab'",
        "hint: write a decimal (42), hex (0x2a) or binary (0b101010) integer",
        "t.idl:2:1: error: unterminated block comment",
        "hint: close it with '*/'",
      ].join("\n"),
    );
  });
});

describe("parser", () => {
  const src = [
    "/// The file system.",
    "namespace fs {",
    "    const MAX_PATH: size = 256;",
    "    const NEG: int32 = -5;",
    "    type fd = uint32;",
    "    enum mode: uint8 { read = 1, write = 2, append }",
    "    struct stat { size: uint64; mode: mode; name: str<64>; blocks: uint32[4][2]; }",
    "    errors { not_found, exists = 20 }",
    "    /// Opens a file.",
    "    rpc open(path: str<MAX_PATH>, mode: fs.mode) -> (handle: fd) raises (not_found, exists);",
    "    rpc read(handle: fd) -> (data: bytes<4096>) = 0x1234;",
    "    oneway notify(code: uint32);",
    "}",
    "type task = int32;",
  ].join("\n");

  it("builds the tree with positions and docs", () => {
    const { tree, bag } = parse(src);
    expect(bag.items).toEqual([]);
    expect(tree.items.map((i) => i.kind)).toEqual(["namespace", "alias"]);
    const ns = tree.items[0] as NamespaceNode;
    expect(ns.doc).toBe("The file system.");
    expect(ns.pos).toEqual({ file: "t.idl", line: 2, col: 1 });
    expect(ns.decls.map((d) => d.kind)).toEqual(["const", "const", "alias", "enum", "struct", "errors", "method", "method", "method"]);
    const neg = ns.decls[1];
    expect(neg.kind === "const" && neg.value).toEqual({ kind: "int", value: -5n, pos: { file: "t.idl", line: 4, col: 24 } });
    const st = ns.decls[4] as StructNode;
    expect(st.fields.map((f) => f.name.text)).toEqual(["size", "mode", "name", "blocks"]);
    // uint32[4][2] is an array of 2 arrays of 4.
    const blocks = st.fields[3].type;
    expect(blocks.kind === "array" && blocks.length).toMatchObject({ kind: "int", value: 2n });
    expect(blocks.kind === "array" && blocks.elem.kind).toBe("array");
    const open = ns.decls[6] as MethodNode;
    expect(open.doc).toBe("Opens a file.");
    expect(open.name).toEqual({ text: "open", pos: { file: "t.idl", line: 10, col: 9 } });
    expect(open.args[1].type).toMatchObject({ kind: "named", name: { parts: ["fs", "mode"] } });
    expect(open.raises.map((r) => r.text)).toEqual(["not_found", "exists"]);
    const read = ns.decls[7] as MethodNode;
    expect(read.label).toMatchObject({ kind: "int", value: 0x1234n });
    const notify = ns.decls[8] as MethodNode;
    expect(notify.method).toBe("oneway");
    expect(notify.results).toBeUndefined();
  });

  it("accepts Resea's syntax: top-level enums with ';', async oneway, keywords as field names", () => {
    const { tree, bag } = parse("enum abi { INITIAL = 1, SYSCALL = 2, };\nnamespace t { async oneway exited(type: int32); rpc nop() -> (); }");
    expect(bag.items).toEqual([]);
    const ns = tree.items[1] as NamespaceNode;
    const m = ns.decls[0] as MethodNode;
    expect(m.method).toBe("oneway");
    expect(m.args[0].name.text).toBe("type");
  });

  it("recovers after a syntax error and reports the next one too", () => {
    const { tree, bag } = parse(["namespace x {", "    rpc a(v: uint32 -> ();", "    rpc b() -> ();", "    struct s { a uint8; }", "    rpc c() -> ();", "}"].join("\n"));
    expect(bag.format()).toBe(
      [
        "t.idl:2:21: error: expected ')', found '->'",
        "t.idl:4:18: error: expected ':', found 'uint8'",
        "hint: write fields as `name: type`",
      ].join("\n"),
    );
    const ns = tree.items[0] as NamespaceNode;
    expect(ns.decls.map((d) => (d.kind === "errors" ? "errors" : d.name.text))).toEqual(["b", "c"]);
  });

  it("reports a missing '}' at end of file", () => {
    const { bag } = parse("namespace x {\n  rpc a() -> ();\n");
    expect(bag.format()).toBe("t.idl:3:1: error: expected '}', found end of file");
  });
});
