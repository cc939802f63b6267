// SPDX-License-Identifier: BSD-2-Clause
/**
 * Client stubs: `<iface>_client_gen.h`, one static inline function per method over <neptune/ipc.h>.
 *
 *   IDL   rpc add(a: uint64, b: uint64) -> (sum: uint64);
 *         oneway log(msg: str<64>);
 *   C     typedef struct echo_client { ng_cptr_t ep; uint8_t *shm; size_t shm_size; } echo_client_t;
 *         static inline int echo_add(const echo_client_t *c, uint64_t a, uint64_t b, uint64_t *sum);
 *         static inline int echo_log(const echo_client_t *c, ng_str_t msg);
 *
 * Every stub takes the interface's client context (the endpoint cap from the layout, plus the
 * shared buffer the layout maps for this client when a method of the interface needs one; a
 * uniform signature whether or not this method does). Arguments are passed by value (structs by
 * const pointer, arrays as arrays); results come back through out-pointers, each of which may be
 * NULL to ignore it. The stub encodes straight into the thread's message words (ng_msg_start),
 * calls, and returns NG_OK, the server's error code, NG_EIPC (transport) or NG_EBADMSG (an
 * argument over its bound, or a malformed reply). str/bytes results are views into the IPC buffer
 * (or shared buffer), valid until this thread's next IPC. Oneway stubs send and return.
 */

import type { Field, IdlModel, Interface, Method } from "../model/idl.ts";
import { banner, type GeneratedFile } from "./files.ts";
import { CPrinter, cIdent, lowerIdent } from "./cprinter.ts";
import { cArraySuffix, cScalarType } from "./ctypes.ts";
import { labelMacro, msgNames } from "./marshal.ts";

/** Names the stub itself uses; a field with one of them gets a trailing underscore. */
const STUB_LOCALS = new Set(["c", "m", "req", "rep", "err"]);

/**
 * The C parameter names of a method's stub, distinct from each other and from the stub's
 * locals: an argument keeps its name (`c` → `c_`, as often as needed); a result too, or becomes
 * `<name>_out` when an argument has its name.
 */
export function stubParamNames(m: Method): { args: string[]; results: string[] } {
  const taken = new Set(STUB_LOCALS);
  const claim = (n: string): string => {
    while (taken.has(n)) n += "_";
    taken.add(n);
    return n;
  };
  const args = m.args.map((a) => claim(cIdent(a.name)));
  const results = m.results.map((r) => {
    const n = cIdent(r.name);
    const wanted = STUB_LOCALS.has(n) ? `${n}_` : n;
    return claim(taken.has(wanted) ? `${n}_out` : wanted);
  });
  return { args, results };
}

export function clientType(iface: Interface): string {
  return `${lowerIdent(iface.name)}_client_t`;
}

function argParam(f: Field, n: string): string {
  const t = f.type;
  if (t.kind === "array") return `const ${cScalarType(t, "msg")} ${n}${cArraySuffix(t, "msg")}`;
  if (t.kind === "struct") return `const ${cScalarType(t, "msg")} *${n}`;
  return `${cScalarType(t, "msg")} ${n}`;
}

function resultParam(f: Field, n: string): string {
  const t = f.type;
  if (t.kind === "array") return `${cScalarType(t, "msg")} ${n}${cArraySuffix(t, "msg")}`;
  return `${cScalarType(t, "msg")} *${n}`;
}

/** The stub's prototype (also used in docs and tests). */
export function stubPrototype(iface: Interface, m: Method): string {
  const names = stubParamNames(m);
  const params = [`const ${clientType(iface)} *c`, ...m.args.map((f, i) => argParam(f, names.args[i])), ...m.results.map((f, i) => resultParam(f, names.results[i]))];
  return `static inline int ${lowerIdent(iface.name)}_${m.name}(${params.join(", ")})`;
}

function printStub(p: CPrinter, iface: Interface, m: Method): void {
  const req = msgNames(iface, m, "req", m.request);
  const rep = m.reply ? msgNames(iface, m, "rep", m.reply) : undefined;
  const usesShm = m.request.shm || (m.reply?.shm ?? false);
  const names = stubParamNames(m);
  p.doc(m.doc);
  p.fn(stubPrototype(iface, m), () => {
    p.line("ng_msg_t m;");
    if (req.type) p.line(`${req.type} req;`);
    if (rep?.type) p.line(`${rep.type} rep;`);
    p.line("int err;");
    p.blank();
    for (const [i, f] of m.args.entries()) {
      const n = names.args[i];
      const member = `req.${cIdent(f.name)}`;
      if (f.type.kind === "array") p.line(`memcpy(${member}, ${n}, sizeof(${member}));`);
      else if (f.type.kind === "struct") p.line(`${member} = *${n};`);
      else p.line(`${member} = ${n};`);
    }
    p.line(`ng_msg_start(&m, ${labelMacro(iface, m)});`);
    if (usesShm) p.line("ng_msg_set_shm(&m, c->shm, c->shm_size);");
    p.line(`err = ${req.base}_encode(&m${req.type ? ", &req" : ""});`);
    p.line("if (err != NG_OK) return err;");
    if (m.kind === "oneway") {
      p.line("return ng_send(c->ep, &m);");
      return;
    }
    p.line("err = ng_call(c->ep, &m);");
    p.line("if (err != NG_OK) return err;");
    if (m.reply?.shm) p.line("ng_msg_set_shm(&m, c->shm, c->shm_size);");
    p.line(`err = ${rep!.base}_decode(&m${rep!.type ? ", &rep" : ""});`);
    p.line("if (err != NG_OK) return err;");
    for (const [i, f] of m.results.entries()) {
      const n = names.results[i];
      const member = `rep.${cIdent(f.name)}`;
      if (f.type.kind === "array") p.line(`if (${n} != NULL) memcpy(${n}, ${member}, sizeof(${member}));`);
      else p.line(`if (${n} != NULL) *${n} = ${member};`);
    }
    p.line("return NG_OK;");
  });
  p.blank();
}

export function emitClientHeader(iface: Interface, _idl: IdlModel): GeneratedFile {
  const p = new CPrinter();
  const prefix = lowerIdent(iface.name);
  p.raw(banner(iface.file));
  p.comment(`Client stubs of interface ${iface.name}: see ${prefix}_gen.h for the types.`);
  p.line("#pragma once");
  p.blank();
  p.include("neptune/ipc.h");
  p.include(`${prefix}_gen.h`, false);
  p.blank();
  p.doc(
    `How a client reaches ${iface.name}: its endpoint cap and, for methods whose payload travels in\n` +
      `shared memory, the buffer the layout maps for this client (NULL/0 when none).`,
  );
  p.block(`typedef struct ${prefix}_client`, () => {
    p.line("ng_cptr_t ep;");
    p.line("uint8_t *shm;");
    p.line("size_t shm_size;");
  }, ` ${clientType(iface)};`);
  p.blank();
  for (const m of iface.methods) printStub(p, iface, m);
  return { path: `include/${prefix}_client_gen.h`, text: p.text() };
}
