// SPDX-License-Identifier: BSD-2-Clause
/**
 * IDL types as C: the names every emitter uses (`fs.stat` → `fs_stat_t`, enum member `fs.mode.read`
 * → `FS_MODE_READ`), declarators (`uint32_t v[4]`), the C layout the declarations get (checked by
 * `_Static_assert` in the output), the per-type validity checks decoders run, and the type
 * declarations of an interface header.
 *
 *   IDL                                   C
 *   const max_path: uint32 = 256;         #define FS_MAX_PATH 256u
 *   enum mode: uint8 { read = 1, … }      typedef uint8_t fs_mode_t;  #define FS_MODE_READ 1u
 *                                         static inline int fs_mode_valid(fs_mode_t v) { switch … }
 *   struct stat { uint64 size; bool dir;  typedef struct fs_stat { uint64_t size; bool dir;
 *                 str<15> name; }                       char name[16]; } fs_stat_t;
 *                                         _Static_assert(sizeof(fs_stat_t) == 32, …)
 *                                         static inline int fs_stat_valid(const fs_stat_t *v) …
 *   type fd = uint32;                     typedef uint32_t fs_fd_t;
 *
 * Plain-data layout (sizes, offsets) comes from model/clayout.ts, the same source the resolver's
 * placement uses, and every struct asserts it. `str<N>` inside a struct is stored inline as
 * `char[N + 1]` and must hold a NUL; `bytes<N>` as `struct { uint64_t len; uint8_t data[N]; }`
 * with len <= N; in a message both are `ng_str_t`/`ng_bytes_t` views. `char` travels as its unsigned byte value (0..255) so hosts with signed
 * and targets with unsigned `char` agree.
 */

import type {
  AliasDecl,
  ConstDecl,
  EnumDecl,
  IdlModel,
  IntName,
  Interface,
  StructDecl,
  TypeRef,
} from "../model/idl.ts";
import { cLayoutOf, structOffsets } from "../model/clayout.ts";
import { findEnum, findStruct, structsPostOrder } from "../model/lookup.ts";
import { CPrinter, cIdent, intLiteral, lowerIdent, upperIdent } from "./cprinter.ts";

export interface IntInfo {
  c: string;
  bits: number;
  signed: boolean;
}

export const INT_INFO: Record<IntName, IntInfo> = {
  int8: { c: "int8_t", bits: 8, signed: true },
  int16: { c: "int16_t", bits: 16, signed: true },
  int32: { c: "int32_t", bits: 32, signed: true },
  int64: { c: "int64_t", bits: 64, signed: true },
  uint8: { c: "uint8_t", bits: 8, signed: false },
  uint16: { c: "uint16_t", bits: 16, signed: false },
  uint32: { c: "uint32_t", bits: 32, signed: false },
  uint64: { c: "uint64_t", bits: 64, signed: false },
  bool: { c: "bool", bits: 1, signed: false },
  char: { c: "char", bits: 8, signed: false },
  size: { c: "size_t", bits: 64, signed: false },
};

/** `ns.name` split; top-level declarations have no namespace. */
export function splitQname(qname: string): { ns?: string; name: string } {
  const i = qname.lastIndexOf(".");
  return i < 0 ? { name: qname } : { ns: qname.slice(0, i), name: qname.slice(i + 1) };
}

/** Lower-case C prefix of a namespace-qualified declaration: `fs.stat` → `fs_stat`. */
export function cBaseName(qname: string): string {
  const { ns, name } = splitQname(qname);
  return ns === undefined ? cIdent(name) : `${lowerIdent(ns.replace(/\./g, "_"))}_${name}`;
}

export function cTypeName(qname: string): string {
  return `${cBaseName(qname)}_t`;
}

export function macroName(qname: string, ...more: string[]): string {
  const { ns, name } = splitQname(qname);
  return upperIdent(...(ns === undefined ? [] : [ns.replace(/\./g, "_")]), name, ...more);
}

/** Where a value of the type sits: a message struct (views) or a plain-data struct (inline). */
export type DeclContext = "msg" | "struct";

/** The C type of a non-array type. */
export function cScalarType(t: TypeRef, ctx: DeclContext): string {
  switch (t.kind) {
    case "int":
      return INT_INFO[t.name].c;
    case "enum":
    case "struct":
      return cTypeName(t.name);
    case "str":
      return ctx === "msg" ? "ng_str_t" : "char";
    case "bytes":
      return ctx === "msg" ? "ng_bytes_t" : `struct { uint64_t len; uint8_t data[${t.bound ?? 0}]; }`;
    case "cap":
      return "ng_cptr_t";
    case "array":
      // An array is plain data wherever it is (a block in a message): its str<N> elements are
      // char[N + 1], as the placement counts them.
      return cScalarType(t.elem, "struct");
  }
}

/** The array suffix of a declarator: `[4][2]` for `T[2][4]`, `[16]` for `str<15>` in a struct. */
export function cArraySuffix(t: TypeRef, ctx: DeclContext): string {
  if (t.kind === "array") return `[${t.length}]${cArraySuffix(t.elem, "struct")}`;
  if (ctx === "struct" && t.kind === "str") return `[${(t.bound ?? 0) + 1}]`;
  return "";
}

/** A declarator: `uint32_t v[4]`. */
export function cDecl(t: TypeRef, name: string, ctx: DeclContext): string {
  return `${cScalarType(t, ctx)} ${name}${cArraySuffix(t, ctx)}`;
}

/** The integer type a scalar travels as (enums by their base). */
export function scalarInt(t: TypeRef, idl: IdlModel): IntName | undefined {
  if (t.kind === "int") return t.name;
  if (t.kind === "enum") return findEnum(idl, t.name)?.base ?? "uint32";
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Validity: what a decoder checks inside a copied block (bool bytes, enum members, NUL in str<N>)

/** needsCheck of every struct asked about, per model (computed once, without recursion). */
const structChecks = new WeakMap<IdlModel, Map<string, boolean>>();

function structNeedsCheck(qname: string, idl: IdlModel): boolean {
  let memo = structChecks.get(idl);
  if (!memo) structChecks.set(idl, (memo = new Map()));
  const hit = memo.get(qname);
  if (hit !== undefined) return hit;
  const s = findStruct(idl, qname);
  if (!s) return false;
  const m = memo;
  // Contained structs first, so that each needsCheck below finds theirs memoised.
  for (const d of structsPostOrder(idl, [s], (x) => !m.has(x.qname))) m.set(d.qname, d.fields.some((f) => needsCheck(f.type, idl)));
  return m.get(qname) ?? false;
}

export function needsCheck(t: TypeRef, idl: IdlModel): boolean {
  while (t.kind === "array") t = t.elem;
  switch (t.kind) {
    case "int":
      return t.name === "bool";
    case "enum":
      return true;
    case "struct":
      return structNeedsCheck(t.name, idl);
    case "str":
    case "bytes":
      return true;
    default:
      return false;
  }
}

/**
 * Print checks of the in-memory value `lv` (an lvalue of type t, plain-data context); `fail` is
 * the statement run when it is invalid. Bools are read as bytes: loading a bool whose byte is
 * not 0/1 is undefined behaviour, so they are never read as bool before this check passes.
 */
export function printCheck(p: CPrinter, t: TypeRef, lv: string, idl: IdlModel, fail: string, depth = 0): void {
  if (!needsCheck(t, idl)) return;
  switch (t.kind) {
    case "int":
      p.line(`if (*(const uint8_t *)&${lv} > 1) ${fail}`);
      return;
    case "enum":
      p.line(`if (!${cBaseName(t.name)}_valid(${lv})) ${fail}`);
      return;
    case "struct":
      p.line(`if (!${cBaseName(t.name)}_valid(&${lv})) ${fail}`);
      return;
    case "str":
      p.line(`if (memchr(${lv}, 0, ${(t.bound ?? 0) + 1}) == NULL) ${fail}`);
      return;
    case "bytes":
      p.line(`if (${lv}.len > ${t.bound ?? 0}u) ${fail}`);
      return;
    case "array": {
      const i = `i${depth}`;
      p.block(`for (size_t ${i} = 0; ${i} < ${t.length}; ${i}++)`, () =>
        printCheck(p, t.elem, `${lv}[${i}]`, idl, fail, depth + 1),
      );
      return;
    }
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Declarations

function printConst(p: CPrinter, c: ConstDecl, idl: IdlModel): void {
  const int = scalarInt(c.type, idl) ?? "int64";
  const info = INT_INFO[int];
  p.doc(c.doc);
  p.define(macroName(c.qname), intLiteral(BigInt(c.value), info.signed, Math.max(info.bits, 32)));
}

/**
 * `enum mode: uint8 { read = 1, write = 2 }` → typedef of the base type, one #define per member
 * (C enum constants are `int`, which cannot hold every base type), and `fs_mode_valid()`.
 */
function printEnum(p: CPrinter, e: EnumDecl): void {
  const info = INT_INFO[e.base];
  const tn = cTypeName(e.qname);
  p.doc(e.doc);
  p.line(`typedef ${info.c} ${tn};`);
  for (const m of e.members) {
    p.doc(m.doc);
    p.define(macroName(e.qname, m.name), intLiteral(BigInt(m.value), info.signed, Math.max(info.bits, 32)));
  }
  p.blank();
  p.fn(`static inline int ${cBaseName(e.qname)}_valid(${tn} v)`, () => {
    const seen = new Set<string>();
    p.block("switch (v)", () => {
      for (const m of e.members) {
        if (seen.has(m.value)) continue;
        seen.add(m.value);
        p.line(`case ${macroName(e.qname, m.name)}:`);
      }
      if (seen.size > 0) p.indented(() => p.line("return 1;"));
      p.line("default:");
      p.indented(() => p.line("return 0;"));
    });
  });
  p.blank();
}

function printStruct(p: CPrinter, s: StructDecl, idl: IdlModel): void {
  const base = cBaseName(s.qname);
  const tn = cTypeName(s.qname);
  p.doc(s.doc);
  p.block(`typedef struct ${base}`, () => {
    for (const f of s.fields) {
      p.doc(f.doc);
      p.line(`${cDecl(f.type, cIdent(f.name), "struct")};`);
    }
  }, ` ${tn};`);
  const layout = cLayoutOf({ kind: "struct", name: s.qname }, idl);
  const offsets = structOffsets(s, idl);
  p.staticAssert(`sizeof(${tn}) == ${layout.size}`, `${tn}: size differs from the wire layout`);
  p.staticAssert(`_Alignof(${tn}) == ${layout.align}`, `${tn}: alignment differs from the wire layout`);
  s.fields.forEach((f, i) =>
    p.staticAssert(`offsetof(${tn}, ${cIdent(f.name)}) == ${offsets[i]}`, `${tn}.${f.name}: offset differs from the wire layout`),
  );
  if (s.fields.some((f) => needsCheck(f.type, idl))) {
    p.blank();
    p.comment("1 if every bool is 0/1, every enum a member, every str<N> NUL-terminated.");
    p.fn(`static inline int ${base}_valid(const ${tn} *v)`, () => {
      for (const f of s.fields) printCheck(p, f.type, `v->${cIdent(f.name)}`, idl, "return 0;");
      p.line("return 1;");
    });
  }
  p.blank();
}

function printAlias(p: CPrinter, a: AliasDecl): void {
  p.doc(a.doc);
  p.line(`typedef ${cDecl(a.target, cTypeName(a.qname), "msg")};`);
}

/** Structs in an order where every struct follows the structs it contains (of the same list). */
function orderStructs(structs: StructDecl[], idl: IdlModel): StructDecl[] {
  const mine = new Set(structs.map((s) => s.qname));
  return structsPostOrder(idl, structs, (s) => mine.has(s.qname));
}

export interface Decls {
  consts: ConstDecl[];
  enums: EnumDecl[];
  structs: StructDecl[];
  aliases: AliasDecl[];
}

/** Consts, enums, structs (dependency order), aliases. */
export function printDecls(p: CPrinter, d: Decls, idl: IdlModel): void {
  for (const c of d.consts) printConst(p, c, idl);
  p.blank();
  for (const e of d.enums) printEnum(p, e);
  for (const s of orderStructs(d.structs, idl)) printStruct(p, s, idl);
  for (const a of d.aliases) printAlias(p, a);
  p.blank();
}

/** Namespaces (other than the interface's own) whose declarations the interface refers to. */
export function foreignNamespaces(iface: Interface): string[] {
  const out = new Set<string>();
  const visit = (t: TypeRef): void => {
    if (t.kind === "array") return visit(t.elem);
    if (t.kind === "enum" || t.kind === "struct") {
      const ns = splitQname(t.name).ns;
      if (ns !== undefined && ns !== iface.name) out.add(ns);
    }
  };
  for (const s of iface.structs) s.fields.forEach((f) => visit(f.type));
  for (const a of iface.aliases) visit(a.target);
  for (const m of iface.methods) [...m.args, ...m.results].forEach((f) => visit(f.type));
  return [...out].sort();
}
