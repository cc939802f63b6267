// SPDX-License-Identifier: BSD-2-Clause
/**
 * The root server's tables: what rootserver/ boots the system from. The C types are in
 * rootserver/include/rootserver/tables.h; this emitter fills them from the layout.
 *
 * From a layout where `pong` serves an endpoint and `ping` calls it (badge 1):
 *
 *   objects:  ep:pong (endpoint), ep:root.fault (endpoint), shm:pong.ping.echo (1 frame)
 *   ping:     slot 2 fault ep (badge 1), slot 8 use_ep ep:pong badge 1 (call rights)
 *   pong:     slot 2 fault ep (badge 2), slot 8 serve_ep ep:pong (receive)
 *
 * it gives (system_gen.c):
 *
 *   static const rs_object_t rs_objects[] = {
 *       [0] = { .id = "ep:pong", .type = RS_OBJ_ENDPOINT },
 *       ...
 *   };
 *   static const rs_cap_t rs_caps_ping[] = {
 *       { .slot = 8, .kind = RS_SLOT_USE_EP, .object = 0, .badge = 0x1u,
 *         .rights = RS_RIGHT_WRITE | RS_RIGHT_GRANT_REPLY }, // call echo on pong
 *   };
 *   static const rs_server_t rs_servers[] = {
 *       { .name = "pong", ... },   // start order: a server before its clients
 *       { .name = "ping", ... },
 *   };
 *   const rs_system_t rs_system = { .version = RS_TABLES_VERSION, .name = "hello", ... };
 *
 * and system_gen.h with an index constant per server and object (RS_SERVER_PING,
 * RS_OBJECT_EP_PONG). Objects the root server does not create from the table are left out:
 * each server's TCB, CNode and VSpace (sel4utils creates them with the process), and its IPC
 * buffer and stack frames (sel4utils places those itself; the layout's addresses for them are
 * informational). Its heap is mapped at the layout's address like any other frames.
 */

import type { GeneratedFile } from "./files.ts";
import { banner } from "./files.ts";
import { CPrinter, hexLiteral, upperIdent } from "./cprinter.ts";
import { ROOT_SERVICE_BADGE } from "../model/layout.ts";
import type {
  CapRights,
  CapSlotModel,
  KernelObjectModel,
  ServerLayout,
  ServerModel,
  SlotKind,
  SystemLayout,
  SystemModel,
  VaddrModel,
} from "../model/system.ts";

import { type IrqControl, findPlatform } from "../model/platforms.ts";

/** Object ids whose frames sel4utils provides itself (not created from the tables). */
const SEL4UTILS_PROVIDED = /^(ipcbuf|stack):/;
const FAULT_EP_SLOT = 2;

const SLOT_KIND: Record<SlotKind, string> = {
  reserved: "RS_SLOT_RESERVED",
  serve_ep: "RS_SLOT_SERVE_EP",
  use_ep: "RS_SLOT_USE_EP",
  ntfn: "RS_SLOT_NTFN",
  signal: "RS_SLOT_SIGNAL",
  irq_handler: "RS_SLOT_IRQ_HANDLER",
  ioport: "RS_SLOT_IOPORT",
  recv: "RS_SLOT_RECV",
  reply: "RS_SLOT_REPLY",
  spawn_ep: "RS_SLOT_SPAWN_EP",
  mint_ep: "RS_SLOT_MINT_EP",
  root_ep: "RS_SLOT_ROOT_EP",
  conn_ep: "RS_SLOT_CONN",
  conn_obj: "RS_SLOT_CONN",
};

/** The objects the root server creates, in layout (id) order, and their table indices. */
export function tableObjects(layout: SystemLayout): { objects: KernelObjectModel[]; index: Map<string, number> } {
  const objects = layout.objects.filter(
    (o) => (o.type === "endpoint" || o.type === "notification" || o.type === "irq_handler" || o.type === "ioport" || o.type === "frame") && !SEL4UTILS_PROVIDED.test(o.id),
  );
  return { objects, index: new Map(objects.map((o, i) => [o.id, i])) };
}

/**
 * Start order: every server after the servers it uses (so a client's first call finds its
 * server waiting), otherwise by name; a cycle of uses falls back to name order for its members.
 */
export function startOrder(sys: SystemModel): ServerModel[] {
  const byName = new Map(sys.servers.map((s) => [s.name, s]));
  const names = [...byName.keys()].sort();
  const out: ServerModel[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string) => {
    if (state.has(name)) return; // done, or a cycle: leave it where it is
    state.set(name, "visiting");
    const s = byName.get(name);
    if (!s) return;
    for (const dep of [...new Set(s.uses.map((u) => u.server))].sort()) if (dep !== name) visit(dep);
    state.set(name, "done");
    out.push(s);
  };
  for (const n of names) visit(n);
  return out;
}

function rightsExpr(r: CapRights): string {
  const bits = [
    r.read && "RS_RIGHT_READ",
    r.write && "RS_RIGHT_WRITE",
    r.grant && "RS_RIGHT_GRANT",
    r.grantReply && "RS_RIGHT_GRANT_REPLY",
  ].filter(Boolean);
  return bits.length ? bits.join(" | ") : "0";
}

function permsExpr(p: VaddrModel["perms"]): string {
  const bits = [p.includes("r") && "RS_PERM_READ", p.includes("w") && "RS_PERM_WRITE", p.includes("x") && "RS_PERM_EXEC"].filter(Boolean);
  return bits.length ? bits.join(" | ") : "0";
}

const cString = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const lower = (s: string) => s.replace(/[^A-Za-z0-9_]/g, "_");

const IRQ_CONTROL: Record<IrqControl, string> = {
  plain: "RS_IRQ_CONTROL_PLAIN",
  trigger: "RS_IRQ_CONTROL_TRIGGER",
  ioapic: "RS_IRQ_CONTROL_IOAPIC",
};

function objectInit(o: KernelObjectModel, index: Map<string, number>, irqControl: IrqControl): string {
  const f: string[] = [`.id = ${cString(o.id)}`];
  switch (o.type) {
    case "endpoint":
      f.push(".type = RS_OBJ_ENDPOINT");
      break;
    case "notification":
      f.push(".type = RS_OBJ_NOTIFICATION");
      break;
    case "ioport":
      f.push(".type = RS_OBJ_IOPORT", `.io_base = ${hexLiteral(o.ioport?.base ?? 0)}`, `.io_count = ${o.ioport?.count ?? 0}u`);
      break;
    case "irq_handler":
      f.push(".type = RS_OBJ_IRQ_HANDLER", `.irq = ${o.irq ?? 0}u`, `.irq_edge = ${o.irqTrigger === "edge" ? 1 : 0}`, `.irq_control = ${IRQ_CONTROL[irqControl]}`);
      break;
    default:
      if (o.dma) f.push(".type = RS_OBJ_DMA");
      else if (o.dmaInfoOf !== undefined) f.push(".type = RS_OBJ_DMA_INFO");
      else f.push(o.paddr !== undefined ? ".type = RS_OBJ_FRAMES_AT" : ".type = RS_OBJ_FRAMES");
      f.push(`.size_bits = ${o.sizeBits ?? 12}`, `.pages = ${o.pages ?? 1}u`);
      if (o.paddr !== undefined) f.push(`.paddr = ${hexLiteral(o.paddr)}`);
      if (o.dmaInfoOf !== undefined) f.push(`.of = ${index.get(o.dmaInfoOf) ?? "RS_NO_OBJECT"}u`);
  }
  return `{ ${f.join(", ")} }`;
}

interface ServerTables {
  caps: CapSlotModel[];
  maps: VaddrModel[];
  keepReserved: number;
  faultBadge: number;
}

function serverTables(L: ServerLayout, index: Map<string, number>): ServerTables {
  let keepReserved = 1 << FAULT_EP_SLOT;
  for (const s of L.slots) if (s.kind === "reserved" && s.object !== undefined) keepReserved |= 1 << s.slot;
  const faultBadge = L.slots.find((s) => s.slot === FAULT_EP_SLOT)?.badge ?? 0;
  const caps = L.slots.filter((s) => s.kind !== "reserved");
  const maps = L.vaddrs.filter((v) => v.object !== undefined && index.has(v.object));
  return { caps, maps, keepReserved, faultBadge };
}

function emitServerArrays(p: CPrinter, s: ServerModel, L: ServerLayout, t: ServerTables, index: Map<string, number>): void {
  const n = lower(s.name);
  p.blank().comment(`${s.name}: CNode of ${L.cnodeBits} bits; slots 0-7 as sel4utils fills them, kept: ${hexLiteral(t.keepReserved)}`);
  if (t.caps.length) {
    p.block(`static const rs_cap_t rs_caps_${n}[] =`, () => {
      for (const c of t.caps) {
        const obj = c.object !== undefined && index.has(c.object) ? `${index.get(c.object)}u` : "RS_NO_OBJECT";
        const badge = c.badge ? `, .badge = ${hexLiteral(c.badge)}` : "";
        p.line(`{ .slot = ${c.slot}u, .kind = ${SLOT_KIND[c.kind]}, .object = ${obj}${badge}, .rights = ${rightsExpr(c.rights)} }, /* ${c.cname}: ${c.comment.replace(/\*\//g, "* /")} */`);
      }
    }, ";");
  }
  if (t.maps.length) {
    p.block(`static const rs_mapping_t rs_maps_${n}[] =`, () => {
      for (const v of t.maps) {
        p.line(`{ .object = ${index.get(v.object!)}u, .vaddr = ${hexLiteral(v.vaddr)}, .perms = ${permsExpr(v.perms)}, .cached = ${v.cached ? 1 : 0} }, /* ${v.cname} */`);
      }
    }, ";");
  }
  if (s.args.length) {
    p.line(`static const char *const rs_argv_${n}[] = { ${s.args.map(cString).join(", ")} };`);
  }
  const maxSlot = Math.max(FAULT_EP_SLOT, ...t.caps.map((c) => c.slot));
  p.staticAssert(`${maxSlot}u < (1u << ${L.cnodeBits})`, `${s.name}: its caps fit its CNode`);
}

function serverInit(s: ServerModel, L: ServerLayout, t: ServerTables): string[] {
  const n = lower(s.name);
  const restart =
    s.restart.policy === "always" ? "RS_RESTART_ALWAYS" : s.restart.policy === "on-fault" ? "RS_RESTART_ON_FAULT" : "RS_RESTART_NEVER";
  const maxRestarts = s.restart.policy === "on-fault" ? s.restart.maxRestarts : 0;
  return [
    `.name = ${cString(s.name)},`,
    `.elf = ${cString(s.elf)},`,
    `.priority = ${s.priority},`,
    `.cnode_bits = ${L.cnodeBits},`,
    `.restart = ${restart},`,
    `.max_restarts = ${maxRestarts}u,`,
    `.stack_bytes = ${s.stackBytes}u,`,
    `.heap_bytes = ${s.heapBytes}u,`,
    `.keep_reserved = ${hexLiteral(t.keepReserved)},`,
    `.fault_badge = ${hexLiteral(t.faultBadge)},`,
    t.caps.length ? `.caps = rs_caps_${n}, .ncaps = ${t.caps.length}u,` : `.caps = 0, .ncaps = 0u,`,
    t.maps.length ? `.maps = rs_maps_${n}, .nmaps = ${t.maps.length}u,` : `.maps = 0, .nmaps = 0u,`,
    s.args.length ? `.argv = rs_argv_${n}, .argc = ${s.args.length}u,` : `.argv = 0, .argc = 0u,`,
    `.heap_vaddr = ${hexLiteral(L.vaddrs.find((v) => v.kind === "heap")?.vaddr ?? 0)},`,
    `.spawn_max_processes = ${s.spawn?.maxProcesses ?? 0}u,`,
    `.spawn_memory = ${hexLiteral(s.spawn?.memoryBytes ?? 0)},`,
    `.spawn_cost = ${hexLiteral(s.kind === "program" ? L.costBytes : 0)},`,
    `.shared_memory = ${hexLiteral(s.sharedMemoryBytes)},`,
    // MCS only (a non-MCS table leaves them 0).
    ...(s.sched ? [`.budget_us = ${s.sched.budgetUs}u, .period_us = ${s.sched.periodUs}u, .passive = ${s.sched.passive ? 1 : 0},`] : []),
  ];
}

function emitHeader(sys: SystemModel, order: ServerModel[], objects: KernelObjectModel[]): string {
  const p = new CPrinter();
  p.raw(banner(sys.file));
  p.comment(`Indices into the root-server tables of system ${sys.name} (rootserver/system_gen.c).`);
  p.line("#pragma once").blank();
  p.include("rootserver/tables.h").blank();
  p.define("RS_SYSTEM_NAME", cString(sys.name));
  p.define("RS_NSERVERS", `${order.length}u`);
  p.define("RS_NOBJECTS", `${objects.length}u`).blank();
  // RS_SERVER_INDEX_, not RS_SERVER_: a server called `running` would redefine the root
  // server's RS_SERVER_RUNNING. Object ids that upper-case alike get their index appended.
  order.forEach((s, i) => p.define(upperIdent("RS_SERVER_INDEX", s.name), `${i}u`, "start order"));
  [...sys.programs].sort((a, b) => (a.name < b.name ? -1 : 1)).forEach((s, i) => p.define(upperIdent("RS_PROGRAM", s.name), `${i}u`));
  p.blank();
  const used = new Set<string>();
  objects.forEach((o, i) => {
    let name = upperIdent("RS_OBJECT", o.id);
    if (used.has(name)) name = `${name}_${i}`;
    used.add(name);
    p.define(name, `${i}u`);
  });
  return p.text();
}

export function emitRootTables(sys: SystemModel, layout: SystemLayout): GeneratedFile[] {
  const { objects, index } = tableObjects(layout);
  const order = startOrder(sys);
  const layouts = new Map(layout.servers.map((L) => [L.name, L]));
  const unlaid = order.filter((s) => !layouts.has(s.name)).map((s) => s.name);
  // The layout is computed from this model, so a mismatch is a caller's bug, not a user error.
  if (unlaid.length) throw new Error(`emitRootTables: no layout for server(s) ${unlaid.join(", ")}`);
  const tables = new Map(layout.servers.map((L) => [L.name, serverTables(L, index)]));

  const p = new CPrinter();
  p.raw(banner(sys.file));
  p.comment(
    `Root-server tables of system ${sys.name}: kernel objects, then per server the caps to install\n` +
      `at exact slots and the frames to map at exact addresses. Servers are listed in start order.`,
  );
  p.include("rootserver/tables.h");
  p.include("system_gen.h", false).blank();
  p.staticAssert("RS_TABLES_VERSION == 2u", "generated for version 2 of rootserver/tables.h");
  p.blank();
  if (objects.length) {
    p.block("static const rs_object_t rs_objects[] =", () => {
      // The platform's interrupt controller decides how IRQ handlers are obtained.
      const irqControl = findPlatform(sys.platform)?.irqControl ?? "trigger";
      objects.forEach((o, i) => p.line(`[${i}] = ${objectInit(o, index, irqControl)},`));
    }, ";");
  }
  for (const s of order) emitServerArrays(p, s, layouts.get(s.name)!, tables.get(s.name)!, index);
  p.blank();
  if (order.length) {
    p.block("static const rs_server_t rs_servers[] =", () => {
      for (const s of order) {
        p.line("{").indented(() => p.lines(serverInit(s, layouts.get(s.name)!, tables.get(s.name)!))).line("},");
      }
    }, ";");
  }
  const programs = [...sys.programs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const progLayouts = new Map(layout.programs.map((L) => [L.name, L]));
  for (const s of programs) emitServerArrays(p, s, progLayouts.get(s.name)!, serverTables(progLayouts.get(s.name)!, index), index);
  if (programs.length) {
    p.blank().comment("Programs: spawned at run time through the root server's process service (idl/root.idl).");
    p.block("static const rs_server_t rs_programs[] =", () => {
      for (const s of programs) {
        const L = progLayouts.get(s.name)!;
        p.line("{").indented(() => p.lines(serverInit(s, L, serverTables(L, index)))).line("},");
      }
    }, ";");
  }
  p.blank();
  const faultEp = index.get("ep:root.fault");
  p.block("const rs_system_t rs_system =", () => {
    p.lines([
      ".version = RS_TABLES_VERSION,",
      `.name = ${cString(sys.name)},`,
      objects.length ? `.objects = rs_objects, .nobjects = ${objects.length}u,` : ".objects = 0, .nobjects = 0u,",
      `.fault_ep = ${faultEp !== undefined ? `${faultEp}u` : "RS_NO_OBJECT"},`,
      order.length ? `.servers = rs_servers, .nservers = ${order.length}u,` : ".servers = 0, .nservers = 0u,",
      programs.length ? `.programs = rs_programs, .nprograms = ${programs.length}u,` : ".programs = 0, .nprograms = 0u,",
      `.service_badge = ${hexLiteral(ROOT_SERVICE_BADGE)},`,
      `.untyped_budget = ${hexLiteral(layout.untypedBytesBudget)},`,
      `.untyped_estimate = ${hexLiteral(layout.untypedBytesUsed)},`,
      ...(sys.kernel?.mcs ? [".mcs = 1, /* compiled for the MCS kernel: scheduling contexts, reply objects */"] : []),
    ]);
  }, ";");
  return [
    { path: "rootserver/system_gen.c", text: p.text() },
    { path: "rootserver/system_gen.h", text: emitHeader(sys, order, objects) },
  ];
}
