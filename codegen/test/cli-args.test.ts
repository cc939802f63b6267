// SPDX-License-Identifier: BSD-2-Clause
/**
 * The CLI stops at a bad argument before doing any work (issue 15, class 4): an invalid choice,
 * an unknown flag, a missing positional or an unknown kind is one error line plus a hint, exit 1,
 * no stack trace, and nothing written, built or booted. And `run --target host` ends at
 * `--timeout` without `--expect` (class 8).
 */

import { execa } from "execa";
import { cp, mkdtemp, readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");

function cli(args: string[], cwd = ROOT, timeout = 60_000) {
  return execa(process.execPath, [CLI, ...args], { cwd, reject: false, timeout });
}

function expectCleanArgError(r: { exitCode?: number; stdout: string; stderr: string }, message: RegExp) {
  expect(r.exitCode, r.stderr).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/\nhint: run 'neptune-gen --help'/);
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stdout).toBe("");
}

/** A scratch project: a copy of the default system.ts, nothing else. */
async function project(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "neptune-args-"));
  await cp(path.join(ROOT, "system.ts"), path.join(dir, "system.ts"));
  return dir;
}

describe("CLI argument errors stop before any work", () => {
  it("run --target qemu: invalid choice, nothing built or booted", async () => {
    const dir = await project();
    const b = path.join(dir, "b");
    const r = await cli(["run", "--target", "qemu", "-s", path.join(dir, "system.ts"), "-B", b]);
    expectCleanArgError(r, /^neptune-gen: error: Invalid values:\n\s+Argument: target, Given: "qemu", Choices: "sel4", "host"/);
    expect(existsSync(b)).toBe(false);
  });

  it("new client foo: invalid kind, nothing written", async () => {
    const dir = await project();
    const before = await readFile(path.join(dir, "system.ts"), "utf8");
    const r = await cli(["new", "client", "foo"], dir);
    expectCleanArgError(r, /Argument: kind, Given: "client", Choices: "server"/);
    expect(await readdir(dir)).toEqual(["system.ts"]);
    expect(await readFile(path.join(dir, "system.ts"), "utf8")).toBe(before);
  });

  it("new server without a name: an error, not an internal error", async () => {
    const dir = await project();
    const r = await cli(["new", "server"], dir);
    expectCleanArgError(r, /^neptune-gen: error: Not enough non-option arguments: got 1, need at least 2/);
    expect(await readdir(dir)).toEqual(["system.ts"]);
  });

  it("check --bogus-flag: unknown argument, no check run", async () => {
    const r = await cli(["check", "--bogus-flag", "-s", "system.ts"]);
    expectCleanArgError(r, /^neptune-gen: error: Unknown arguments: bogus-flag/);
  });

  it("gen with a bogus flag writes nothing", async () => {
    const dir = await project();
    const out = path.join(dir, "gen");
    const r = await cli(["gen", "-s", path.join(dir, "system.ts"), "-o", out, "--frobnicate"]);
    expectCleanArgError(r, /Unknown arguments?: frobnicate/);
    expect(existsSync(out)).toBe(false);
  });

  it("a misspelt command suggests the right one and does nothing else", async () => {
    const r = await cli(["chek"]);
    expectCleanArgError(r, /did you mean check\?/i);
  });
});

describe("run --target host --timeout without --expect", () => {
  it(
    "stops the system at the timeout and exits 0",
    async () => {
      const b = path.join(ROOT, "build/host-test/hello-timeout");
      const start = Date.now();
      const r = await cli(["run", "--target", "host", "-s", "examples/hello/system.ts", "-B", b, "--timeout", "3"], ROOT, 240_000);
      expect(r.exitCode, r.stderr + r.stdout.slice(-2000)).toBe(0);
      expect(r.stdout).toMatch(/neptune host: system hello: timeout after 3 s/);
      expect(r.timedOut).toBe(false);
      // The run itself (after the build) ends within the timeout plus a margin.
      const m = /client: done/.exec(r.stdout);
      expect(m, "the system ran").not.toBeNull();
      expect(Date.now() - start).toBeLessThan(230_000);
    },
    250_000,
  );
});
