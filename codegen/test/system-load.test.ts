// SPDX-License-Identifier: BSD-2-Clause
/**
 * The system.ts loader: type-checks and evaluates a description, records every builder's call
 * site (ORIGIN) and maps property paths to precise positions.
 */

import { describe, expect, it } from "vitest";
import path from "node:path";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { loadSystemFile, loadedFromSpec, positionOf } from "../src/parse/system/loader.ts";
import { ORIGIN, defineSystem, server } from "../src/api/index.ts";
import { ROOT, fixture } from "./system-helpers.ts";

// A frozen copy of an early examples/hello, so the example can change without moving positions.
const hello = fixture("positions.ts");

describe("loadSystemFile", () => {
  it("loads examples/hello and records each builder's call site", async () => {
    const bag = new DiagnosticBag();
    const loaded = await loadSystemFile(hello, bag);
    expect(bag.items).toEqual([]);
    expect(loaded).toBeDefined();
    const spec = loaded!.spec;
    expect(spec.kind).toBe("system");
    expect(spec.name).toBe("hello");
    expect(spec.servers.map((s) => `${s.kind}:${s.name}`)).toEqual(["server:echo", "server:client", "server:intruder", "driver:uart"]);
    expect(spec[ORIGIN]).toEqual({ file: hello, line: 10, col: 16 });
    expect(spec.servers.map((s) => s[ORIGIN]?.line)).toEqual([15, 16, 18, 19]);
    expect(spec.servers[0][ORIGIN]?.col).toBe(5);
  });

  it("maps property paths to the most specific node", async () => {
    const loaded = (await loadSystemFile(hello, new DiagnosticBag()))!;
    const at = (p: (string | number)[]) => {
      const pos = positionOf(loaded, loaded.spec, p);
      return `${pos.line}:${pos.col}`;
    };
    expect(at(["name"])).toBe("11:3");
    expect(at(["servers", 0])).toBe("15:5");
    expect(at(["servers", 0, "priority"])).toBe("15:46");
    expect(at(["servers", 1, "uses", 0])).toBe("16:37");
    expect(at(["servers", 3, "devices", 0, "irq"])).toBe("23:71");
    // A path the source does not spell out falls back to the nearest node on the way.
    expect(at(["servers", 2, "uses", 0])).toBe("18:5");
    expect(at(["servers", 0, "serves", 7])).toBe("15:28");
  });

  it("keeps origins in local modules the description imports", async () => {
    const loaded = (await loadSystemFile(fixture("multi/system.ts"), new DiagnosticBag()))!;
    expect(loaded.spec.servers.map((s) => `${s[ORIGIN]?.file}:${s[ORIGIN]?.line}`)).toEqual([
      `${fixture("multi/common.ts")}:6`,
      `${fixture("multi/common.ts")}:6`,
      `${fixture("multi/system.ts")}:11`,
    ]);
  });

  it("restores the origin hook afterwards", async () => {
    await loadSystemFile(hello, new DiagnosticBag());
    expect((globalThis as Record<symbol, unknown>)[Symbol.for("neptune-gen.originHook")]).toBeUndefined();
    expect(server({ name: "x" })[ORIGIN]).toBeUndefined();
  });

  it("reports a missing file without throwing", async () => {
    const bag = new DiagnosticBag();
    expect(await loadSystemFile(fixture("does-not-exist.ts"), bag)).toBeUndefined();
    expect(bag.errors[0].message).toBe(`cannot read system description '${fixture("does-not-exist.ts")}'`);
  });
});

describe("loadedFromSpec", () => {
  it("falls back to file:1:1 for specs built without the loader", () => {
    const loaded = loadedFromSpec(defineSystem({ name: "x", servers: [server({ name: "a" })] }), "inline");
    expect(positionOf(loaded, loaded.spec, ["servers", 0, "name"])).toEqual({ file: "inline", line: 1, col: 1 });
  });
});
