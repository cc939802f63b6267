// SPDX-License-Identifier: BSD-2-Clause
/**
 * Server side of an interface: `<iface>_server_gen.h` with the ops table handlers fill in, the
 * dispatcher, and the senders of deferred replies.
 *
 *   IDL   rpc add(a: uint64, b: uint64) -> (sum: uint64) raises (overflow);
 *         oneway log(msg: str<64>);
 *   C     typedef struct echo_ops {
 *             int (*add)(void *ctx, ng_call_t *call, const echo_add_req_t *req, echo_add_rep_t *rep);
 *             void (*log)(void *ctx, ng_call_t *call, const echo_log_req_t *req);
 *         } echo_ops_t;
 *         static inline int echo_dispatch(const echo_ops_t *ops, void *ctx, ng_call_t *call);
 *         static inline int echo_add_reply(ng_server_t *s, ng_reply_t r, int err,
 *                                          const echo_add_rep_t *rep);
 *
 * echo_dispatch returns NG_DISPATCH_NONE (0) when the label is not echo's, otherwise
 * NG_DISPATCH_REPLY (call->msg holds the reply) or NG_DISPATCH_NOREPLY (oneway, or the handler
 * deferred). It decodes (validate, no side effects) before it calls a handler (perform): a
 * malformed request gets NG_EBADMSG (so does a received cap of another kind than its declared
 * `endpoint` or `notification`, ng_cap_is), a NULL handler NG_ENOSYS, an error the rpc does not raise
 * NG_EINTERNAL (generic codes below NG_ERR_USER_BASE always pass), and a reply that cannot be
 * encoded NG_EINTERNAL. A handler defers by saving the reply (ng_reply_save(call->server, &r))
 * and returning NG_DEFERRED; it answers later with echo_add_reply(), whose str/bytes results
 * must then point to the handler's own memory. A handler may return views into the request
 * (echo a string back): the dispatcher decodes such requests from a copy of the words, and a
 * shared-buffer reply is moved with memmove (safe when each result starts at or after its own
 * offset in the buffer, as an echo does).
 */

import type { IdlModel, Interface, MessageLayout, Method } from "../model/idl.ts";
import { banner, type GeneratedFile } from "./files.ts";
import { CPrinter, cIdent, lowerIdent, upperIdent } from "./cprinter.ts";
import { hasVar, labelMacro, msgNames, printWordDecode, wordEncodeExpr } from "./marshal.ts";

export function opsType(iface: Interface): string {
  return `${lowerIdent(iface.name)}_ops_t`;
}

function handlerMember(iface: Interface, m: Method): string {
  const req = msgNames(iface, m, "req", m.request);
  const params = ["void *ctx", "ng_call_t *call"];
  if (req.type) params.push(`const ${req.type} *req`);
  if (m.kind === "oneway") return `void (*${cIdent(m.name)})(${params.join(", ")});`;
  const rep = msgNames(iface, m, "rep", m.reply!);
  if (rep.type) params.push(`${rep.type} *rep`);
  return `int (*${cIdent(m.name)})(${params.join(", ")});`;
}

export function errMacro(iface: Interface, name: string): string {
  return upperIdent(iface.name, "err", name);
}

/** `<iface>_<m>_raises(err)`: 1 if the rpc may answer with err. */
function printRaises(p: CPrinter, iface: Interface, m: Method): void {
  const names = m.raises.length > 0 ? m.raises : iface.errors.map((e) => e.name);
  const known = names.filter((n) => iface.errors.some((e) => e.name === n));
  p.fn(`static inline int ${lowerIdent(iface.name)}_${m.name}_raises(int err)`, () => {
    p.line("if (err > NG_OK && err < NG_ERR_USER_BASE) return 1;");
    if (known.length === 0) {
      p.line("return 0;");
      return;
    }
    p.block("switch (err)", () => {
      for (const n of known) p.line(`case ${errMacro(iface, n)}:`);
      p.indented(() => p.line("return 1;"));
      p.line("default:");
      p.indented(() => p.line("return 0;"));
    });
  });
  p.blank();
}

/** `ng_cap_is(req.<f>, NG_CAP_…)` for every request cap declared `endpoint` or `notification`. */
function capKindChecks(m: Method): string[] {
  const kinds: Partial<Record<string, string>> = { endpoint: "NG_CAP_ENDPOINT", notification: "NG_CAP_NOTIFICATION" };
  const out: string[] = [];
  for (const f of m.request.fields) {
    if (f.placement.where !== "cap" || f.type.kind !== "cap") continue;
    const k = kinds[f.type.cap];
    if (k) out.push(`ng_cap_is(req.${cIdent(f.name)}, ${k})`);
  }
  return out;
}

function printMethodDispatch(p: CPrinter, iface: Interface, m: Method): void {
  const prefix = lowerIdent(iface.name);
  const req = msgNames(iface, m, "req", m.request);
  const op = `ops->${cIdent(m.name)}`;
  p.fn(`static inline int ${prefix}_${m.name}_dispatch(const ${opsType(iface)} *ops, void *ctx, ng_call_t *call)`, () => {
    p.line("ng_msg_t *m = call->msg;");
    if (req.type) p.line(`${req.type} req;`);
    const reqArg = req.type ? ", &req" : "";
    const kinds = capKindChecks(m);
    if (m.kind === "oneway") {
      const ok = [`${req.base}_decode(m${reqArg}) == NG_OK`, ...kinds, `${op} != NULL`];
      p.block(`if (${ok.join(" && ")})`, () => p.line(`${op}(ctx, call${reqArg});`));
      p.line("return NG_DISPATCH_NOREPLY;");
      return;
    }
    const rep = msgNames(iface, m, "rep", m.reply!);
    if (rep.type) p.line(`${rep.type} rep;`);
    p.line("int err;");
    // Results that may be views into the request must not be overwritten while the reply is
    // encoded into the same words: decode such requests from a copy.
    const copy = hasVar(m.request) && !m.request.shm && hasVar(m.reply!);
    let src = "m";
    if (copy) {
      p.line(`ng_word_t words[${req.macro}_MAX_WORDS];`);
      p.line("ng_msg_t in = *m;");
      p.line(`if (in.len <= ${req.macro}_MAX_WORDS) memcpy(words, m->mr, in.len * sizeof(ng_word_t));`);
      p.line("in.mr = words;");
      src = "&in";
    }
    p.blank();
    p.block(`if (${op} == NULL)`, () => {
      p.line("ng_msg_set_error(m, NG_ENOSYS);");
      p.line("return NG_DISPATCH_REPLY;");
    });
    p.line(`err = ${req.base}_decode(${src}${reqArg});`);
    if (kinds.length > 0) {
      p.comment("A received cap of another kind than declared is a malformed request.");
      p.line(`if (err == NG_OK && !(${kinds.join(" && ")})) err = NG_EBADMSG;`);
    }
    p.block("if (err == NG_OK)", () => {
      if (rep.type) p.line("memset(&rep, 0, sizeof(rep));");
      p.line(`err = ${op}(ctx, call${reqArg}${rep.type ? ", &rep" : ""});`);
      p.line("if (err == NG_DEFERRED) return NG_DISPATCH_NOREPLY;");
      p.block("if (err == NG_OK)", () => {
        p.line(`if (${rep.base}_encode(m${rep.type ? ", &rep" : ""}) == NG_OK) return NG_DISPATCH_REPLY;`);
        p.line("err = NG_EINTERNAL;");
      }, ` else if (!${prefix}_${m.name}_raises(err)) {`);
      p.indented(() => p.line("err = NG_EINTERNAL;"));
      p.line("}");
    });
    p.line("ng_msg_set_error(m, err);");
    p.line("return NG_DISPATCH_REPLY;");
  });
  p.blank();
}

function printDeferredReply(p: CPrinter, iface: Interface, m: Method): void {
  const prefix = lowerIdent(iface.name);
  const rep = msgNames(iface, m, "rep", m.reply!);
  const params = ["ng_server_t *s", "ng_reply_t r", "int err"];
  if (rep.type) params.push(`const ${rep.type} *rep`);
  if (m.reply!.shm) params.push("uint8_t *shm", "size_t shm_size");
  p.doc(
    `Answer a deferred ${iface.name}.${m.name}: err = NG_OK sends ${rep.type ? "*rep" : "an empty reply"}, ` +
      `anything else that error.${m.reply!.shm ? "\nshm: the caller's shared buffer (its badge's, from the server wrapper)." : ""}`,
  );
  p.fn(`static inline int ${prefix}_${m.name}_reply(${params.join(", ")})`, () => {
    p.line("ng_msg_t m;");
    p.line("ng_msg_start(&m, NG_OK);");
    if (m.reply!.shm) p.line("ng_msg_set_shm(&m, shm, shm_size);");
    p.block("if (err == NG_OK)", () => {
      p.line(`if (${rep.base}_encode(&m${rep.type ? ", rep" : ""}) != NG_OK) err = NG_EINTERNAL;`);
    }, ` else if (!${prefix}_${m.name}_raises(err)) {`);
    p.indented(() => p.line("err = NG_EINTERNAL;"));
    p.line("}");
    p.line("if (err != NG_OK) ng_msg_set_error(&m, err);");
    p.line("return ng_reply_send(s, r, &m);");
  });
  p.blank();
}

export function emitServerHeader(iface: Interface, _idl: IdlModel): GeneratedFile {
  const p = new CPrinter();
  const prefix = lowerIdent(iface.name);
  p.raw(banner(iface.file));
  p.comment(`Server side of interface ${iface.name}: ops table, dispatch, deferred replies.`);
  p.line("#pragma once");
  p.blank();
  p.include("neptune/ipc.h");
  p.include(`${prefix}_gen.h`, false);
  p.blank();
  p.doc(`Handlers of ${iface.name}; a NULL handler answers NG_ENOSYS.`);
  p.block(`typedef struct ${prefix}_ops`, () => {
    for (const m of iface.methods) {
      p.doc(m.doc);
      p.line(handlerMember(iface, m));
    }
    if (iface.methods.length === 0) p.line("int unused; /* interface without methods */");
  }, ` ${opsType(iface)};`);
  p.blank();
  for (const m of iface.methods) {
    if (m.kind === "rpc") printRaises(p, iface, m);
    printMethodDispatch(p, iface, m);
  }
  p.doc(
    `Handle call->msg if its label is one of ${iface.name}'s: NG_DISPATCH_REPLY (the reply is in\n` +
      `call->msg), NG_DISPATCH_NOREPLY (oneway or deferred) or NG_DISPATCH_NONE (not ${iface.name}'s).`,
  );
  p.fn(`static inline int ${prefix}_dispatch(const ${opsType(iface)} *ops, void *ctx, ng_call_t *call)`, () => {
    if (iface.methods.length === 0) p.line("(void)ops;").line("(void)ctx;");
    p.block("switch (call->msg->label)", () => {
      for (const m of iface.methods) {
        p.line(`case ${labelMacro(iface, m)}:`);
        p.indented(() => p.line(`return ${prefix}_${m.name}_dispatch(ops, ctx, call);`));
      }
      p.line("default:");
      p.indented(() => p.line("return NG_DISPATCH_NONE;"));
    });
  });
  p.blank();
  for (const m of iface.methods) if (m.kind === "rpc") printDeferredReply(p, iface, m);
  return { path: `include/${prefix}_server_gen.h`, text: p.text() };
}

/** Words of a message the register fast path carries: scalars only (`word`), no caps, <= 4. */
function fastLayout(l: MessageLayout): boolean {
  return !l.shm && l.caps === 0 && l.maxWords <= 4 && l.fields.every((f) => f.placement.where === "word" && f.placement.word < 4);
}

/**
 * A method the serve loop answers on the register fast path (ng_recv_fast): its request, and
 * for an rpc its reply, are a few scalar words and no caps.
 */
export function isFastMethod(m: Method): boolean {
  return fastLayout(m.request) && (m.kind === "oneway" || (m.reply !== undefined && fastLayout(m.reply)));
}

/**
 * One `case` of the serve loop's fast path: the request is the tag plus the words w[0..3] (in
 * registers on seL4 AArch64). Decodes with the decoder's checks, calls the handler (call->msg
 * is NULL), and answers from the words with the dispatcher's rules. Anything it does not answer
 * (no handler, a bad value) leaves the switch with `break` for the generic path, which answers
 * as echo_dispatch would (NG_ENOSYS, NG_EBADMSG).
 *
 *   case NG_FAST_TAG(ECHO_ADD_LABEL, ECHO_ADD_REQ_WORDS): {
 *       …decode w[0], w[1] into req…
 *       err = ops->echo->add(ctx, &call, &req, &rep);
 *       if (err == NG_OK) { w[0] = (ng_word_t)rep.sum;
 *                           tag = ng_reply_recv_fast(s, NG_FAST_TAG(NG_OK, ECHO_ADD_REP_WORDS), w, &badge);
 *                           continue; }
 *       …NG_DEFERRED: only receive; an error: checked against add's raises, then replied…
 *   }
 *
 * `ops` is the C expression of the interface's ops table (`ops->echo`); the loop declares
 * `s`, `ctx`, `w`, `tag`, `badge` and `err`.
 */
export function printFastCase(p: CPrinter, iface: Interface, m: Method, idl: IdlModel, ops: string): void {
  const prefix = lowerIdent(iface.name);
  const req = msgNames(iface, m, "req", m.request);
  const op = `${ops}->${cIdent(m.name)}`;
  p.line(`case NG_FAST_TAG(${labelMacro(iface, m)}, ${req.macro}_WORDS): {`);
  p.indented(() => {
    if (req.type) p.line(`${req.type} req;`);
    const rep = m.kind === "rpc" ? msgNames(iface, m, "rep", m.reply!) : undefined;
    if (rep?.type) p.line(`${rep.type} rep;`);
    p.line(`if (${ops} == NULL || ${op} == NULL) break;`);
    for (const f of m.request.fields) {
      if (f.placement.where !== "word") continue;
      printWordDecode(p, f, idl, `w[${f.placement.word}]`, `req.${cIdent(f.name)}`, "break;");
    }
    // A call record of the case's own: once the handler is inlined nothing needs it in memory.
    p.line("ng_call_t fcall = { .badge = badge, .msg = NULL, .server = s };");
    const reqArg = req.type ? ", &req" : "";
    if (!rep) {
      p.line(`${op}(ctx, &fcall${reqArg});`);
      // A caller that sent the oneway with call gets an error reply (a send has no caller: the
      // transport skips the reply), instead of waiting for good.
      p.line("tag = ng_reply_recv_fast(s, NG_FAST_TAG(NG_EBADMSG, 0), w, &badge);");
      p.line("continue;");
      return;
    }
    if (rep.type) p.line("memset(&rep, 0, sizeof(rep));");
    p.line(`err = ${op}(ctx, &fcall${reqArg}${rep.type ? ", &rep" : ""});`);
    p.block("if (err == NG_OK)", () => {
      for (const f of m.reply!.fields) {
        if (f.placement.where !== "word") continue;
        p.line(`w[${f.placement.word}] = ${wordEncodeExpr(f, idl, `rep.${cIdent(f.name)}`)};`);
      }
      p.line(`tag = ng_reply_recv_fast(s, NG_FAST_TAG(NG_OK, ${rep.macro}_WORDS), w, &badge);`);
      p.line("continue;");
    });
    p.block("if (err == NG_DEFERRED)", () => {
      // Saved: no caller left to answer. Not saved: its caller gets an error, not a hang.
      p.line("tag = ng_reply_recv_fast(s, NG_FAST_TAG(NG_EBADMSG, 0), w, &badge);");
      p.line("continue;");
    });
    p.line(`if (!${prefix}_${m.name}_raises(err)) err = NG_EINTERNAL;`);
    p.line("tag = ng_reply_recv_fast(s, NG_FAST_TAG(err, 0), w, &badge);");
    p.line("continue;");
  });
  p.line("}");
}
