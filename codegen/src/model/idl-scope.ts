// SPDX-License-Identifier: BSD-2-Clause
/**
 * Name resolution for the IDL: scopes (one global, one per namespace), declaration look-up,
 * type expressions → TypeRefs, constant expressions → values. Used by resolve-idl.ts.
 *
 *   namespace fs { const MAX: size = 256; type path = str<MAX>; }
 *   `path` in fs → { kind: "str", bound: 256 };  `fs.path` anywhere → the same.
 *
 * Unqualified names are looked up in the current namespace, then among the globals; `ns.name`
 * looks in namespace `ns`. Aliases and constants are resolved lazily and memoised, with cycle
 * detection; resolveAliasesAndConsts resolves them all up front in dependency order (an
 * iterative search), so that a chain of 10,000 aliases never recurses deeper than one link.
 * Every failure is reported once into the bag and yields `undefined`.
 */

import { type DiagnosticBag, suggestionHint } from "../diag/diagnostics.ts";
import type { AliasNode, ConstNode, EnumNode, NameRef, NamespaceNode, StructNode, TypeExpr, ValueExpr } from "../parse/idl/ast.ts";
import type { CapKind, IntName, TypeRef } from "./idl.ts";
import { intRange } from "./lookup.ts";

export const INT_NAMES: IntName[] = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool", "char", "size"];
export const CAP_KINDS: CapKind[] = ["cap", "endpoint", "notification", "frame", "untyped", "irq"];
export const BUILTIN_TYPES = new Set<string>([...INT_NAMES, ...CAP_KINDS, "str", "bytes"]);

/** Largest array length or size bound (16 MiB): anything larger is certainly a mistake. */
export const MAX_COUNT = 1 << 24;

export type Entry =
  | { kind: "const"; node: ConstNode; qname: string; scope: Scope }
  | { kind: "alias"; node: AliasNode; qname: string; scope: Scope }
  | { kind: "enum"; node: EnumNode; qname: string; scope: Scope }
  | { kind: "struct"; node: StructNode; qname: string; scope: Scope };

export interface Scope {
  /** Namespace name; undefined for the global scope. */
  ns?: string;
  node?: NamespaceNode;
  file: string;
  entries: Map<string, Entry>;
}

export function qualify(scope: Scope, name: string): string {
  return scope.ns === undefined ? name : `${scope.ns}.${name}`;
}

export function typeName(t: TypeRef): string {
  switch (t.kind) {
    case "int":
      return t.name;
    case "enum":
    case "struct":
      return t.name;
    case "array":
      return `${typeName(t.elem)}[${t.length}]`;
    case "str":
    case "bytes":
      return t.bound === undefined ? t.kind : `${t.kind}<${t.bound}>`;
    case "cap":
      return t.cap;
  }
}

/** Why `t` cannot be plain data (struct field, array element), or undefined. */
export function notPlainData(t: TypeRef): string | undefined {
  if (t.kind === "cap") return `capability type '${t.cap}'`;
  if ((t.kind === "str" || t.kind === "bytes") && t.bound === undefined) return `unbounded '${t.kind}'`;
  return undefined;
}

export class Resolver {
  readonly global: Scope;
  readonly namespaces = new Map<string, Scope>();
  private readonly aliasMemo = new Map<Entry, TypeRef | "busy" | null>();
  private readonly constMemo = new Map<Entry, { type: TypeRef & { kind: "int" }; value: bigint } | "busy" | null>();

  constructor(
    readonly bag: DiagnosticBag,
    globalFile: string,
  ) {
    this.global = { file: globalFile, entries: new Map() };
  }

  lookup(name: NameRef, scope: Scope): Entry | undefined {
    if (name.parts.length === 1) return scope.entries.get(name.parts[0]) ?? this.global.entries.get(name.parts[0]);
    if (name.parts.length === 2) return this.namespaces.get(name.parts[0])?.entries.get(name.parts[1]);
    return undefined;
  }

  /** The aliases and constants an alias's or constant's definition names directly. */
  private definitionDeps(e: Entry & { kind: "alias" | "const" }): Entry[] {
    const refs: NameRef[] = [];
    const value = (v: ValueExpr | undefined) => v?.kind === "ref" && refs.push(v.name);
    const type = (t: TypeExpr) => {
      while (t.kind === "array") {
        value(t.length);
        t = t.elem;
      }
      refs.push(t.name);
      value(t.bound);
    };
    if (e.kind === "alias") type(e.node.target);
    else {
      type(e.node.type);
      value(e.node.value);
    }
    const out: Entry[] = [];
    for (const r of refs) {
      const d = this.lookup(r, e.scope);
      if (d && (d.kind === "alias" || d.kind === "const")) out.push(d);
    }
    return out;
  }

  /**
   * Resolves every alias and constant, each after those its definition names (iterative
   * depth-first search). A cycle is reported once, at its first member, and leaves every
   * member unresolved.
   */
  resolveAliasesAndConsts(): void {
    const scopes = [this.global, ...this.namespaces.values()];
    const done = new Set<Entry>();
    for (const scope of scopes) {
      for (const root of scope.entries.values()) {
        if ((root.kind !== "alias" && root.kind !== "const") || done.has(root)) continue;
        const stack: { e: Entry & { kind: "alias" | "const" }; deps: Entry[]; i: number }[] = [{ e: root, deps: this.definitionDeps(root), i: 0 }];
        const onPath = new Map<Entry, number>([[root, 0]]);
        while (stack.length > 0) {
          const top = stack[stack.length - 1];
          if (top.i === top.deps.length) {
            if (top.e.kind === "alias") this.resolveAlias(top.e);
            else this.resolveConst(top.e);
            onPath.delete(top.e);
            done.add(top.e);
            stack.pop();
            continue;
          }
          const d = top.deps[top.i++] as Entry & { kind: "alias" | "const" };
          const at = onPath.get(d);
          if (at !== undefined) {
            if (d.kind === "alias") {
              if (this.aliasMemo.get(d) === undefined) this.bag.error(d.node.name.pos, `type alias '${d.qname}' refers to itself`, "make the alias name a concrete type");
            } else if (this.constMemo.get(d) === undefined) {
              this.bag.error(d.node.name.pos, `constant '${d.qname}' is defined in terms of itself`, "give it a literal value");
            }
            for (const f of stack.slice(at)) (f.e.kind === "alias" ? this.aliasMemo : this.constMemo).set(f.e, null);
          } else if (!done.has(d)) {
            onPath.set(d, stack.length);
            stack.push({ e: d, deps: this.definitionDeps(d), i: 0 });
          }
        }
      }
    }
  }

  /** Names visible from `scope` (for "did you mean"), optionally only of some kinds. */
  private visibleNames(scope: Scope, kinds: Entry["kind"][]): string[] {
    const out: string[] = [];
    for (const e of [...scope.entries.values(), ...this.global.entries.values()]) if (kinds.includes(e.kind)) out.push(e.node.name.text);
    for (const [ns, s] of this.namespaces) {
      if (s === scope) continue;
      for (const e of s.entries.values()) if (kinds.includes(e.kind)) out.push(`${ns}.${e.node.name.text}`);
    }
    return out;
  }

  resolveType(expr: TypeExpr, scope: Scope): TypeRef | undefined {
    if (expr.kind === "array") {
      const elem = this.resolveType(expr.elem, scope);
      const length = this.evalCount(expr.length, scope, "array length");
      if (!elem || length === undefined) return undefined;
      const bad = notPlainData(elem);
      if (bad) {
        this.bag.error(
          expr.pos,
          `${bad} cannot be an array element`,
          elem.kind === "cap" ? "declare separate capability arguments instead of an array" : `give it a bound, e.g. ${elem.kind}<64>[${length}]`,
        );
        return undefined;
      }
      return { kind: "array", elem, length };
    }
    const name = expr.name;
    const text = name.parts.join(".");
    if (name.parts.length === 1 && BUILTIN_TYPES.has(text)) {
      if (text === "str" || text === "bytes") {
        if (!expr.bound) return { kind: text };
        const bound = this.evalCount(expr.bound, scope, "size bound");
        return bound === undefined ? undefined : { kind: text, bound };
      }
      if (expr.bound) return this.noBound(expr, text);
      if ((INT_NAMES as string[]).includes(text)) return { kind: "int", name: text as IntName };
      return { kind: "cap", cap: text as CapKind };
    }
    const entry = this.lookup(name, scope);
    if (!entry) {
      if (name.parts.length === 2 && !this.namespaces.has(name.parts[0])) {
        this.bag.error(name.pos, `unknown namespace '${name.parts[0]}' in type '${text}'`, suggestionHint(name.parts[0], this.namespaces.keys()));
        return undefined;
      }
      const candidates = [...BUILTIN_TYPES, ...this.visibleNames(scope, ["alias", "enum", "struct"])];
      this.bag.error(
        name.pos,
        `unknown type '${text}'`,
        suggestionHint(text, candidates) ?? "declare it with `type`, `enum` or `struct`, or qualify it with its namespace (`ns.name`)",
      );
      return undefined;
    }
    if (entry.kind === "const") {
      this.bag.error(name.pos, `'${text}' is a constant, not a type`, "use it as a bound or length, e.g. str<" + text + ">");
      return undefined;
    }
    if (expr.bound) return this.noBound(expr, text);
    if (entry.kind === "enum") return { kind: "enum", name: entry.qname };
    if (entry.kind === "struct") return { kind: "struct", name: entry.qname };
    return this.resolveAlias(entry) ?? undefined;
  }

  private noBound(expr: TypeExpr & { kind: "named" }, text: string): undefined {
    this.bag.error(expr.bound!.pos, `type '${text}' takes no size bound`, "only str<N> and bytes<N> have a bound; use T[N] for an array");
    return undefined;
  }

  resolveAlias(entry: Entry & { kind: "alias" }): TypeRef | null {
    const memo = this.aliasMemo.get(entry);
    if (memo === "busy") {
      this.bag.error(entry.node.name.pos, `type alias '${entry.qname}' refers to itself`, "make the alias name a concrete type");
      this.aliasMemo.set(entry, null);
      return null;
    }
    if (memo !== undefined) return memo;
    this.aliasMemo.set(entry, "busy");
    const t = this.resolveType(entry.node.target, entry.scope) ?? null;
    // A cycle reported above leaves null in place; keep it.
    if (this.aliasMemo.get(entry) === "busy") this.aliasMemo.set(entry, t);
    return this.aliasMemo.get(entry) as TypeRef | null;
  }

  /** An integer-valued expression (literal or constant), or undefined after reporting. */
  evalValue(v: ValueExpr, scope: Scope): bigint | undefined {
    if (v.kind === "int") return v.value;
    const text = v.name.parts.join(".");
    const entry = this.lookup(v.name, scope);
    if (!entry) {
      this.bag.error(v.pos, `unknown constant '${text}'`, suggestionHint(text, this.visibleNames(scope, ["const"])) ?? "declare it with `const NAME: type = value;`");
      return undefined;
    }
    if (entry.kind !== "const") {
      this.bag.error(v.pos, `'${text}' is not a constant`, "use an integer literal or the name of a `const`");
      return undefined;
    }
    return this.resolveConst(entry)?.value;
  }

  /** A positive count (array length, size bound). */
  evalCount(v: ValueExpr, scope: Scope, what: string): number | undefined {
    const n = this.evalValue(v, scope);
    if (n === undefined) return undefined;
    if (n <= 0n) {
      this.bag.error(v.pos, `${what} must be a positive integer constant, found ${n}`, `use a value from 1 to ${MAX_COUNT}`);
      return undefined;
    }
    if (n > BigInt(MAX_COUNT)) {
      this.bag.error(v.pos, `${what} ${n} is too large (at most ${MAX_COUNT})`, "larger data belongs in a shared memory region the system declares");
      return undefined;
    }
    return Number(n);
  }

  resolveConst(entry: Entry & { kind: "const" }): { type: TypeRef & { kind: "int" }; value: bigint } | null {
    const memo = this.constMemo.get(entry);
    if (memo === "busy") {
      this.bag.error(entry.node.name.pos, `constant '${entry.qname}' is defined in terms of itself`, "give it a literal value");
      this.constMemo.set(entry, null);
      return null;
    }
    if (memo !== undefined) return memo;
    this.constMemo.set(entry, "busy");
    const out = this.computeConst(entry);
    if (this.constMemo.get(entry) === "busy") this.constMemo.set(entry, out);
    return this.constMemo.get(entry) as ReturnType<Resolver["resolveConst"]>;
  }

  private computeConst(entry: Entry & { kind: "const" }): { type: TypeRef & { kind: "int" }; value: bigint } | null {
    const node = entry.node;
    const type = this.resolveType(node.type, entry.scope);
    const value = this.evalValue(node.value, entry.scope);
    if (!type || value === undefined) return null;
    if (type.kind !== "int") {
      this.bag.error(node.type.pos, `constant '${node.name.text}' must have an integer type, found '${typeName(type)}'`, "constants are integers, e.g. `const MAX: size = 256;`");
      return null;
    }
    const r = intRange(type.name);
    if (value < r.min || value > r.max) {
      this.bag.error(node.value.pos, `constant value ${value} is out of range for ${type.name} (${r.min}..${r.max})`, "use a wider type or a smaller value");
      return null;
    }
    return { type, value };
  }
}
