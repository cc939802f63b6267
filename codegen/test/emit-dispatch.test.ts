// SPDX-License-Identifier: BSD-2-Clause
/**
 * Server dispatch in C: codegen/test/c/dispatch/echo_dispatch.c drives the generated
 * echo_dispatch() and the echo server's serve loop (fixture system) over the stub transport with
 * handcrafted messages — good, unknown label, malformed, missing handler, error outside `raises`,
 * oneway, deferred, badge routing — under ASan+UBSan, and checks every reply label and which path
 * of the loop answered (the register fast path for add/wait/ping, the generic dispatch for the
 * rest and for whatever the fast path leaves: bad values, no handler, a cap, another length).
 */

import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { emitAllInterfaces } from "../src/emit/interface.ts";
import { emitServerWrapper } from "../src/emit/server-wrapper.ts";
import { ROOT, fixtureSystem, runCheckProgram, scratchDir, writeFiles } from "./emit-helpers.ts";

let dir: string;

beforeAll(async () => {
  const sys = await fixtureSystem();
  const files = emitAllInterfaces(sys.model.idl);
  const echo = sys.model.servers.find((s) => s.name === "echo")!;
  files.push(...emitServerWrapper(echo, sys.layout.servers.find((l) => l.name === "echo")!, sys.model));
  dir = scratchDir("dispatch");
  writeFiles(dir, files);
});

describe("dispatch and serve loop", () => {
  it("answers every handcrafted message as specified", () => {
    const r = runCheckProgram({
      exe: path.join(dir, "echo_dispatch"),
      source: path.join(ROOT, "codegen/test/c/dispatch/echo_dispatch.c"),
      serverDir: path.join(dir, "servers/echo"),
      includeDir: path.join(dir, "include"),
      tag: "dispatch",
    });
    expect(r.out).not.toMatch(/FAIL/);
    expect(r.failed).toBe(0);
    expect(r.checks).toBe(152);
  });
});
