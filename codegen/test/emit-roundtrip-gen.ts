// SPDX-License-Identifier: BSD-2-Clause
/**
 * Writes the C round-trip test program of one interface: for every request and reply it fills
 * the struct with deterministic pseudo-random values (within bounds, enum members, bools 0/1),
 * encodes, decodes, compares field by field (memcmp for blocks and views' bytes), then checks
 * that the decoder rejects corrupted copies: every shorter length (small messages) or len - 1,
 * len + 1, a wrong label, a wrong cap count, each length over its bound, each scalar out of range,
 * bad bools and enum values (also inside struct and array blocks), str<N> without NUL, and that
 * the encoder refuses payloads over their bound or the shared buffer. The program prints
 *   roundtrip: <ok> ok, <rejected> rejected, <failed> failed
 * `expectOk` is the exact ok count, `minRejected` a lower bound (truncation loops depend on the
 * encoded length) that the test checks against the program's line.
 */

import type { EnumDecl, IdlModel, Interface, IntName, MessageLayout, Method, TypeRef } from "../src/model/idl.ts";
import { MSG_MAX_WORDS } from "../src/model/idl.ts";
import { cLayoutOf, structOffsets } from "../src/model/clayout.ts";
import { findEnum, findStruct, intRange } from "../src/model/lookup.ts";
import { INT_INFO, cBaseName, cTypeName } from "../src/emit/ctypes.ts";
import { cIdent, lowerIdent } from "../src/emit/cprinter.ts";
import { msgNames } from "../src/emit/marshal.ts";

export const ITERATIONS = 16;

interface Gen {
  lines: string[];
  ok: number;
  rejected: number;
  enums: Set<string>;
}

const word = (v: bigint): string => `(ng_word_t)UINT64_C(${BigInt.asUintN(64, v)})`;

function rangeOf(int: IntName): { min: bigint; max: bigint } {
  return intRange(int);
}

/** A value of the enum's base range that is no member, if there is one. */
function badEnumValue(e: EnumDecl): bigint | undefined {
  const members = new Set(e.members.map((m) => BigInt(m.value)));
  const { min, max } = rangeOf(e.base);
  const cands = [...members].flatMap((v) => [v + 1n, v - 1n]);
  cands.push(min, max, 0n);
  return cands.find((v) => v >= min && v <= max && !members.has(v));
}

/** C statements that fill lvalue `lv` of type t (plain-data context inside structs). */
function fill(g: Gen, t: TypeRef, lv: string, idl: IdlModel, depth: number): string[] {
  switch (t.kind) {
    case "int":
      if (t.name === "bool") return [`${lv} = (rnd() & 1) != 0;`];
      if (t.name === "char") return [`${lv} = (char)(unsigned char)rnd();`];
      return [`${lv} = (${INT_INFO[t.name].c})rnd();`];
    case "enum": {
      g.enums.add(t.name);
      const e = findEnum(idl, t.name)!;
      return [`${lv} = ${cBaseName(t.name)}_vals[rnd() % ${e.members.length}];`];
    }
    case "struct": {
      const s = findStruct(idl, t.name)!;
      return s.fields.flatMap((f) => fill(g, f.type, `${lv}.${cIdent(f.name)}`, idl, depth));
    }
    case "array": {
      const i = `i${depth}`;
      return [`for (size_t ${i} = 0; ${i} < ${t.length}; ${i}++) {`, ...fill(g, t.elem, `${lv}[${i}]`, idl, depth + 1).map((l) => `    ${l}`), "}"];
    }
    case "str": {
      const n = t.bound ?? 0;
      return [`{ size_t n = rnd() % ${n + 1}; for (size_t k = 0; k < n; k++) ${lv}[k] = (char)('a' + rnd() % 26); ${lv}[n] = 0; }`];
    }
    case "bytes": {
      const n = t.bound ?? 0;
      return [`${lv}.len = rnd() % ${n + 1}; for (size_t k = 0; k < ${lv}.len; k++) ${lv}.data[k] = (uint8_t)rnd();`];
    }
    case "cap":
      return [`${lv} = (ng_cptr_t)rnd();`];
  }
}

interface Corruption {
  off: number;
  bytes: number[];
  what: string;
}

function le(v: bigint, size: number): number[] {
  const u = BigInt.asUintN(size * 8, v);
  return Array.from({ length: size }, (_, i) => Number((u >> BigInt(8 * i)) & 0xffn));
}

/** Byte patches that make a block of type t invalid (first element of arrays only). */
function corruptions(t: TypeRef, idl: IdlModel, base: number, what: string): Corruption[] {
  switch (t.kind) {
    case "int":
      return t.name === "bool" ? [{ off: base, bytes: [2], what: `${what}: bool 2` }] : [];
    case "enum": {
      const e = findEnum(idl, t.name)!;
      const bad = badEnumValue(e);
      const size = cLayoutOf(t, idl).size;
      return bad === undefined ? [] : [{ off: base, bytes: le(bad, size), what: `${what}: enum ${bad}` }];
    }
    case "struct": {
      const s = findStruct(idl, t.name)!;
      const offs = structOffsets(s, idl);
      return s.fields.flatMap((f, i) => corruptions(f.type, idl, base + offs[i], `${what}.${f.name}`));
    }
    case "array":
      return corruptions(t.elem, idl, base, `${what}[0]`);
    case "str": {
      const n = (t.bound ?? 0) + 1;
      return [{ off: base, bytes: Array(n).fill(0x78), what: `${what}: no NUL` }];
    }
    case "bytes":
      return [{ off: base, bytes: le(BigInt((t.bound ?? 0) + 1), 8), what: `${what}: len over bound` }];
    default:
      return [];
  }
}

/** Bytes each var field may use in one message (so all of them fit together). */
function varCaps(l: MessageLayout): Map<string, number> {
  const vars = l.fields.filter((f) => f.placement.where === "var");
  const out = new Map<string, number>();
  const share = Math.floor(((MSG_MAX_WORDS - l.fixedWords) * 8) / Math.max(1, vars.length) / 8) * 8;
  for (const f of vars) {
    if (f.placement.where !== "var") continue;
    out.set(f.name, l.shm ? f.placement.maxBytes : Math.min(f.placement.maxBytes, share));
  }
  return out;
}

function testMessage(g: Gen, iface: Interface, m: Method, dir: "req" | "rep", idl: IdlModel): string {
  const l = (dir === "req" ? m.request : m.reply)!;
  const n = msgNames(iface, m, dir, l);
  const fn = `test_${n.base}`;
  const L: string[] = [];
  const enc = n.type ? `${n.base}_encode(&m, &in)` : `${n.base}_encode(&m)`;
  const dec = (msg: string) => (n.type ? `${n.base}_decode(${msg}, &out)` : `${n.base}_decode(${msg})`);
  const caps = varCaps(l);
  L.push(`static void ${fn}(unsigned iter)`, "{");
  if (n.type) L.push(`    ${n.type} in, out;`, "    memset(&in, 0, sizeof(in));", "    memset(&out, 0, sizeof(out));");
  L.push("    ng_msg_t m = fresh_msg(), bad;");
  L.push("    (void)iter;");
  // Fill.
  for (const f of l.fields) {
    const lv = `in.${cIdent(f.name)}`;
    if (f.placement.where === "var") {
      const cap = caps.get(f.name)!;
      const buf = `buf_${cIdent(f.name)}`;
      L.push(`    static uint8_t ${buf}[${cap + 1}];`);
      L.push(`    { size_t len = iter == 0 ? ${cap} : rnd() % ${cap + 1}; for (size_t k = 0; k < len; k++) ${buf}[k] = (uint8_t)rnd();`);
      L.push(`      ${lv}.ptr = (const void *)${buf}; ${lv}.len = len; }`);
    } else {
      L.push(...fill(g, f.type, lv, idl, 0).map((s) => `    ${s}`));
    }
  }
  const ok = (cond: string, what: string) => {
    L.push(`    CHECK(${cond}, "${what}");`);
    g.ok++;
  };
  const reject = (setup: string[], what: string, expr = `${dec("&bad")} == NG_EBADMSG`) => {
    L.push("    bad = copy_msg(&m);", ...setup.map((s) => `    ${s}`), `    REJECT(${expr}, "${what}");`);
    g.rejected++;
  };
  ok(`${enc} == NG_OK`, "encode");
  ok(`${dec("&m")} == NG_OK`, "decode");
  for (const f of l.fields) {
    const a = `in.${cIdent(f.name)}`;
    const b = `out.${cIdent(f.name)}`;
    switch (f.placement.where) {
      case "word":
      case "cap":
        ok(`${a} == ${b}`, `${f.name} equal`);
        break;
      case "block":
        ok(`memcmp(&${a}, &${b}, sizeof(${a})) == 0`, `${f.name} equal`);
        break;
      case "var":
        ok(`${a}.len == ${b}.len && memcmp(${a}.ptr, ${b}.ptr, ${a}.len) == 0`, `${f.name} equal`);
        break;
    }
  }
  // Lengths.
  L.push(`    for (unsigned len = m.len <= 8 ? 0 : m.len - 1; len < m.len; len++) {`);
  L.push(`        bad = copy_msg(&m); bad.len = len; REJECT(${dec("&bad")} == NG_EBADMSG, "truncated");`, "    }");
  if (l.fixedWords > 0) g.rejected++;
  reject(["bad.len = m.len + 1;"], "oversized");
  if (dir === "req") reject(["bad.label ^= 1;"], "wrong label");
  else {
    reject(["bad.label = NG_ERR_USER_BASE + 3;"], "error reply with payload", `${dec("&bad")} == (m.len != 0 || m.ncaps != 0 ? NG_EBADMSG : NG_ERR_USER_BASE + 3)`);
    reject(["bad.label = NG_ERR_USER_BASE + 3; bad.len = 0; bad.ncaps = 0;"], "error reply", `${dec("&bad")} == NG_ERR_USER_BASE + 3`);
  }
  if (l.caps < 3) reject(["bad.ncaps = m.ncaps + 1;"], "one cap too many");
  if (l.caps > 0) reject(["bad.ncaps = m.ncaps - 1;"], "one cap too few");
  // Payloads that each fit their bound but not the message together: the encoder refuses.
  const vars = l.fields.filter((f) => f.placement.where === "var");
  const worst = vars.reduce((k, f) => k + (f.placement.where === "var" ? Math.ceil(f.placement.maxBytes / 8) : 0), 0);
  if (n.type && !l.shm && l.fixedWords + worst > MSG_MAX_WORDS) {
    L.push(`    { ${n.type} big = in; static uint8_t huge[${MSG_MAX_WORDS * 8}];`);
    for (const f of vars) if (f.placement.where === "var") L.push(`      big.${cIdent(f.name)}.ptr = (const void *)huge; big.${cIdent(f.name)}.len = ${f.placement.maxBytes};`);
    L.push(`      bad = copy_msg(&m); REJECT(${n.base}_encode(&bad, &big) == NG_EBADMSG, "payloads together over the message"); }`);
    g.rejected++;
  }
  for (const f of l.fields) {
    const pl = f.placement;
    if (pl.where === "var") {
      const W = pl.word;
      reject([`bad.mr[${W}] = ${pl.maxBytes + 1}u;`], `${f.name}: length over bound`);
      reject([`bad.mr[${W}] = ~(ng_word_t)0;`], `${f.name}: huge length`);
      if (!l.shm) reject([`bad.mr[${W}] = m.mr[${W}] + 8;`], `${f.name}: length beyond the message`);
      else reject(["bad.shm_size = 0;"], `${f.name}: no room in the shared buffer`, `in.${cIdent(f.name)}.len == 0 || ${dec("&bad")} == NG_EBADMSG`);
      // The encoder refuses a payload over the bound.
      if (n.type) {
        L.push(`    { ${n.type} big = in; static uint8_t huge[${pl.maxBytes + 1}]; big.${cIdent(f.name)}.ptr = (const void *)huge; big.${cIdent(f.name)}.len = ${pl.maxBytes + 1};`);
        L.push(`      bad = copy_msg(&m); REJECT(${n.base}_encode(&bad, &big) == NG_EBADMSG, "${f.name}: encode over bound"); }`);
        g.rejected++;
      }
    } else if (pl.where === "word") {
      const int = f.type.kind === "enum" ? findEnum(idl, f.type.name)!.base : f.type.kind === "int" ? f.type.name : "uint64";
      const { min, max } = rangeOf(int);
      const bits = int === "bool" ? 1 : int === "char" ? 8 : INT_INFO[int].bits;
      if (bits < 64) {
        reject([`bad.mr[${pl.word}] = ${word(max + 1n)};`], `${f.name}: above range`);
        if (min < 0n) reject([`bad.mr[${pl.word}] = ${word(min - 1n)};`], `${f.name}: below range`);
      }
      if (f.type.kind === "enum") {
        const bad = badEnumValue(findEnum(idl, f.type.name)!);
        if (bad !== undefined) reject([`bad.mr[${pl.word}] = ${word(bad)};`], `${f.name}: not a member`);
      }
    } else if (pl.where === "block") {
      for (const c of corruptions(f.type, idl, 0, f.name)) {
        const bytes = c.bytes.join(", ");
        reject([`{ static const uint8_t p[] = { ${bytes} }; memcpy((uint8_t *)&bad.mr[${pl.word}] + ${c.off}, p, sizeof(p)); }`], c.what);
      }
    }
  }
  L.push("}", "");
  g.lines.push(...L);
  return fn;
}

export interface RoundtripProgram {
  source: string;
  /** Exact number of passing equality checks. */
  expectOk: number;
  /** Rejections at least. */
  minRejected: number;
}

export function roundtripProgram(iface: Interface, idl: IdlModel): RoundtripProgram {
  const g: Gen = { lines: [], ok: 0, rejected: 0, enums: new Set() };
  const fns: string[] = [];
  for (const m of iface.methods) {
    fns.push(testMessage(g, iface, m, "req", idl));
    if (m.reply) fns.push(testMessage(g, iface, m, "rep", idl));
  }
  const enumArrays = [...g.enums].sort().map((q) => {
    const e = findEnum(idl, q)!;
    return `static const ${cTypeName(q)} ${cBaseName(q)}_vals[] = { ${e.members.map((mm) => `(${cTypeName(q)})${mm.value === String(-(2n ** 63n)) ? "INT64_MIN" : `${mm.value}`}`).join(", ")} };`;
  });
  const head = `/* Round-trip test of interface ${iface.name} (generated by codegen/test/emit-roundtrip-gen.ts). */
#include <stdio.h>
#include "${lowerIdent(iface.name)}_gen.h"

static unsigned n_ok, n_rejected, n_failed;
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static ng_word_t words[NG_MSG_MAX_WORDS + 8];
static ng_word_t bad_words[NG_MSG_MAX_WORDS + 8];
static uint8_t shm_buf[${Math.max(8, iface.shmBytes)}];

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static ng_msg_t fresh_msg(void)
{
    ng_msg_t m;
    memset(&m, 0, sizeof(m));
    memset(words, 0xee, sizeof(words));
    m.mr = words;
    m.shm = shm_buf;
    m.shm_size = sizeof(shm_buf);
    return m;
}

static ng_msg_t copy_msg(const ng_msg_t *m)
{
    ng_msg_t c = *m;
    memcpy(bad_words, words, sizeof(words));
    c.mr = bad_words;
    return c;
}

#define CHECK(cond, what) do { if (cond) n_ok++; else { n_failed++; printf("FAIL %s:%d: %s\\n", __func__, __LINE__, what); } } while (0)
#define REJECT(cond, what) do { if (cond) n_rejected++; else { n_failed++; printf("NOT REJECTED %s:%d: %s\\n", __func__, __LINE__, what); } } while (0)

${enumArrays.join("\n")}
`;
  const main = `int main(void)
{
    for (unsigned iter = 0; iter < ${ITERATIONS}; iter++) {
${fns.map((f) => `        ${f}(iter);`).join("\n")}
    }
    printf("roundtrip: %u ok, %u rejected, %u failed\\n", n_ok, n_rejected, n_failed);
    return n_failed != 0;
}
`;
  return { source: head + "\n" + g.lines.join("\n") + main, expectOk: g.ok * ITERATIONS, minRejected: g.rejected * ITERATIONS };
}
