// SPDX-License-Identifier: BSD-2-Clause
/**
 * The documentation's view model: what the page templates (codegen/templates/docs/) print,
 * built from the compiled system (model + layout) and nothing else. Plain data with every field
 * present (the templates run in handlebars' strict mode), strings not yet escaped (escape.ts does
 * that per output format), lists in the model's order.
 *
 *   systemView(sys, ".html").servers[0]
 *     → { name: "client", kind: "server", priority: 100, restart: "never",
 *         uses: [{ interface: "echo", server: "echo", href: "interfaces/echo.html", … }],
 *         caps: [{ slot: 9, cname: "CLIENT_CAP_ECHO", object: "ep:echo", badge: "1", rights: "-WGP", … }], … }
 *
 * The facts are those of layout.txt (emit/layout-txt.ts): same rights letters, sizes and badges.
 */

import { allProcesses, type CompiledSystem, type ServerModel, type ServerLayout } from "../model/system.ts";
import type { Field, Interface, Method, TypeRef } from "../model/idl.ts";
import { typeName } from "../model/idl-scope.ts";
import { approxSize, formatSize, hex } from "../model/sizes.ts";
import { rightsText } from "../emit/layout-txt.ts";
import { messageText, placementText, transportOf } from "./wire.ts";

/** File extension of pages: ".html" or ".md". */
export type PageExt = ".html" | ".md";

export const interfaceHref = (name: string, ext: PageExt, from: "root" | "interfaces" = "root") =>
  `${from === "root" ? "interfaces/" : ""}${name}${ext}`;
export const serverAnchor = (name: string) => `server-${name}`;

/**
 * The root server's services, part of every system: the process service (`root`), used by every
 * server with `spawn`, and shared memory (`rootmem`), used by every process holding a cap to
 * the root server (as emit/server-wrapper.ts includes their client headers).
 */
const ROOT_INTERFACES = new Set(["root", "rootmem"]);

function usersOf(sys: CompiledSystem, iface: string): ServerModel[] {
  const holdsRootCap = (name: string) =>
    [...sys.layout.servers, ...sys.layout.programs].find((L) => L.name === name)?.slots.some((c) => c.kind === "root_ep" || c.kind === "spawn_ep") ?? false;
  return allProcesses(sys.model).filter(
    (s) => s.uses.some((u) => u.interface === iface) || (iface === "root" && s.spawn) || (iface === "rootmem" && holdsRootCap(s.name)),
  );
}

function serversOf(model: CompiledSystem["model"], iface: string): string[] {
  const names = model.servers.filter((s) => s.serves.includes(iface)).map((s) => s.name);
  return ROOT_INTERFACES.has(iface) && names.length === 0 ? ["the root server"] : names;
}

function restartText(s: ServerModel): string {
  return s.restart.policy === "on-fault" ? `on fault, at most ${s.restart.maxRestarts} times` : s.restart.policy;
}

function vhex(n: number): string {
  const s = n.toString(16).padStart(12, "0");
  return `0x${s.slice(0, 4)}_${s.slice(4, 8)}_${s.slice(8)}`;
}

/** The first sentence of a doc comment (for lists), or "". */
export function firstSentence(doc: string | undefined): string {
  if (!doc) return "";
  const flat = doc.replace(/\s+/g, " ").trim();
  const m = /^(.*?[.!?])(\s|$)/.exec(flat);
  return m ? m[1] : flat;
}

/** Doc comment text as paragraphs (blank lines separate them; lines within one are joined). */
export function paragraphs(doc: string | undefined): string[] {
  if (!doc) return [];
  return doc
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, " ").trim())
    .filter(Boolean);
}

function serverView(s: ServerModel, L: ServerLayout, sys: CompiledSystem, ext: PageExt) {
  const shmOf = (iface: string, server: string) =>
    sys.layout.servers.find((x) => x.name === server)?.badges.find((b) => b.client === s.name && b.interface === iface)?.shm;
  return {
    name: s.name,
    anchor: serverAnchor(s.name),
    kind: s.kind,
    elf: s.elf,
    src: s.src,
    priority: s.priority,
    stack: formatSize(s.stackBytes),
    heap: formatSize(s.heapBytes),
    cnode: `2^${L.cnodeBits} = ${2 ** L.cnodeBits} slots (${L.slots.length} used)`,
    cost: `${approxSize(L.costBytes)} (${L.costBytes} bytes)`,
    restart: s.kind === "program" ? "" : restartText(s),
    isProgram: s.kind === "program",
    spawn: s.spawn ? `up to ${s.spawn.maxProcesses} processes in ${formatSize(s.spawn.memoryBytes)}` : "",
    deferredReplies: s.deferredReplies,
    args: s.args.join(" "),
    serves: s.serves.map((i) => ({ name: i, href: interfaceHref(i, ext) })),
    uses: s.uses.map((u) => {
      const shm = shmOf(u.interface, u.server);
      return {
        interface: u.interface,
        href: interfaceHref(u.interface, ext),
        server: u.server,
        serverAnchor: serverAnchor(u.server),
        as: u.as !== u.interface ? u.as : "",
        shm: shm ? `${formatSize(shm.sizeBytes)} shared buffer` : "",
      };
    }),
    notifies: s.notifies.map((n) => ({ name: n, anchor: serverAnchor(n) })),
    devices: s.devices.map((d) => ({
      name: d.name,
      compatible: d.compatible ?? "",
      paddr: hex(d.paddr),
      size: formatSize(d.size),
      irq: d.irq === undefined ? "" : `${d.irq} (${d.irqTrigger})`,
    })),
    maps: s.maps.map((m) => {
      const v = L.vaddrs.find((x) => x.object === `region:${m.region}` || x.cname.endsWith(`_${m.as.toUpperCase()}`));
      return { region: m.region, perms: m.perms, as: m.as, vaddr: v ? vhex(v.vaddr) : "" };
    }),
    caps: L.slots.map((c) => ({
      slot: c.slot,
      kind: c.kind,
      cname: c.cname,
      object: c.object ?? "",
      badge: c.badge === undefined ? "" : c.badge >= 0x1000 ? hex(c.badge) : String(c.badge),
      rights: rightsText(c.rights),
      comment: c.comment,
      empty: c.object === undefined,
    })),
    vaddrs: L.vaddrs.map((v) => ({
      vaddr: vhex(v.vaddr),
      size: formatSize(v.sizeBytes),
      kind: v.kind,
      cname: v.cname + (v.offset ? ` (+${hex(v.offset)})` : ""),
      object: v.object ?? "",
      perms: v.perms,
      cached: v.cached ? "yes" : "no",
    })),
    badges: L.badges.map((b) => ({
      badge: b.badge,
      client: b.client,
      clientAnchor: serverAnchor(b.client),
      interface: b.interface,
      shm: b.shm ? `${b.shm.object}, ${formatSize(b.shm.sizeBytes)} (server ${vhex(b.shm.serverVaddr)}, client ${vhex(b.shm.clientVaddr)})` : "",
    })),
    isDriver: s.kind === "driver",
  };
}

/** The system page. */
export function systemView(sys: CompiledSystem, ext: PageExt) {
  const { model, layout } = sys;
  const caps = layout.servers.reduce((n, s) => n + s.slots.filter((c) => c.kind !== "reserved").length, 0);
  const view = (L: ServerLayout) => {
    const s = allProcesses(model).find((x) => x.name === L.name);
    if (!s) throw new Error(`internal: layout of unknown server ${L.name}`);
    return serverView(s, L, sys, ext);
  };
  const servers = layout.servers.map(view);
  const programs = layout.programs.map(view);
  const objCost = layout.objects.reduce((a, o) => a + o.costBytes, 0);
  return {
    title: `System ${model.name}`,
    system: model.name,
    file: model.file,
    platform: model.platform,
    summary:
      `${model.servers.length} servers (${model.servers.filter((s) => s.kind === "driver").length} drivers), ` +
      (model.programs.length ? `${model.programs.length} programs spawned at run time, ` : "") +
      `${model.idl.interfaces.length} interfaces, ${caps} caps granted, ` +
      `untyped ${approxSize(layout.untypedBytesUsed)} of ${formatSize(layout.untypedBytesBudget)}`,
    servers,
    programs,
    /** Every process with its own section: servers, then programs. */
    sections: [...servers, ...programs],
    spawners: model.servers.filter((s) => s.spawn).map((s) => ({ name: s.name, anchor: serverAnchor(s.name) })),
    interfaces: model.idl.interfaces.map((i) => ({
      name: i.name,
      href: interfaceHref(i.name, ext),
      summary: firstSentence(i.doc),
      methods: i.methods.length,
      servedBy: serversOf(model, i.name).join(", "),
      usedBy: usersOf(sys, i.name)
        .map((s) => s.name)
        .join(", "),
    })),
    memory: model.memory.map((m) => ({
      name: m.name,
      size: formatSize(m.sizeBytes),
      paddr: m.paddr === undefined ? "" : hex(m.paddr),
      mappedBy: allProcesses(model)
        .flatMap((s) => s.maps.filter((x) => x.region === m.name).map((x) => `${s.name} (${x.perms})`))
        .join(", "),
    })),
    objects: layout.objects.map((o) => ({
      id: o.id,
      type: o.type,
      size: o.pages !== undefined ? `${o.pages} x 2^${o.sizeBits}` : o.sizeBits !== undefined ? `2^${o.sizeBits}` : "",
      paddr: o.paddr !== undefined ? hex(o.paddr) : "",
      irq: o.irq !== undefined ? `${o.irq} ${o.irqTrigger}` : "",
      cost: o.costBytes,
    })),
    untyped: {
      objects: objCost,
      other: layout.untypedBytesUsed - objCost,
      total: `${layout.untypedBytesUsed} bytes (${approxSize(layout.untypedBytesUsed)}) of ${formatSize(layout.untypedBytesBudget)}`,
    },
  };
}

function typeView(t: TypeRef, ext: PageExt, self: string) {
  // Named types of this interface link to their section; others to their interface's page.
  const name = typeName(t);
  const named = t.kind === "enum" || t.kind === "struct" ? t.name : t.kind === "array" && (t.elem.kind === "enum" || t.elem.kind === "struct") ? t.elem.name : "";
  const dot = named.indexOf(".");
  const ns = dot >= 0 ? named.slice(0, dot) : "";
  const href = !named || !ns ? "" : ns === self ? `#type-${named}` : `${ns}${ext}#type-${named}`;
  return { type: name, typeHref: href };
}

function fieldsView(fields: Field[], msg: Method["request"] | undefined, ext: PageExt, self: string) {
  return fields.map((f) => {
    const placed = msg?.fields.find((p) => p.name === f.name);
    return { name: f.name, ...typeView(f.type, ext, self), where: placed ? placementText(placed.placement, msg!.shm) : "" };
  });
}

function methodView(m: Method, i: Interface, ext: PageExt) {
  const sig = (fs: Field[]) => fs.map((f) => `${f.name}: ${typeName(f.type)}`).join(", ");
  const signature =
    m.kind === "oneway"
      ? `oneway ${m.name}(${sig(m.args)});`
      : `rpc ${m.name}(${sig(m.args)}) -> (${sig(m.results)})${m.raises.length ? ` raises (${m.raises.join(", ")})` : ""};`;
  const errs = m.kind === "oneway" ? [] : m.raises.length ? i.errors.filter((e) => m.raises.includes(e.name)) : i.errors;
  return {
    name: m.name,
    anchor: `method-${m.name}`,
    kind: m.kind,
    isRpc: m.kind === "rpc",
    label: `0x${m.label.toString(16)}`,
    labelHow: m.labelExplicit ? "written in the IDL" : "derived (FNV-1a of interface.method)",
    signature,
    summary: firstSentence(m.doc),
    doc: paragraphs(m.doc),
    args: fieldsView(m.args, m.request, ext, i.name),
    results: fieldsView(m.results, m.reply, ext, i.name),
    request: { text: messageText(m.request), transport: transportOf(m.request) },
    reply: m.reply ? { text: messageText(m.reply), transport: transportOf(m.reply) } : { text: "no reply (oneway)", transport: "none" },
    errors: errs.map((e) => ({ name: e.name, code: e.code })),
    errorsText:
      m.kind === "oneway"
        ? "none (no reply)"
        : m.raises.length
          ? "the listed errors, or the runtime's generic ones (an unlisted error arrives as NG_EINTERNAL)"
          : i.errors.length
            ? "any error of the interface, or the runtime's generic ones"
            : "the runtime's generic errors only",
  };
}

/** One interface's page. */
export function interfaceView(i: Interface, sys: CompiledSystem, ext: PageExt) {
  const { model } = sys;
  const doc = (d: string | undefined) => paragraphs(d).join(" ");
  return {
    title: `Interface ${i.name}`,
    name: i.name,
    file: i.file,
    system: model.name,
    systemHref: `../index${ext}`,
    doc: paragraphs(i.doc),
    shm: i.shmBytes ? `Some messages exceed the IPC buffer: each client gets a ${formatSize(i.shmBytes)} shared buffer with the server.` : "",
    servedBy: serversOf(model, i.name).map((name) => ({ name, href: `../index${ext}${model.servers.some((s) => s.name === name) ? `#${serverAnchor(name)}` : ""}` })),
    usedBy: usersOf(sys, i.name).map((s) => ({ name: s.name, href: `../index${ext}#${serverAnchor(s.name)}` })),
    methods: i.methods.map((m) => methodView(m, i, ext)),
    errors: i.errors.map((e) => ({ name: e.name, code: e.code, doc: doc(e.doc) })),
    consts: i.consts.map((c) => ({ name: c.name, type: typeName(c.type), value: c.value, doc: doc(c.doc) })),
    enums: i.enums.map((e) => ({
      name: e.name,
      anchor: `type-${e.qname}`,
      base: e.base,
      doc: doc(e.doc),
      members: e.members.map((m) => ({ name: m.name, value: m.value, doc: doc(m.doc) })),
    })),
    structs: i.structs.map((s) => ({
      name: s.name,
      anchor: `type-${s.qname}`,
      doc: doc(s.doc),
      fields: s.fields.map((f) => ({ name: f.name, ...typeView(f.type, ext, i.name), doc: doc(f.doc) })),
    })),
    aliases: i.aliases.map((a) => ({ name: a.name, target: typeName(a.target), doc: doc(a.doc) })),
  };
}

export type SystemView = ReturnType<typeof systemView>;
export type InterfaceView = ReturnType<typeof interfaceView>;
