// SPDX-License-Identifier: BSD-2-Clause
/**
 * layout.txt: the capability layout for people. For each server its CSpace (slot, kind, C
 * constant, object, badge, rights, comment), its address-space map and the badges its clients
 * use; then the kernel objects, the untyped totals and a small who-calls-whom diagram.
 *
 *   system.ts: server({ name: "client", uses: ["echo"] })
 *   layout.txt:
 *     slot  kind     cname            object   badge  rights  comment
 *        8  use_ep   CLIENT_CAP_ECHO  ep:echo      1  -W-P    call echo on echo (badge 1 …)
 *
 * Rights are printed as four letters: R read, W write, G grant, P grant-reply ('-' when absent).
 */

import type { GeneratedFile } from "./files.ts";
import { banner } from "./files.ts";
import type { CapRights, ServerLayout, SystemLayout, SystemModel } from "../model/system.ts";
import { approxSize, formatSize, hex } from "../model/sizes.ts";

export function rightsText(r: CapRights): string {
  return `${r.read ? "R" : "-"}${r.write ? "W" : "-"}${r.grant ? "G" : "-"}${r.grantReply ? "P" : "-"}`;
}

/** A left-aligned text table; columns listed in `right` are right-aligned. */
export function table(head: string[], rows: string[][], right: number[] = []): string[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (right.includes(i) ? c.padStart(w[i]) : c.padEnd(w[i])))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)];
}

function vhex(n: number): string {
  const s = n.toString(16).padStart(12, "0");
  return `0x${s.slice(0, 4)}_${s.slice(4, 8)}_${s.slice(8)}`;
}

function serverSection(L: ServerLayout, model: SystemModel): string[] {
  const s = [...model.servers, ...model.programs].find((x) => x.name === L.name)!;
  const out: string[] = [];
  out.push(`== ${s.kind} ${s.name} ==`);
  if (s.kind === "program") out.push("spawned at run time; empty slots are filled with the caps its spawner passes");
  out.push(
    `priority ${s.priority}, stack ${formatSize(s.stackBytes)}, heap ${formatSize(s.heapBytes)}, ` +
      `CNode 2^${L.cnodeBits} = ${2 ** L.cnodeBits} slots (${L.slots.length} used), cost ${approxSize(L.costBytes)} (${L.costBytes} bytes)`,
  );
  if (s.serves.length) out.push(`serves: ${s.serves.join(", ")}`);
  if (s.uses.length) out.push(`uses: ${s.uses.map((u) => `${u.interface}@${u.server}${u.as !== u.interface ? ` as ${u.as}` : ""}`).join(", ")}`);
  if (s.spawn) out.push(`spawn: at most ${s.spawn.maxProcesses} live children, ${formatSize(s.spawn.memoryBytes)} of untyped memory`);
  if (s.kind !== "program") out.push(`restart: ${s.restart.policy === "on-fault" ? `on-fault (at most ${s.restart.maxRestarts})` : s.restart.policy}`);
  if (s.sched) {
    out.push(
      `scheduling context (MCS): ${s.sched.budgetUs} us every ${s.sched.periodUs} us` +
        (s.sched.passive ? ", passive: none of its own once initialised (runs on its callers')" : ""),
    );
  }
  out.push("");
  out.push(
    ...table(
      ["slot", "kind", "cname", "object", "badge", "rights", "comment"],
      L.slots.map((c) => [
        String(c.slot),
        c.kind,
        c.cname,
        c.object ?? "-",
        c.badge === undefined ? "-" : c.badge >= 0x1000 ? hex(c.badge) : String(c.badge),
        rightsText(c.rights),
        c.comment,
      ]),
      [0, 4],
    ).map((l) => "  " + l),
  );
  out.push("");
  out.push(
    ...table(
      ["vaddr", "size", "kind", "cname", "object", "perms", "cached"],
      L.vaddrs.map((v) => [
        vhex(v.vaddr),
        formatSize(v.sizeBytes),
        v.kind,
        v.cname + (v.offset ? ` (+${hex(v.offset)})` : ""),
        v.object ?? "-",
        v.perms,
        v.cached ? "yes" : "no",
      ]),
      [1],
    ).map((l) => "  " + l),
  );
  out.push("  (IPC buffer and stack: placed by the process loader, sel4utils, at addresses it picks)");
  if (L.badges.length) {
    out.push("");
    out.push(
      ...table(
        ["badge", "client", "interface", "shared buffer"],
        L.badges.map((b) => [
          String(b.badge),
          b.client,
          b.interface,
          b.shm ? `${b.shm.object} ${formatSize(b.shm.sizeBytes)} (server ${vhex(b.shm.serverVaddr)}, client ${vhex(b.shm.clientVaddr)})` : "-",
        ]),
        [0],
      ).map((l) => "  " + l),
    );
  }
  return out;
}

/** Who calls whom, one line per edge, servers in name order. */
export function diagram(model: SystemModel): string[] {
  const out: string[] = [];
  const w = model.servers.reduce((n, s) => Math.max(n, s.name.length), 3);
  for (const s of model.servers) {
    const edges: string[] = [];
    for (const u of [...s.uses].sort((a, b) => (a.as < b.as ? -1 : 1))) edges.push(`--[${u.interface}]--> ${u.server}`);
    for (const t of s.notifies) edges.push(`~~signal~~> ${t}`);
    for (const d of s.devices) if (d.irq !== undefined) edges.push(`<~~IRQ ${d.irq}~~ ${d.name}`);
    if (edges.length === 0) edges.push(s.serves.length ? "(calls nobody)" : "(holds no cap to any server)");
    edges.forEach((e, i) => out.push(`  ${(i === 0 ? s.name : "").padEnd(w)} ${e}`));
  }
  return out;
}

export function layoutText(model: SystemModel, layout: SystemLayout): string {
  const out: string[] = [banner(model.file, "text").trimEnd(), ""];
  out.push(`system ${model.name} on ${model.platform}: ${model.servers.length} servers${model.programs.length ? `, ${model.programs.length} programs` : ""}`);
  out.push("rights: R read, W write, G grant, P grant-reply; notification badges carry bit 27 plus one bit per source");
  out.push("");
  out.push("calls:");
  out.push(...diagram(model));
  for (const L of [...layout.servers, ...layout.programs]) {
    out.push("");
    out.push(...serverSection(L, model));
  }
  out.push("");
  out.push("== kernel objects ==");
  out.push(
    ...table(
      ["id", "type", "size", "paddr", "irq", "cost"],
      layout.objects.map((o) => [
        o.id,
        o.type,
        o.pages !== undefined ? `${o.pages} x 2^${o.sizeBits}` : o.sizeBits !== undefined ? `2^${o.sizeBits}` : "-",
        o.paddr !== undefined ? hex(o.paddr) : "-",
        o.irq !== undefined ? `${o.irq} ${o.irqTrigger}` : "-",
        String(o.costBytes),
      ]),
      [5],
    ).map((l) => "  " + l),
  );
  out.push("");
  out.push("== untyped ==");
  const objs = layout.objects.reduce((a, o) => a + o.costBytes, 0);
  out.push(`  kernel objects and frames                        ${String(objs).padStart(10)}`);
  out.push(`  page tables, ELF images (estimate), spawn pools  ${String(layout.untypedBytesUsed - objs).padStart(10)}`);
  out.push(`  total ${layout.untypedBytesUsed} bytes (${approxSize(layout.untypedBytesUsed)}) of ${formatSize(layout.untypedBytesBudget)} budget`);
  return out.join("\n") + "\n";
}

/** Emits layout.txt. */
export function emitLayoutTxt(model: SystemModel, layout: SystemLayout): GeneratedFile[] {
  return [{ path: "layout.txt", text: layoutText(model, layout) }];
}
