// SPDX-License-Identifier: BSD-2-Clause
/**
 * The NT executive's pure parts (personality-nt/executive: ob.c, handle.c, cc.c): builds
 * personality-nt/executive/test/ex_test.c with gcc under ASan/UBSan and runs it — name parsing
 * with link substitution and devices, reference counts, handle tables with generic mapping and
 * access checks, and the cache manager's decisions (hits, read-ahead, partial-write fills,
 * dirty runs clipped to the end of file, eviction, retrieval-pointer extents); then the executive
 * alone with two test processes of its own (personality-nt/executive/test/system.ts: probedrv
 * speaks ntdrv by hand, probe speaks ntexec): malformed registrations, handles and access,
 * names and directory objects, statistics, a driver dying with a client's IRP and restarting —
 * on the host target under ASan/UBSan, and on seL4 in QEMU when a workspace is configured
 * (else a visible skip).
 */

import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, TOOL_ENV } from "../../scripts/fat-lib.ts";

const EX = path.join(ROOT, "personality-nt/executive");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";
const out = mkdtempSync(path.join(os.tmpdir(), "ng-ntexec-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("NT executive (host unit tests)", () => {
  it("parses names, checks handles and decides the cache's I/O", () => {
    const exe = path.join(out, "ex_test");
    const cc = spawnSync("gcc", [
      "-std=c11", "-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-Wall", "-Wextra", "-Werror",
      `-I${path.join(ROOT, "personality-nt/include")}`,
      ...["ob.c", "handle.c", "cc.c", "test/ex_test.c"].map((f) => path.join(EX, f)),
      "-o", exe,
    ], { encoding: "utf8" });
    expect(cc.status, cc.stderr).toBe(0);
    const r = spawnSync(exe, [], { encoding: "utf8", env: { ...TOOL_ENV, ASAN_OPTIONS: "detect_leaks=1" }, timeout: 60_000 });
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error/);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^PASS ntexec: \d+ checks/);
    expect(r.status).toBe(0);
  });
});

async function probe(target: "host" | "sel4"): Promise<string> {
  const args = ["run", "-s", "personality-nt/executive/test/system.ts", "--timeout", target === "host" ? "120" : "300",
    "--expect", "probe: \\d+ checks passed", "--fail", "FAILED|runtime error:|AddressSanitizer"];
  if (target === "host") args.push("--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/ntexec-probe"));
  else args.push("-B", path.join(os.tmpdir(), "neptune-test-ntexec-probe"));
  const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true, env: { ...process.env, NEPTUNE_SEL4_WORKSPACE: workspace ?? "" } });
  expect(run.exitCode, run.all).toBe(0);
  return run.all ?? "";
}

function expectProbe(log: string): void {
  expect(log).toMatch(/probedrv: 14 checks passed, 0 failed/);
  expect(log).toMatch(/probe: 50 checks passed, 0 failed/);
  expect(log).toContain("ntexec: driver probe restarted");
  expect(log).toContain("probe: write \"die\": the driver dies holding it: STATUS_DEVICE_DOES_NOT_EXIST (ok)");
  expect(log).toContain("probe: open \\??\\P: again (the driver restarted): STATUS_SUCCESS (ok)");
  expect(log).toMatch(/ntexec: process \d+ ended by a fault/);
  expect(log).toContain("probe: its exit status: STATUS_0x0000002A (ok)");
  expect(log).not.toMatch(/fault: server ntexec/);
}

describe("NT executive with test processes, host target (ASan + UBSan)", () => {
  it("answers malformed requests with errors, checks handles, survives a driver's death", async () => {
    expectProbe(await probe("host"));
  }, 300_000);
});

describe.skipIf(!workspace)(`NT executive with test processes on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("answers malformed requests with errors, checks handles, survives a driver's death", async () => {
    expectProbe(await probe("sel4"));
  }, 900_000);
});
