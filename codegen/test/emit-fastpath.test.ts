// SPDX-License-Identifier: BSD-2-Clause
/**
 * The serve loop's register fast path (server-wrapper.ts printServeFast, server.ts
 * printFastCase): an interface with every scalar check (enum, bool, char, signed), four-word
 * requests and replies, and methods that must stay off the fast path (five words, a cap, a
 * five-word reply) is compiled by the real front end; codegen/test/c/dispatch/fast_serve.c drives
 * its generated serve loop over the stub transport under ASan+UBSan and checks which path
 * answered each request and how. Also checks which methods the emitter puts on the fast path.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { compileIdl } from "../src/model/resolve-idl.ts";
import { loadSystemFile } from "../src/parse/system/loader.ts";
import { resolveSystem } from "../src/model/resolve-system.ts";
import { computeLayout } from "../src/model/layout.ts";
import type { CompiledSystem } from "../src/model/system.ts";
import { emitAllInterfaces } from "../src/emit/interface.ts";
import { emitServerWrapper } from "../src/emit/server-wrapper.ts";
import { isFastMethod } from "../src/emit/server.ts";
import { ROOT, runCheckProgram, scratchDir, writeFiles } from "./emit-helpers.ts";

const IDL = `/// The register fast path's test interface: every scalar check, the word limits, a cap.
namespace fp {
    errors { nope }
    enum mode: uint8 { read = 1, write = 2, append = 5 }
    rpc set(m: mode, on: bool, c: char, d: int16) -> (m: mode, on: bool, c: char, d: int16) raises (nope);
    rpc four(a: uint64, b: uint64, c: uint64, d: uint64) -> (a: uint64, b: uint64, c: uint64, d: uint64);
    rpc five(a: uint64, b: uint64, c: uint64, d: uint64, e: uint64) -> (s: uint64);
    rpc give(n: notification, x: uint64) -> (x: uint64);
    rpc big(x: uint32) -> (a: uint64, b: uint64, c: uint64, d: uint64, e: uint64);
    rpc name(s: str<8>) -> (n: uint64);
    oneway note(x: int8, y: uint16);
}
`;

const SYSTEM = `import { defineSystem, server } from "neptune-gen";
export default defineSystem({
  name: "fp",
  platform: "qemu-arm-virt",
  idl: ["."],
  servers: [
    server({ name: "fsrv", serves: ["fp"], priority: 150, deferredReplies: 1 }),
    server({ name: "client", uses: ["fp"], priority: 100 }),
  ],
});
`;

let dir: string;
let sys: CompiledSystem;
let wrapper: string;

async function compileSystem(src: string): Promise<CompiledSystem> {
  mkdirSync(src, { recursive: true });
  writeFileSync(path.join(src, "fp.idl"), IDL);
  writeFileSync(path.join(src, "system.ts"), SYSTEM);
  const bag = new DiagnosticBag();
  const idl = compileIdl([{ file: "fp.idl", text: IDL }], bag);
  const loaded = await loadSystemFile(path.join(src, "system.ts"), bag);
  expect(bag.format()).toBe("");
  const model = resolveSystem(loaded!, idl, bag);
  expect(bag.errors).toEqual([]);
  const layout = computeLayout(model!, bag);
  expect(bag.errors).toEqual([]);
  return { model: model!, layout };
}

beforeAll(async () => {
  dir = scratchDir("fastpath");
  sys = await compileSystem(path.join(dir, "src"));
  const files = emitAllInterfaces(sys.model.idl);
  const fsrv = sys.model.servers.find((s) => s.name === "fsrv")!;
  const out = emitServerWrapper(fsrv, sys.layout.servers.find((l) => l.name === "fsrv")!, sys.model);
  wrapper = out[0]!.text;
  files.push(...out);
  writeFiles(path.join(dir, "out"), files);
});

describe("register fast path of the serve loop", () => {
  it("takes scalar-only methods of at most four words each way, and nothing else", () => {
    const fp = sys.model.idl.interfaces.find((i) => i.name === "fp")!;
    const fast = fp.methods.filter(isFastMethod).map((m) => m.name);
    expect(fast).toEqual(["set", "four", "note"]);
    expect(wrapper).toContain("case NG_FAST_TAG(FP_SET_LABEL, FP_SET_REQ_WORDS):");
    expect(wrapper).toContain("case NG_FAST_TAG(FP_NOTE_LABEL, FP_NOTE_REQ_WORDS):");
    expect(wrapper).not.toContain("FP_FIVE_REQ_WORDS)");
    expect(wrapper).not.toContain("FP_GIVE_REQ_WORDS)");
    expect(wrapper).not.toContain("FP_BIG_REQ_WORDS)");
    // The decoder's checks, on the words, with `break` to the generic path.
    expect(wrapper).toContain("if (!fp_mode_valid((fp_mode_t)w[0])) break;");
    expect(wrapper).toContain("if (w[1] > 1) break;");
    expect(wrapper).toContain("if (w[2] > 0xffu) break;");
    expect(wrapper).toContain("if ((int64_t)w[3] < INT16_MIN || (int64_t)w[3] > INT16_MAX) break;");
  });

  it("answers every scripted request on the right path, as the generic dispatch would", () => {
    const r = runCheckProgram({
      exe: path.join(dir, "fast_serve"),
      source: path.join(ROOT, "codegen/test/c/dispatch/fast_serve.c"),
      serverDir: path.join(dir, "out/servers/fsrv"),
      includeDir: path.join(dir, "out/include"),
      tag: "fast",
    });
    expect(r.out).not.toMatch(/FAIL/);
    expect(r.failed).toBe(0);
    expect(r.checks).toBeGreaterThan(100);
  });
});
