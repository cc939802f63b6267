// SPDX-License-Identifier: BSD-2-Clause
/**
 * The IDL parser: a recursive-descent parser over the lexer's tokens, building the tree of ast.ts.
 *
 *   /// doc comment                       attaches to the declaration below
 *   namespace fs {                        one interface
 *       const MAX_PATH: size = 256;
 *       type fd = uint32;
 *       enum mode: uint8 { read = 1, write = 2, append }
 *       struct stat { size: uint64; name: str<64>; blocks: uint32[4]; }
 *       errors { not_found, exists = 20 }
 *       rpc open(path: str<MAX_PATH>) -> (handle: fd) raises (not_found) = 0x1234;
 *       oneway notify(code: uint32);
 *   }
 *   type task = int32;                    top level: visible everywhere
 *
 * Keywords are contextual: they only mean something where a declaration starts. A syntax error
 * is reported once ("expected X, found Y") and the parser skips to the end of that declaration,
 * so one run reports the errors of every declaration.
 */

import type { DiagnosticBag } from "../../diag/diagnostics.ts";
import type {
  AliasNode,
  ConstNode,
  DeclNode,
  EnumMemberNode,
  EnumNode,
  ErrorNode,
  ErrorsNode,
  FieldNode,
  FileNode,
  Ident,
  MethodNode,
  NameRef,
  NamespaceNode,
  StructNode,
  TypeExpr,
  ValueExpr,
} from "./ast.ts";
import { describeToken, lex, type Token } from "./lexer.ts";

const DECL_KEYWORDS = ["namespace", "const", "type", "enum", "struct", "errors", "rpc", "oneway", "async"];

/** Aborts the current declaration; its error is already in the bag. */
class SyntaxAbort {}

export function parseIdl(file: string, text: string, bag: DiagnosticBag): FileNode {
  return new Parser(file, lex(file, text, bag), bag).parseFile();
}

/** Most dimensions an array type may have (`T[a][b]…`). */
export const MAX_ARRAY_DIMS = 8;

class Parser {
  private i = 0;
  /** Brace depth of the tokens consumed so far (for error recovery). */
  private depth = 0;

  constructor(
    private readonly file: string,
    private readonly toks: Token[],
    private readonly bag: DiagnosticBag,
  ) {}

  parseFile(): FileNode {
    const items: FileNode["items"] = [];
    while (!this.at("eof")) {
      const t = this.peek();
      if (this.isIdent("namespace")) {
        const ns = this.recover(() => this.parseNamespace());
        if (ns) items.push(ns);
      } else if (t.kind === "punct" && t.text === "}") {
        this.bag.error(t.pos, "unmatched '}'", "remove it, or open a namespace or struct before it");
        this.next();
      } else {
        const d = this.recover(() => this.parseDecl());
        if (d) items.push(d);
      }
    }
    return { file: this.file, items };
  }

  // --- declarations -------------------------------------------------------------------------

  private parseNamespace(): NamespaceNode {
    const kw = this.next();
    const name = this.ident("a namespace name");
    this.expect("{");
    const decls: DeclNode[] = [];
    while (!this.atPunct("}") && !this.at("eof")) {
      if (this.isIdent("namespace")) {
        this.fail(this.peek(), "namespaces cannot be nested", `close namespace '${name.text}' with '}' before opening another`);
      }
      const d = this.recover(() => this.parseDecl());
      if (d) decls.push(d);
    }
    this.expect("}");
    this.optional(";");
    return { kind: "namespace", name, doc: kw.doc, decls, pos: kw.pos };
  }

  private parseDecl(): DeclNode {
    const t = this.peek();
    if (t.kind === "ident") {
      switch (t.text) {
        case "const":
          return this.parseConst();
        case "type":
          return this.parseAlias();
        case "enum":
          return this.parseEnum();
        case "struct":
          return this.parseStruct();
        case "errors":
          return this.parseErrors();
        case "rpc":
        case "oneway":
        case "async":
          return this.parseMethod();
        case "include":
          this.fail(t, "'include' is not supported", "list every .idl file (or its folder) in the system's `idl` field; they are compiled together");
      }
    }
    this.fail(t, `expected a declaration (const, type, enum, struct, errors, rpc or oneway), found ${describeToken(t)}`);
  }

  private parseConst(): ConstNode {
    const kw = this.next();
    const name = this.ident("a constant name");
    this.expect(":", "give the constant a type, e.g. `const MAX: size = 256;`");
    const type = this.parseType();
    this.expect("=");
    const value = this.parseValue("a constant value");
    this.expect(";");
    return { kind: "const", name, type, value, doc: kw.doc, pos: kw.pos };
  }

  private parseAlias(): AliasNode {
    const kw = this.next();
    const name = this.ident("a type name");
    this.expect("=");
    const target = this.parseType();
    this.expect(";");
    return { kind: "alias", name, target, doc: kw.doc, pos: kw.pos };
  }

  private parseEnum(): EnumNode {
    const kw = this.next();
    const name = this.ident("an enum name");
    let base: TypeExpr | undefined;
    if (this.optional(":")) base = this.parseType();
    this.expect("{");
    const members: EnumMemberNode[] = [];
    while (!this.atPunct("}")) {
      const first = this.peek();
      const m = this.ident("an enum member name");
      const value = this.optional("=") ? this.parseValue("an enum value") : undefined;
      members.push({ name: m, value, doc: first.doc, pos: m.pos });
      if (!this.optional(",")) break;
    }
    this.expect("}");
    this.optional(";");
    return { kind: "enum", name, base, members, doc: kw.doc, pos: kw.pos };
  }

  private parseStruct(): StructNode {
    const kw = this.next();
    const name = this.ident("a struct name");
    this.expect("{");
    const fields: FieldNode[] = [];
    while (!this.atPunct("}")) {
      fields.push(this.parseField());
      this.expect(";", "end each struct field with ';'");
    }
    this.expect("}");
    this.optional(";");
    return { kind: "struct", name, fields, doc: kw.doc, pos: kw.pos };
  }

  private parseErrors(): ErrorsNode {
    const kw = this.next();
    this.expect("{");
    const errors: ErrorNode[] = [];
    while (!this.atPunct("}")) {
      const first = this.peek();
      const name = this.ident("an error name");
      const value = this.optional("=") ? this.parseValue("an error code") : undefined;
      errors.push({ name, value, doc: first.doc, pos: name.pos });
      if (!this.optional(",")) break;
    }
    this.expect("}");
    this.optional(";");
    return { kind: "errors", errors, pos: kw.pos };
  }

  private parseMethod(): MethodNode {
    const first = this.next();
    let kw = first;
    if (first.text === "async") {
      // Resea's `async oneway`: every oneway is asynchronous here, so `async` changes nothing.
      kw = this.peek();
      if (!this.isIdent("oneway")) this.fail(kw, `expected 'oneway' after 'async', found ${describeToken(kw)}`);
      this.next();
    }
    const method = kw.text as "rpc" | "oneway";
    const name = this.ident("a method name");
    const args = this.parseFieldList();
    let results: FieldNode[] | undefined;
    const raises: Ident[] = [];
    if (method === "rpc") {
      this.expect("->", "an rpc lists its results, e.g. `-> ()`; use `oneway` for a message without a reply");
      results = this.parseFieldList();
      if (this.isIdent("raises")) {
        this.next();
        this.expect("(");
        while (!this.atPunct(")")) {
          raises.push(this.ident("an error name"));
          if (!this.optional(",")) break;
        }
        this.expect(")");
      }
    }
    const label = this.optional("=") ? this.parseValue("a message label") : undefined;
    this.expect(";");
    return { kind: "method", method, name, args, results, raises, label, doc: first.doc, pos: first.pos };
  }

  private parseFieldList(): FieldNode[] {
    this.expect("(");
    const fields: FieldNode[] = [];
    while (!this.atPunct(")")) {
      fields.push(this.parseField());
      if (!this.optional(",")) break;
    }
    this.expect(")");
    return fields;
  }

  private parseField(): FieldNode {
    const first = this.peek();
    const name = this.ident("a field name");
    this.expect(":", "write fields as `name: type`");
    const type = this.parseType();
    return { name, type, doc: first.doc, pos: name.pos };
  }

  // --- types and values -----------------------------------------------------------------------

  private parseType(): TypeExpr {
    const name = this.nameRef("a type");
    let t: TypeExpr = { kind: "named", name, pos: name.pos };
    if (this.optional("<")) {
      t.bound = this.parseValue("a size bound");
      this.expect(">");
    }
    let dims = 0;
    while (this.atPunct("[")) {
      const open = this.next();
      // Types nest once per dimension everywhere downstream: keep that depth small.
      if (++dims > MAX_ARRAY_DIMS) this.fail(open, `an array has at most ${MAX_ARRAY_DIMS} dimensions`, "use a struct for the inner rows, or flatten the array");
      const length = this.parseValue("an array length");
      this.expect("]");
      t = { kind: "array", elem: t, length, pos: t.pos };
    }
    return t;
  }

  private parseValue(what: string): ValueExpr {
    const t = this.peek();
    if (t.kind === "punct" && t.text === "-") {
      this.next();
      const n = this.peek();
      if (n.kind !== "int") this.fail(n, `expected a number after '-', found ${describeToken(n)}`);
      this.next();
      return { kind: "int", value: -(n.value ?? 0n), pos: t.pos };
    }
    if (t.kind === "int") {
      this.next();
      return { kind: "int", value: t.value ?? 0n, pos: t.pos };
    }
    if (t.kind === "ident") {
      const name = this.nameRef(what);
      return { kind: "ref", name, pos: name.pos };
    }
    this.fail(t, `expected ${what}, found ${describeToken(t)}`);
  }

  private nameRef(what: string): NameRef {
    const first = this.ident(what);
    const parts = [first.text];
    while (this.atPunct(".")) {
      this.next();
      parts.push(this.ident("a name after '.'").text);
    }
    return { parts, pos: first.pos };
  }

  // --- token helpers --------------------------------------------------------------------------

  private peek(): Token {
    return this.toks[this.i];
  }

  private next(): Token {
    const t = this.toks[this.i];
    if (t.kind !== "eof") this.i++;
    if (t.kind === "punct" && t.text === "{") this.depth++;
    if (t.kind === "punct" && t.text === "}") this.depth--;
    return t;
  }

  private at(kind: Token["kind"]): boolean {
    return this.peek().kind === kind;
  }

  private atPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.text === p;
  }

  private isIdent(text: string): boolean {
    const t = this.peek();
    return t.kind === "ident" && t.text === text;
  }

  private optional(p: string): boolean {
    if (!this.atPunct(p)) return false;
    this.next();
    return true;
  }

  private expect(p: string, hint?: string): Token {
    const t = this.peek();
    if (t.kind !== "punct" || t.text !== p) this.fail(t, `expected '${p}', found ${describeToken(t)}`, hint);
    return this.next();
  }

  private ident(what: string): Ident {
    const t = this.peek();
    if (t.kind !== "ident") this.fail(t, `expected ${what}, found ${describeToken(t)}`);
    this.next();
    return { text: t.text, pos: t.pos };
  }

  private fail(t: Token, message: string, hint?: string): never {
    this.bag.error(t.pos, message, hint);
    throw new SyntaxAbort();
  }

  /**
   * Runs one declaration's parser; on a syntax error skips to where the next declaration can
   * start: past the `;` or closing `}` of this one, or before the `}` of the enclosing block.
   */
  private recover<T>(parse: () => T): T | undefined {
    const startDepth = this.depth;
    const startIndex = this.i;
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof SyntaxAbort)) throw e;
      // Never stay on the token that failed at the start of a declaration: that would loop.
      if (this.i === startIndex) this.next();
      for (;;) {
        const t = this.peek();
        if (t.kind === "eof") break;
        if (t.kind === "punct" && t.text === ";" && this.depth === startDepth) {
          this.next();
          break;
        }
        if (t.kind === "punct" && t.text === "}") {
          if (this.depth <= startDepth) break;
          this.next();
          if (this.depth === startDepth) {
            this.optional(";");
            break;
          }
          continue;
        }
        // A declaration keyword that starts a line most likely starts the next declaration.
        const startsLine = this.i > 0 && this.toks[this.i - 1].pos.line < t.pos.line;
        if (t.kind === "ident" && this.depth === startDepth && DECL_KEYWORDS.includes(t.text) && startsLine && this.i > startIndex) {
          break;
        }
        this.next();
      }
      return undefined;
    }
  }
}
