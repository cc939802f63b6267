// SPDX-License-Identifier: BSD-2-Clause
/**
 * system.json: the resolved system model and its layout for tools (debuggers, visualisers, the
 * test harness). Keys are sorted at every level and the text is indented by 2 spaces, so the file
 * only changes when the system does. Source positions are left out (they depend on where the
 * compiler ran); the IDL is summarised as interface and method names, labels and shared-buffer
 * sizes (the full model is in the generated headers).
 *
 *   { "generator": "neptune-gen", "layout": { "objects": [...], "servers": [...] },
 *     "system": { "name": "hello", "servers": [{ "name": "client", "uses": [...] }] }, ... }
 */

import type { GeneratedFile } from "./files.ts";
import type { SystemLayout, SystemModel } from "../model/system.ts";

export const SYSTEM_JSON_VERSION = 1;

/** JSON with object keys sorted; drops `pos`/`propPos` and undefined values. */
export function stableJson(value: unknown, indent = 2): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v !== null && typeof v === "object") {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) {
        if (k === "pos" || k === "propPos") continue;
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) o[k] = norm(x);
      }
      return o;
    }
    return v;
  };
  return JSON.stringify(norm(value), null, indent);
}

export function systemJson(model: SystemModel, layout: SystemLayout): unknown {
  const { idl, ...system } = model;
  return {
    generator: "neptune-gen",
    version: SYSTEM_JSON_VERSION,
    source: model.file,
    system: { ...system, file: undefined },
    interfaces: idl.interfaces.map((f) => ({
      name: f.name,
      file: f.file,
      shmBytes: f.shmBytes,
      methods: f.methods.map((m) => ({ name: m.name, kind: m.kind, label: m.label })),
    })),
    layout,
  };
}

/** Emits system.json. */
export function emitSystemJson(model: SystemModel, layout: SystemLayout): GeneratedFile[] {
  return [{ path: "system.json", text: stableJson(systemJson(model, layout)) + "\n" }];
}
