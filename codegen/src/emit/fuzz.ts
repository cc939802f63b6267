// SPDX-License-Identifier: BSD-2-Clause
/**
 * libFuzzer harnesses for the generated decoders: one `fuzz/<iface>_fuzz_gen.c` per interface,
 * driving every `<iface>_<method>_req_decode` and `_rep_decode` of `include/<iface>_gen.h` with
 * hostile messages and trapping when a decoder breaks a rule the wire format promises.
 *
 *   IDL   namespace echo { rpc echo_str(s: str<256>) -> (s: str<256>); }
 *   C     fuzz/echo_fuzz_gen.c
 *         static void ng_fz_echo_echo_str_req(const ng_fz_case_t *c)
 *         {   fix up (or not) label, len, ncaps, scalars and length words; decode twice;
 *             check views, re-encode, decode again, compare   }
 *         static const ng_fz_decoder_t ng_fz_decoders[] = { { "echo_echo_str_req", … }, … };
 *         int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { … }
 *
 * Input: byte 0 picks the decoder, byte 1 holds flags (which parts of the message are made
 * consistent: label, len, ncaps, scalar ranges, length words, shared buffer), then the raw
 * label (8), len (1), ncaps (1), three caps (8 each), shm size (2); the rest fills the message
 * words (an aligned ng_word_t[120], the words beyond len poisoned for ASan) and, from word
 * `len` on, the shared buffer (malloc'd to exactly its size). len never exceeds 120 (the
 * transport guarantees it) but takes every value 0..120; ncaps takes 0..3.
 *
 * After a successful decode: the message is what the decoder accepted (label, ncaps, len range);
 * every str/bytes view lies inside the message words (inline) or the shared buffer, within its
 * bound, in declaration order, word- or 8-byte aligned, the inline ones filling the message
 * exactly; decoding again (into differently pre-filled memory) gives the same struct; encoding
 * the struct gives the same label/len/ncaps/caps and the same words for scalars, blocks and
 * length words; decoding that gives an equal struct. A decoder's result is NG_OK, NG_EBADMSG or,
 * for a reply with a non-zero label, that label (when the error reply is well formed). Any
 * violation prints the rule and calls __builtin_trap(), which libFuzzer reports as a crash.
 * The harness is the generator's own test; it is never linked into a system.
 */

import type { IdlModel, Interface, MessageLayout, Method, PlacedField, TypeRef } from "../model/idl.ts";
import { MSG_MAX_WORDS, WORD_BYTES } from "../model/idl.ts";
import { findEnum, findStruct } from "../model/lookup.ts";
import { banner, type GeneratedFile } from "./files.ts";
import { CPrinter, cIdent, intLiteral, lowerIdent } from "./cprinter.ts";
import { INT_INFO, cBaseName, cDecl, cTypeName, macroName, needsCheck, scalarInt } from "./ctypes.ts";
import { type Dir, hasVar, labelMacro, msgNames } from "./marshal.ts";
import { FUZZ_MAIN, FUZZ_PRELUDE } from "./fuzz-runtime.ts";
import { dispatchTargetName, printDispatchTarget } from "./fuzz-dispatch.ts";

/** One decoder a harness drives. */
export interface FuzzDecoder {
  /** `echo_add_req`: the decoder is `<name>_decode`; also the name NG_FUZZ_DECODER takes. */
  name: string;
  method: Method;
  dir: Dir;
  layout: MessageLayout;
}

/** Decoders of an interface, in the order the harness's selector byte numbers them. */
export function fuzzDecoders(iface: Interface): FuzzDecoder[] {
  const out: FuzzDecoder[] = [];
  for (const m of iface.methods) {
    out.push({ name: msgNames(iface, m, "req", m.request).base, method: m, dir: "req", layout: m.request });
    if (m.reply) out.push({ name: msgNames(iface, m, "rep", m.reply).base, method: m, dir: "rep", layout: m.reply });
  }
  return out;
}

/**
 * Everything a harness fuzzes, by the name NG_FUZZ_DECODER takes: the decoders, then the
 * interface's dispatcher (emit/fuzz-dispatch.ts).
 */
export function fuzzTargets(iface: Interface): string[] {
  return [...fuzzDecoders(iface).map((d) => d.name), dispatchTargetName(iface)];
}

/** Where the harness of an interface goes (relative to the output directory). */
export function fuzzHarnessPath(iface: Interface): string {
  return `fuzz/${lowerIdent(iface.name)}_fuzz_gen.c`;
}

/** Bytes of an input before the message words: selector, flags, label, len, ncaps, caps, shm size,
 * then (used by the dispatch target) method and handler behaviour. */
export const FUZZ_HEADER_BYTES = 1 + 1 + 8 + 1 + 1 + 3 * 8 + 2 + 1 + 1;

/** Largest input a harness reads: header, every message word, the largest shared buffer. */
export function fuzzMaxLen(iface: Interface): number {
  return FUZZ_HEADER_BYTES + MSG_MAX_WORDS * WORD_BYTES + iface.shmBytes + 64;
}

/** One harness per interface. */
export function emitFuzzHarnesses(idl: IdlModel): GeneratedFile[] {
  return idl.interfaces.map((iface) => ({ path: fuzzHarnessPath(iface), text: emitFuzzHarness(iface, idl) }));
}

export function emitFuzzHarness(iface: Interface, idl: IdlModel): string {
  const p = new CPrinter();
  const prefix = lowerIdent(iface.name);
  const decoders = fuzzDecoders(iface);
  p.raw(banner(iface.file));
  p.comment(`libFuzzer harness for the ${decoders.length} decoders of interface ${iface.name} (include/${prefix}_gen.h) and its dispatcher.`);
  p.define("NG_FZ_SHM_MAX", `${iface.shmBytes + 64}u`, "largest shared buffer the harness hands a decoder");
  p.raw(FUZZ_PRELUDE);
  p.include(`${prefix}_gen.h`, false);
  p.blank();
  printFixHelpers(p, decoders, idl);
  for (const d of decoders) printDecoderCase(p, iface, d, idl);
  if (iface.methods.length > 0) printDispatchTarget(p, iface, idl);
  p.block("static const ng_fz_decoder_t ng_fz_decoders[] =", () => {
    for (const d of decoders) p.line(`{ "${d.name}", ng_fz_${d.name} },`);
    if (iface.methods.length > 0) p.line(`{ "${dispatchTargetName(iface)}", ng_fz_${dispatchTargetName(iface)} },`);
  }, ";");
  p.define("NG_FZ_NDECODERS", "(sizeof(ng_fz_decoders) / sizeof(ng_fz_decoders[0]))");
  p.staticAssert("NG_FZ_NDECODERS <= 256", "the selector byte picks one of at most 256 decoders");
  p.blank();
  p.raw(FUZZ_MAIN);
  return p.text();
}

function varFields(l: MessageLayout): PlacedField[] {
  return l.fields.filter((f) => f.placement.where === "var");
}

/** The statement that brings word `w` into the range of the scalar field's type. */
function scalarFixup(f: PlacedField, idl: IdlModel, w: string): string | undefined {
  const int = scalarInt(f.type, idl);
  if (!int) return undefined;
  if (f.type.kind === "enum") {
    const e = findEnum(idl, f.type.name);
    if (!e || e.members.length === 0) return undefined;
    const info = INT_INFO[e.base];
    const vals = e.members.map((m) => `(ng_word_t)${intLiteral(BigInt(m.value), info.signed, 64)}`);
    return `{ static const ng_word_t v[] = { ${vals.join(", ")} }; ${w} = v[${w} % ${vals.length}u]; }`;
  }
  if (int === "bool") return `${w} &= 1u;`;
  if (int === "char") return `${w} &= 0xffu;`;
  const info = INT_INFO[int];
  if (info.bits >= 64) return undefined;
  if (!info.signed) return `${w} &= ${info.bits === 32 ? "0xffffffffu" : `0x${((1 << info.bits) - 1).toString(16)}u`};`;
  return `${w} = (ng_word_t)(int64_t)(${info.c})${w};`;
}

/** `ng_fz_<msg>(c)`: one decoder's fuzz case, fix-ups, decode and invariant checks. */
function printDecoderCase(p: CPrinter, iface: Interface, d: FuzzDecoder, idl: IdlModel): void {
  const l = d.layout;
  const n = msgNames(iface, d.method, d.dir, l);
  const vars = varFields(l);
  const inline = hasVar(l) && !l.shm;
  const label = d.dir === "req" ? labelMacro(iface, d.method) : "NG_OK";
  const isRep = d.dir === "rep" ? 1 : 0;
  p.comment(`${iface.name}.${d.method.name} ${d.dir === "req" ? "request" : "reply"}: ${n.base}_decode`);
  printPrep(p, iface, d, idl);
  if (n.type) printEq(p, n.type, n.base, l);
  p.fn(`static void ng_fz_${n.base}(const ng_fz_case_t *c)`, () => {
    p.line("size_t want_len, shm_need;");
    p.line(`ng_fz_prep_${n.base}(ng_fz_mr, c->flags, &want_len, &shm_need);`);
    p.line("ng_msg_t m;");
    p.line(`ng_fz_setup(c, &m, ${label}, ${n.macro}_CAPS, want_len, shm_need);`);
    const outArg = n.type ? ", &out1" : "";
    if (n.type) {
      p.line(`${n.type} out1, out2, out3;`);
      p.line("memset(&out1, 0, sizeof(out1));");
      p.line("memset(&out2, 0xa5, sizeof(out2));");
      p.line("memset(&out3, 0x5a, sizeof(out3));");
    }
    p.line(`int rc = ${n.base}_decode(&m${outArg});`);
    p.line(`ng_fz_check_rc(&m, rc, ${isRep});`);
    p.line("ng_fz_tried[ng_fz_current]++;");
    p.line("ng_fz_accepted[ng_fz_current] += rc == NG_OK;");
    p.line("NG_FZ_CHECK(rc == NG_OK || !ng_fz_all_fixed(c)); /* a well-formed message is accepted */");
    p.line(`NG_FZ_CHECK(${n.base}_decode(&m${n.type ? ", &out2" : ""}) == rc);`);
    p.block("if (rc == NG_OK)", () => {
      p.line(`NG_FZ_CHECK(m.label == ${label} && m.ncaps == ${n.macro}_CAPS);`);
      if (inline) p.line(`NG_FZ_CHECK(m.len >= ${n.macro}_WORDS && m.len <= ${n.macro}_MAX_WORDS);`);
      else p.line(`NG_FZ_CHECK(m.len == ${n.macro}_WORDS);`);
      if (vars.length > 0) printViewChecks(p, n.macro, vars, l.shm);
      if (n.type) p.line(`NG_FZ_CHECK(ng_fz_eq_${n.base}(&out1, &out2, 1));`);
      p.line("ng_msg_t m2;");
      p.line("ng_fz_setup_copy(&m, &m2);");
      p.line(`NG_FZ_CHECK(${n.base}_encode(&m2${outArg}) == NG_OK);`);
      p.line("NG_FZ_CHECK(m2.label == m.label && m2.len == m.len && m2.ncaps == m.ncaps);");
      for (const f of l.fields) {
        const pl = f.placement;
        if (pl.where === "word" || pl.where === "var") p.line(`NG_FZ_CHECK(m2.mr[${pl.word}] == m.mr[${pl.word}]);`);
        else if (pl.where === "block") p.line(`NG_FZ_CHECK(memcmp(&m2.mr[${pl.word}], &m.mr[${pl.word}], ${pl.bytes}) == 0);`);
        else p.line(`NG_FZ_CHECK(m2.caps[${pl.cap}] == m.caps[${pl.cap}]);`);
      }
      p.line("ng_fz_poison_tail(&m2);");
      p.line(`NG_FZ_CHECK(${n.base}_decode(&m2${n.type ? ", &out3" : ""}) == NG_OK);`);
      if (n.type) p.line(`NG_FZ_CHECK(ng_fz_eq_${n.base}(&out1, &out3, 0));`);
      p.line("ng_fz_release(&m2);");
    });
    p.line("ng_fz_release(&m);");
  });
  p.blank();
}

/**
 * `ng_fz_prep_<msg>(w, flags, &want_len, &shm_need)`: the fix-ups the flags ask for on the
 * message words `w` (scalars into range, blocks valid, length words within bound and room), and
 * the len and shared-buffer size that the length words then need.
 */
export function printPrep(p: CPrinter, iface: Interface, d: FuzzDecoder, idl: IdlModel): void {
  const l = d.layout;
  const n = msgNames(iface, d.method, d.dir, l);
  const vars = varFields(l);
  const inline = hasVar(l) && !l.shm;
  const fixes = l.fields.map((f) => (f.placement.where === "word" ? scalarFixup(f, idl, `w[${f.placement.word}]`) : undefined));
  const blocks = l.fields.filter((f) => f.placement.where === "block" && needsCheck(f.type, idl));
  p.fn(`static void ng_fz_prep_${n.base}(ng_word_t *w, unsigned flags, size_t *want_len, size_t *shm_need)`, () => {
    if (vars.length === 0 && !fixes.some((x) => x) && blocks.length === 0) p.line("(void)w;");
    if (vars.length === 0 && !fixes.some((x) => x) && blocks.length === 0) p.line("(void)flags;");
    p.line(`*want_len = ${n.macro}_WORDS;`);
    p.line("*shm_need = 0;");
    if (fixes.some((x) => x) || blocks.length > 0) {
      p.block("if (flags & NG_FZ_FIX_SCALARS)", () => {
        fixes.forEach((x) => x && p.line(x));
        for (const f of blocks) {
          const pl = f.placement;
          if (pl.where !== "block") continue;
          p.line("{");
          p.indented(() => {
            p.line(`${cDecl(f.type, "tmp", "msg")};`);
            p.line(`memcpy(&tmp, &w[${pl.word}], ${pl.bytes});`);
            printFix(p, f.type, "tmp", idl);
            p.line(`memcpy(&w[${pl.word}], &tmp, ${pl.bytes});`);
          });
          p.line("}");
        }
      });
    }
    if (vars.length > 0) {
      p.block("if (flags & NG_FZ_FIX_VARS)", () => {
        if (inline) p.line(`size_t room = NG_MSG_MAX_WORDS - ${n.macro}_WORDS;`);
        for (const f of vars) {
          if (f.placement.where !== "var") continue;
          const w = `w[${f.placement.word}]`;
          p.line(`${w} %= ${f.placement.maxBytes}u + 1u;`);
          if (inline) {
            p.line(`if (ng_words_for(${w}) > room) ${w} = room * NG_WORD_BYTES;`);
            p.line(`room -= ng_words_for(${w});`);
            p.line(`*want_len += ng_words_for(${w});`);
          } else {
            p.line(`*shm_need = ng_shm_align(*shm_need) + ${w};`);
          }
        }
      });
    }
  });
}

/**
 * Every str/bytes view of `out1`: within its bound, where the wire format puts it (inline: from
 * the end of the fixed part, each on a word boundary, together filling the message; shm: from
 * offset 0, each 8-byte aligned, inside the buffer), and its length word says its length.
 */
function printViewChecks(p: CPrinter, macro: string, vars: PlacedField[], shm: boolean): void {
  if (shm) {
    p.line("NG_FZ_CHECK(m.shm != NULL);");
    p.line("size_t off = 0;");
  } else {
    p.line(`const uint8_t *pos = (const uint8_t *)&m.mr[${macro}_WORDS];`);
    p.line("const uint8_t *end = (const uint8_t *)&m.mr[m.len];");
  }
  for (const f of vars) {
    if (f.placement.where !== "var") continue;
    const v = `out1.${cIdent(f.name)}`;
    p.line(`NG_FZ_CHECK(${v}.len <= ${f.placement.maxBytes}u && ${v}.len == m.mr[${f.placement.word}]);`);
    if (shm) {
      p.line(`NG_FZ_CHECK(off <= m.shm_size && ${v}.len <= m.shm_size - off);`);
      p.line(`NG_FZ_CHECK((const uint8_t *)${v}.ptr == m.shm + off);`);
      p.line(`off = ng_shm_align(off + ${v}.len);`);
    } else {
      p.line(`NG_FZ_CHECK((const uint8_t *)${v}.ptr == pos && ${v}.len <= (size_t)(end - pos));`);
      p.line(`pos += ng_words_for(${v}.len) * NG_WORD_BYTES;`);
    }
  }
  if (!shm) p.line("NG_FZ_CHECK(pos == end);");
}

/** `ng_fz_eq_<msg>(a, b, same)`: field-wise equality; views by content (and address if same). */
function printEq(p: CPrinter, type: string, base: string, l: MessageLayout): void {
  p.fn(`static int ng_fz_eq_${base}(const ${type} *a, const ${type} *b, int same)`, () => {
    p.line("(void)same;");
    for (const f of l.fields) {
      const x = cIdent(f.name);
      if (f.placement.where === "var") {
        p.line(`if (a->${x}.len != b->${x}.len || (same && a->${x}.ptr != b->${x}.ptr)) return 0;`);
        p.line(`if (a->${x}.len != 0 && memcmp(a->${x}.ptr, b->${x}.ptr, a->${x}.len) != 0) return 0;`);
      } else {
        p.line(`if (memcmp(&a->${x}, &b->${x}, sizeof(a->${x})) != 0) return 0;`);
      }
    }
    p.line("return 1;");
  });
}

// ---------------------------------------------------------------------------------------------
// Fix-ups of blocks: make a struct or array pass its decoder's validity check (bool bytes 0/1,
// enum members, a NUL in every str<N>, bytes<N> lengths within N), so that the fuzzer gets past
// those checks into the rest of the decoder without having to guess them.

/** Enums and structs (inner ones first) that block fields of the decoders need fixed. */
function fixTargets(decoders: FuzzDecoder[], idl: IdlModel): { enums: string[]; structs: string[] } {
  const enums = new Set<string>();
  const structs: string[] = [];
  const visit = (t: TypeRef): void => {
    if (t.kind === "array") return visit(t.elem);
    if (t.kind === "enum") enums.add(t.name);
    if (t.kind !== "struct" || structs.includes(t.name) || !needsCheck(t, idl)) return;
    for (const f of findStruct(idl, t.name)?.fields ?? []) visit(f.type);
    structs.push(t.name);
  };
  for (const d of decoders) {
    for (const f of d.layout.fields) if (f.placement.where === "block") visit(f.type);
  }
  return { enums: [...enums].sort(), structs };
}

function printFixHelpers(p: CPrinter, decoders: FuzzDecoder[], idl: IdlModel): void {
  const { enums, structs } = fixTargets(decoders, idl);
  for (const qname of enums) {
    const e = findEnum(idl, qname);
    if (!e || e.members.length === 0) continue;
    const vals = e.members.map((m) => macroName(e.qname, m.name));
    p.line(`static const ${cTypeName(qname)} ng_fz_enum_${cBaseName(qname)}[] = { ${vals.join(", ")} };`);
  }
  if (enums.length > 0) p.blank();
  for (const qname of structs) {
    const s = findStruct(idl, qname)!;
    p.fn(`static void ng_fz_fix_${cBaseName(qname)}(${cTypeName(qname)} *v)`, () => {
      for (const f of s.fields) printFix(p, f.type, `v->${cIdent(f.name)}`, idl);
    });
    p.blank();
  }
}

/** Statements that make the value `lv` (plain-data context) valid, mirroring ctypes printCheck. */
function printFix(p: CPrinter, t: TypeRef, lv: string, idl: IdlModel, depth = 0): void {
  if (!needsCheck(t, idl)) return;
  switch (t.kind) {
    case "int":
      p.line(`*(uint8_t *)&${lv} &= 1u; /* bool */`);
      return;
    case "enum": {
      const e = findEnum(idl, t.name);
      if (!e || e.members.length === 0) return;
      const table = `ng_fz_enum_${cBaseName(t.name)}`;
      p.line(`${lv} = ${table}[(uint64_t)${lv} % (sizeof(${table}) / sizeof(${table}[0]))];`);
      return;
    }
    case "struct":
      p.line(`ng_fz_fix_${cBaseName(t.name)}(&${lv});`);
      return;
    case "str":
      p.line(`${lv}[${t.bound ?? 0}] = 0;`);
      return;
    case "bytes":
      p.line(`${lv}.len %= ${t.bound ?? 0}u + 1u;`);
      return;
    case "array": {
      const i = `i${depth}`;
      p.block(`for (size_t ${i} = 0; ${i} < ${t.length}; ${i}++)`, () => printFix(p, t.elem, `${lv}[${i}]`, idl, depth + 1));
      return;
    }
    default:
      return;
  }
}
