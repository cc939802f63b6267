// SPDX-License-Identifier: BSD-2-Clause
/**
 * Look-ups into a resolved IdlModel by qualified name, shared by the resolver and the emitters.
 *
 * A qualified name is `ns.name` for a declaration inside `namespace ns { … }` and a bare `name`
 * for a top-level (global) one; TypeRefs of kind "enum"/"struct" carry exactly these names.
 *
 * Look-ups go through an index per declaration list (rebuilt when the list grows), so they cost
 * O(1) on a model with 100,000 declarations; walks over nested structs use an explicit stack,
 * never recursion, so a chain of 10,000 nested structs is as safe as one.
 */

import type { AliasDecl, ConstDecl, EnumDecl, IdlModel, IntName, Interface, StructDecl, TypeRef } from "./idl.ts";

/** Index of a declaration list by a key, valid while the list keeps its length. */
const indexes = new WeakMap<readonly object[], { n: number; map: Map<string, unknown> }>();

function indexed<T extends object>(list: readonly T[], key: (d: T) => string, name: string): T | undefined {
  let ix = indexes.get(list);
  if (!ix || ix.n !== list.length) {
    const map = new Map<string, unknown>();
    for (const d of list) if (!map.has(key(d))) map.set(key(d), d);
    ix = { n: list.length, map };
    indexes.set(list, ix);
  }
  return ix.map.get(name) as T | undefined;
}

export function findInterface(idl: IdlModel, name: string): Interface | undefined {
  return indexed(idl.interfaces, (i) => i.name, name);
}

/** The interface a qualified name belongs to, or undefined for a global (`name` without a dot). */
export function interfaceOf(qname: string): string | undefined {
  const dot = qname.indexOf(".");
  return dot < 0 ? undefined : qname.slice(0, dot);
}

type Kind = "consts" | "enums" | "structs" | "aliases";

function scopeDecls<K extends Kind>(idl: IdlModel, qname: string, kind: K): Interface[K] {
  const ns = interfaceOf(qname);
  if (ns === undefined) return idl.globals[kind] as Interface[K];
  return (findInterface(idl, ns)?.[kind] ?? []) as Interface[K];
}

export function findStruct(idl: IdlModel, qname: string): StructDecl | undefined {
  return indexed<StructDecl>(scopeDecls(idl, qname, "structs"), (d) => d.qname, qname);
}

export function findEnum(idl: IdlModel, qname: string): EnumDecl | undefined {
  return indexed<EnumDecl>(scopeDecls(idl, qname, "enums"), (d) => d.qname, qname);
}

export function findAlias(idl: IdlModel, qname: string): AliasDecl | undefined {
  return indexed<AliasDecl>(scopeDecls(idl, qname, "aliases"), (d) => d.qname, qname);
}

export function findConst(idl: IdlModel, qname: string): ConstDecl | undefined {
  return indexed<ConstDecl>(scopeDecls(idl, qname, "consts"), (d) => d.qname, qname);
}

/** Every struct: globals first, then each interface's, in source order. */
export function allStructs(idl: IdlModel): StructDecl[] {
  return [...idl.globals.structs, ...idl.interfaces.flatMap((i) => i.structs)];
}

/** Every enum: globals first, then each interface's, in source order. */
export function allEnums(idl: IdlModel): EnumDecl[] {
  return [...idl.globals.enums, ...idl.interfaces.flatMap((i) => i.enums)];
}

/** Inclusive value range of an integer type (`char` is treated as uint8, `size` as uint64). */
export function intRange(name: IntName): { min: bigint; max: bigint } {
  switch (name) {
    case "bool":
      return { min: 0n, max: 1n };
    case "char":
      return { min: 0n, max: 255n };
    case "size":
      return { min: 0n, max: (1n << 64n) - 1n };
    default: {
      const bits = BigInt(name.replace(/^u?int/, ""));
      return name.startsWith("u") ? { min: 0n, max: (1n << bits) - 1n } : { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n };
    }
  }
}

/** Qualified names of every enum and struct a type mentions (structs' fields included). */
/** The struct (if any) a field of type t contains: `s`, `s[4]`, `s[2][3]`. */
export function structIn(t: TypeRef): string | undefined {
  while (t.kind === "array") t = t.elem;
  return t.kind === "struct" ? t.name : undefined;
}

/** Enums and structs t names, and those of every struct it contains, transitively. */
export function namedTypesIn(t: TypeRef, idl: IdlModel, out = new Set<string>()): Set<string> {
  const todo: TypeRef[] = [t];
  for (let cur = todo.pop(); cur !== undefined; cur = todo.pop()) {
    while (cur.kind === "array") cur = cur.elem;
    if (cur.kind === "enum") out.add(cur.name);
    if (cur.kind !== "struct" || out.has(cur.name)) continue;
    out.add(cur.name);
    for (const f of findStruct(idl, cur.name)?.fields ?? []) todo.push(f.type);
  }
  return out;
}

/**
 * `roots` and the structs they contain (transitively, among those `include` admits), each after
 * the structs it contains: the order C needs. Iterative depth-first search; a struct already
 * on the path (a cycle, reported by the resolver) is not followed.
 */
export function structsPostOrder(idl: IdlModel, roots: Iterable<StructDecl>, include: (s: StructDecl) => boolean = () => true): StructDecl[] {
  const out: StructDecl[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    if (seen.has(root.qname) || !include(root)) continue;
    seen.add(root.qname);
    const stack: { s: StructDecl; i: number }[] = [{ s: root, i: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i === top.s.fields.length) {
        out.push(top.s);
        stack.pop();
        continue;
      }
      const name = structIn(top.s.fields[top.i++].type);
      const dep = name === undefined || seen.has(name) ? undefined : findStruct(idl, name);
      if (!dep || !include(dep)) continue;
      seen.add(dep.qname);
      stack.push({ s: dep, i: 0 });
    }
  }
  return out;
}

export function interfaceDeps(idl: IdlModel, iface: Interface): string[] {
  const names = new Set<string>();
  const types: TypeRef[] = [
    ...iface.structs.flatMap((s) => s.fields.map((f) => f.type)),
    ...iface.aliases.map((a) => a.target),
    ...iface.consts.map((c) => c.type),
    ...iface.methods.flatMap((m) => [...m.args, ...m.results].map((f) => f.type)),
  ];
  for (const t of types) namedTypesIn(t, idl, names);
  const deps = new Set<string>();
  for (const n of names) {
    const ns = interfaceOf(n);
    if (ns !== undefined && ns !== iface.name) deps.add(ns);
  }
  return idl.interfaces.map((i) => i.name).filter((n) => deps.has(n));
}

/**
 * `structs` ordered so that every struct comes after the structs of the same list it contains
 * (C needs a complete type before a field uses it); otherwise source order. Structs of other
 * interfaces are not reordered here: their header is included first (see interfaceDeps).
 */
export function structsInDependencyOrder(idl: IdlModel, structs: StructDecl[]): StructDecl[] {
  const mine = new Set(structs.map((s) => s.qname));
  return structsPostOrder(idl, structs, (s) => mine.has(s.qname));
}
