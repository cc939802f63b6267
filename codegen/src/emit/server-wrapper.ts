// SPDX-License-Identifier: BSD-2-Clause
/**
 * The one header a server's main.c includes: `servers/<server>/server_gen.h`. Every server's
 * wrapper has that name and its folder is on that server's include path, so it never collides
 * with an interface header. It carries the server's capability layout as constants, its
 * address-space map, the badges its clients call with, the interface headers it needs, a ready
 * client context per used interface, and the receive loop over every interface it serves.
 *
 *   system.ts  server({ name: "echo", serves: ["echo"] }), server({ name: "client", uses: ["echo"] })
 *   C          #define ECHO_CAP_EP 8u                   (slots: ServerLayout.slots[].cname)
 *              #define ECHO_VADDR_HEAP 0x…ul            (+ _SIZE)
 *              #define ECHO_BADGE_CLIENT_ECHO 1u        (<SERVER>_BADGE_<CLIENT>_<IFACE>)
 *              typedef struct echo_server_ops { const echo_ops_t *echo; … } echo_server_ops_t;
 *              static inline void echo_server_init(ng_server_t *s);
 *              static inline void echo_serve(ng_server_t *s, const echo_server_ops_t *ops, void *ctx);
 *   and in client_gen.h: static inline echo_client_t client_use_echo(void);
 *
 * The serve loop receives, sets the message's shared buffer from the caller's badge, dispatches,
 * answers NG_ENOSYS when no interface took the label, frees a received cap the handler left
 * (ng_recv_done), and replies while receiving the next request (ng_reply_recv). After a oneway
 * or a deferred reply the reply is the error NG_EBADMSG: the transport skips it when no caller
 * waits (a send, a saved reply), and a oneway that arrived by call is answered instead of
 * leaving its caller blocked (docs/transport.md). A static badge reaches only the interface it was
 * granted for (least privilege: a client of `echo` cannot call a second interface served on the
 * same endpoint); badges from DYNAMIC_BADGE_BASE up, which the server mints at run time, reach
 * every served interface. With a bound notification, a badge with NTFN_BADGE_MARK set is a signal
 * (IRQ or notifying server), handed to ops->notify and never answered.
 *
 * A server with scalar-only methods (server.ts isFastMethod: request and reply of at most four
 * `word` fields, no caps) gets the register fast path instead (printServeFast): such requests are
 * decoded from and answered in the message registers, the rest takes the same dispatch as above.
 */

import type { IdlModel, Interface } from "../model/idl.ts";
import { DYNAMIC_BADGE_BASE, NTFN_BADGE_MARK } from "../model/layout.ts";
import type { BadgeModel, ServerLayout, ServerModel, SystemModel } from "../model/system.ts";
import { banner, type GeneratedFile } from "./files.ts";
import { CPrinter, hexLiteral, lowerIdent, upperIdent } from "./cprinter.ts";
import { clientType } from "./client.ts";
import { isFastMethod, opsType, printFastCase } from "./server.ts";
import { connSlots, printClientConnect, printConnections } from "./server-conn.ts";

function hexPtr(v: number): string {
  return `0x${v.toString(16)}ul`;
}

export function badgeMacro(server: ServerModel, b: BadgeModel): string {
  return upperIdent(server.name, "badge", b.client, b.interface);
}

function printSlots(p: CPrinter, server: ServerModel, layout: ServerLayout): void {
  const S = upperIdent(server.name);
  p.comment(`CSpace: ${1 << layout.cnodeBits} slots (a slot's number is its cptr).`);
  p.define(`${S}_CNODE_BITS`, `${layout.cnodeBits}`);
  for (const s of layout.slots) p.define(s.cname, `${s.slot}u`, s.comment || s.kind);
  // A run of devices (`count`): its IRQ handlers sit in consecutive slots from <…>_CAP_IRQ_<DEV>.
  for (const d of server.devices) {
    if (d.irqs) p.define(upperIdent(server.name, "cap", "irq", d.name, "count"), `${d.irqs.length}u`, `IRQ handlers of ${d.name}, one per device, from ${upperIdent(server.name, "cap", "irq", d.name)}`);
  }
  const top = [...layout.slots].sort((a, b) => b.slot - a.slot)[0];
  if (top) p.staticAssert(`${top.cname} < (1ul << ${S}_CNODE_BITS)`, `${server.name}: its slots do not fit its CNode`);
  // What the layout left empty: where a server keeps caps it receives (ng_cap_move).
  const firstFree = top ? top.slot + 1 : 0;
  p.define(`${S}_SLOT_FREE_FIRST`, `${firstFree}u`, "first slot the layout leaves empty for caps the server keeps");
  p.define(`${S}_SLOT_FREE_END`, `${1 << layout.cnodeBits}u`, "one past the last slot");
  p.blank();
}

function printVaddrs(p: CPrinter, layout: ServerLayout): void {
  if (layout.vaddrs.length === 0) return;
  p.comment("Address space: where the root server maps each region.");
  for (const v of layout.vaddrs) {
    p.define(v.cname, hexPtr(v.vaddr), `${v.kind}, ${v.perms}${v.cached ? "" : ", uncached"}`);
    p.define(`${v.cname}_SIZE`, hexPtr(v.sizeBytes));
    if (v.offset) p.define(`${v.cname}_OFFSET`, hexPtr(v.offset), "registers start here in the window");
  }
  p.blank();
}

/** Device clocks the platform table knows (a UART's baud rate divides one); 0 when unknown. */
function printDeviceClocks(p: CPrinter, server: ServerModel): void {
  if (server.devices.length === 0) return;
  p.comment("Device input clocks (Hz) from the platform table; 0: unknown, keep the firmware's settings.");
  for (const d of [...server.devices].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    p.define(upperIdent(server.name, "clock_hz", d.name), `${d.clockHz ?? 0}u`);
    if (d.ioport) p.define(upperIdent(server.name, "ioport", d.name), hexLiteral(d.ioport.base), `first of ${d.ioport.count} I/O ports`);
  }
  p.blank();
}

function printBadges(p: CPrinter, server: ServerModel, layout: ServerLayout): void {
  const S = upperIdent(server.name);
  if (layout.badges.length > 0) {
    p.comment("Badges on this server's endpoint: call->badge names the client and interface.");
    for (const b of layout.badges) p.define(badgeMacro(server, b), `${b.badge}u`, `${b.client} calls ${b.interface}`);
  }
  p.define(`${S}_DYNAMIC_BADGE_BASE`, hexLiteral(DYNAMIC_BADGE_BASE), "badges minted at run time start here");
  p.define(`${S}_NTFN_BADGE_MARK`, hexLiteral(NTFN_BADGE_MARK), "set in every notification badge");
  p.blank();
}

/** `<server>_use_<as>()`: the client context of one use (endpoint slot + shared buffer). */
function printUses(p: CPrinter, server: ServerModel, layout: ServerLayout, ifaces: Map<string, Interface>): void {
  const prefix = lowerIdent(server.name);
  for (const u of server.uses) {
    const iface = ifaces.get(u.interface);
    if (!iface) continue;
    const slot = layout.slots.find((s) => s.kind === "use_ep" && s.cname === upperIdent(server.name, "cap", u.as));
    if (!slot) continue;
    const shm = layout.vaddrs.find((v) => v.kind === "shm" && v.object === `shm:${u.server}.${server.name}.${u.interface}`);
    p.doc(`Calls ${u.interface} on ${u.server}.`);
    p.fn(`static inline ${clientType(iface)} ${prefix}_use_${lowerIdent(u.as)}(void)`, () => {
      const init = shm ? `${slot.cname}, (uint8_t *)(uintptr_t)${shm.cname}, ${shm.cname}_SIZE` : `${slot.cname}, NULL, 0`;
      p.line(`${clientType(iface)} c = { ${init} };`);
      p.line("return c;");
    });
    p.blank();
  }
}

function printServe(p: CPrinter, server: ServerModel, layout: ServerLayout, ifaces: Map<string, Interface>, idl: IdlModel): void {
  const prefix = lowerIdent(server.name);
  const S = upperIdent(server.name);
  const served = server.serves.map((n) => ifaces.get(n)).filter((i): i is Interface => i !== undefined);
  const hasNtfn = layout.slots.some((s) => s.kind === "ntfn");
  const serveEp = layout.slots.find((s) => s.kind === "serve_ep");
  const opsT = `${prefix}_server_ops_t`;
  const conn = connSlots(layout);
  const anyShm = conn !== undefined || layout.badges.some((b) => b.shm);

  if (conn) printConnections(p, server, conn);
  p.doc(`Handlers of every interface ${server.name} serves; a NULL table answers NG_ENOSYS.`);
  p.block(`typedef struct ${prefix}_server_ops`, () => {
    for (const i of served) p.line(`const ${opsType(i)} *${lowerIdent(i.name)};`);
    if (hasNtfn) {
      p.doc("A signal on the bound notification (IRQs, notifying servers): the badge bits without the mark.");
      p.line("void (*notify)(void *ctx, ng_badge_t bits);");
    }
  }, ` ${opsT};`);
  p.blank();

  p.doc("Set up the transport state of the serving thread from the layout's slots.");
  p.fn(`static inline void ${prefix}_server_init(ng_server_t *s)`, () => {
    const recv = layout.slots.find((x) => x.kind === "recv");
    const replies = layout.slots.filter((x) => x.kind === "reply");
    if (replies.length > 0) {
      p.line(`static const ng_cptr_t reply_slots[] = { ${replies.map((r) => r.cname).join(", ")} };`);
    }
    const ep = serveEp ? serveEp.cname : "0";
    p.line(`ng_server_init(s, ${ep}, ${recv ? recv.cname : "0"}, ${replies.length > 0 ? "reply_slots" : "NULL"}, ${replies.length}u);`);
  });
  p.blank();

  p.doc("Point m at the shared buffer of the client the badge names (none: NULL).");
  p.fn(`static inline void ${prefix}_server_shm(ng_msg_t *m, ng_badge_t badge)`, () => {
    const withShm = layout.badges.filter((b) => b.shm);
    if (conn) p.line(`if (badge >= ${S}_DYNAMIC_BADGE_BASE && ${prefix}_conn_shm(m, badge)) return;`);
    if (withShm.length === 0) {
      p.line("(void)badge;");
      p.line("ng_msg_set_shm(m, NULL, 0);");
      return;
    }
    p.block("switch (badge)", () => {
      for (const b of withShm) {
        const v = layout.vaddrs.find((x) => x.object === b.shm!.object);
        const base = v ? v.cname : hexPtr(b.shm!.serverVaddr);
        const size = v ? `${v.cname}_SIZE` : hexPtr(b.shm!.sizeBytes);
        p.line(`case ${badgeMacro(server, b)}:`);
        p.indented(() => p.line(`ng_msg_set_shm(m, (uint8_t *)(uintptr_t)${base}, ${size});`).line("return;"));
      }
      p.line("default:");
      p.indented(() => p.line("ng_msg_set_shm(m, NULL, 0);").line("return;"));
    });
  });
  p.blank();

  p.doc(
    "Dispatch one request: a static badge to the interface it was granted for, a dynamic badge to\n" +
      "whichever served interface owns the label. Returns an NG_DISPATCH_* code.",
  );
  p.fn(`static inline int ${prefix}_server_dispatch(const ${opsT} *ops, void *ctx, ng_call_t *call)`, () => {
    const dispatchOne = (i: Interface) => `ops->${lowerIdent(i.name)} != NULL ? ${lowerIdent(i.name)}_dispatch(ops->${lowerIdent(i.name)}, ctx, call) : NG_DISPATCH_NONE`;
    p.line("int r = NG_DISPATCH_NONE;");
    if (conn) {
      p.block("if (call->msg != NULL && (call->msg->label == NG_LABEL_CONNECT || call->msg->label == NG_LABEL_DISCONNECT))", () =>
        p.line(`return ${prefix}_conn_dispatch((ng_server_t *)call->server, call->msg, call->badge);`),
      );
    }
    p.block("switch (call->badge)", () => {
      for (const i of served) {
        const bs = layout.badges.filter((b) => b.interface === i.name);
        if (bs.length === 0) continue;
        for (const b of bs) p.line(`case ${badgeMacro(server, b)}:`);
        p.indented(() => p.line(`return ${dispatchOne(i)};`));
      }
      p.line("default:");
      p.indented(() => {
        p.line(`if (call->badge < ${S}_DYNAMIC_BADGE_BASE) return NG_DISPATCH_NONE;`);
        for (const i of served) p.line(`if (r == NG_DISPATCH_NONE) r = ${dispatchOne(i)};`);
        p.line("return r;");
      });
    });
  });
  p.blank();

  if (served.some((i) => i.methods.some(isFastMethod))) {
    printServeFast(p, server, layout, served, idl);
    return;
  }
  p.doc(`${server.name}'s receive loop over ${served.map((i) => i.name).join(", ")}. Never returns.`);
  p.fn(`static inline void ${prefix}_serve(ng_server_t *s, const ${opsT} *ops, void *ctx)`, () => {
    p.line("ng_msg_t m;");
    p.line("ng_call_t call;");
    p.line("ng_badge_t badge;");
    p.line("int r;");
    p.blank();
    p.line("ng_recv(s, &m, &badge);");
    p.block("for (;;)", () => {
      if (hasNtfn) {
        p.block(`if (badge & ${S}_NTFN_BADGE_MARK)`, () => {
          p.line(`if (ops->notify != NULL) ops->notify(ctx, badge & ~(ng_badge_t)${S}_NTFN_BADGE_MARK);`);
          p.line("ng_recv(s, &m, &badge);");
          p.line("continue;");
        });
      }
      // Without shared buffers the transport's receive already left m.shm NULL.
      if (anyShm) p.line(`${prefix}_server_shm(&m, badge);`);
      p.line("call.badge = badge;");
      p.line("call.msg = &m;");
      p.line("call.server = s;");
      p.line(`r = ${prefix}_server_dispatch(ops, ctx, &call);`);
      p.block("if (r == NG_DISPATCH_NONE)", () => {
        p.line("ng_msg_set_error(&m, NG_ENOSYS);");
        p.line("r = NG_DISPATCH_REPLY;");
      });
      p.line("ng_recv_done(s, &m);");
      // After a oneway or a deferred reply no caller is left to answer, unless a oneway came by
      // call (or a handler deferred without saving its reply): that caller gets NG_EBADMSG
      // instead of waiting for good; for a send the transport skips the reply.
      p.line("if (r != NG_DISPATCH_REPLY) ng_msg_set_error(&m, NG_EBADMSG);");
      p.line("ng_reply_recv(s, &m, &badge);");
    });
  });
  p.blank();
}

/**
 * The receive loop of a server with methods on the register fast path (server.ts isFastMethod):
 * requests arrive as a tag plus four words (ng_recv_fast, in registers on seL4 AArch64). A tag
 * that is a fast method's, on a badge that may reach its interface, is decoded, handled and
 * answered from the words (printFastCase); everything else, and whatever a fast case leaves
 * (no handler, a bad value), becomes an ordinary message (ng_msg_from_fast) and goes through the
 * same dispatch as the plain loop's.
 *
 *   tag = ng_recv_fast(s, w, &badge);
 *   for (;;) {
 *       if (badge == ECHO_BADGE_CLIENT_ECHO || badge >= ECHO_DYNAMIC_BADGE_BASE) {
 *           switch (tag) { case NG_FAST_TAG(ECHO_ADD_LABEL, ECHO_ADD_REQ_WORDS): { … continue; } }
 *       }
 *       ng_msg_from_fast(s, &m, tag, w);
 *       if (echo_serve_generic(s, ops, ctx, &m, badge) != NG_DISPATCH_REPLY)   (dispatch as the plain loop)
 *           ng_msg_set_error(&m, NG_EBADMSG);
 *       tag = ng_reply_msg_recv_fast(s, &m, w, &badge);
 *   }
 */
function printServeFast(p: CPrinter, server: ServerModel, layout: ServerLayout, served: Interface[], idl: IdlModel): void {
  const prefix = lowerIdent(server.name);
  const S = upperIdent(server.name);
  const hasNtfn = layout.slots.some((s) => s.kind === "ntfn");
  const opsT = `${prefix}_server_ops_t`;
  const anyShm = connSlots(layout) !== undefined || layout.badges.some((b) => b.shm);
  const anyFastRpc = served.some((i) => i.methods.some((m) => m.kind === "rpc" && isFastMethod(m)));
  p.doc(
    "The generic path of the fast loop: dispatch one ordinary message, NG_ENOSYS when no interface\n" +
      "took it, free a received cap the handler left. Returns an NG_DISPATCH_* code. Out of line, so\n" +
      "that the registers of the fast path need not survive its calls.",
  );
  p.fn(`static __attribute__((noinline, unused)) int ${prefix}_serve_generic(ng_server_t *s, const ${opsT} *ops, void *ctx, ng_msg_t *m, ng_badge_t badge)`, () => {
    p.line("ng_call_t call;");
    p.line("int r;");
    p.blank();
    // Without shared buffers the transport's receive already left m->shm NULL.
    if (anyShm) p.line(`${prefix}_server_shm(m, badge);`);
    p.line("call.badge = badge;");
    p.line("call.msg = m;");
    p.line("call.server = s;");
    p.line(`r = ${prefix}_server_dispatch(ops, ctx, &call);`);
    p.block("if (r == NG_DISPATCH_NONE)", () => {
      p.line("ng_msg_set_error(m, NG_ENOSYS);");
      p.line("r = NG_DISPATCH_REPLY;");
    });
    p.line("ng_recv_done(s, m);");
    p.line("return r;");
  });
  p.blank();

  p.doc(
    `${server.name}'s receive loop over ${served.map((i) => i.name).join(", ")}. Never returns. Scalar-only methods\n` +
      "take the register fast path: their handlers get call->msg == NULL.",
  );
  // Inlined into the caller whatever its size: with the caller's `static const` ops table the
  // handler calls become direct calls the compiler can inline, and w stays in registers.
  p.fn(`static inline __attribute__((always_inline)) void ${prefix}_serve(ng_server_t *s, const ${opsT} *ops, void *ctx)`, () => {
    p.line("ng_msg_t m;");
    p.line("ng_badge_t badge;");
    p.line("ng_word_t w[4];");
    p.line("ng_word_t tag;");
    if (anyFastRpc) p.line("int err;");
    p.blank();
    p.line("tag = ng_recv_fast(s, w, &badge);");
    p.block("for (;;)", () => {
      if (hasNtfn) {
        p.block(`if (badge & ${S}_NTFN_BADGE_MARK)`, () => {
          p.line(`if (ops->notify != NULL) ops->notify(ctx, badge & ~(ng_badge_t)${S}_NTFN_BADGE_MARK);`);
          p.line("tag = ng_recv_fast(s, w, &badge);");
          p.line("continue;");
        });
      }
      for (const i of served) {
        const fast = i.methods.filter(isFastMethod);
        if (fast.length === 0) continue;
        const reach = layout.badges.filter((b) => b.interface === i.name).map((b) => `badge == ${badgeMacro(server, b)}`);
        reach.push(`badge >= ${S}_DYNAMIC_BADGE_BASE`);
        p.comment(`${i.name}: fast path for ${fast.map((m) => m.name).join(", ")}`);
        p.block(`if (${reach.join(" || ")})`, () => {
          p.block("switch (tag)", () => {
            for (const m of fast) printFastCase(p, i, m, idl, `ops->${lowerIdent(i.name)}`);
            p.line("default:");
            p.indented(() => p.line("break;"));
          });
        });
      }
      p.line("ng_msg_from_fast(s, &m, tag, w);");
      // As the plain loop: a caller left after a oneway or a deferred reply gets NG_EBADMSG.
      p.line(`if (${prefix}_serve_generic(s, ops, ctx, &m, badge) != NG_DISPATCH_REPLY) ng_msg_set_error(&m, NG_EBADMSG);`);
      p.line("tag = ng_reply_msg_recv_fast(s, &m, w, &badge);");
    });
  });
  p.blank();
}

/**
 * A spawner's access to the root server's process service and the programs it may spawn: the
 * client context on its spawn slot, and each program's name and the slots a spawn may fill
 * (the same constants as in the program's own server_gen.h).
 *
 *   static inline root_client_t launcher_use_root(void);   (calls on LAUNCHER_CAP_SPAWN)
 *   #define CHILD_PROGRAM "child"
 *   #define CHILD_CAP_ECHO 10u                              (a `uses` slot of program child)
 */
function printSpawn(p: CPrinter, server: ServerModel, layout: ServerLayout, sys: SystemModel): void {
  const slot = layout.slots.find((s) => s.kind === "spawn_ep");
  if (!slot) return;
  p.doc("Calls the root server's process service (idl/root.idl).");
  p.fn(`static inline root_client_t ${lowerIdent(server.name)}_use_root(void)`, () => {
    p.line(`root_client_t c = { ${slot.cname}, NULL, 0 };`);
    p.line("return c;");
  });
  p.blank();
  const progs = sys.programs.filter((x) => x.name !== server.name);
  if (progs.length === 0) return;
  p.comment("Programs it may spawn: names, and the slots of each that a spawn may fill (root_grant_t.to).");
  for (const prog of progs) {
    const P = upperIdent(prog.name);
    p.define(`${P}_PROGRAM`, `"${prog.name}"`);
  }
  p.blank();
}

/** The slot constants a spawner needs of each program (its fillable slots). */
function printProgramSlots(p: CPrinter, server: ServerModel, layouts: ServerLayout[], sys: SystemModel): void {
  if (!server.spawn) return;
  for (const prog of sys.programs) {
    if (prog.name === server.name) continue;
    const L = layouts.find((x) => x.name === prog.name);
    if (!L) continue;
    for (const s of L.slots) if ((s.kind === "use_ep" || s.kind === "signal") && s.object === undefined) p.define(s.cname, `${s.slot}u`, `${prog.name}: ${s.comment}`);
  }
  p.blank();
  // The same `uses` slots as data, for code that spawns by program name (personality-posix/libc).
  const rows: string[] = [];
  for (const prog of sys.programs) {
    if (prog.name === server.name) continue;
    const L = layouts.find((x) => x.name === prog.name);
    if (!L) continue;
    for (const u of prog.uses) {
      const s = L.slots.find((x) => x.kind === "use_ep" && x.object === undefined && x.cname === `${upperIdent(prog.name)}_CAP_${upperIdent(u.as)}`);
      if (s) rows.push(`{ "${prog.name}", "${u.as}", "${u.interface}", ${s.cname} },`);
    }
  }
  if (rows.length === 0) return;
  p.line("#ifndef NG_PROGRAM_USE_DEFINED");
  p.line("#define NG_PROGRAM_USE_DEFINED");
  p.doc("One `uses` slot of a program: the slot a spawn fills with a cap for that interface.");
  p.line("typedef struct ng_program_use { const char *program; const char *use; const char *interface; uint32_t slot; } ng_program_use_t;");
  p.line("#endif");
  p.blank();
  p.define(`${upperIdent(server.name)}_HAS_PROGRAM_USES`, "1");
  p.doc("Every `uses` slot of the programs it may spawn, by program and use name.");
  p.fn(`static inline const ng_program_use_t *${lowerIdent(server.name)}_program_uses(uint32_t *count)`, () => {
    p.line("static const ng_program_use_t uses[] = {");
    for (const r of rows) p.line(`    ${r}`);
    p.line("};");
    p.line("*count = sizeof uses / sizeof uses[0];");
    p.line("return uses;");
  });
  p.blank();
}

/** The wrapper header of one server. */
export function emitServerWrapper(server: ServerModel, layout: ServerLayout, sys: SystemModel, programLayouts: ServerLayout[] = []): GeneratedFile[] {
  const ifaces = new Map(sys.idl.interfaces.map((i) => [i.name, i]));
  const p = new CPrinter();
  const prefix = lowerIdent(server.name);
  p.raw(banner(sys.file));
  p.comment(
    `Server ${server.name} of system ${sys.name}: its cap slots, addresses, badges, interface\n` +
      `headers${server.serves.length > 0 ? " and receive loop" : ""}. Include this one header from its main.c.`,
  );
  p.line("#pragma once");
  p.blank();
  p.include("stdint.h");
  p.include("neptune/ipc.h");
  const used = [...new Set([...server.uses.map((u) => u.interface), ...(server.spawn ? ["root"] : [])])].sort();
  for (const i of server.serves) p.include(`${lowerIdent(i)}_server_gen.h`);
  const rootSlot = layout.slots.find((x) => x.kind === "root_ep" || x.kind === "spawn_ep");
  const hasRootmem = ifaces.has("rootmem");
  if ((connSlots(layout) || (rootSlot && hasRootmem)) && !used.includes("rootmem")) p.include("rootmem_client_gen.h");
  for (const i of used) p.include(`${lowerIdent(i)}_client_gen.h`);
  p.blank();
  printSlots(p, server, layout);
  printVaddrs(p, layout);
  printDeviceClocks(p, server);
  printBadges(p, server, layout);
  printUses(p, server, layout, ifaces);
  printSpawn(p, server, layout, sys);
  printProgramSlots(p, server, programLayouts, sys);
  if (rootSlot && hasRootmem) {
    const recv = layout.slots.find((x) => x.kind === "recv");
    printClientConnect(p, server, rootSlot.cname, recv?.cname);
  }
  if (server.serves.length > 0) printServe(p, server, layout, ifaces, sys.idl);
  return [{ path: `servers/${server.name}/server_gen.h`, text: p.text() }];
}
