// SPDX-License-Identifier: BSD-2-Clause
/**
 * The IDL front end's entry point: parses every IDL source, resolves every name, checks every
 * rule, places every message, and returns the IdlModel (see idl.ts) that emitters consume.
 *
 *   namespace echo { rpc add(a: uint64, b: uint64) -> (sum: uint64); }
 *   → interfaces[0] = { name: "echo", methods: [{ name: "add", label: 0xb406a,
 *        request: { fields: a@word0, b@word1, fixedWords: 2, fastPath: true }, reply: … }] }
 *
 * Passes: (1) parse each file; (2) declare every name in its scope (duplicates, C names);
 * (3) resolve constants, aliases, enums and structs (plain data, recursion); (4) per interface,
 * errors and methods (labels, raises, placement). Errors go to the bag; the returned model
 * holds what could be resolved and is only meaningful when the bag has no errors.
 * Everything keeps source order (files in the order given), so the model is deterministic.
 */

import { type DiagnosticBag, type SourcePos, formatPos, suggestionHint } from "../diag/diagnostics.ts";
import type { DeclNode, EnumNode, ErrorNode, FieldNode, Ident, MethodNode, StructNode } from "../parse/idl/ast.ts";
import { parseIdl } from "../parse/idl/parser.ts";
import { cNameProblem, MAX_NAME_LENGTH } from "./cnames.ts";
import {
  type AliasDecl,
  type ConstDecl,
  type EnumDecl,
  type ErrorDecl,
  type Field,
  type IdlModel,
  type Interface,
  type Method,
  type StructDecl,
  type StructField,
  LABEL_MAX,
  LABEL_RESERVED_BELOW,
  USER_ERROR_BASE,
} from "./idl.ts";
import { BUILTIN_TYPES, type Entry, notPlainData, qualify, Resolver, type Scope, typeName } from "./idl-scope.ts";
import { deriveLabel } from "./labels.ts";
import { findInterface, interfaceOf, intRange, structIn } from "./lookup.ts";
import { placeMessage } from "./placement.ts";

type Decls = IdlModel["globals"];

export function compileIdl(sources: { file: string; text: string }[], bag: DiagnosticBag): IdlModel {
  const trees = sources.map((s) => parseIdl(s.file, s.text, bag));
  const r = new Resolver(bag, sources[0]?.file ?? "");
  const nsDecls: { scope: Scope; decls: DeclNode[] }[] = [];

  // Pass 2: declare.
  for (const tree of trees) {
    for (const item of tree.items) {
      if (item.kind === "namespace") {
        const name = item.name;
        const prev = r.namespaces.get(name.text);
        if (prev) {
          bag.error(name.pos, `duplicate namespace '${name.text}'`, `it is already declared at ${formatPos(prev.node!.name.pos)}; one interface is one namespace block`);
          continue;
        }
        checkCName(bag, name, "namespace");
        const scope: Scope = { ns: name.text, node: item, file: tree.file, entries: new Map() };
        r.namespaces.set(name.text, scope);
        for (const d of item.decls) declare(r, d, scope);
        nsDecls.push({ scope, decls: item.decls });
      } else if (item.kind === "method") {
        bag.error(item.name.pos, `${item.method} '${item.name.text}' must be inside a namespace`, "wrap it in `namespace <interface> { … }`: a namespace is one interface");
      } else if (item.kind === "errors") {
        bag.error(item.pos, "an errors block must be inside a namespace", "error codes belong to an interface: move it into the namespace that raises them");
      } else {
        declare(r, item, r.global);
      }
    }
  }

  // Pass 3: constants, aliases, enums, structs.
  r.resolveAliasesAndConsts();
  const model: IdlModel = { files: sources.map((s) => s.file), interfaces: [], globals: buildDecls(r, r.global) };
  for (const { scope } of nsDecls) {
    const d = buildDecls(r, scope);
    model.interfaces.push({
      name: scope.ns!,
      file: scope.file,
      doc: cleanDoc(scope.node!.doc),
      ...d,
      errors: [],
      methods: [],
      shmBytes: 0,
      pos: scope.node!.pos,
    });
  }
  breakStructCycles(model, bag);

  // Pass 4: errors and methods (after every struct exists, for cross-namespace layouts).
  nsDecls.forEach(({ scope, decls }, i) => {
    const iface = model.interfaces[i];
    iface.errors = buildErrors(r, decls.flatMap((d) => (d.kind === "errors" ? d.errors : [])), scope);
    iface.methods = buildMethods(r, model, iface, scope, decls.filter((d): d is MethodNode => d.kind === "method"));
    iface.shmBytes = iface.methods.reduce((n, m) => Math.max(n, m.request.shmBytes, m.reply?.shmBytes ?? 0), 0);
  });
  checkInterfaceCycles(model, bag);
  return model;
}

/**
 * Each interface's C header includes the headers of the interfaces whose types it uses, so
 * those uses must not form a cycle.
 */
function checkInterfaceCycles(model: IdlModel, bag: DiagnosticBag): void {
  // Direct uses only (what the header includes): a cycle of uses is a cycle of direct ones.
  const deps = new Map(model.interfaces.map((i) => [i.name, directDeps(model, i)]));
  const done = new Set<string>();
  const reported = new Set<string>();
  // Iterative depth-first search: `onPath` maps each interface on the current path to its depth.
  for (const root of model.interfaces) {
    if (done.has(root.name)) continue;
    const stack: { name: string; i: number }[] = [{ name: root.name, i: 0 }];
    const onPath = new Map([[root.name, 0]]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const ds = deps.get(top.name) ?? [];
      if (top.i === ds.length) {
        onPath.delete(top.name);
        done.add(top.name);
        stack.pop();
        continue;
      }
      const d = ds[top.i++];
      const at = onPath.get(d);
      if (at !== undefined) {
        // One error per cycle: not again for a cycle through an interface already reported.
        if (!reported.has(d) && !reported.has(top.name)) {
          const members = stack.slice(at).map((f) => f.name);
          for (const m of members) reported.add(m);
          bag.error(findInterface(model, d)!.pos, `interfaces use each other's types in a cycle (${cyclePath(members, d)})`, "move the shared types to top level (outside any namespace) or into a namespace of their own");
        }
      } else if (!done.has(d)) {
        onPath.set(d, stack.length);
        stack.push({ name: d, i: 0 });
      }
    }
  }
}

/** Interfaces whose enums and structs `iface` names itself (not through their structs). */
function directDeps(model: IdlModel, iface: Interface): string[] {
  const out = new Set<string>();
  const add = (t: Field["type"]) => {
    while (t.kind === "array") t = t.elem;
    const ns = t.kind === "enum" || t.kind === "struct" ? interfaceOf(t.name) : undefined;
    if (ns !== undefined && ns !== iface.name) out.add(ns);
  };
  for (const s of iface.structs) for (const f of s.fields) add(f.type);
  for (const a of iface.aliases) add(a.target);
  for (const c of iface.consts) add(c.type);
  for (const m of iface.methods) for (const f of [...m.args, ...m.results]) add(f.type);
  return model.interfaces.map((i) => i.name).filter((n) => out.has(n));
}

/** `a -> b -> c -> a`, with the middle left out of a long cycle. */
function cyclePath(names: string[], back: string): string {
  const shown = names.length > 8 ? [...names.slice(0, 4), `… (${names.length - 7} more) …`, ...names.slice(-3)] : names;
  return [...shown, back].join(" -> ");
}

function cleanDoc(doc: string | undefined): string | undefined {
  return doc?.replace(/\*\//g, "* /");
}

function checkCName(bag: DiagnosticBag, id: Ident, what: string): boolean {
  const problem = cNameProblem(id.text);
  if (!problem) return true;
  const hint = id.text.length > MAX_NAME_LENGTH ? `give the ${what} a shorter name` : `rename the ${what}, e.g. '${saferName(id.text)}'`;
  bag.error(id.pos, `${problem} and cannot be used as a name`, hint);
  return false;
}

/** A suggestion for a name cNameProblem rejects: without the reserved prefix, or with a '_' suffix. */
function saferName(name: string): string {
  const stripped = name.replace(/^(_+|ng_|NG_|seL4_|sel4_)/, "");
  return stripped && stripped !== name && !cNameProblem(stripped) ? stripped : `${stripped || "x"}_`;
}

function declare(r: Resolver, d: DeclNode, scope: Scope): void {
  if (d.kind === "errors" || d.kind === "method") return;
  const name = d.name;
  if (BUILTIN_TYPES.has(name.text)) {
    r.bag.error(name.pos, `'${name.text}' is a built-in type and cannot be redeclared`, "choose another name");
    return;
  }
  checkCName(r.bag, name, d.kind === "alias" ? "type" : d.kind);
  const prev = scope.entries.get(name.text);
  if (prev) {
    r.bag.error(name.pos, `duplicate declaration '${name.text}'`, `'${name.text}' is already declared at ${formatPos(prev.node.name.pos)}; rename one of them`);
    return;
  }
  scope.entries.set(name.text, { kind: d.kind, node: d, qname: qualify(scope, name.text), scope } as Entry);
}

function buildDecls(r: Resolver, scope: Scope): Decls {
  const out: Decls = { consts: [], enums: [], structs: [], aliases: [] };
  for (const e of scope.entries.values()) {
    const base = { qname: e.qname, name: e.node.name.text, doc: cleanDoc(e.node.doc), pos: e.node.pos };
    if (e.kind === "const") {
      const c = r.resolveConst(e);
      if (c) out.consts.push({ ...base, type: c.type, value: c.value.toString() } satisfies ConstDecl);
    } else if (e.kind === "alias") {
      const t = r.resolveAlias(e);
      if (t) out.aliases.push({ ...base, target: t } satisfies AliasDecl);
    } else if (e.kind === "enum") {
      const en = buildEnum(r, e.node, scope);
      if (en) out.enums.push({ ...base, ...en } satisfies EnumDecl);
    } else {
      out.structs.push({ ...base, fields: buildFields(r, e.node, scope) } satisfies StructDecl);
    }
  }
  return out;
}

function buildEnum(r: Resolver, node: EnumNode, scope: Scope): Pick<EnumDecl, "base" | "members"> | undefined {
  let base: EnumDecl["base"] = "uint32";
  if (node.base) {
    const t = r.resolveType(node.base, scope);
    if (!t) return undefined;
    if (t.kind !== "int" || t.name === "bool" || t.name === "char") {
      r.bag.error(node.base.pos, `enum base type must be an integer type (int8..int64, uint8..uint64, size), found '${typeName(t)}'`, "write e.g. `enum mode: uint8 { … }`");
      return undefined;
    }
    base = t.name;
  }
  if (node.members.length === 0) {
    r.bag.error(node.name.pos, `enum '${qualify(scope, node.name.text)}' has no members`, "add a member, or use an integer type instead");
    return undefined;
  }
  const range = intRange(base);
  const members: EnumDecl["members"] = [];
  const byName = new Map<string, SourcePos>();
  const byValue = new Map<bigint, string>();
  let next = 0n;
  for (const m of node.members) {
    const value = m.value ? r.evalValue(m.value, scope) : next;
    if (value === undefined) continue;
    next = value + 1n;
    const at = m.value?.pos ?? m.name.pos;
    checkCName(r.bag, m.name, "enum member");
    const prevPos = byName.get(m.name.text);
    if (prevPos) {
      r.bag.error(m.name.pos, `duplicate enum member '${m.name.text}' in '${qualify(scope, node.name.text)}'`, `it is already declared at ${formatPos(prevPos)}`);
      continue;
    }
    byName.set(m.name.text, m.name.pos);
    if (value < range.min || value > range.max) {
      r.bag.error(at, `enum value ${value} of '${m.name.text}' is out of range for ${base} (${range.min}..${range.max})`, `use a wider base type, e.g. \`enum ${node.name.text}: ${widerThan(base)} { … }\``);
      continue;
    }
    const dup = byValue.get(value);
    if (dup !== undefined) {
      r.bag.error(at, `enum value ${value} of '${m.name.text}' duplicates '${dup}'`, "give every member a distinct value (decoders map values back to members)");
      continue;
    }
    byValue.set(value, m.name.text);
    members.push({ name: m.name.text, value: value.toString(), doc: cleanDoc(m.doc), pos: m.pos });
  }
  return { base, members };
}

function widerThan(base: string): string {
  return base.startsWith("u") ? (base === "uint8" ? "uint16" : base === "uint16" ? "uint32" : "uint64") : base === "int8" ? "int16" : base === "int16" ? "int32" : "int64";
}

function buildFields(r: Resolver, node: StructNode, scope: Scope): StructField[] {
  const qname = qualify(scope, node.name.text);
  if (node.fields.length === 0) {
    r.bag.error(node.name.pos, `struct '${qname}' has no fields`, "C forbids empty structs: add a field or remove the struct");
  }
  const fields: StructField[] = [];
  for (const f of uniqueFields(r, node.fields, `field`, `struct '${qname}'`)) {
    const t = r.resolveType(f.type, scope);
    if (!t) continue;
    const bad = notPlainData(t);
    if (bad) {
      r.bag.error(
        f.type.pos,
        `${bad} cannot be a struct field ('${f.name.text}' in struct '${qname}')`,
        t.kind === "cap" ? "structs are plain data: pass capabilities as method arguments" : `give it a bound, e.g. ${t.kind}<64>`,
      );
      continue;
    }
    fields.push({ name: f.name.text, type: t, doc: cleanDoc(f.doc), pos: f.pos });
  }
  return fields;
}

/** Fields with C-safe, unique names (reporting the others). */
function uniqueFields(r: Resolver, fields: FieldNode[], what: string, where: string): FieldNode[] {
  const seen = new Map<string, SourcePos>();
  return fields.filter((f) => {
    const prev = seen.get(f.name.text);
    if (prev) {
      r.bag.error(f.name.pos, `duplicate ${what} '${f.name.text}' in ${where}`, `it is already declared at ${formatPos(prev)}; rename one of them`);
      return false;
    }
    seen.set(f.name.text, f.name.pos);
    return checkCName(r.bag, f.name, what);
  });
}

/**
 * Reports every struct that contains itself and drops the field that closes the cycle.
 * Iterative depth-first search (a chain of nested structs may be thousands long).
 */
function breakStructCycles(model: IdlModel, bag: DiagnosticBag): void {
  const all = [...model.globals.structs, ...model.interfaces.flatMap((i) => i.structs)];
  const byName = new Map(all.map((s) => [s.qname, s]));
  const done = new Set<string>();
  for (const root of all) {
    if (done.has(root.qname)) continue;
    const stack: { s: StructDecl; i: number; kept: StructField[] }[] = [{ s: root, i: 0, kept: [] }];
    const onPath = new Map([[root.qname, 0]]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i === top.s.fields.length) {
        top.s.fields = top.kept;
        onPath.delete(top.s.qname);
        done.add(top.s.qname);
        stack.pop();
        continue;
      }
      const f = top.s.fields[top.i++];
      const target = structIn(f.type);
      const at = target === undefined ? undefined : onPath.get(target);
      if (at !== undefined) {
        const cycle = cyclePath(stack.slice(at).map((x) => x.s.qname), target!);
        bag.error(f.pos, `struct '${target}' contains itself (${cycle})`, "a struct cannot nest itself; refer to the other object by an id or handle instead");
        continue;
      }
      top.kept.push(f);
      const next = target === undefined || done.has(target) ? undefined : byName.get(target);
      if (next) {
        onPath.set(next.qname, stack.length);
        stack.push({ s: next, i: 0, kept: [] });
      }
    }
  }
}

function buildErrors(r: Resolver, nodes: ErrorNode[], scope: Scope): ErrorDecl[] {
  const out: ErrorDecl[] = [];
  const byCode = new Map<number, string>();
  const byName = new Map<string, SourcePos>();
  let next = BigInt(USER_ERROR_BASE);
  for (const e of nodes) {
    const v = e.value ? r.evalValue(e.value, scope) : next;
    if (v === undefined) continue;
    next = v + 1n;
    const at = e.value?.pos ?? e.name.pos;
    const prev = byName.get(e.name.text);
    if (prev) {
      r.bag.error(e.name.pos, `duplicate error '${e.name.text}' in interface '${scope.ns}'`, `it is already declared at ${formatPos(prev)}`);
      continue;
    }
    byName.set(e.name.text, e.name.pos);
    if (!checkCName(r.bag, e.name, "error")) continue;
    if (v < BigInt(USER_ERROR_BASE)) {
      r.bag.error(at, `error code ${v} of '${e.name.text}' is below ${USER_ERROR_BASE}, in the runtime's generic range`, `interface error codes start at ${USER_ERROR_BASE} (NG_ERR_USER_BASE); leave the value out to number them automatically`);
      continue;
    }
    if (v > BigInt(LABEL_MAX)) {
      r.bag.error(at, `error code ${v} of '${e.name.text}' is out of range (at most ${LABEL_MAX}: it travels as the reply's label)`, "use a smaller code");
      continue;
    }
    const code = Number(v);
    const dup = byCode.get(code);
    if (dup !== undefined) {
      r.bag.error(at, `error code ${code} of '${e.name.text}' collides with '${dup}'`, "give every error a distinct code, or leave the value out to number them automatically");
      continue;
    }
    byCode.set(code, e.name.text);
    out.push({ name: e.name.text, code, doc: cleanDoc(e.doc), pos: e.pos });
  }
  return out;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function buildMethods(r: Resolver, model: IdlModel, iface: Interface, scope: Scope, nodes: MethodNode[]): Method[] {
  const out: Method[] = [];
  const byName = new Map<string, SourcePos>();
  const byLabel = new Map<number, Method>();
  for (const node of nodes) {
    const name = node.name.text;
    const full = `${iface.name}.${name}`;
    const prev = byName.get(name);
    if (prev) {
      r.bag.error(node.name.pos, `duplicate method '${name}' in interface '${iface.name}'`, `it is already declared at ${formatPos(prev)}; rename one of them`);
      continue;
    }
    byName.set(name, node.name.pos);
    if (!checkCName(r.bag, node.name, "method")) continue;

    const args = resolveFields(r, node.args, "argument", `'${full}'`, scope);
    const results = node.results ? resolveFields(r, node.results, "result", `'${full}'`, scope) : [];
    const raises: string[] = [];
    for (const e of node.raises) {
      if (!iface.errors.some((d) => d.name === e.text)) {
        r.bag.error(e.pos, `unknown error '${e.text}' in raises of '${full}'`, suggestionHint(e.text, iface.errors.map((d) => d.name)) ?? `declare it in interface '${iface.name}': \`errors { ${e.text} }\``);
      } else if (!raises.includes(e.text)) {
        raises.push(e.text);
      }
    }

    let label = deriveLabel(iface.name, name);
    let labelExplicit = false;
    if (node.label) {
      const v = r.evalValue(node.label, scope);
      if (v === undefined) continue;
      if (v < BigInt(LABEL_RESERVED_BELOW) || v > BigInt(LABEL_MAX)) {
        const what = v >= 0n && v < BigInt(LABEL_RESERVED_BELOW) ? `is in the range reserved for the runtime (below ${hex(LABEL_RESERVED_BELOW)})` : "is out of range";
        r.bag.error(node.label.pos, `label ${v >= 0n ? "0x" + v.toString(16) : v} of '${full}' ${what}`, `use a label from ${hex(LABEL_RESERVED_BELOW)} to ${hex(LABEL_MAX)}, or leave it out to derive one`);
        continue;
      }
      label = Number(v);
      labelExplicit = true;
    }

    const request = placeMessage(args, model, { what: `request of '${full}'`, pos: node.name.pos }, r.bag);
    const reply = node.method === "rpc" ? placeMessage(results, model, { what: `reply of '${full}'`, pos: node.name.pos }, r.bag) : undefined;
    const m: Method = { name, kind: node.method, label, labelExplicit, args, results, raises, request, reply, doc: cleanDoc(node.doc), pos: node.pos };

    const clash = byLabel.get(label);
    if (clash) {
      r.bag.error(
        (node.label ?? node.name).pos,
        `label ${hex(label)} of '${full}' collides with '${iface.name}.${clash.name}'`,
        `give one of them an explicit label, e.g. \`= ${hex(freeLabel(byLabel, label))}\``,
      );
      continue;
    }
    byLabel.set(label, m);
    out.push(m);
  }
  return out;
}

function freeLabel(used: Map<number, unknown>, from: number): number {
  let l = from;
  while (used.has(l) || l < LABEL_RESERVED_BELOW) l = l >= LABEL_MAX ? LABEL_RESERVED_BELOW : l + 1;
  return l;
}

function resolveFields(r: Resolver, nodes: FieldNode[], what: string, where: string, scope: Scope): Field[] {
  const out: Field[] = [];
  for (const f of uniqueFields(r, nodes, what, where)) {
    const t = r.resolveType(f.type, scope);
    if (t) out.push({ name: f.name.text, type: t, pos: f.pos });
  }
  return out;
}
