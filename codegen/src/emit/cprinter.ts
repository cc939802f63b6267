// SPDX-License-Identifier: BSD-2-Clause
/**
 * A small typed C printer: lines, blocks with indentation, doc comments, includes, `#if` guards,
 * and the helpers every C emitter needs to turn IDL names and values into safe C (identifiers
 * that dodge C keywords, integer literals with the right suffix for their type).
 *
 *   const p = new CPrinter();
 *   p.doc("Adds two numbers.");
 *   p.fn("static inline int f(void)", () => p.line("return 0;"));
 *   p.text()  // "/** Adds two numbers. *\/\nstatic inline int f(void)\n{\n    return 0;\n}\n"
 */

const C_KEYWORDS = new Set([
  "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
  "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict",
  "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
  "unsigned", "void", "volatile", "while", "bool", "true", "false", "asm", "typeof",
  "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
  "_Static_assert", "_Thread_local", "NULL", "errno", "assert", "offsetof",
]);

const INDENT = "    ";

/** An IDL name made safe as a C identifier: keywords get a trailing underscore. */
export function cIdent(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_]/g, "_");
  const lead = /^[0-9]/.test(safe) ? `_${safe}` : safe;
  return C_KEYWORDS.has(lead) ? `${lead}_` : lead;
}

/** An upper-case macro name from parts: upperIdent("echo", "add", "label") = ECHO_ADD_LABEL. */
export function upperIdent(...parts: string[]): string {
  return parts
    .filter((p) => p.length > 0)
    .map((p) => p.replace(/[^A-Za-z0-9_]/g, "_").toUpperCase())
    .join("_");
}

/** A lower-case C prefix (interface and server names). */
export function lowerIdent(name: string): string {
  return cIdent(name.toLowerCase());
}

/** Hex literal for an unsigned value: 0x1234u, or with UL for values beyond 32 bits. */
export function hexLiteral(value: number | bigint): string {
  const v = BigInt(value);
  const suffix = v > 0xffffffffn ? "ul" : "u";
  return `0x${v.toString(16)}${suffix}`;
}

/**
 * A C integer constant expression of the given width/signedness whose value is `value`,
 * written so that -pedantic never complains (no unsuffixed literal beyond `int`, and the most
 * negative value spelt as (-MAX - 1)).
 */
export function intLiteral(value: bigint, signed: boolean, bits: number): string {
  if (!signed) {
    if (bits <= 32) return `${value}u`;
    return `UINT64_C(${value})`;
  }
  if (bits <= 32) {
    if (value === -(1n << 31n)) return "(-2147483647 - 1)";
    return value < 0n ? `(${value})` : `${value}`;
  }
  if (value === -(1n << 63n)) return "(-INT64_MAX - 1)";
  return value < 0n ? `(-INT64_C(${-value}))` : `INT64_C(${value})`;
}

export class CPrinter {
  private readonly out: string[] = [];
  private depth = 0;

  /** One line at the current indentation (an empty string gives an empty line). */
  line(s = ""): this {
    this.out.push(s === "" ? "" : INDENT.repeat(this.depth) + s);
    return this;
  }

  lines(ls: string[]): this {
    for (const l of ls) this.line(l);
    return this;
  }

  /** An empty line, never two in a row. */
  blank(): this {
    if (this.out.length > 0 && this.out[this.out.length - 1] !== "") this.out.push("");
    return this;
  }

  /** Raw text, printed as is (multi-line skeletons from templates). */
  raw(text: string): this {
    for (const l of text.replace(/\n$/, "").split("\n")) this.out.push(l);
    return this;
  }

  /** A function definition: `head`, then the body between braces on their own lines. */
  fn(head: string, body: () => void): this {
    this.line(head);
    this.line("{");
    this.depth++;
    body();
    this.depth--;
    this.line("}");
    return this;
  }

  /** `head {` body `}tail`: statements, struct and enum bodies (`tail` = " name_t;"). */
  block(head: string, body: () => void, tail = ""): this {
    this.line(`${head} {`);
    this.depth++;
    body();
    this.depth--;
    this.line(`}${tail}`);
    return this;
  }

  /** Indent the body one level without braces (case bodies). */
  indented(body: () => void): this {
    this.depth++;
    body();
    this.depth--;
    return this;
  }

  /** A comment; several lines become a block comment. */
  comment(text: string): this {
    const ls = text.trim().split("\n");
    if (ls.length === 1) return this.line(`/* ${safeComment(ls[0])} */`);
    this.line("/*");
    for (const l of ls) this.line(l.trim() === "" ? " *" : ` * ${safeComment(l)}`);
    return this.line(" */");
  }

  /** A doc comment (from IDL `///`), printed only when there is one. */
  doc(text: string | undefined): this {
    if (text === undefined || text.trim() === "") return this;
    const ls = text.trim().split("\n");
    if (ls.length === 1) return this.line(`/** ${safeComment(ls[0])} */`);
    this.line("/**");
    for (const l of ls) this.line(l.trim() === "" ? " *" : ` * ${safeComment(l)}`);
    return this.line(" */");
  }

  include(header: string, system = true): this {
    return this.line(system ? `#include <${header}>` : `#include "${header}"`);
  }

  /** `#if cond` … `#endif` around the body. */
  ifGuard(cond: string, body: () => void): this {
    this.out.push(`#if ${cond}`);
    body();
    this.out.push(`#endif /* ${cond} */`);
    return this;
  }

  define(name: string, value: string, comment?: string): this {
    return this.line(comment ? `#define ${name} ${value} /* ${safeComment(comment)} */` : `#define ${name} ${value}`);
  }

  staticAssert(cond: string, message: string): this {
    return this.line(`_Static_assert(${cond}, "${message.replace(/["\\]/g, "")}");`);
  }

  text(): string {
    return this.out.join("\n").replace(/\n{3,}/g, "\n\n") + "\n";
  }
}

/** Text made harmless inside a C comment. */
export function safeComment(s: string): string {
  return s.replace(/\*\//g, "* /").replace(/\/\*/g, "/ *").trimEnd();
}
