// SPDX-License-Identifier: BSD-2-Clause
/**
 * Marshalling round trips in C: for each interface of the fixture IDL (every wire type, inline
 * and shared-buffer payloads, caps, nested structs and arrays), emit-roundtrip-gen.ts writes a
 * program that encodes and decodes pseudo-random requests and replies and checks that corrupted
 * messages are rejected. Compiled with -fsanitize=address,undefined and run; the test checks the
 * program's counts line (exact equality checks, at least the expected rejections, no failure).
 */

import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { emitAllInterfaces } from "../src/emit/interface.ts";
import type { IdlModel } from "../src/model/idl.ts";
import { roundtripProgram } from "./emit-roundtrip-gen.ts";
import { C_FLAGS, RUNTIME_INCLUDE, fixtureIdl, run, scratchDir, writeFiles } from "./emit-helpers.ts";

let idl: IdlModel;
let dir: string;

beforeAll(() => {
  idl = fixtureIdl();
  dir = scratchDir("roundtrip");
  writeFiles(dir, emitAllInterfaces(idl));
});

function runProgram(name: string, source: string): string {
  const src = path.join(dir, `${name}.c`);
  const exe = path.join(dir, name);
  writeFileSync(src, source);
  run("gcc", [...C_FLAGS, "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", `-I${path.join(dir, "include")}`, `-I${RUNTIME_INCLUDE}`, src, "-o", exe]);
  return run(exe, []);
}

describe("encode/decode round trips under ASan+UBSan", () => {
  for (const name of ["echo", "fs", "proc"]) {
    it(`interface ${name}`, () => {
      const iface = idl.interfaces.find((i) => i.name === name)!;
      const prog = roundtripProgram(iface, idl);
      const out = runProgram(`roundtrip_${name}`, prog.source);
      const m = /roundtrip: (\d+) ok, (\d+) rejected, (\d+) failed/.exec(out);
      expect(m, out).not.toBeNull();
      expect(out).not.toMatch(/FAIL|NOT REJECTED/);
      expect(Number(m![3])).toBe(0);
      expect(Number(m![1])).toBe(prog.expectOk);
      expect(Number(m![2])).toBeGreaterThanOrEqual(prog.minRejected);
    });
  }

  it("the harness catches a decoder that accepts a bad message", () => {
    // Same program over a header whose uint32 range check is removed: the run must report it.
    const iface = idl.interfaces.find((i) => i.name === "echo")!;
    const prog = roundtripProgram(iface, idl);
    const broken = scratchDir("roundtrip-broken");
    const files = emitAllInterfaces(idl).map((f) =>
      f.path === "include/echo_gen.h" ? { ...f, text: f.text.replaceAll("if (m->mr[0] > UINT32_MAX) return NG_EBADMSG;", "") } : f,
    );
    expect(files.find((f) => f.path === "include/echo_gen.h")!.text).not.toContain("if (m->mr[0] > UINT32_MAX) return NG_EBADMSG;");
    writeFiles(broken, files);
    const src = path.join(broken, "rt.c");
    writeFileSync(src, prog.source);
    run("gcc", [...C_FLAGS, "-O1", `-I${path.join(broken, "include")}`, `-I${RUNTIME_INCLUDE}`, src, "-o", path.join(broken, "rt")]);
    expect(() => run(path.join(broken, "rt"), [])).toThrow(/NOT REJECTED .*ticks: above range/);
  });
});
