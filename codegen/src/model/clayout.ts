// SPDX-License-Identifier: BSD-2-Clause
/**
 * C size and alignment of IDL types, exactly as the emitted C declares them (LP64, AArch64
 * AAPCS64; the same on x86-64 hosts). Struct and array arguments travel as their C bytes, so the
 * resolver's word counts and the emitter's _Static_asserts both come from here.
 *
 * C representation of each plain-data type (what the emitter must declare):
 *   intN/uintN       intN_t/uintN_t              size = N/8
 *   bool             bool                        1
 *   char             char                        1
 *   size             size_t                      8
 *   enum E: B        the base integer type B (typedef'd), never a C `enum` (whose size varies)
 *   struct S         struct with fields in declaration order, natural alignment, no packing
 *   T[N]             T x[N]
 *   str<N>           char x[N + 1]               NUL-terminated, at most N chars (in structs/arrays)
 *   bytes<N>         struct { uint64_t len; uint8_t data[N]; }   align 8, size 8 + roundup(N, 8)
 * Unbounded str/bytes and caps have no C layout (they are message fields only); asking for one
 * is an internal error, since the resolver rejects them in structs and arrays.
 *
 * Struct layouts are memoised per IdlModel object: do not mutate a model's structs after asking.
 */

import type { CLayout, IdlModel, IntName, StructDecl, TypeRef } from "./idl.ts";
import { findEnum, findStruct, structIn, structsPostOrder } from "./lookup.ts";

const INT_SIZE: Record<IntName, number> = {
  int8: 1,
  uint8: 1,
  bool: 1,
  char: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  size: 8,
};

export function intLayout(name: IntName): CLayout {
  return { size: INT_SIZE[name], align: INT_SIZE[name] };
}

export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

const cache = new WeakMap<IdlModel, Map<string, CLayout>>();

export function cLayoutOf(t: TypeRef, idl: IdlModel): CLayout {
  switch (t.kind) {
    case "int":
      return intLayout(t.name);
    case "enum": {
      const e = findEnum(idl, t.name);
      if (!e) throw new Error(`internal: unknown enum ${t.name}`);
      return intLayout(e.base);
    }
    case "struct":
      return structLayout(t.name, idl);
    case "array": {
      const e = cLayoutOf(t.elem, idl);
      return { size: e.size * t.length, align: e.align };
    }
    case "str":
      if (t.bound === undefined) throw new Error("internal: unbounded str has no C layout");
      return { size: t.bound + 1, align: 1 };
    case "bytes":
      if (t.bound === undefined) throw new Error("internal: unbounded bytes has no C layout");
      return { size: 8 + alignUp(t.bound, 8), align: 8 };
    case "cap":
      throw new Error("internal: a capability has no C layout");
  }
}

/** Byte offset of each field of a struct, in declaration order. */
export function structOffsets(s: StructDecl, idl: IdlModel): number[] {
  let off = 0;
  return s.fields.map((f) => {
    const l = cLayoutOf(f.type, idl);
    off = alignUp(off, l.align);
    const at = off;
    off += l.size;
    return at;
  });
}

function structLayout(qname: string, idl: IdlModel): CLayout {
  let memo = cache.get(idl);
  if (!memo) cache.set(idl, (memo = new Map()));
  const hit = memo.get(qname);
  if (hit) return hit;
  const s = findStruct(idl, qname);
  if (!s) throw new Error(`internal: unknown struct ${qname}`);
  // Nested structs first (without recursion: a chain of nested structs can be long), so that
  // each layout below finds the layouts of its fields' structs memoised.
  const m = memo;
  for (const d of structsPostOrder(idl, [s], (x) => !m.has(x.qname))) {
    let size = 0;
    let align = 1;
    for (const f of d.fields) {
      const name = structIn(f.type);
      if (name !== undefined && !m.has(name)) throw new Error(`internal: recursive struct ${name}`);
      const l = cLayoutOf(f.type, idl);
      size = alignUp(size, l.align) + l.size;
      align = Math.max(align, l.align);
    }
    m.set(d.qname, { size: alignUp(size, align), align });
  }
  return m.get(qname)!;
}
