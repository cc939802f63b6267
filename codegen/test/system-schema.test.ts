// SPDX-License-Identifier: BSD-2-Clause
/**
 * The zod layer and sizes on their own: what a description built in plain JavaScript (no type
 * checker to catch it first) gets told, and how sizes parse.
 */

import { describe, expect, it } from "vitest";
import { schemaIssues } from "../src/model/system-schema.ts";
import { approxSize, formatSize, parseSize } from "../src/model/sizes.ts";
import { defineSystem, server } from "../src/api/index.ts";

const sys = (s: object) => defineSystem({ name: "t", servers: [server(s as never)] });

describe("schemaIssues", () => {
  it("accepts a good description", () => {
    expect(schemaIssues(sys({ name: "a", stack: "16K", restart: { policy: "on-fault", maxRestarts: 2 } }))).toEqual([]);
  });

  it("names an unknown property at its own path", () => {
    expect(schemaIssues(sys({ name: "a", prio: 3 }))).toEqual([
      { path: ["servers", 0, "prio"], message: "unknown property 'prio'", hint: "remove it, or check its spelling against the neptune-gen API" },
    ]);
  });

  it("explains restart policies", () => {
    expect(schemaIssues(sys({ name: "a", restart: "sometimes" }))).toEqual([
      {
        path: ["servers", 0, "restart"],
        message: "unknown restart policy 'sometimes'",
        hint: `restart must be "never", "always" or { policy: "on-fault", maxRestarts: N }`,
      },
    ]);
  });

  it("says what type a value must have", () => {
    expect(schemaIssues(sys({ name: "a", serves: "echo" }))[0]).toMatchObject({ path: ["servers", 0, "serves"], message: "'servers.0.serves' must be an array" });
  });
});

describe("sizes", () => {
  it("parses numbers and K/M/G strings", () => {
    expect(parseSize("16K")).toEqual({ bytes: 16384 });
    expect(parseSize("2M")).toEqual({ bytes: 2 * 1024 * 1024 });
    expect(parseSize("1.5K")).toEqual({ bytes: 1536 });
    expect(parseSize(4096)).toEqual({ bytes: 4096 });
    expect(parseSize("12Q")).toHaveProperty("error");
    expect(parseSize(-1)).toHaveProperty("error");
  });

  it("prints sizes back", () => {
    expect(formatSize(64 * 1024 * 1024)).toBe("64M");
    expect(formatSize(1000)).toBe("1000");
    expect(approxSize(383488)).toBe("374.5K");
  });
});
