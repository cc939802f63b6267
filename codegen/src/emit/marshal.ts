// SPDX-License-Identifier: BSD-2-Clause
/**
 * Marshalling: for every request and reply, the C struct, its size constants, and static inline
 * encode/decode between the struct and an ng_msg_t, following the placement the IDL resolver
 * computed (PlacedField.placement; this module prints it, it never recomputes it).
 *
 *   IDL   rpc add(a: uint64, b: uint32) -> (sum: uint64);
 *   C     typedef struct echo_add_req { uint64_t a; uint32_t b; } echo_add_req_t;
 *         #define ECHO_ADD_LABEL 0x5e1c3u
 *         static inline int echo_add_req_encode(ng_msg_t *m, const echo_add_req_t *in)
 *         {
 *             m->mr[0] = (ng_word_t)in->a;
 *             m->mr[1] = (ng_word_t)in->b;
 *             m->label = ECHO_ADD_LABEL; m->len = 2; m->ncaps = 0;
 *             return NG_OK;
 *         }
 *         static inline int echo_add_req_decode(const ng_msg_t *m, echo_add_req_t *out)
 *         {   label, exact length, cap count; then each word, range-checked   }
 *
 * Encoders return NG_EBADMSG when a str/bytes length exceeds its bound or the room left (words
 * or shared buffer); fixed-size messages compile to plain stores. Decoders validate label,
 * length, cap count, every length against its bound, scalar ranges, bool 0/1, enum membership
 * and struct contents, write nothing but `out`, and return NG_OK or NG_EBADMSG. A reply decoder
 * returns the reply's error code when its label is not NG_OK. A message without fields has no
 * struct: its functions take only the message.
 */

import type { IdlModel, Interface, MessageLayout, Method, PlacedField } from "../model/idl.ts";
import { MSG_MAX_WORDS } from "../model/idl.ts";
import { CPrinter, cIdent, hexLiteral, lowerIdent, upperIdent } from "./cprinter.ts";
import { INT_INFO, cBaseName, cDecl, printCheck, scalarInt } from "./ctypes.ts";

export type Dir = "req" | "rep";

/** Names of one message's C artefacts. */
export interface MsgNames {
  /** `echo_add_req` */
  base: string;
  /** `echo_add_req_t`, or undefined when the message has no fields. */
  type?: string;
  /** `ECHO_ADD_REQ` */
  macro: string;
}

export function msgNames(iface: Interface, m: Method, dir: Dir, layout: MessageLayout): MsgNames {
  const base = `${lowerIdent(iface.name)}_${m.name}_${dir}`;
  return {
    base,
    type: layout.fields.length > 0 ? `${base}_t` : undefined,
    macro: upperIdent(iface.name, m.name, dir),
  };
}

export function labelMacro(iface: Interface, m: Method): string {
  return upperIdent(iface.name, m.name, "label");
}

export function hasVar(l: MessageLayout): boolean {
  return l.fields.some((f) => f.placement.where === "var");
}

/** Words a message can have, as the C checks it (never more than the IPC buffer holds). */
function maxWords(l: MessageLayout): number {
  return Math.min(l.maxWords, MSG_MAX_WORDS);
}

/** Label, size constants, struct and codec of one message. */
export function printMessage(p: CPrinter, iface: Interface, m: Method, dir: Dir, idl: IdlModel): void {
  const layout = dir === "req" ? m.request : m.reply;
  if (!layout) return;
  const n = msgNames(iface, m, dir, layout);
  p.define(`${n.macro}_WORDS`, `${layout.fixedWords}`, "fixed part");
  p.define(`${n.macro}_MAX_WORDS`, `${maxWords(layout)}`);
  p.define(`${n.macro}_CAPS`, `${layout.caps}`);
  if (layout.shm) p.define(`${n.macro}_SHM_BYTES`, `${layout.shmBytes}`, "shared buffer use, at most");
  p.staticAssert(`${n.macro}_WORDS <= NG_MSG_MAX_WORDS && ${n.macro}_CAPS <= NG_MSG_MAX_CAPS`, `${n.base}: does not fit a message`);
  if (n.type) {
    p.comment(`${dir === "req" ? "Arguments" : "Results"} of ${iface.name}.${m.name}.`);
    p.block(`typedef struct ${n.base}`, () => {
      for (const f of layout.fields) p.line(`${cDecl(f.type, cIdent(f.name), "msg")};`);
    }, ` ${n.type};`);
    for (const f of layout.fields) {
      const pl = f.placement;
      if (pl.where !== "block") continue;
      const member = `((${n.type} *)0)->${cIdent(f.name)}`;
      p.staticAssert(`sizeof(${member}) == ${pl.bytes} && ${pl.bytes} <= ${pl.words} * NG_WORD_BYTES`, `${n.base}.${f.name}: size differs from its placement`);
    }
  }
  p.blank();
  printEncode(p, iface, m, dir, layout, n, idl);
  p.blank();
  printDecode(p, iface, m, dir, layout, n, idl);
  p.blank();
}

function printEncode(p: CPrinter, iface: Interface, m: Method, dir: Dir, l: MessageLayout, n: MsgNames, idl: IdlModel): void {
  const params = n.type ? `ng_msg_t *m, const ${n.type} *in` : "ng_msg_t *m";
  const vars = l.fields.filter((f) => f.placement.where === "var");
  p.fn(`static inline int ${n.base}_encode(${params})`, () => {
    // Checks first: a rejected message leaves the words as they were.
    for (const f of vars) {
      const pl = f.placement;
      if (pl.where !== "var") continue;
      p.line(`if (in->${cIdent(f.name)}.len > ${pl.maxBytes}u) return NG_EBADMSG;`);
    }
    // Several payloads may each be as large as the room left (unbounded str/bytes): their sum
    // must still fit the message.
    const worst = vars.reduce((n, f) => n + (f.placement.where === "var" ? Math.ceil(f.placement.maxBytes / 8) : 0), 0);
    if (vars.length > 0 && !l.shm && l.fixedWords + worst > MSG_MAX_WORDS) {
      const sum = vars.map((f) => `ng_words_for(in->${cIdent(f.name)}.len)`).join(" + ");
      p.line(`if (${sum} > NG_MSG_MAX_WORDS - ${n.macro}_WORDS) return NG_EBADMSG;`);
    }
    if (vars.length > 0 && l.shm) {
      p.line("size_t end = 0;");
      for (const f of vars) p.line(`end = ng_shm_align(end) + in->${cIdent(f.name)}.len;`);
      p.line("if (m->shm == NULL || end > m->shm_size) return NG_EBADMSG;");
    }
    for (const f of l.fields) printEncodeField(p, f, idl);
    if (vars.length > 0) {
      p.line(l.shm ? "size_t off = 0;" : `size_t pos = ${n.macro}_WORDS;`);
      vars.forEach((f, i) => {
        const v = `in->${cIdent(f.name)}`;
        if (l.shm) {
          // memmove: a reply may hand back bytes of the request that sit in the same buffer.
          p.block(`if (${v}.len != 0)`, () => p.line(`memmove(m->shm + off, ${v}.ptr, ${v}.len);`));
          if (i < vars.length - 1) p.line(`off = ng_shm_align(off + ${v}.len);`);
        } else {
          p.line(`pos = ng_msg_put_payload(m, pos, ${v}.ptr, ${v}.len);`);
        }
      });
    }
    p.line(`m->label = ${dir === "req" ? labelMacro(iface, m) : "NG_OK"};`);
    p.line(`m->len = ${vars.length > 0 && !l.shm ? "(unsigned)pos" : `${n.macro}_WORDS`};`);
    p.line(`m->ncaps = ${n.macro}_CAPS;`);
    p.line("return NG_OK;");
  });
}

/** The word that carries a `word`-placed field whose value is the C expression `v`. */
export function wordEncodeExpr(f: PlacedField, idl: IdlModel, v: string): string {
  const int = scalarInt(f.type, idl) ?? "uint64";
  if (int === "bool") return `(ng_word_t)(${v} ? 1 : 0)`;
  if (int === "char") return `(ng_word_t)(unsigned char)${v}`;
  if (INT_INFO[int].signed) return `(ng_word_t)(int64_t)${v}`; // sign-extended
  return `(ng_word_t)${v}`;
}

function printEncodeField(p: CPrinter, f: PlacedField, idl: IdlModel): void {
  const v = `in->${cIdent(f.name)}`;
  const pl = f.placement;
  switch (pl.where) {
    case "word":
      p.line(`m->mr[${pl.word}] = ${wordEncodeExpr(f, idl, v)};`);
      return;
    case "block":
      if (pl.bytes % 8 !== 0) p.line(`m->mr[${pl.word + pl.words - 1}] = 0;`);
      p.line(`memcpy(&m->mr[${pl.word}], &${v}, ${pl.bytes});`);
      return;
    case "var":
      p.line(`m->mr[${pl.word}] = (ng_word_t)${v}.len;`);
      return;
    case "cap":
      p.line(`m->caps[${pl.cap}] = ${v};`);
      return;
  }
}

function printDecode(p: CPrinter, iface: Interface, m: Method, dir: Dir, l: MessageLayout, n: MsgNames, idl: IdlModel): void {
  const params = n.type ? `const ng_msg_t *m, ${n.type} *out` : "const ng_msg_t *m";
  const inline = hasVar(l) && !l.shm;
  p.fn(`static inline int ${n.base}_decode(${params})`, () => {
    if (dir === "rep") {
      p.line("if (m->label != NG_OK) return ng_reply_error(m);");
    } else {
      p.line(`if (m->label != ${labelMacro(iface, m)}) return NG_EBADMSG;`);
    }
    p.line(`if (m->ncaps != ${n.macro}_CAPS) return NG_EBADMSG;`);
    if (inline) {
      p.line(`if (m->len < ${n.macro}_WORDS || m->len > ${n.macro}_MAX_WORDS) return NG_EBADMSG;`);
    } else {
      p.line(`if (m->len != ${n.macro}_WORDS) return NG_EBADMSG;`);
    }
    for (const f of l.fields) printDecodeField(p, f, idl);
    const vars = l.fields.filter((f) => f.placement.where === "var");
    if (vars.length > 0) {
      p.line("ng_word_t len;");
      p.line(l.shm ? "size_t off = 0;" : `size_t pos = ${n.macro}_WORDS;`);
      vars.forEach((f, i) => {
        const pl = f.placement;
        if (pl.where !== "var") return;
        const v = `out->${cIdent(f.name)}`;
        const ptrType = f.type.kind === "str" ? "const char *" : "const uint8_t *";
        p.line(`len = m->mr[${pl.word}];`);
        if (l.shm) {
          p.line(`if (len > ${pl.maxBytes}u || m->shm == NULL || off > m->shm_size || len > m->shm_size - off) return NG_EBADMSG;`);
          p.line(`${v}.ptr = (${ptrType})(m->shm + off);`);
          p.line(`${v}.len = (size_t)len;`);
          if (i < vars.length - 1) p.line(`off = ng_shm_align(off + (size_t)len);`);
        } else {
          p.line(`if (len > ${pl.maxBytes}u || ng_words_for((size_t)len) > m->len - pos) return NG_EBADMSG;`);
          p.line(`${v}.ptr = (${ptrType})&m->mr[pos];`);
          p.line(`${v}.len = (size_t)len;`);
          p.line(`pos += ng_words_for((size_t)len);`);
        }
      });
      if (inline) p.line("if (pos != m->len) return NG_EBADMSG;");
    }
    p.line("return NG_OK;");
  });
}

/** Range check of a word holding a scalar of the given integer type; undefined: none needed. */
export function wordRangeFail(int: string, w: string): string | undefined {
  if (int === "bool") return `${w} > 1`;
  if (int === "char") return `${w} > 0xffu`;
  const info = INT_INFO[int as keyof typeof INT_INFO];
  if (info.bits >= 64) return undefined;
  if (!info.signed) return `${w} > UINT${info.bits}_MAX`;
  return `(int64_t)${w} < INT${info.bits}_MIN || (int64_t)${w} > INT${info.bits}_MAX`;
}

/**
 * Decode a `word`-placed field from the word expression `w` into the lvalue `v`: the range check
 * of its integer type (bool 0/1, enum membership included), then the assignment; `fail` is the
 * statement run for a bad value (`return NG_EBADMSG;` in a decoder, `break;` in the serve
 * loop's fast path).
 */
export function printWordDecode(p: CPrinter, f: PlacedField, idl: IdlModel, w: string, v: string, fail: string): void {
  const int = scalarInt(f.type, idl) ?? "uint64";
  const range = wordRangeFail(int, w);
  if (range) p.line(`if (${range}) ${fail}`);
  const info = INT_INFO[int];
  if (f.type.kind === "enum") {
    const tn = `${cBaseName(f.type.name)}_t`;
    const val = info.signed ? `(${tn})(int64_t)${w}` : `(${tn})${w}`;
    p.line(`if (!${cBaseName(f.type.name)}_valid(${val})) ${fail}`);
    p.line(`${v} = ${val};`);
  } else if (int === "bool") {
    p.line(`${v} = ${w} != 0;`);
  } else if (int === "char") {
    p.line(`${v} = (char)(unsigned char)${w};`);
  } else {
    p.line(`${v} = ${info.signed ? `(${info.c})(int64_t)${w}` : `(${info.c})${w}`};`);
  }
}

function printDecodeField(p: CPrinter, f: PlacedField, idl: IdlModel): void {
  const v = `out->${cIdent(f.name)}`;
  const pl = f.placement;
  switch (pl.where) {
    case "word":
      printWordDecode(p, f, idl, `m->mr[${pl.word}]`, v, "return NG_EBADMSG;");
      return;
    case "block":
      p.line(`memcpy(&${v}, &m->mr[${pl.word}], ${pl.bytes});`);
      printCheck(p, f.type, v, idl, "return NG_EBADMSG;");
      return;
    case "var":
      return; // after the fixed part: see printDecode
    case "cap":
      p.line(`${v} = m->caps[${pl.cap}];`);
      return;
  }
}

/** The message constants of an interface: label per method. */
export function printLabels(p: CPrinter, iface: Interface): void {
  for (const m of iface.methods) p.define(labelMacro(iface, m), hexLiteral(m.label), `${m.kind} ${m.name}`);
  p.blank();
}
