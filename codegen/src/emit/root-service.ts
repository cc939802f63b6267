// SPDX-License-Identifier: BSD-2-Clause
/**
 * The root server's receive loop (rootserver/root_service_gen.h): one endpoint, two kinds of
 * message told apart by badge. A badge with ROOT_SERVICE_BADGE set is a call to a root service
 * (ROOT_SERVICE_INTERFACES, e.g. idl/root.idl) from the process the rest of the badge names;
 * any other badge is a fault badge, and the message is a fault or an exit, handed to ops->fault.
 * Service calls take the register fast path where their messages fit (server.ts isFastMethod),
 * the rest the generated dispatch of each interface in turn. Both root servers (seL4, host)
 * run it over their own transport.
 *
 *   typedef struct rs_service_ops {
 *       const root_ops_t *root;                 one member per root-service interface
 *       void (*fault)(void *ctx, ng_badge_t badge, ng_word_t tag, const ng_word_t w[4]);
 *   } rs_service_ops_t;
 *   static inline void rs_service_serve(ng_server_t *s, const rs_service_ops_t *ops, void *ctx);
 *
 * A second root service is one name in ROOT_SERVICE_INTERFACES (plus its IDL file in
 * BUILTIN_IDL, compile.ts) and one member in the C ops table the root server passes.
 */

import type { IdlModel, Interface } from "../model/idl.ts";
import { ROOT_SERVICE_BADGE } from "../model/layout.ts";
import type { SystemModel } from "../model/system.ts";
import { banner, type GeneratedFile } from "./files.ts";
import { CPrinter, hexLiteral, lowerIdent } from "./cprinter.ts";
import { isFastMethod, opsType, printFastCase } from "./server.ts";

/** The IDL namespaces the root server serves after boot, in dispatch order. */
export const ROOT_SERVICE_INTERFACES = ["root", "rootmem"] as const;

function printLoop(p: CPrinter, served: Interface[], idl: IdlModel): void {
  const anyFastRpc = served.some((i) => i.methods.some((m) => m.kind === "rpc" && isFastMethod(m)));
  p.doc("The generic path: dispatch one ordinary message to each service in turn. Returns an NG_DISPATCH_* code.");
  p.fn("static __attribute__((noinline, unused)) int rs_service_generic(ng_server_t *s, const rs_service_ops_t *ops, void *ctx, ng_msg_t *m, ng_badge_t badge)", () => {
    p.line("ng_call_t call = { .badge = badge, .msg = m, .server = s };");
    p.line("int r = NG_DISPATCH_NONE;");
    for (const i of served) {
      const n = lowerIdent(i.name);
      p.line(`if (r == NG_DISPATCH_NONE && ops->${n} != NULL) r = ${n}_dispatch(ops->${n}, ctx, &call);`);
    }
    p.block("if (r == NG_DISPATCH_NONE)", () => {
      p.line("ng_msg_set_error(m, NG_ENOSYS);");
      p.line("r = NG_DISPATCH_REPLY;");
    });
    p.line("ng_recv_done(s, m);");
    p.line("return r;");
  });
  p.blank();
  p.doc("The root server's receive loop: faults and exits to ops->fault, service calls dispatched. Never returns.");
  p.fn("static inline __attribute__((always_inline)) void rs_service_serve(ng_server_t *s, const rs_service_ops_t *ops, void *ctx)", () => {
    p.line("ng_msg_t m;");
    p.line("ng_badge_t badge;");
    p.line("ng_word_t w[4];");
    p.line("ng_word_t tag;");
    if (anyFastRpc) p.line("int err;");
    p.blank();
    p.line("tag = ng_recv_fast(s, w, &badge);");
    p.block("for (;;)", () => {
      p.block("if (!(badge & RS_SERVICE_BADGE))", () => {
        p.line("ops->fault(ctx, badge, tag, w);");
        p.line("tag = ng_recv_fast(s, w, &badge);");
        p.line("continue;");
      });
      p.block("switch (tag)", () => {
        for (const i of served) for (const m of i.methods.filter(isFastMethod)) printFastCase(p, i, m, idl, `ops->${lowerIdent(i.name)}`);
        p.line("default:");
        p.indented(() => p.line("break;"));
      });
      p.line("ng_msg_from_fast(s, &m, tag, w);");
      p.block("if (rs_service_generic(s, ops, ctx, &m, badge) == NG_DISPATCH_REPLY)", () => p.line("tag = ng_reply_msg_recv_fast(s, &m, w, &badge);"), " else {");
      p.indented(() => p.line("tag = ng_recv_fast(s, w, &badge);"));
      p.line("}");
    });
  });
}

/** rootserver/root_service_gen.h for a system whose IDL model holds the root services. */
export function emitRootService(sys: SystemModel): GeneratedFile[] {
  const ifaces = new Map(sys.idl.interfaces.map((i) => [i.name, i]));
  const served = ROOT_SERVICE_INTERFACES.map((n) => ifaces.get(n)).filter((i): i is Interface => i !== undefined);
  const p = new CPrinter();
  p.raw(banner(sys.file));
  p.comment(`The root server's receive loop over its services (${served.map((i) => i.name).join(", ")}) and faults.`);
  p.line("#pragma once").blank();
  p.include("string.h");
  p.include("neptune/ipc.h");
  for (const i of served) p.include(`${lowerIdent(i.name)}_server_gen.h`);
  p.blank();
  p.define("RS_SERVICE_BADGE", hexLiteral(ROOT_SERVICE_BADGE), "set in every service badge; the rest is the caller's fault badge");
  p.blank();
  p.doc("The services' handlers (NULL: NG_ENOSYS) and where faults and exits go.");
  p.block("typedef struct rs_service_ops", () => {
    for (const i of served) p.line(`const ${opsType(i)} *${lowerIdent(i.name)};`);
    p.doc("A message on a fault badge: tag (label << 12 | length on seL4) and its first four words.");
    p.line("void (*fault)(void *ctx, ng_badge_t badge, ng_word_t tag, const ng_word_t w[4]);");
  }, " rs_service_ops_t;");
  p.blank();
  printLoop(p, served, sys.idl);
  return [{ path: "rootserver/root_service_gen.h", text: p.text() }];
}
