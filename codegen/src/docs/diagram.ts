// SPDX-License-Identifier: BSD-2-Clause
/**
 * The system diagram: a Graphviz DOT graph built from the model, laid out and drawn as SVG by
 * Graphviz compiled to WebAssembly (@viz-js/viz), so no system package is needed. The DOT is
 * written beside the SVG (system.dot) for people who want to restyle it.
 *
 *   servers and drivers  boxes (drivers shaded), id "server:<name>", class "server" (+ "driver")
 *   uses                 one solid edge per `uses` entry, client → server, labelled with the
 *                        interface (and its shared buffer), id "use:<client>.<as>", class "use"
 *   signals              dashed edges, class "signal"
 *   devices              a component node per device, right of its driver (MMIO, IRQ), class "device"
 *   memory regions       a cylinder per region, dotted edges to the servers mapping it (perms), class "region"
 *   programs             dashed boxes in a "programs" cluster, id "program:<name>", class "program";
 *                        their uses are "use" edges too; a spawner has one dashed "spawn" edge to the cluster
 *
 * Graphviz copies `id` and `class` into the SVG, so tests (and stylesheets) can find every node.
 */

import { allProcesses, type CompiledSystem } from "../model/system.ts";
import { formatSize, hex } from "../model/sizes.ts";
import { escapeHtml } from "./escape.ts";
import { interfaceHref, serverAnchor, type PageExt } from "./view.ts";

/** A DOT double-quoted string. */
function q(s: string): string {
  return `"${s.replace(/["\\]/g, (c) => `\\${c}`).replace(/\n/g, "\\n")}"`;
}

function attrs(a: Record<string, string | undefined>): string {
  const parts = Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (k === "label" && v!.startsWith("<") ? `${k}=${v}` : `${k}=${q(v!)}`));
  return `[${parts.join(", ")}]`;
}

const COLORS = {
  ink: "#1f3556",
  server: "#e8f0fb",
  driver: "#fcefd9",
  device: "#f3f3f3",
  region: "#e6f4ea",
  signal: "#8a5a00",
  region_ink: "#2e6b3f",
};

/** The DOT text of the system's diagram; links point at pages with extension `ext`. */
export function systemDot(sys: CompiledSystem, ext: PageExt): string {
  const { model, layout } = sys;
  const out: string[] = [];
  out.push(`digraph ${q(model.name)} {`);
  out.push(
    `  graph ${attrs({ compound: "true", rankdir: "TB", fontname: "Helvetica", nodesep: "0.35", ranksep: "0.8", pad: "0.3", bgcolor: "white", tooltip: `system ${model.name} on ${model.platform}` })};`,
  );
  out.push(`  node ${attrs({ fontname: "Helvetica", fontsize: "12", shape: "box", style: "rounded,filled", color: COLORS.ink, penwidth: "1.2", margin: "0.15,0.08" })};`);
  out.push(`  edge ${attrs({ fontname: "Helvetica", fontsize: "10", color: COLORS.ink, fontcolor: COLORS.ink, arrowsize: "0.8" })};`);
  out.push("");
  for (const s of model.servers) {
    const sub = `${s.kind} · priority ${s.priority}` + (s.restart.policy !== "never" ? ` · restart ${s.restart.policy}` : "");
    // As in layout.txt: say so when a server can reach nobody (and nobody is meant to reach it).
    const alone = s.uses.length === 0 && s.serves.length === 0 && s.notifies.length === 0 && !s.spawn ? `<br/><font point-size="9"><i>holds no cap to any server</i></font>` : "";
    out.push(
      `  ${q(`server:${s.name}`)} ${attrs({
        id: `server:${s.name}`,
        class: s.kind === "driver" ? "server driver" : "server",
        label: `<<b>${escapeHtml(s.name)}</b><br/><font point-size="9">${escapeHtml(sub)}</font>${alone}>`,
        fillcolor: s.kind === "driver" ? COLORS.driver : COLORS.server,
        URL: `index${ext}#${serverAnchor(s.name)}`,
        tooltip: `${s.kind} ${s.name}`,
      })};`,
    );
  }
  if (model.programs.length) {
    out.push(`  subgraph cluster_programs {`);
    out.push(`    graph ${attrs({ id: "programs", label: "programs (spawned at run time)", fontsize: "11", style: "dashed,rounded", color: "#8796ab", fontcolor: "#5b6b80" })};`);
    for (const p of model.programs) {
      out.push(
        `    ${q(`program:${p.name}`)} ${attrs({
          id: `program:${p.name}`,
          class: "program",
          label: `<<b>${escapeHtml(p.name)}</b><br/><font point-size="9">program · priority ${p.priority}</font>>`,
          style: "rounded,dashed,filled",
          fillcolor: "white",
          URL: `index${ext}#${serverAnchor(p.name)}`,
          tooltip: `program ${p.name}`,
        })};`,
      );
    }
    out.push("  }");
  }
  for (const s of model.servers) {
    for (const d of s.devices) {
      const lines = [d.compatible ?? "", `${hex(d.paddr)}, ${formatSize(d.size)}`].filter(Boolean);
      out.push(
        `  ${q(`device:${s.name}.${d.name}`)} ${attrs({
          id: `device:${s.name}.${d.name}`,
          class: "device",
          shape: "component",
          style: "filled",
          fillcolor: COLORS.device,
          label: `<<b>${escapeHtml(d.name)}</b><br/><font point-size="9">${lines.map(escapeHtml).join("<br/>")}</font>>`,
        })};`,
      );
    }
  }
  for (const m of model.memory) {
    out.push(
      `  ${q(`region:${m.name}`)} ${attrs({
        id: `region:${m.name}`,
        class: "region",
        shape: "cylinder",
        style: "filled",
        fillcolor: COLORS.region,
        color: COLORS.region_ink,
        label: `<<b>${escapeHtml(m.name)}</b><br/><font point-size="9">shared region, ${formatSize(m.sizeBytes)}</font>>`,
      })};`,
    );
  }
  out.push("");
  const nodeOf = (name: string) => (model.programs.some((p) => p.name === name) ? `program:${name}` : `server:${name}`);
  for (const s of allProcesses(model)) {
    if (s.spawn && model.programs.length) {
      out.push(
        `  ${q(`server:${s.name}`)} -> ${q(`program:${model.programs[0].name}`)} ${attrs({
          id: `spawn:${s.name}`,
          class: "spawn",
          lhead: "cluster_programs",
          label: `spawns (up to ${s.spawn.maxProcesses})`,
          style: "dashed",
          color: "#5b6b80",
          fontcolor: "#5b6b80",
        })};`,
      );
    }
    for (const u of s.uses) {
      const shm = layout.servers.find((x) => x.name === u.server)?.badges.find((b) => b.client === s.name && b.interface === u.interface)?.shm;
      const label = u.interface + (u.as !== u.interface ? ` (as ${u.as})` : "") + (shm ? `\n+ ${formatSize(shm.sizeBytes)} shared buffer` : "");
      out.push(
        `  ${q(nodeOf(s.name))} -> ${q(`server:${u.server}`)} ${attrs({
          id: `use:${s.name}.${u.as}`,
          class: "use",
          label,
          penwidth: shm ? "2.2" : "1.3",
          URL: interfaceHref(u.interface, ext),
          tooltip: `${s.name} calls ${u.interface} on ${u.server}`,
        })};`,
      );
    }
    for (const t of s.notifies) {
      out.push(
        `  ${q(`server:${s.name}`)} -> ${q(`server:${t}`)} ${attrs({ id: `signal:${s.name}.${t}`, class: "signal", label: "signal", style: "dashed", color: COLORS.signal, fontcolor: COLORS.signal })};`,
      );
    }
    for (const d of s.devices) {
      out.push(
        `  ${q(`server:${s.name}`)} -> ${q(`device:${s.name}.${d.name}`)} ${attrs({
          id: `device:${s.name}.${d.name}:edge`,
          class: "device",
          label: d.irq === undefined ? "MMIO" : `MMIO, IRQ ${d.irq}`,
          arrowhead: "none",
          color: "#666666",
          fontcolor: "#444444",
        })};`,
      );
    }
    for (const m of s.maps) {
      out.push(
        `  ${q(`region:${m.region}`)} -> ${q(`server:${s.name}`)} ${attrs({
          id: `map:${s.name}.${m.region}`,
          class: "region",
          label: m.perms,
          style: "dotted",
          arrowhead: "none",
          color: COLORS.region_ink,
          fontcolor: COLORS.region_ink,
        })};`,
      );
    }
  }
  out.push("}");
  return out.join("\n") + "\n";
}

let viz: Promise<{ renderString(dot: string, opts: { format: string }): string }> | undefined;

/** Lays out and draws `dot` as SVG (Graphviz `dot` engine, in WebAssembly). */
export async function renderSvg(dot: string): Promise<string> {
  viz ??= import("@viz-js/viz").then((m) => m.instance());
  return (await viz).renderString(dot, { format: "svg" });
}
