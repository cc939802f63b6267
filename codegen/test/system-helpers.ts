// SPDX-License-Identifier: BSD-2-Clause
/**
 * Test helpers for the system area: a hand-built IDL model (only interface and method names,
 * labels, caps and shmBytes matter to the system stages) and a one-call load + resolve + layout.
 */

import path from "node:path";
import { fileURLToPath } from "node:url";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import type { IdlModel, Interface, MessageLayout, Method } from "../src/model/idl.ts";
import { loadSystemFile, type LoadedSystem } from "../src/parse/system/loader.ts";
import { resolveSystem } from "../src/model/resolve-system.ts";
import { computeLayout } from "../src/model/layout.ts";
import type { SystemLayout, SystemModel } from "../src/model/system.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = path.join(ROOT, "codegen/test/fixtures/system");
/** A fixture's path as diagnostics print it (relative to the working directory). */
export const fixture = (name: string): string => path.relative(process.cwd(), path.join(FIXTURES, name)).split(path.sep).join("/");

const pos = { file: "fake.idl", line: 1, col: 1 };

function msg(caps = 0, shmBytes = 0): MessageLayout {
  return { fields: [], fixedWords: 0, maxWords: 0, caps, shm: shmBytes > 0, shmBytes, fastPath: caps === 0 };
}

export interface FakeMethod {
  name: string;
  label: number;
  reqCaps?: number;
  replyCaps?: number;
}

export function fakeIface(name: string, methods: FakeMethod[], shmBytes = 0): Interface {
  return {
    name,
    file: `idl/${name}.idl`,
    consts: [],
    enums: [],
    structs: [],
    aliases: [],
    errors: [],
    shmBytes,
    pos,
    methods: methods.map(
      (m): Method => ({
        name: m.name,
        kind: "rpc",
        label: m.label,
        labelExplicit: true,
        args: [],
        results: [],
        raises: [],
        request: msg(m.reqCaps),
        reply: msg(m.replyCaps),
        pos,
      }),
    ),
  };
}

/** The interfaces the examples use, with made-up but distinct labels. */
export function fakeIdl(extra: Interface[] = []): IdlModel {
  const ifaces = [
    fakeIface("echo", [{ name: "echo", label: 0x101 }, { name: "ping", label: 0x102 }]),
    fakeIface("serial", [{ name: "write", label: 0x201 }, { name: "read", label: 0x202 }]),
    fakeIface("timer", [{ name: "now", label: 0x301 }, { name: "sleep", label: 0x302 }]),
    fakeIface("blockdev", [{ name: "read_blocks", label: 0x401 }, { name: "write_blocks", label: 0x402 }], 64 * 1024),
    fakeIface("fs", [{ name: "open", label: 0x501 }, { name: "read", label: 0x502 }, { name: "write", label: 0x503 }], 16 * 1024),
    fakeIface("pathmgr", [{ name: "resolve", label: 0x602, replyCaps: 1 }]),
    fakeIface("pathreg", [{ name: "register", label: 0x601, reqCaps: 1 }]),
    fakeIface("procmgr", [{ name: "spawn", label: 0x701 }, { name: "wait", label: 0x702 }]),
    fakeIface("ntexec", [{ name: "create_file", label: 0x801 }, { name: "read_file", label: 0x802 }], 8 * 1024),
    ...extra,
  ];
  return { files: ifaces.map((i) => i.file), interfaces: ifaces, globals: { consts: [], enums: [], structs: [], aliases: [] } };
}

export interface Compiled {
  bag: DiagnosticBag;
  loaded?: LoadedSystem;
  model?: SystemModel;
  layout?: SystemLayout;
}

export async function compileFixture(file: string, idl: IdlModel = fakeIdl()): Promise<Compiled> {
  const bag = new DiagnosticBag();
  const loaded = await loadSystemFile(file, bag);
  if (!loaded) return { bag };
  const model = resolveSystem(loaded, idl, bag);
  if (!model) return { bag, loaded };
  const layout = computeLayout(model, bag);
  return { bag, loaded, model, layout };
}

/** Errors as `file:line:col: error: message` lines (no hints). */
export function errorLines(bag: DiagnosticBag): string[] {
  return bag.sorted().filter((d) => d.severity === "error").map((d) => `${d.pos?.file}:${d.pos?.line}:${d.pos?.col}: error: ${d.message}`);
}
