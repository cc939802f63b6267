// SPDX-License-Identifier: BSD-2-Clause
/**
 * Look-ups into a resolved IdlModel by qualified name, shared by the resolver and the emitters.
 *
 * A qualified name is `ns.name` for a declaration inside `namespace ns { … }` and a bare `name`
 * for a top-level (global) one; TypeRefs of kind "enum"/"struct" carry exactly these names.
 */

import type { AliasDecl, ConstDecl, EnumDecl, IdlModel, IntName, Interface, StructDecl, TypeRef } from "./idl.ts";

export function findInterface(idl: IdlModel, name: string): Interface | undefined {
  return idl.interfaces.find((i) => i.name === name);
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
  return scopeDecls(idl, qname, "structs").find((d) => d.qname === qname);
}

export function findEnum(idl: IdlModel, qname: string): EnumDecl | undefined {
  return scopeDecls(idl, qname, "enums").find((d) => d.qname === qname);
}

export function findAlias(idl: IdlModel, qname: string): AliasDecl | undefined {
  return scopeDecls(idl, qname, "aliases").find((d) => d.qname === qname);
}

export function findConst(idl: IdlModel, qname: string): ConstDecl | undefined {
  return scopeDecls(idl, qname, "consts").find((d) => d.qname === qname);
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
export function namedTypesIn(t: TypeRef, idl: IdlModel, out = new Set<string>()): Set<string> {
  switch (t.kind) {
    case "enum":
      out.add(t.name);
      break;
    case "struct":
      if (out.has(t.name)) break;
      out.add(t.name);
      for (const f of findStruct(idl, t.name)?.fields ?? []) namedTypesIn(f.type, idl, out);
      break;
    case "array":
      namedTypesIn(t.elem, idl, out);
      break;
  }
  return out;
}

/**
 * Other interfaces whose types `iface` uses (in its structs, aliases and messages), in the
 * order of idl.interfaces: their headers must be included before this interface's.
 */
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
  const mine = new Map(structs.map((s) => [s.qname, s]));
  const out: StructDecl[] = [];
  const done = new Set<string>();
  const visit = (s: StructDecl): void => {
    if (done.has(s.qname)) return;
    done.add(s.qname);
    for (const f of s.fields) {
      for (const n of namedTypesIn(f.type, idl)) {
        const dep = mine.get(n);
        if (dep) visit(dep);
      }
    }
    out.push(s);
  };
  structs.forEach(visit);
  return out;
}
