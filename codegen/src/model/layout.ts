// SPDX-License-Identifier: BSD-2-Clause
/**
 * The capability layout: one deterministic pass from the resolved SystemModel to every server's
 * CSpace, badges, address-space map and the untyped memory it all costs. Servers are taken in
 * name order; nothing depends on the order of system.ts.
 *
 * ## CSpace slots (per server)
 * Slots 0-7 are sel4utils' fixed slots (RESERVED_SLOTS). Of them only slot 1 (its own CNode, for
 * moving received caps and saving reply caps) and slot 2 (the root server's fault endpoint, badged
 * with the server's fault badge) are filled; the others stay empty (least privilege). From
 * FIRST_FREE_SLOT (8), in this order:
 *   serve_ep      its endpoint, if it serves anything (receive right only)
 *   ntfn          its own notification, bound to its TCB (every server has one)
 *   use_ep        one per use, sorted by `as`: the server's endpoint badged for (client, interface)
 *   signal        one per notified server, sorted by name: that server's notification, badged
 *   irq_handler   one per device with an IRQ, sorted by device name (a run of devices, `count`,
 *                 has one per device in consecutive slots, all with the same badge)
 *   spawn_ep      the root server's process service, badged, if `spawn`
 *   recv          where a received cap lands: if it serves anything, spawns, or uses an interface
 *                 whose replies carry caps
 *   reply × N     `deferredReplies` slots for saved reply caps
 * The CNode has the fewest bits (at least MIN_CNODE_BITS) that hold those slots, plus
 * SPARE_SLOTS_WITH_RECV free slots for caps it keeps when it has a receive slot; `cnodeBits` in
 * system.ts overrides (and is an error if too small).
 *
 * ## Badges
 * Endpoint badges are small integers: each server's clients, sorted by client name and then
 * interface, get FIRST_BADGE, 2, 3… (one per client and interface), below DYNAMIC_BADGE_BASE;
 * badges from DYNAMIC_BADGE_BASE up are for servers to mint at run time. Notification badges set
 * NTFN_BADGE_MARK (bit 27, never set in an endpoint badge, so a server waiting on its endpoint
 * with a bound notification can tell the two apart) plus one bit per source: bit 0.. for the
 * device IRQs (device-name order), then one bit per notifying server (name order). The root
 * server's fault endpoint is badged 1, 2… in server-name order; a server with `spawn` holds a
 * second cap to the same endpoint for the process service (idl/root.idl), badged
 * ROOT_SERVICE_BADGE | its fault badge, so one receive loop in the root server takes faults and
 * service calls and tells them apart by badge.
 *
 * ## Programs
 * A program (kind "program") gets the same CSpace shape as a server, but nothing is created for
 * it at boot: its fault badge, notification and (with `spawn`) service badge are given when it is
 * spawned, and its `uses`/`notifies` slots stay empty until its spawner fills them. Its
 * costBytes is what one process of it costs, charged to the spawner's `spawn.memory`.
 *
 * ## Untyped cost (estimate, counted from what is created)
 * TCB 2^11, endpoint 2^4, notification 2^6, CNode 2^(bits+5), 4K per frame (2M per large
 * page), 4K for the VSpace and for each page table its mappings need (layout-vspace.ts), plus an
 * ELF_ESTIMATE_BYTES image per server and each `spawn.memory` pool; a driver's `dma` costs the
 * power-of-two untyped it is carved from, plus its info page. Device frames, IRQs and regions
 * with a fixed `paddr` cost nothing.
 */

import type { DiagnosticBag } from "../diag/diagnostics.ts";
import type { Interface } from "./idl.ts";
import {
  type BadgeModel,
  type CapRights,
  type CapSlotModel,
  type KernelObjectModel,
  type ServerLayout,
  type ServerModel,
  type SystemLayout,
  type SystemModel,
  type VaddrModel,
  FIRST_BADGE,
  FIRST_FREE_SLOT,
  RESERVED_SLOTS,
} from "./system.ts";
import { AREA_BYTES, ELF_ESTIMATE_BYTES, type SystemAreas, VADDR, pageTablesFor, systemAreas } from "./layout-vspace.ts";
import { LARGE_PAGE_BITS, PAGE_BITS, PAGE_SIZE, formatSize, hex, pagesOf } from "./sizes.ts";

export const NTFN_BADGE_MARK = 1 << 27;
export const MAX_NTFN_SOURCES = 27;
export const DYNAMIC_BADGE_BASE = 0x10000;
/** Badges of run-time bulk connections (server-conn.ts): base | generation << 8 | index; below NTFN_BADGE_MARK. */
export const CONN_BADGE_BASE = 0x400_0000;
export const MIN_CNODE_BITS = 4;
export const SPARE_SLOTS_WITH_RECV = 16;
export const COST = { tcb: 2 ** 11, endpoint: 2 ** 4, notification: 2 ** 6, slotBits: 5, page: PAGE_SIZE, table: PAGE_SIZE, reply: 2 ** 5, schedContext: 2 ** 8 } as const;

/** MCS: slot 7 holds the reply object a server receives calls with (sel4utils' reply slot). */
export const REPLY_OBJECT_SLOT = 7;

export const FAULT_EP = "ep:root.fault";
/** Set in the badge of a cap to the root server's process service (on FAULT_EP). */
export const ROOT_SERVICE_BADGE = 0x100_0000;

const R = (read: boolean, write: boolean, grant: boolean, grantReply: boolean): CapRights => ({ read, write, grant, grantReply });
export const RIGHTS = {
  none: R(false, false, false, false),
  all: R(true, true, true, true),
  recv: R(true, false, false, false),
  recvGrant: R(true, false, true, false),
  ntfnOwn: R(true, true, false, false),
  call: R(false, true, false, true),
  callGrant: R(false, true, true, true),
  signal: R(false, true, false, false),
} as const;

const upper = (s: string) => s.toUpperCase();
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function computeLayout(model: SystemModel, bag: DiagnosticBag): SystemLayout {
  const objects = new Map<string, KernelObjectModel>();
  const add = (o: KernelObjectModel) => objects.set(o.id, o);
  const frames = (id: string, bytes: number, sizeBits = 12, paddr?: number): KernelObjectModel => {
    const pages = Math.ceil(bytes / 2 ** sizeBits);
    const o: KernelObjectModel = { id, type: "frame", sizeBits, pages, costBytes: paddr === undefined ? pages * 2 ** sizeBits : 0 };
    if (paddr !== undefined) o.paddr = paddr;
    return o;
  };
  const servers = [...model.servers].sort((a, b) => cmp(a.name, b.name));
  const byName = new Map(servers.map((s) => [s.name, s]));
  const ifaces = new Map(model.idl.interfaces.map((f) => [f.name, f]));

  if (servers.length) add({ id: FAULT_EP, type: "endpoint", costBytes: COST.endpoint });
  const spawners = servers.filter((s) => s.spawn);
  for (const r of model.memory) add(frames(`region:${r.name}`, r.sizeBytes, r.pageBits, r.paddr));

  // Badges on each server's endpoint, and the shared buffers that go with them.
  const badgeTables = new Map<string, BadgeModel[]>();
  const badgeOf = new Map<string, number>(); // "client|as" -> badge
  for (const s of servers) {
    const clients = servers
      .flatMap((c) => c.uses.filter((u) => u.server === s.name).map((u) => ({ c, u })))
      .sort((a, b) => cmp(a.c.name, b.c.name) || cmp(a.u.interface, b.u.interface) || cmp(a.u.as, b.u.as));
    const table: BadgeModel[] = clients.map(({ c, u }, k) => {
      const badge = FIRST_BADGE + k;
      badgeOf.set(`${c.name}|${u.as}`, badge);
      const b: BadgeModel = { badge, client: c.name, interface: u.interface };
      const shmBytes = ifaces.get(u.interface)?.shmBytes ?? 0;
      if (shmBytes > 0) {
        const id = `shm:${s.name}.${c.name}.${u.interface}`;
        add(frames(id, shmBytes));
        b.shm = { object: id, serverVaddr: 0, clientVaddr: 0, sizeBytes: pagesOf(shmBytes) * PAGE_SIZE };
      }
      return b;
    });
    if (table.length >= DYNAMIC_BADGE_BASE) bag.error(s.pos, `'${s.name}' has ${table.length} clients; at most ${DYNAMIC_BADGE_BASE - 1} static badges fit`);
    badgeTables.set(s.name, table);
  }

  // Notification sources of each server: its IRQs, then the servers that notify it.
  const ntfnBit = new Map<string, number>(); // "server|irq:dev" or "server|from:notifier" -> badge
  for (const s of servers) {
    const irqs = irqDevices(s).map((d) => `irq:${d.name}`);
    const from = servers.filter((n) => n.notifies.includes(s.name)).map((n) => `from:${n.name}`);
    const sources = [...irqs, ...from];
    if (sources.length > MAX_NTFN_SOURCES)
      bag.error(s.pos, `'${s.name}' has ${sources.length} notification sources (IRQs and notifying servers); at most ${MAX_NTFN_SOURCES} fit in a badge`, "split the work over two servers");
    sources.forEach((src, k) => ntfnBit.set(`${s.name}|${src}`, NTFN_BADGE_MARK | (2 ** k)));
  }

  const layouts: ServerLayout[] = [];
  const areas = systemAreas();
  let total = [...objects.values()].reduce((a, o) => a + o.costBytes, 0);
  servers.forEach((s, index) => {
    const L = serverLayout(s, index, { model, byName, ifaces, badgeTables, badgeOf, ntfnBit, spawners, areas, add, frames, bag });
    layouts.push(L);
    total += L.costBytes;
  });

  // Shared-buffer addresses both sides agreed on, copied into the badge tables.
  for (const L of layouts) {
    for (const b of L.badges) {
      if (!b.shm) continue;
      const srv = L.vaddrs.find((v) => v.object === b.shm!.object);
      const cli = layouts.find((x) => x.name === b.client)?.vaddrs.find((v) => v.object === b.shm!.object);
      b.shm.serverVaddr = srv?.vaddr ?? 0;
      b.shm.clientVaddr = cli?.vaddr ?? 0;
    }
  }

  if (total > model.untypedBytes) {
    const need = Math.ceil(total / (1024 * 1024)) * 1024 * 1024;
    bag.error(
      model.propPos?.untyped ?? model.pos,
      `the system needs ${formatSize(need)} of untyped memory (${total} bytes), more than its budget of ${formatSize(model.untypedBytes)}`,
      `raise it: untyped: "${formatSize(need)}" (or shrink stacks, heaps, regions or spawn pools; layout.txt lists the costs)`,
    );
  }

  // Programs: the same shape, nothing created (their processes are charged to their spawners).
  const programs = [...model.programs].sort((a, b) => cmp(a.name, b.name)).map((p, k) =>
    serverLayout(p, servers.length + k, { model, byName, ifaces, badgeTables, badgeOf, ntfnBit, spawners, areas, add: () => {}, frames, bag }),
  );

  return {
    objects: [...objects.values()].sort((a, b) => cmp(a.id, b.id)),
    servers: layouts,
    programs,
    untypedBytesUsed: total,
    untypedBytesBudget: model.untypedBytes,
  };
}

export function irqDevices(s: ServerModel) {
  return s.devices.filter((d) => d.irq !== undefined).sort((a, b) => cmp(a.name, b.name));
}

interface Ctx {
  model: SystemModel;
  byName: Map<string, ServerModel>;
  ifaces: Map<string, Interface>;
  badgeTables: Map<string, BadgeModel[]>;
  badgeOf: Map<string, number>;
  ntfnBit: Map<string, number>;
  spawners: ServerModel[];
  /** MMIO, shared-buffer and region areas: one cursor each for the whole system. */
  areas: SystemAreas;
  add(o: KernelObjectModel): void;
  frames(id: string, bytes: number, sizeBits?: number, paddr?: number): KernelObjectModel;
  bag: DiagnosticBag;
}

function serverLayout(s: ServerModel, index: number, x: Ctx): ServerLayout {
  const N = upper(s.name);
  const own: KernelObjectModel[] = [];
  const addOwn = (o: KernelObjectModel) => {
    own.push(o);
    x.add(o);
  };
  const slots: CapSlotModel[] = RESERVED_SLOTS.map((what, slot) => ({
    slot,
    kind: "reserved" as const,
    cname: `${N}_CAP_${RESERVED_CNAMES[slot]}`,
    rights: RIGHTS.none,
    comment: `${what}: empty (not granted)`,
  }));
  slots[1] = { ...slots[1], object: `cnode:${s.name}`, rights: RIGHTS.all, comment: "own CNode (cap moves, saved replies)" };
  const program = s.kind === "program";
  slots[2] = program
    ? { ...slots[2], object: FAULT_EP, rights: RIGHTS.callGrant, comment: "fault endpoint (root server; badge given at spawn)" }
    : { ...slots[2], object: FAULT_EP, badge: FIRST_BADGE + index, rights: RIGHTS.callGrant, comment: `fault endpoint (root server; badge ${FIRST_BADGE + index} names ${s.name})` };
  const push = (slot: Omit<CapSlotModel, "slot">) => slots.push({ slot: slots.length, ...slot });
  const mcs = x.model.kernel?.mcs ?? false;

  const served = s.serves.length > 0;
  if (mcs) {
    // The root server creates both per start (sel4utils does, for slots 6 and 7); only a server
    // that receives calls keeps its reply object; none keeps its scheduling context cap.
    addOwn({ id: `sc:${s.name}`, type: "sched_context", costBytes: COST.schedContext });
    slots[6] = { ...slots[6], comment: `scheduling context: empty (not granted; ${s.sched?.passive ? "passive: none once initialised" : "bound to its TCB"})` };
    if (served) {
      addOwn({ id: `reply:${s.name}`, type: "reply", costBytes: COST.reply });
      slots[REPLY_OBJECT_SLOT] = { ...slots[REPLY_OBJECT_SLOT], object: `reply:${s.name}`, rights: RIGHTS.all, comment: "reply object (MCS): calls are received with it" };
    }
  }
  const irqs = irqDevices(s);
  const notified = x.model.servers.some((n) => n.notifies.includes(s.name));
  if (served) {
    addOwn({ id: `ep:${s.name}`, type: "endpoint", costBytes: COST.endpoint });
    const table = x.badgeTables.get(s.name) ?? [];
    // A non-MCS reply cap can grant caps only if the endpoint cap the server received on has
    // Grant, so a server whose replies carry caps (pathmgr.resolve) needs it.
    // So does one that answers run-time connections with their caps (server-conn.ts).
    const grantsInReplies =
      s.serves.some((i) => x.ifaces.get(i)?.methods.some((m) => (m.reply?.caps ?? 0) > 0)) || bulkConnections(s, x.ifaces) > 0;
    push({ kind: "serve_ep", cname: `${N}_CAP_EP`, object: `ep:${s.name}`, rights: grantsInReplies ? RIGHTS.recvGrant : RIGHTS.recv, comment: `receive ${s.serves.join(", ")} requests (${table.length} client badge${table.length === 1 ? "" : "s"})` });
  }
  // Every server has its own notification, bound to its TCB, as every Microkit PD does: IRQs
  // and signals arrive there, and it is the cap a server hands out to be signalled.
  addOwn({ id: `ntfn:${s.name}`, type: "notification", costBytes: COST.notification });
  push({ kind: "ntfn", cname: `${N}_CAP_NTFN`, object: `ntfn:${s.name}`, rights: RIGHTS.ntfnOwn, comment: program ? "own notification, bound to its TCB (a fresh one per process)" : `own notification, bound to its TCB (${irqs.length || notified ? "IRQs and signals" : "signals; can be handed out"})` });
  for (const u of [...s.uses].sort((a, b) => cmp(a.as, b.as))) {
    const f = x.ifaces.get(u.interface);
    // Grant when a request carries caps, or when the interface moves payloads in a shared buffer:
    // a run-time connection hands the server a shared-memory object (server-conn.ts).
    const grant = (f?.methods.some((m) => m.request.caps > 0) ?? false) || (f?.shmBytes ?? 0) > 0;
    if (program) {
      push({ kind: "use_ep", cname: `${N}_CAP_${upper(u.as)}`, rights: grant ? RIGHTS.callGrant : RIGHTS.call, comment: `call ${u.interface} on ${u.server}: empty until the spawner passes a cap` });
      continue;
    }
    const badge = x.badgeOf.get(`${s.name}|${u.as}`)!;
    push({
      kind: "use_ep",
      cname: `${N}_CAP_${upper(u.as)}`,
      object: `ep:${u.server}`,
      badge,
      rights: grant ? RIGHTS.callGrant : RIGHTS.call,
      comment: `call ${u.interface} on ${u.server} (badge ${badge} names ${s.name} to ${u.server})`,
    });
  }
  for (const t of [...s.notifies].sort(cmp)) {
    if (program) {
      push({ kind: "signal", cname: `${N}_CAP_SIGNAL_${upper(t)}`, rights: RIGHTS.signal, comment: `signal ${t}: empty until the spawner passes a cap` });
      continue;
    }
    const badge = x.ntfnBit.get(`${t}|from:${s.name}`)!;
    push({ kind: "signal", cname: `${N}_CAP_SIGNAL_${upper(t)}`, object: `ntfn:${t}`, badge, rights: RIGHTS.signal, comment: `signal ${t} (badge ${hex(badge)})` });
  }
  for (const d of irqs) {
    const badge = x.ntfnBit.get(`${s.name}|irq:${d.name}`)!;
    // A run of devices (`count`): one handler per IRQ in consecutive slots, one badge bit.
    (d.irqs ?? [d.irq!]).forEach((irq, k) => {
      const id = k === 0 ? `irq:${s.name}.${d.name}` : `irq:${s.name}.${d.name}.${k}`;
      addOwn({ id, type: "irq_handler", irq, irqTrigger: d.irqTrigger, costBytes: 0 });
      const cname = k === 0 ? `${N}_CAP_IRQ_${upper(d.name)}` : `${N}_CAP_IRQ_${upper(d.name)}_${k}`;
      const which = d.irqs ? `${d.name} #${k}` : d.name;
      push({ kind: "irq_handler", cname, object: id, badge, rights: RIGHTS.all, comment: `IRQ ${irq} (${d.irqTrigger}) of ${which}; signals own notification with badge ${hex(badge)}` });
    });
  }
  for (const d of s.devices.filter((v) => v.ioport).sort((a, b) => cmp(a.name, b.name))) {
    const id = `ioport:${s.name}.${d.name}`;
    const io = d.ioport!;
    addOwn({ id, type: "ioport", ioport: { ...io }, costBytes: 0 });
    push({ kind: "ioport", cname: `${N}_CAP_IOPORT_${upper(d.name)}`, object: id, rights: RIGHTS.all, comment: `I/O ports ${hex(io.base)}..${hex(io.base + io.count - 1)} of ${d.name}` });
  }
  let serviceBadge: number | undefined;
  // Run-time shared memory (idl/rootmem.idl) goes through the same service cap; mapping an object
  // means sending its cap, which takes Grant.
  const conns = bulkConnections(s, x.ifaces);
  const usesRootmem = conns > 0 || s.sharedMemoryBytes > 0;
  const rootRights = usesRootmem ? RIGHTS.callGrant : RIGHTS.call;
  const rootKind = s.spawn ? "spawn_ep" : "root_ep";
  const rootCname = s.spawn ? `${N}_CAP_SPAWN` : `${N}_CAP_ROOT`;
  const rootWhat = s.spawn ? (usesRootmem ? "process and shared-memory services" : "process service") : "shared-memory service";
  if ((s.spawn || usesRootmem) && program) {
    // No object in the tables: the root server mints it per process with that process's badge.
    push({ kind: rootKind, cname: rootCname, rights: rootRights, comment: `root server ${rootWhat} (${FAULT_EP}, badge given at spawn)` });
  } else if (s.spawn || usesRootmem) {
    serviceBadge = ROOT_SERVICE_BADGE | (FIRST_BADGE + index);
    push({ kind: rootKind, cname: rootCname, object: FAULT_EP, badge: serviceBadge, rights: rootRights, comment: `root server ${rootWhat} (badge ${hex(serviceBadge)})` });
  }
  const replyCaps = s.uses.some((u) => x.ifaces.get(u.interface)?.methods.some((m) => (m.reply?.caps ?? 0) > 0));
  let recvSlot: number | undefined;
  if (served || s.spawn || replyCaps || s.sharedMemoryBytes > 0) {
    recvSlot = slots.length;
    push({ kind: "recv", cname: `${N}_CAP_RECV`, rights: RIGHTS.none, comment: "empty: a received cap lands here" });
  }
  const replySlots: number[] = [];
  for (let k = 0; k < s.deferredReplies; k++) {
    replySlots.push(slots.length);
    if (mcs) {
      addOwn({ id: `reply:${s.name}.${k}`, type: "reply", costBytes: COST.reply });
      push({ kind: "reply", cname: `${N}_CAP_REPLY_${k}`, rights: RIGHTS.none, comment: "reply object (MCS), created by the root server: a held-back caller (deferred reply)" });
    } else {
      push({ kind: "reply", cname: `${N}_CAP_REPLY_${k}`, rights: RIGHTS.none, comment: "empty: a saved reply cap (deferred reply)" });
    }
  }
  let connShmBytes: number | undefined;
  if (conns > 0) {
    connShmBytes = Math.max(...s.serves.map((i) => x.ifaces.get(i)?.shmBytes ?? 0));
    if (s.deferredReplies === 0) {
      x.bag.error(
        s.propPos?.deferredReplies ?? s.pos,
        `'${s.name}' takes run-time connections but holds no deferred reply (it saves the caller's reply while the root server maps the buffer)`,
        "leave deferredReplies out (default 4), or set connections: 0",
      );
    }
    push({ kind: "mint_ep", cname: `${N}_CAP_EP_MINT`, object: `ep:${s.name}`, rights: RIGHTS.all, comment: "own endpoint, unbadged: mints run-time connection caps" });
    for (let k = 0; k < conns; k++) {
      push({ kind: "conn_ep", cname: `${N}_CAP_CONN_EP_${k}`, rights: RIGHTS.none, comment: `empty: run-time connection ${k}'s cap` });
      push({ kind: "conn_obj", cname: `${N}_CAP_CONN_OBJ_${k}`, rights: RIGHTS.none, comment: `empty: run-time connection ${k}'s shared-memory object` });
    }
  }
  checkCnames(s, slots, x.bag);

  // CNode size.
  const used = slots.length;
  const want = used + (recvSlot !== undefined ? SPARE_SLOTS_WITH_RECV : 0);
  let cnodeBits = Math.max(MIN_CNODE_BITS, Math.ceil(Math.log2(want)));
  if (s.cnodeBitsRequested !== undefined) {
    if (2 ** s.cnodeBitsRequested < used) {
      const fits = Math.max(MIN_CNODE_BITS, Math.ceil(Math.log2(used)));
      x.bag.error(
        s.propPos?.cnodeBits ?? s.pos,
        `cnodeBits ${s.cnodeBitsRequested} gives ${2 ** s.cnodeBitsRequested} slots, but '${s.name}' needs ${used}`,
        `use cnodeBits: ${fits} (${2 ** fits} slots), or leave it out to get the smallest that fits`,
      );
    }
    cnodeBits = s.cnodeBitsRequested;
  }

  // Address space.
  const vaddrs = vaddrMap(s, x, addOwn);

  // Objects of its own.
  addOwn({ id: `tcb:${s.name}`, type: "tcb", costBytes: COST.tcb });
  addOwn({ id: `cnode:${s.name}`, type: "cnode", sizeBits: cnodeBits, costBytes: 2 ** (cnodeBits + COST.slotBits) });
  addOwn({ id: `vspace:${s.name}`, type: "vspace", costBytes: COST.table });
  const largeIds = new Set(x.model.memory.filter((r) => r.pageBits === LARGE_PAGE_BITS).map((r) => `region:${r.name}`));
  if (s.heapBytes > 0 && s.heapBytes % 2 ** LARGE_PAGE_BITS === 0) largeIds.add(`heap:${s.name}`);
  const tables = pageTablesFor(vaddrs, (v) => v.object !== undefined && largeIds.has(v.object));
  const costBytes = own.reduce((a, o) => a + o.costBytes, 0) + tables * COST.table + ELF_ESTIMATE_BYTES + (s.spawn?.memoryBytes ?? 0);

  const L: ServerLayout = { name: s.name, cnodeBits, slots, vaddrs, badges: x.badgeTables.get(s.name) ?? [], recvSlot, replySlots, costBytes };
  if (serviceBadge !== undefined) L.serviceBadge = serviceBadge;
  if (connShmBytes !== undefined) L.connShmBytes = connShmBytes;
  return L;
}

/**
 * Run-time connections a server keeps: only for interfaces with shared-buffer methods, and only
 * where the root server's shared-memory service exists (every compiled system has it; models
 * built by hand in tests may not).
 */
function bulkConnections(s: ServerModel, ifaces: Map<string, Interface>): number {
  if (!ifaces.has("rootmem")) return 0;
  return s.serves.some((i) => (ifaces.get(i)?.shmBytes ?? 0) > 0) ? s.connections : 0;
}

/**
 * A driver's DMA memory: one untyped of the next power-of-two size, retyped into contiguous 4K
 * frames (`dma:<driver>`), and a read-only info page (`dmainfo:<driver>`) where the root server
 * writes the physical address. Both go in the region area, after the driver's regions.
 */
function placeDma(s: ServerModel, dma: NonNullable<ServerModel["dma"]>, x: Ctx, addOwn: (o: KernelObjectModel) => void, out: VaddrModel[]): void {
  const N = upper(s.name);
  const id = `dma:${s.name}`;
  const pages = pagesOf(dma.sizeBytes);
  addOwn({ id, type: "frame", sizeBits: 12, pages, dma: true, costBytes: 2 ** Math.ceil(Math.log2(pages * PAGE_SIZE)) });
  addOwn({ id: `dmainfo:${s.name}`, type: "frame", sizeBits: 12, pages: 1, dmaInfoOf: id, costBytes: PAGE_SIZE });
  const regions = x.areas.regions;
  const at = regions.place(pages * PAGE_SIZE);
  const info = regions.place(PAGE_SIZE);
  if (at === undefined || info === undefined) x.bag.error(dma.pos, `the DMA memory of '${s.name}' does not fit the region area`, "make it smaller");
  out.push({ cname: `${N}_VADDR_DMA`, kind: "dma", vaddr: at ?? 0, sizeBytes: pages * PAGE_SIZE, object: id, perms: "rw", cached: dma.cached });
  out.push({ cname: `${N}_VADDR_DMA_INFO`, kind: "dma_info", vaddr: info ?? 0, sizeBytes: PAGE_SIZE, object: `dmainfo:${s.name}`, perms: "r", cached: true });
}

const RESERVED_CNAMES = ["NULL", "CNODE", "FAULT_EP", "VSPACE", "ASID_POOL", "TCB", "SCHED_CONTEXT", "REPLY_OBJ"];

/** Slot constants must be distinct: a use named `ep` or `recv` would shadow a fixed slot. */
function checkCnames(s: ServerModel, slots: CapSlotModel[], bag: DiagnosticBag): void {
  const seen = new Map<string, CapSlotModel>();
  for (const slot of slots) {
    const prev = seen.get(slot.cname);
    if (prev) {
      const use = s.uses.find((u) => slot.kind === "use_ep" && `${upper(s.name)}_CAP_${upper(u.as)}` === slot.cname) ?? s.uses.find((u) => `${upper(s.name)}_CAP_${upper(u.as)}` === prev.cname);
      bag.error(use?.pos ?? s.pos, `slot constant ${slot.cname} of '${s.name}' names two slots (${prev.slot}: ${prev.kind}, ${slot.slot}: ${slot.kind})`, "rename the use with `as`");
    } else seen.set(slot.cname, slot);
  }
}

function vaddrMap(s: ServerModel, x: Ctx, addOwn: (o: KernelObjectModel) => void): VaddrModel[] {
  const N = upper(s.name);
  const out: VaddrModel[] = [];
  // The IPC buffer and the stack are placed by the process loader (sel4utils), which picks
  // their addresses itself: they cost memory but get no address constant here. The build sizes
  // every stack to the largest `stack` a server asks for (LibSel4UtilsStackSize).
  addOwn(x.frames(`ipcbuf:${s.name}`, PAGE_SIZE));
  if (s.stackBytes > AREA_BYTES - PAGE_SIZE) x.bag.error(s.pos, `stack of '${s.name}' is larger than the ${formatSize(AREA_BYTES - PAGE_SIZE)} stack area`);
  addOwn(x.frames(`stack:${s.name}`, s.stackBytes));
  if (s.heapBytes > 0) {
    if (s.heapBytes > AREA_BYTES) x.bag.error(s.pos, `heap of '${s.name}' is larger than the ${formatSize(AREA_BYTES)} heap area`);
    // A heap of whole 2 MiB pages is made of large frames: one cap (and one TLB entry) per 2 MiB
    // instead of 512, so a heap of tens of MiB fits the root server's CNode.
    addOwn(x.frames(`heap:${s.name}`, s.heapBytes, s.heapBytes % 2 ** LARGE_PAGE_BITS === 0 ? LARGE_PAGE_BITS : PAGE_BITS));
    out.push({ cname: `${N}_VADDR_HEAP`, kind: "heap", vaddr: VADDR.heap, sizeBytes: s.heapBytes, object: `heap:${s.name}`, perms: "rw", cached: true });
  }
  const mmio = x.areas.mmio;
  for (const d of [...s.devices].sort((a, b) => cmp(a.name, b.name))) {
    if (d.ioport) continue; // I/O ports are a cap (slots), not a mapping
    const id = `mmio:${s.name}.${d.name}`;
    x.add({ id, type: "frame", sizeBits: 12, pages: pagesOf(d.size), paddr: d.paddr, costBytes: 0 });
    const at = mmio.place(d.size);
    if (at === undefined) x.bag.error(d.pos, `MMIO windows of the system do not fit its ${formatSize(AREA_BYTES)} device area (at '${s.name}')`);
    const v: VaddrModel = { cname: `${N}_VADDR_${upper(d.name)}`, kind: "mmio", vaddr: at ?? 0, sizeBytes: d.size, object: id, perms: "rw", cached: false };
    if (d.offset) v.offset = d.offset;
    out.push(v);
  }
  const shm = x.areas.shm;
  const placeShm = (cname: string, object: string, size: number, pos = s.pos) => {
    const at = shm.place(size);
    if (at === undefined) x.bag.error(pos, `shared buffers of the system do not fit its ${formatSize(AREA_BYTES)} shared-buffer area (at '${s.name}')`);
    out.push({ cname, kind: "shm", vaddr: at ?? 0, sizeBytes: size, object, perms: "rw", cached: true });
  };
  for (const b of x.badgeTables.get(s.name) ?? []) {
    if (b.shm) placeShm(`${N}_VADDR_SHM_${upper(b.client)}_${upper(b.interface)}`, b.shm.object, b.shm.sizeBytes);
  }
  // A program's uses have no static shared buffer (its spawner's caps are not known here).
  for (const u of s.kind === "program" ? [] : [...s.uses].sort((a, b) => cmp(a.as, b.as))) {
    const bytes = x.ifaces.get(u.interface)?.shmBytes ?? 0;
    if (bytes > 0) placeShm(`${N}_VADDR_SHM_${upper(u.as)}`, `shm:${u.server}.${s.name}.${u.interface}`, pagesOf(bytes) * PAGE_SIZE, u.pos);
  }
  const regions = x.areas.regions;
  for (const m of [...s.maps].sort((a, b) => cmp(a.as, b.as))) {
    const r = x.model.memory.find((q) => q.name === m.region)!;
    const v: VaddrModel = { cname: `${N}_VADDR_${upper(m.as)}`, kind: "region", vaddr: m.vaddr, sizeBytes: r.sizeBytes, object: `region:${r.name}`, perms: m.perms, cached: true };
    if (!m.vaddr) {
      const at = regions.place(r.sizeBytes, 2 ** r.pageBits);
      if (at === undefined) x.bag.error(m.pos, `memory regions of the system do not fit its region area (at '${s.name}')`);
      v.vaddr = at ?? 0;
    } else {
      if (m.vaddr % 2 ** r.pageBits !== 0) x.bag.error(m.pos, `vaddr ${hex(m.vaddr)} is not aligned to region '${r.name}''s page size`, "align it, or leave vaddr out");
      const clash = out.find((o) => m.vaddr < o.vaddr + o.sizeBytes && o.vaddr < m.vaddr + r.sizeBytes);
      const elf = m.vaddr < VADDR.elf + 0x20_0000 && VADDR.elf < m.vaddr + r.sizeBytes;
      if (clash || elf || m.vaddr < PAGE_SIZE)
        x.bag.error(m.pos, `vaddr ${hex(m.vaddr)} of region '${r.name}' overlaps ${clash ? clash.cname : "the ELF image"} in '${s.name}'`, "leave vaddr out to let the layout choose");
    }
    out.push(v);
  }
  if (s.dma) placeDma(s, s.dma, x, addOwn, out);
  return out.sort((a, b) => a.vaddr - b.vaddr);
}
