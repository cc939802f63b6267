// SPDX-License-Identifier: BSD-2-Clause
/**
 * The dispatch target of a fuzz harness (emit/fuzz.ts): `<iface>_dispatch` of
 * `include/<iface>_server_gen.h` driven with the same hostile requests as the decoders, and a
 * handler whose behaviour the input picks, checking that the server side answers as
 * server.ts promises.
 *
 *   IDL   rpc echo_str(s: str<256>) -> (s: str<256>);
 *   C     static int ng_fz_h_echo_echo_str(void *ctx, ng_call_t *call,
 *                                          const echo_echo_str_req_t *req, echo_echo_str_rep_t *rep)
 *         {   check *req is what the request decodes to; return an error, or results (a
 *             well-formed reply decoded from the input, or views into the request: an echo)   }
 *         static void ng_fz_disp_echo_echo_str(const ng_fz_case_t *c)
 *         {   build the request, run echo_dispatch, check the outcome   }
 *
 * The promises: a label of none of the interface's methods gives NG_DISPATCH_NONE; a oneway gives
 * NG_DISPATCH_NOREPLY, its handler run iff the request decodes; an rpc without handler answers
 * NG_ENOSYS, a malformed request NG_EBADMSG (handler not run), the handler's error if the rpc
 * raises it (or it is generic, 1..15), NG_EINTERNAL for any other error or for results that do
 * not encode (checked on a scratch message), nothing for NG_DEFERRED; otherwise the reply
 * decodes to exactly the results the handler returned, even when they are views into the
 * request (the reply is written over the request's words and shared buffer). Error replies
 * carry no words and no caps. The handler sees exactly what the request decoder gives.
 */

import type { IdlModel, Interface, Method } from "../model/idl.ts";
import { CPrinter, cIdent, hexLiteral, lowerIdent } from "./cprinter.ts";
import { labelMacro, msgNames } from "./marshal.ts";

/** The name of an interface's dispatch target (NG_FUZZ_DECODER takes it too). */
export function dispatchTargetName(iface: Interface): string {
  return `${lowerIdent(iface.name)}_dispatch`;
}

/** The C of the dispatch target; expects the decoder cases (prep and eq functions) before it. */
export function printDispatchTarget(p: CPrinter, iface: Interface, idl: IdlModel): void {
  const prefix = lowerIdent(iface.name);
  p.comment(`Dispatch: ${prefix}_dispatch with a handler the input steers.`);
  p.include(`${prefix}_server_gen.h`, false);
  p.blank();
  p.raw(DISPATCH_COMMON);
  p.blank();
  printCheckOther(p, iface);
  for (const m of iface.methods) printMethod(p, iface, m, idl);
  p.fn(`static void ng_fz_${dispatchTargetName(iface)}(const ng_fz_case_t *c)`, () => {
    p.block(`switch (c->method % ${iface.methods.length}u)`, () => {
      iface.methods.forEach((m, i) => {
        p.line(`case ${i}:`);
        p.indented(() => {
          p.line(`ng_fz_disp_${prefix}_${m.name}(c);`);
          p.line("break;");
        });
      });
      p.line("default:");
      p.indented(() => p.line("break;"));
    });
  });
  p.blank();
}

/** The outcome for a label that is not the method's: another method's (no handler) or none. */
function printCheckOther(p: CPrinter, iface: Interface): void {
  p.fn("static void ng_fz_check_other(ng_word_t label, int r, const ng_msg_t *m, int called)", () => {
    p.line("NG_FZ_CHECK(called == 0);");
    p.block("switch (label)", () => {
      const rpcs = iface.methods.filter((m) => m.kind === "rpc");
      const oneways = iface.methods.filter((m) => m.kind === "oneway");
      for (const m of rpcs) p.line(`case ${hexLiteral(m.label)}: /* ${m.name} */`);
      if (rpcs.length > 0) {
        p.indented(() => {
          p.line("ng_fz_check_error(r, m, NG_ENOSYS);");
          p.line("return;");
        });
      }
      for (const m of oneways) p.line(`case ${hexLiteral(m.label)}: /* ${m.name} */`);
      if (oneways.length > 0) {
        p.indented(() => {
          p.line("NG_FZ_CHECK(r == NG_DISPATCH_NOREPLY);");
          p.line("return;");
        });
      }
      p.line("default:");
      p.indented(() => p.line("NG_FZ_CHECK(r == NG_DISPATCH_NONE);"));
    });
  });
  p.blank();
}

/** The codes an rpc may answer with, from the model (not from the generated _raises). */
function raisedCodes(iface: Interface, m: Method): number[] {
  const names = m.raises.length > 0 ? m.raises : iface.errors.map((e) => e.name);
  return iface.errors.filter((e) => names.includes(e.name)).map((e) => e.code);
}

function printMethod(p: CPrinter, iface: Interface, m: Method, idl: IdlModel): void {
  void idl;
  const prefix = lowerIdent(iface.name);
  const id = `${prefix}_${m.name}`;
  const req = msgNames(iface, m, "req", m.request);
  const rep = m.reply ? msgNames(iface, m, "rep", m.reply) : undefined;
  const reqVars = m.request.fields.filter((f) => f.placement.where === "var");
  const repVars = m.reply ? m.reply.fields.filter((f) => f.placement.where === "var") : [];
  p.comment(`${iface.name}.${m.name} through ${prefix}_dispatch`);
  if (req.type) p.line(`static ${req.type} ng_fz_dx_${id}_req;`);
  if (rep?.type) p.line(`static ${rep.type} ng_fz_dx_${id}_rep;`);
  p.blank();
  if (m.kind === "rpc") {
    p.fn(`static int ng_fz_raises_${id}(int err)`, () => {
      const codes = raisedCodes(iface, m);
      p.line(`return (err > NG_OK && err < NG_ERR_USER_BASE)${codes.map((c) => ` || err == ${c}`).join("")};`);
    });
    p.blank();
  }
  // The handler.
  const params = ["void *ctx", "ng_call_t *call"];
  if (req.type) params.push(`const ${req.type} *req`);
  if (rep?.type) params.push(`${rep.type} *rep`);
  p.fn(`static ${m.kind === "rpc" ? "int" : "void"} ng_fz_h_${id}(${params.join(", ")})`, () => {
    p.line("ng_fz_disp_t *d = ctx;");
    p.line("d->called++;");
    p.line("NG_FZ_CHECK(call == d->call);");
    if (req.type) p.line(`NG_FZ_CHECK(ng_fz_eq_${req.base}(req, &ng_fz_dx_${id}_req, 0));`);
    if (m.kind === "oneway") return;
    p.line("const ng_fz_case_t *c = d->c;");
    p.line("int e = ng_fz_handler_err(c);");
    p.line("if ((c->aux & NG_FZ_H_MASK) >= NG_FZ_H_ERROR && e != NG_OK) return e;");
    if (!rep?.type) {
      p.line("d->enc_ok = 1;");
      p.line("return NG_OK;");
      return;
    }
    p.comment("Results: a well-formed reply made from the input, decoded.");
    p.line("size_t want_len, shm_need;");
    p.line("ng_fz_fill_results_words(c);");
    p.line(`ng_fz_prep_${rep.base}(ng_fz_mr3, NG_FZ_FIX_ALL, &want_len, &shm_need);`);
    p.line("ng_msg_t r;");
    p.line(`ng_fz_results_msg(c, d, &r, ${rep.macro}_CAPS, want_len, shm_need);`);
    p.line(`NG_FZ_CHECK(${rep.base}_decode(&r, rep) == NG_OK); /* well formed by construction */`);
    const pairs = Math.min(reqVars.length, repVars.length);
    if (pairs > 0) {
      p.block("if ((c->aux & NG_FZ_H_MASK) == NG_FZ_H_ECHO)", () => {
        for (let i = 0; i < pairs; i++) {
          const to = `rep->${cIdent(repVars[i].name)}`;
          const from = `req->${cIdent(reqVars[i].name)}`;
          const ptrType = repVars[i].type.kind === "str" ? "const char *" : "const uint8_t *";
          p.line(`${to}.ptr = (${ptrType})${from}.ptr;`);
          p.line(`${to}.len = ${from}.len;`);
        }
      });
    }
    p.comment("Keep a deep copy of what is returned, and whether it encodes at all.");
    p.line(`ng_fz_dx_${id}_rep = *rep;`);
    if (repVars.length > 0) p.line("uint8_t *k = ng_fz_keep;");
    for (const f of repVars) {
      const x = cIdent(f.name);
      const ptrType = f.type.kind === "str" ? "const char *" : "const uint8_t *";
      p.line(`if (rep->${x}.len != 0) memcpy(k, rep->${x}.ptr, rep->${x}.len);`);
      p.line(`ng_fz_dx_${id}_rep.${x}.ptr = (${ptrType})k;`);
      p.line(`k += rep->${x}.len;`);
    }
    p.line("ng_msg_t s;");
    p.line("ng_fz_setup_copy(call->msg, &s);");
    p.line(`d->enc_ok = ${rep.base}_encode(&s, rep) == NG_OK;`);
    p.line("ng_fz_release(&s);");
    p.line("return NG_OK;");
  });
  p.blank();
  // The driver.
  p.fn(`static void ng_fz_disp_${id}(const ng_fz_case_t *c)`, () => {
    p.line("size_t want_len, shm_need;");
    p.line(`ng_fz_prep_${req.base}(ng_fz_mr, c->flags, &want_len, &shm_need);`);
    p.line("ng_msg_t m;");
    p.line(`ng_fz_setup(c, &m, ${labelMacro(iface, m)}, ${req.macro}_CAPS, want_len, shm_need);`);
    p.line("NG_FZ_UNPOISON(ng_fz_mr, sizeof(ng_fz_mr)); /* the reply may use every word */");
    p.line("const ng_word_t label = m.label;");
    p.line("ng_msg_t snap;");
    p.line("ng_fz_snapshot(&m, &snap);");
    if (req.type) p.line(`memset(&ng_fz_dx_${id}_req, 0, sizeof(ng_fz_dx_${id}_req));`);
    p.line(`const int req_rc = ${req.base}_decode(&snap${req.type ? `, &ng_fz_dx_${id}_req` : ""});`);
    p.line("ng_fz_disp_t d;");
    p.line("memset(&d, 0, sizeof(d));");
    p.line("d.c = c;");
    p.line("ng_call_t call = { c->caps[0], &m, NULL };");
    p.line("d.call = &call;");
    p.line(`${prefix}_ops_t ops;`);
    p.line("memset(&ops, 0, sizeof(ops));");
    p.line("const int handler = !(c->aux & NG_FZ_H_NULL);");
    p.line(`if (handler) ops.${cIdent(m.name)} = ng_fz_h_${id};`);
    p.line(`const int r = ${prefix}_dispatch(&ops, &d, &call);`);
    p.block(`if (label != ${labelMacro(iface, m)})`, () => p.line("ng_fz_check_other(label, r, &m, d.called);"));
    if (m.kind === "oneway") {
      p.block("else", () => {
        p.line("NG_FZ_CHECK(r == NG_DISPATCH_NOREPLY);");
        p.line("NG_FZ_CHECK(d.called == (handler && req_rc == NG_OK));");
      });
    } else {
      p.block("else if (!handler)", () => {
        p.line("NG_FZ_CHECK(d.called == 0);");
        p.line("ng_fz_check_error(r, &m, NG_ENOSYS);");
      });
      p.block("else if (req_rc != NG_OK)", () => {
        p.line("NG_FZ_CHECK(d.called == 0);");
        p.line("ng_fz_check_error(r, &m, NG_EBADMSG);");
      });
      p.block("else", () => {
        p.line("NG_FZ_CHECK(d.called == 1);");
        p.line("const int e = ng_fz_handler_err(c);");
        p.block("if ((c->aux & NG_FZ_H_MASK) >= NG_FZ_H_ERROR && e != NG_OK)", () => {
          p.line(`if (e == NG_DEFERRED) NG_FZ_CHECK(r == NG_DISPATCH_NOREPLY);`);
          p.line(`else ng_fz_check_error(r, &m, ng_fz_raises_${id}(e) ? e : NG_EINTERNAL);`);
        });
        p.block("else if (!d.enc_ok)", () => p.line("ng_fz_check_error(r, &m, NG_EINTERNAL);"));
        p.block("else", () => {
          p.line("NG_FZ_CHECK(r == NG_DISPATCH_REPLY && m.label == NG_OK);");
          if (rep?.type) {
            p.line(`${rep.type} out;`);
            p.line("memset(&out, 0x77, sizeof(out));");
            p.line(`NG_FZ_CHECK(${rep.base}_decode(&m, &out) == NG_OK);`);
            p.line(`NG_FZ_CHECK(ng_fz_eq_${rep.base}(&out, &ng_fz_dx_${id}_rep, 0));`);
          } else {
            p.line(`NG_FZ_CHECK(${rep!.base}_decode(&m) == NG_OK);`);
          }
        });
      });
    }
    p.line("ng_fz_tried[ng_fz_current]++;");
    p.line("ng_fz_accepted[ng_fz_current] += d.called != 0;");
    p.line("free(d.shm3);");
    p.line("free(snap.shm);");
    p.line("ng_fz_release(&m);");
  });
  p.blank();
}

const DISPATCH_COMMON = String.raw`/* aux byte: what the handler does. */
enum {
    NG_FZ_H_MASK = 0x03,
    NG_FZ_H_RESULTS = 0,   /* return well-formed results made from the input */
    NG_FZ_H_ECHO = 1,      /* the same, with str/bytes results pointing into the request */
    NG_FZ_H_ERROR = 2,     /* 2, 3: return an error code from the input (0: results) */
    NG_FZ_H_NULL = 0x04,   /* no handler at all */
    NG_FZ_H_SMALL_ERR = 0x08, /* the error code is a small one (-128..127) */
};

typedef struct ng_fz_disp {
    const ng_fz_case_t *c;
    ng_call_t *call;
    int called;
    int enc_ok;    /* the results the handler returned encode */
    uint8_t *shm3; /* shared buffer of the reply the results were decoded from */
} ng_fz_disp_t;

/* Deep copies of returned str/bytes results (they may point into the request, which the reply
 * overwrites). */
static uint8_t ng_fz_keep[2 * (NG_MSG_MAX_WORDS * NG_WORD_BYTES + NG_FZ_SHM_MAX)] __attribute__((unused));

static inline int ng_fz_handler_err(const ng_fz_case_t *c)
{
    return (c->aux & NG_FZ_H_SMALL_ERR) ? (int)(int8_t)(c->label >> 32) : (int)(uint32_t)(c->label >> 32);
}

static inline void ng_fz_check_error(int r, const ng_msg_t *m, int err)
{
    NG_FZ_CHECK(r == NG_DISPATCH_REPLY);
    NG_FZ_CHECK(m->label == (ng_word_t)err && m->len == 0 && m->ncaps == 0);
}

/* A copy of the request (words and shared buffer), to decode what the handler should see. */
static inline void ng_fz_snapshot(const ng_msg_t *m, ng_msg_t *snap)
{
    *snap = *m;
    memcpy(ng_fz_snap, m->mr, sizeof(ng_fz_snap));
    snap->mr = ng_fz_snap;
    snap->shm = NULL;
    if (m->shm != NULL) {
        snap->shm = malloc(m->shm_size ? m->shm_size : 1);
        if (snap->shm == NULL) {
            abort();
        }
        if (m->shm_size != 0) {
            memcpy(snap->shm, m->shm, m->shm_size);
        }
    }
}

/* Words of the results: the second half of the input's message words. */
static inline void ng_fz_fill_results_words(const ng_fz_case_t *c)
{
    size_t from = sizeof(ng_fz_mr3) / 2;
    memset(ng_fz_mr3, 0, sizeof(ng_fz_mr3));
    if (c->nrest > from) {
        size_t n = c->nrest - from;
        memcpy(ng_fz_mr3, c->rest + from, n < sizeof(ng_fz_mr3) ? n : sizeof(ng_fz_mr3));
    }
}

static inline void ng_fz_results_msg(const ng_fz_case_t *c, ng_fz_disp_t *d, ng_msg_t *r,
                                     unsigned ncaps, size_t want_len, size_t shm_need)
{
    memset(r, 0, sizeof(*r));
    r->label = NG_OK;
    r->len = (unsigned)want_len;
    r->ncaps = ncaps;
    memcpy(r->caps, c->caps, sizeof(r->caps));
    r->mr = ng_fz_mr3;
    d->shm3 = malloc(shm_need ? shm_need : 1);
    if (d->shm3 == NULL) {
        abort();
    }
    for (size_t i = 0; i < shm_need; i++) {
        d->shm3[i] = (uint8_t)(i * 7u + c->aux);
    }
    r->shm = d->shm3;
    r->shm_size = shm_need;
}`;
