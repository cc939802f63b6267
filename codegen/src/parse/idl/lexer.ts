// SPDX-License-Identifier: BSD-2-Clause
/**
 * The IDL lexer: text in, tokens out, each with its 1-based line and column.
 *
 * Comments are dropped except `///` doc comments, which attach to the next token (`Token.doc`),
 * so the parser can hand them to the declaration that token starts. `////…` is an ordinary
 * comment. Keywords are not special here: the parser treats `rpc`, `struct`, … as keywords only
 * where a declaration starts, so they remain usable as field names.
 *
 * Bad characters and unterminated comments are reported into the bag and skipped; the lexer
 * never throws for a user's mistake.
 */

import type { DiagnosticBag, SourcePos } from "../../diag/diagnostics.ts";

export type TokenKind = "ident" | "int" | "punct" | "eof";

export interface Token {
  kind: TokenKind;
  /** The source text of the token ("" for eof). For `int`, the literal as written. */
  text: string;
  /** For `int`: the value (non-negative; a leading `-` is a separate token). */
  value?: bigint;
  pos: SourcePos;
  /** `///` lines directly before this token, joined with "\n", prefix and one space stripped. */
  doc?: string;
}

/** Multi-character punctuation first, so `->` wins over `-`. */
const PUNCT = ["->", "{", "}", "(", ")", "<", ">", "[", "]", ":", ";", ",", "=", ".", "-"];

export function lex(file: string, text: string, bag: DiagnosticBag): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  let doc: string[] = [];

  const pos = (): SourcePos => ({ file, line, col });
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (text[i] === "\n") {
        line++;
        col = 1;
      } else {
        col++;
      }
      i++;
    }
  };
  const push = (t: Token): void => {
    if (doc.length > 0) t.doc = doc.join("\n");
    doc = [];
    tokens.push(t);
  };

  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      advance(1);
      continue;
    }
    if (text.startsWith("//", i)) {
      let end = text.indexOf("\n", i);
      if (end < 0) end = text.length;
      const body = text.slice(i, end);
      if (body.startsWith("///") && !body.startsWith("////")) {
        doc.push(body.slice(3).replace(/^ /, "").replace(/\s+$/, ""));
      }
      advance(end - i);
      continue;
    }
    if (text.startsWith("/*", i)) {
      const start = pos();
      const end = text.indexOf("*/", i + 2);
      if (end < 0) {
        bag.error(start, "unterminated block comment", "close it with '*/'");
        advance(text.length - i);
        break;
      }
      advance(end + 2 - i);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const p = pos();
      let end = i + 1;
      while (end < text.length && /[A-Za-z0-9_]/.test(text[end])) end++;
      push({ kind: "ident", text: text.slice(i, end), pos: p });
      advance(end - i);
      continue;
    }
    if (/[0-9]/.test(c)) {
      const p = pos();
      let end = i;
      while (end < text.length && /[A-Za-z0-9_]/.test(text[end])) end++;
      const raw = text.slice(i, end);
      const value = parseIntLiteral(raw);
      if (value === undefined) {
        bag.error(p, `invalid integer literal '${raw}'`, "write a decimal (42), hex (0x2a) or binary (0b101010) integer");
        push({ kind: "int", text: raw, value: 0n, pos: p });
      } else {
        push({ kind: "int", text: raw, value, pos: p });
      }
      advance(end - i);
      continue;
    }
    const punct = PUNCT.find((pu) => text.startsWith(pu, i));
    if (punct) {
      push({ kind: "punct", text: punct, pos: pos() });
      advance(punct.length);
      continue;
    }
    bag.error(pos(), `unexpected character '${c}'`, "IDL uses identifiers, integers and the punctuation { } ( ) < > [ ] : ; , = . -> -");
    advance(1);
  }
  push({ kind: "eof", text: "", pos: pos() });
  return tokens;
}

/** Decimal, 0x hex or 0b binary, `_` separators allowed between digits. */
export function parseIntLiteral(raw: string): bigint | undefined {
  const s = raw.replace(/_/g, "");
  if (raw.startsWith("_") || raw.endsWith("_")) return undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(s) || /^0[bB][01]+$/.test(s) || /^[0-9]+$/.test(s)) {
    return BigInt(s);
  }
  return undefined;
}

/** How a token reads in "expected X, found Y". */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case "eof":
      return "end of file";
    case "ident":
      return `'${t.text}'`;
    case "int":
      return `number ${t.text}`;
    default:
      return `'${t.text}'`;
  }
}
