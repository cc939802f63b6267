// SPDX-License-Identifier: BSD-2-Clause
/**
 * From a loaded system.ts and the IDL model to the resolved SystemModel: validates the shape
 * (model/system-schema.ts), fills in defaults, and checks every cross-reference — names unique,
 * served and used interfaces exist and have exactly one provider, notifications and mappings
 * name real servers and regions, devices resolve and do not collide (resolve-system-devices.ts),
 * and no server serves two interfaces whose message labels collide. Every error points at the
 * offending property in system.ts. Servers come out sorted by name.
 */

import path from "node:path";
import { type DiagnosticBag, type SourcePos, suggestionHint, formatPos } from "../diag/diagnostics.ts";
import type { Driver, MemoryMapping, Program, Server, Use } from "../api/index.ts";
import { positionOf, type LoadedSystem, type PathKey } from "../parse/system/loader.ts";
import type { IdlModel, Interface } from "./idl.ts";
import type { MemoryRegionModel, RestartPolicyModel, ServerModel, SystemModel, UseModel, MappingModel } from "./system.ts";
import { schemaIssues } from "./system-schema.ts";
import { findPlatform, platformNames } from "./platforms.ts";
import { parseSize, PAGE_SIZE, hex, isPageAligned, pagesOf } from "./sizes.ts";
import { type KernelConfig, type KernelOverrides, KERNEL_DEFAULTS, SCHED_DEFAULTS, checkKernel, parseTimeUs } from "./kernel.ts";
import { checkDeviceConflicts, resolveDevices, type DeviceInput, type ResolvedDevice } from "./resolve-system-devices.ts";

export const DEFAULTS = {
  platform: "qemu-arm-virt",
  untyped: "64M",
  priority: 100,
  stack: "16K",
  heap: "64K",
  deferredRepliesIfServing: 4,
  spawnMaxProcesses: 16,
  spawnMemory: "16M",
  connectionsIfBulk: 8,
} as const;

const bytes = (v: unknown): number => (parseSize(v) as { bytes: number }).bytes;

export interface ResolveOptions {
  /** Kernel settings given on the command line (-D KernelIsMCS=ON…): they win over system.ts. */
  kernel?: KernelOverrides;
  /** The platform the build is for, when the command line chose one. */
  platform?: string;
}

export function resolveSystem(loaded: LoadedSystem, idl: IdlModel, bag: DiagnosticBag, opts: ResolveOptions = {}): SystemModel | undefined {
  const spec = loaded.spec;
  const at = (path: PathKey[]): SourcePos => positionOf(loaded, spec, path);

  const issues = schemaIssues(spec);
  for (const i of issues) bag.error(at(i.path), i.message, i.hint);
  if (issues.length > 0) return undefined;
  const before = bag.errors.length;

  const platform = findPlatform(spec.platform ?? DEFAULTS.platform);
  if (!platform) {
    bag.error(at(["platform"]), `unknown platform '${spec.platform}'`, suggestionHint(spec.platform!, platformNames()) ?? `use one of: ${platformNames().join(", ")}`);
  }

  const kernel = resolveKernel(spec.kernel ?? {}, opts, opts.platform ?? platform?.name, at, bag);

  // Memory regions.
  const memory: MemoryRegionModel[] = [];
  const regionAt = new Map<string, SourcePos>();
  (spec.memory ?? []).forEach((r, i) => {
    const rp = (p: PathKey[] = []) => at(["memory", i, ...p]);
    if (regionAt.has(r.name)) {
      bag.error(rp(["name"]), `memory region '${r.name}' is declared twice (first at ${formatPos(regionAt.get(r.name))})`, "give each region its own name");
      return;
    }
    regionAt.set(r.name, rp(["name"]));
    const pageBits = r.pageSize === "2M" ? 21 : 12;
    const size = bytes(r.size);
    if (size === 0 || size % 2 ** pageBits !== 0) {
      bag.error(rp(["size"]), `region '${r.name}' size ${r.size} is not a multiple of its page size (${r.pageSize ?? "4K"})`, "round the size up to whole pages");
    }
    if (r.paddr !== undefined && !isPageAligned(r.paddr, pageBits)) {
      bag.error(rp(["paddr"]), `region '${r.name}' paddr ${hex(r.paddr)} is not aligned to its page size`, `align it to ${r.pageSize ?? "4K"}`);
    }
    const m: MemoryRegionModel = { name: r.name, sizeBytes: size, pageBits, pos: rp() };
    if (r.paddr !== undefined) m.paddr = r.paddr;
    memory.push(m);
  });

  // Servers: names first, since every reference below is by name.
  const specs = spec.servers as (Server | Driver)[];
  const sp = (i: number, p: PathKey[] = []) => at(["servers", i, ...p]);
  const firstIndex = new Map<string, number>();
  specs.forEach((s, i) => {
    const prev = firstIndex.get(s.name);
    if (prev !== undefined) bag.error(sp(i, ["name"]), `server '${s.name}' is declared twice (first at ${formatPos(sp(prev, ["name"]))})`, "give each server its own name");
    else firstIndex.set(s.name, i);
  });
  const unique = [...firstIndex.values()];
  const ifaces = new Map(idl.interfaces.map((f) => [f.name, f]));
  const providers = new Map<string, string[]>();

  // Served interfaces.
  for (const i of unique) {
    const s = specs[i];
    const seen = new Set<string>();
    (s.serves ?? []).forEach((name, k) => {
      if (!ifaces.has(name)) {
        bag.error(sp(i, ["serves", k]), `unknown interface '${name}'`, suggestionHint(name, ifaces.keys()) ?? knownIfaces(idl));
        return;
      }
      if (seen.has(name)) {
        bag.error(sp(i, ["serves", k]), `'${s.name}' lists interface '${name}' twice in serves`, "remove the duplicate");
        return;
      }
      seen.add(name);
      providers.set(name, [...(providers.get(name) ?? []), s.name]);
    });
    checkLabels(s, [...seen].map((n) => ifaces.get(n)!), (k) => sp(i, ["serves", (s.serves ?? []).indexOf(k)]), bag);
  }

  // Devices, all drivers at once (sorted by driver name so slot choice does not depend on order).
  const deviceInputs: (DeviceInput & { server: number })[] = [];
  for (const i of [...unique].sort((a, b) => cmp(specs[a].name, specs[b].name))) {
    const s = specs[i];
    if (s.kind !== "driver") continue;
    s.devices.forEach((d, k) => {
      if (s.devices.findIndex((o) => o.name === d.name) !== k) {
        bag.error(sp(i, ["devices", k, "name"]), `driver '${s.name}' has two devices named '${d.name}'`, "give each device its own name");
        return;
      }
      deviceInputs.push({ server: i, driver: s.name, spec: d, at: (prop) => sp(i, prop ? ["devices", k, prop] : ["devices", k]) });
    });
  }
  const resolvedDevices = resolveDevices(deviceInputs, platform, bag);
  checkDeviceConflicts(resolvedDevices.filter((d): d is ResolvedDevice => d !== undefined), bag);

  const servers: ServerModel[] = [];
  for (const i of unique) {
    const s = specs[i];
    const uses = resolveUses(s, i, specs, providers, ifaces, idl, sp, bag);
    const notifies = resolveNotifies(s, i, firstIndex, sp, bag);
    const maps = resolveMaps(s, i, regionAt, sp, bag);
    const devices = resolvedDevices.flatMap((d, k) => (d && deviceInputs[k].server === i ? [d.model] : []));
    const serves = (s.serves ?? []).filter((n, k, a) => ifaces.has(n) && a.indexOf(n) === k);
    const m: ServerModel = {
      name: s.name,
      kind: s.kind,
      elf: s.elf ?? s.name,
      src: s.src ?? `servers/${s.name}`,
      priority: s.priority ?? DEFAULTS.priority,
      stackBytes: bytes(s.stack ?? DEFAULTS.stack),
      heapBytes: bytes(s.heap ?? DEFAULTS.heap),
      serves,
      uses,
      notifies,
      maps,
      devices,
      restart: restartModel(s.restart),
      spawn: spawnModel(s.spawn),
      connections: s.connections ?? (serves.some((n) => (ifaces.get(n)?.shmBytes ?? 0) > 0) ? DEFAULTS.connectionsIfBulk : 0),
      sharedMemoryBytes: s.sharedMemory === undefined ? 0 : bytes(s.sharedMemory),
      deferredReplies: s.deferredReplies ?? (serves.length > 0 ? DEFAULTS.deferredRepliesIfServing : 0),
      args: s.args ?? [],
      pos: sp(i),
      propPos: {},
    };
    if (s.kind === "driver" && s.dma !== undefined) {
      const d = typeof s.dma === "object" ? s.dma : { size: s.dma };
      m.dma = { sizeBytes: bytes(d.size), cached: d.cached ?? true, pos: sp(i, ["dma"]) };
    }
    if (s.cnodeBits !== undefined) {
      m.cnodeBitsRequested = s.cnodeBits;
      m.propPos!.cnodeBits = sp(i, ["cnodeBits"]);
    }
    if (s.deferredReplies !== undefined) m.propPos!.deferredReplies = sp(i, ["deferredReplies"]);
    const sched = resolveSched(s, kernel, opts.kernel?.given.mcs, (p) => sp(i, [p]), bag);
    if (sched) m.sched = sched;
    if (m.stackBytes % PAGE_SIZE !== 0 || m.stackBytes === 0)
      bag.error(sp(i, ["stack"]), `stack ${s.stack} is not a whole number of 4K pages`, "round it up, e.g. \"16K\"");
    if (m.sharedMemoryBytes % PAGE_SIZE !== 0)
      bag.error(sp(i, ["sharedMemory"]), `sharedMemory ${s.sharedMemory} is not a whole number of 4K pages`, "round it up, e.g. \"64K\"");
    if (s.connections !== undefined) m.propPos!.connections = sp(i, ["connections"]);
    if (m.heapBytes % PAGE_SIZE !== 0)
      bag.error(sp(i, ["heap"]), `heap ${s.heap} is not a whole number of 4K pages`, "round it up, e.g. \"64K\"");
    servers.push(m);
  }

  const programs = resolvePrograms(spec.programs ?? [], specs, firstIndex, providers, ifaces, idl, at, bag);

  if (bag.errors.length > before) return undefined;
  servers.sort((a, b) => cmp(a.name, b.name));
  const propPos: Record<string, SourcePos> = {};
  if (spec.untyped !== undefined) propPos.untyped = at(["untyped"]);
  return {
    name: spec.name,
    file: loaded.file,
    platform: platform!.name,
    kernel,
    untypedBytes: bytes(spec.untyped ?? DEFAULTS.untyped),
    ...(spec.disk !== undefined ? { disk: path.resolve(path.dirname(loaded.file), spec.disk) } : {}),
    servers,
    programs,
    memory: memory.sort((a, b) => cmp(a.name, b.name)),
    idl,
    pos: at([]),
    propPos,
  };
}

/**
 * Programs: names unique among servers and programs; `uses` and `notifies` resolved as a
 * server's are (they type the slots a spawner fills); no endpoint, devices or mappings.
 */
function resolvePrograms(
  progs: Program[],
  specs: (Server | Driver)[],
  serverIndex: Map<string, number>,
  providers: Map<string, string[]>,
  ifaces: Map<string, Interface>,
  idl: IdlModel,
  at: (path: PathKey[]) => SourcePos,
  bag: DiagnosticBag,
): ServerModel[] {
  const out: ServerModel[] = [];
  const seen = new Map<string, number>();
  progs.forEach((p, k) => {
    const pp = (_i: number, path: PathKey[] = []) => at(["programs", k, ...path]);
    const server = serverIndex.get(p.name);
    if (server !== undefined) {
      bag.error(pp(k, ["name"]), `program '${p.name}' has the name of a server (at ${formatPos(at(["servers", server, "name"]))})`, "give the program its own name");
      return;
    }
    if (seen.has(p.name)) {
      bag.error(pp(k, ["name"]), `program '${p.name}' is declared twice (first at ${formatPos(pp(seen.get(p.name)!, ["name"]))})`, "give each program its own name");
      return;
    }
    seen.set(p.name, k);
    const asServer = { ...p, kind: "server" } as unknown as Server;
    const uses = resolveUses(asServer, k, specs, providers, ifaces, idl, pp, bag);
    const notifies = resolveNotifies(asServer, k, serverIndex, pp, bag);
    const m: ServerModel = {
      name: p.name,
      kind: "program",
      elf: p.elf ?? p.name,
      src: p.src ?? `programs/${p.name}`,
      priority: p.priority ?? DEFAULTS.priority,
      stackBytes: bytes(p.stack ?? DEFAULTS.stack),
      heapBytes: bytes(p.heap ?? DEFAULTS.heap),
      serves: [],
      uses,
      notifies,
      maps: [],
      devices: [],
      restart: { policy: "never" },
      spawn: spawnModel(p.spawn),
      connections: 0,
      sharedMemoryBytes:
        p.sharedMemory !== undefined
          ? bytes(p.sharedMemory)
          : uses.reduce((n, u) => n + pagesOf(ifaces.get(u.interface)?.shmBytes ?? 0) * PAGE_SIZE, 0),
      deferredReplies: 0,
      args: p.args ?? [],
      pos: pp(k),
      propPos: {},
    };
    if (p.cnodeBits !== undefined) {
      m.cnodeBitsRequested = p.cnodeBits;
      m.propPos!.cnodeBits = pp(k, ["cnodeBits"]);
    }
    if (m.stackBytes % PAGE_SIZE !== 0 || m.stackBytes === 0)
      bag.error(pp(k, ["stack"]), `stack ${p.stack} is not a whole number of 4K pages`, "round it up, e.g. \"16K\"");
    if (m.heapBytes % PAGE_SIZE !== 0)
      bag.error(pp(k, ["heap"]), `heap ${p.heap} is not a whole number of 4K pages`, "round it up, e.g. \"64K\"");
    if (m.sharedMemoryBytes % PAGE_SIZE !== 0)
      bag.error(pp(k, ["sharedMemory"]), `sharedMemory ${p.sharedMemory} is not a whole number of 4K pages`, "round it up, e.g. \"64K\"");
    out.push(m);
  });
  if (out.length > 0 && !specs.some((s) => s.spawn)) {
    bag.error(at(["programs"]), `the system declares programs, but no server may spawn them`, `give the server that starts them spawn: { maxProcesses, memory }`);
  }
  return out.sort((a, b) => cmp(a.name, b.name));
}

/** system.ts's `kernel`, then the command line's overrides, checked against the platform. */
function resolveKernel(
  k: Partial<KernelConfig>,
  opts: ResolveOptions,
  platform: string | undefined,
  at: (path: PathKey[]) => SourcePos,
  bag: DiagnosticBag,
): KernelConfig {
  const o = opts.kernel?.values ?? {};
  const debug = o.debug ?? k.debug ?? KERNEL_DEFAULTS.debug;
  const out: KernelConfig = {
    mcs: o.mcs ?? k.mcs ?? KERNEL_DEFAULTS.mcs,
    hypervisor: o.hypervisor ?? k.hypervisor ?? KERNEL_DEFAULTS.hypervisor,
    debug,
    printing: o.printing ?? k.printing ?? debug,
  };
  if (platform) {
    const given = opts.kernel?.given ?? {};
    checkKernel(
      out,
      platform,
      bag,
      (f) => (given[f] ? undefined : at(["kernel", f])),
      (f) => given[f] ?? `kernel.${f}`,
    );
  }
  return out;
}

/**
 * budget/period/passive: a scheduling context on MCS. On a non-MCS kernel they mean nothing: an
 * error when system.ts itself says non-MCS, a warning when the command line (`mcsFlag`, e.g.
 * "-D KernelIsMCS=OFF") built the system for a non-MCS kernel on purpose.
 */
function resolveSched(
  s: Server | Driver,
  kernel: KernelConfig,
  mcsFlag: string | undefined,
  at: (prop: string) => SourcePos,
  bag: DiagnosticBag,
): ServerModel["sched"] {
  const given = (["budget", "period", "passive"] as const).filter((p) => s[p] !== undefined);
  if (!kernel.mcs) {
    for (const p of given) {
      if (mcsFlag) {
        bag.warning(at(p), `'${p}' of '${s.name}' has no effect: ${mcsFlag} builds a non-MCS kernel (no scheduling contexts)`);
      } else {
        bag.error(at(p), `'${p}' needs the MCS kernel (scheduling contexts), but '${s.name}' is built for a non-MCS one`, `set kernel: { mcs: true } in defineSystem, or remove '${p}'`);
      }
    }
    return undefined;
  }
  const us = (v: unknown) => (v === undefined ? undefined : (parseTimeUs(v) as { us: number }).us);
  const budget = us(s.budget);
  const period = us(s.period);
  const budgetUs = budget ?? Math.min(period ?? SCHED_DEFAULTS.budgetUs, SCHED_DEFAULTS.budgetUs);
  const periodUs = period ?? Math.max(budgetUs, SCHED_DEFAULTS.periodUs);
  if (budgetUs > periodUs) {
    bag.error(at(s.budget !== undefined ? "budget" : "period"), `budget ${budgetUs} us is longer than period ${periodUs} us`, "a scheduling context gets at most its period's worth of time; shorten the budget or lengthen the period");
  }
  const passive = s.passive ?? false;
  if (passive && (s.serves ?? []).length === 0) {
    bag.error(at("passive"), `passive server '${s.name}' serves nothing: with no callers it would never run again after its start`, "remove passive: true, or give it an interface to serve");
  }
  return { budgetUs, periodUs, passive };
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function knownIfaces(idl: IdlModel): string {
  const names = idl.interfaces.map((f) => f.name).sort();
  return names.length ? `the IDL declares: ${names.join(", ")}` : "no IDL interface is declared; check the system's `idl` paths";
}

function resolveUses(
  s: Server | Driver,
  i: number,
  specs: (Server | Driver)[],
  providers: Map<string, string[]>,
  ifaces: Map<string, Interface>,
  idl: IdlModel,
  sp: (i: number, p?: PathKey[]) => SourcePos,
  bag: DiagnosticBag,
): UseModel[] {
  const out: UseModel[] = [];
  const asSeen = new Map<string, number>();
  (s.uses ?? []).forEach((u: Use, k) => {
    const obj = typeof u === "string" ? { interface: u } : u;
    const p = (prop?: string) => sp(i, prop && typeof u !== "string" ? ["uses", k, prop] : ["uses", k]);
    const iface = obj.interface;
    if (!ifaces.has(iface)) {
      bag.error(p("interface"), `unknown interface '${iface}'`, suggestionHint(iface, ifaces.keys()) ?? knownIfaces(idl));
      return;
    }
    const provs = providers.get(iface) ?? [];
    let target: string;
    if (obj.server !== undefined) {
      const names = specs.map((x) => x.name);
      if (!names.includes(obj.server)) {
        bag.error(p("server"), `unknown server '${obj.server}'`, suggestionHint(obj.server, names) ?? `servers: ${[...new Set(names)].sort().join(", ")}`);
        return;
      }
      if (!provs.includes(obj.server)) {
        bag.error(p("server"), `server '${obj.server}' does not serve '${iface}'`, provs.length ? `it is served by: ${provs.join(", ")}` : `add serves: ["${iface}"] to '${obj.server}'`);
        return;
      }
      target = obj.server;
    } else if (provs.length === 0) {
      bag.error(p("interface"), `'${s.name}' uses interface '${iface}', but no server serves it`, `add serves: ["${iface}"] to the server that implements it`);
      return;
    } else if (provs.length > 1) {
      bag.error(p("interface"), `interface '${iface}' is served by ${provs.join(" and ")}; say which one '${s.name}' uses`, `write { interface: "${iface}", server: "${provs[0]}" }`);
      return;
    } else target = provs[0];
    if (target === s.name) {
      bag.error(p(obj.server !== undefined ? "server" : "interface"), `'${s.name}' uses '${iface}', which it serves itself`, "a server cannot call its own endpoint (it would wait for itself); call the handler directly and remove this use");
      return;
    }
    if (out.some((o) => o.interface === iface && o.server === target)) {
      bag.error(p(), `'${s.name}' uses '${iface}' of '${target}' twice`, "one use gives one badged cap; remove the duplicate");
      return;
    }
    const as = obj.as ?? iface;
    const prev = asSeen.get(as);
    if (prev !== undefined) {
      bag.error(p(obj.as !== undefined ? "as" : undefined), `'${s.name}' has two uses named '${as}' (the first is uses[${prev}])`, "give one of them a distinct name with `as`: { interface, server, as }");
      return;
    }
    asSeen.set(as, k);
    out.push({ interface: iface, server: target, as, pos: p() });
  });
  return out;
}

function resolveNotifies(s: Server | Driver, i: number, index: Map<string, number>, sp: (i: number, p?: PathKey[]) => SourcePos, bag: DiagnosticBag): string[] {
  const out: string[] = [];
  (s.notifies ?? []).forEach((n, k) => {
    const pos = sp(i, ["notifies", k]);
    if (!index.has(n)) bag.error(pos, `'${s.name}' notifies unknown server '${n}'`, suggestionHint(n, index.keys()) ?? `servers: ${[...index.keys()].sort().join(", ")}`);
    else if (n === s.name) bag.error(pos, `'${s.name}' notifies itself`, "remove it; a server does not need a notification to itself");
    else if (out.includes(n)) bag.error(pos, `'${s.name}' lists '${n}' twice in notifies`, "remove the duplicate");
    else out.push(n);
  });
  return out;
}

function resolveMaps(s: Server | Driver, i: number, regions: Map<string, SourcePos>, sp: (i: number, p?: PathKey[]) => SourcePos, bag: DiagnosticBag): MappingModel[] {
  const out: MappingModel[] = [];
  (s.maps ?? []).forEach((m: MemoryMapping, k) => {
    const p = (prop?: string) => sp(i, prop ? ["maps", k, prop] : ["maps", k]);
    if (!regions.has(m.region)) {
      bag.error(p("region"), `'${s.name}' maps unknown memory region '${m.region}'`, suggestionHint(m.region, regions.keys()) ?? "declare it in the system's `memory` list with memoryRegion({ name, size })");
      return;
    }
    if (m.vaddr !== undefined && (m.vaddr === 0 || !isPageAligned(m.vaddr))) {
      bag.error(p("vaddr"), `vaddr ${hex(m.vaddr)} is not a page-aligned, non-zero address`, "leave it out to let the layout choose");
      return;
    }
    const as = m.as ?? m.region;
    if (out.some((o) => o.as === as)) {
      bag.error(p(m.as !== undefined ? "as" : "region"), `'${s.name}' maps two regions named '${as}'`, "give one a distinct name with `as`");
      return;
    }
    out.push({ region: m.region, vaddr: m.vaddr ?? 0, perms: m.perms ?? "rw", as, pos: p() });
  });
  return out;
}

/** Two interfaces one server serves share its endpoint, so their labels must differ. */
function checkLabels(s: Server | Driver, served: Interface[], posOf: (iface: string) => SourcePos, bag: DiagnosticBag): void {
  const owner = new Map<number, { iface: string; method: string }>();
  for (const f of served) {
    for (const m of f.methods) {
      const o = owner.get(m.label);
      if (o && o.iface !== f.name) {
        bag.error(
          posOf(f.name),
          `'${s.name}' serves '${o.iface}' and '${f.name}', whose methods ${o.iface}.${o.method} and ${f.name}.${m.name} both have label ${hex(m.label)}`,
          `give one of them an explicit label (\`${m.name}(...) = N\`) in ${f.file}, or serve the interfaces from different servers`,
        );
      } else if (!o) owner.set(m.label, { iface: f.name, method: m.name });
    }
  }
}

function restartModel(r: Server["restart"]): RestartPolicyModel {
  if (r === undefined || r === "never") return { policy: "never" };
  if (r === "always") return { policy: "always" };
  return { policy: "on-fault", maxRestarts: r.maxRestarts };
}

function spawnModel(s: Server["spawn"]): ServerModel["spawn"] {
  if (!s) return undefined;
  const o = s === true ? {} : s;
  return { maxProcesses: o.maxProcesses ?? DEFAULTS.spawnMaxProcesses, memoryBytes: bytes(o.memory ?? DEFAULTS.spawnMemory) };
}
