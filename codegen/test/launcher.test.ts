// SPDX-License-Identifier: BSD-2-Clause
/**
 * Run-time processes (idl/root.idl, examples/launcher) on both targets: the launcher spawns 100
 * children in turn and checks each exit status against its index; a child that dereferences
 * NULL is reported to it as a vm fault at 0; a child given no caps reaches no server; every
 * typed error (unknown program, a cap it does not hold, a slot the program does not declare,
 * past the memory budget and the process limit, waits on pids that are not its children) leaves
 * the root server's free untyped memory and slots unchanged; and so do 1000 spawn/reap cycles.
 *
 * Host target: always (ASan + UBSan). seL4: built by `neptune-gen build` and booted in QEMU when
 * NEPTUNE_SEL4_WORKSPACE is set, else skipped with the reason.
 */

import { execa } from "execa";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { buildHost, hostRunCommand } from "../src/build/host.ts";
import { runConsole } from "../src/run/console.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

/** What the launcher prints on either target. */
export const LAUNCHER_EXPECT = [
  /child: argv = \[child, 1\], echo\.add\(1, 1\) = 2 \(ok\)/,
  /child: argv = \[child, 100\], echo\.add\(100, 1\) = 101 \(ok\)/,
  /launcher: 100 of 100 children exited with their index \(ok\)/,
  /fault: process \d+ \(crasher\): vm fault at 0x0 pc 0x[0-9a-f]+/,
  /launcher: crasher \(pid \d+\) ended with a vm fault at 0x0 pc 0x[0-9a-f]+ \(ok\)/,
  /probe: cannot reach any server: \d+ calls through slot \d+ and slots \d+\.\.\d+ all failed with NG_EIPC \(no capability\)/,
  /launcher: probe, given no caps, reached no server \(ok\)/,
  /launcher: spawn of an unknown program: error 16 \(ok\)/,
  /launcher: spawn with a cap it does not hold: error 19 \(ok\)/,
  /launcher: spawn into a slot the program does not declare: error 20 \(ok\)/,
  /launcher: spawn past the memory budget: error 18 \(ok\)/,
  /launcher: wait on a pid that is not a child \(its own\): error 23 \(ok\)/,
  /launcher: wait on a pid that is not a child \(a boot server\): error 23 \(ok\)/,
  /launcher: wait on a pid that does not exist: error 22 \(ok\)/,
  /launcher: query\(\d+\): running, parent \d+, name blocker \(ok\)/,
  /launcher: spawn past the process limit: error 17 \(ok\)/,
  /launcher: 3 blockers killed and reaped \(ok\)/,
  /nester: spawned blocker pid \d+ \(ok\); waiting for it/,
  /process \d+ \(blocker\) ended with its parent \d+/,
  /launcher: nester \(pid \d+\) killed while waiting for its child \d+; both gone \(ok\)/,
  /launcher: after the negative tests: untyped free (\d+) -> \1 bytes, slots free (\d+) -> \2 \(nothing leaked\)/,
  /launcher: 1000 of 1000 spawn\/reap cycles ok; untyped free (\d+) -> \1 bytes, slots free (\d+) -> \2 \(equal\)/,
  /launcher: done \(0 failures\)/,
];

const FAILED = /FAILED|LEAKED|REACHED|ERROR: AddressSanitizer|runtime error:|LeakSanitizer|boot failed/;

describe("launcher on the host target", () => {
  it("spawns, waits, kills and reaps with nothing leaked (ASan + UBSan)", async () => {
    const bag = new DiagnosticBag();
    const built = await buildHost({ systemFile: path.join(ROOT, "examples/launcher/system.ts"), buildDir: path.join(ROOT, "build/host-test/launcher"), sanitize: true, bag });
    expect(bag.format()).toBe("");
    const r = await runConsole({
      ...hostRunCommand(built!.executable, { timeoutSec: 120 }),
      expect: LAUNCHER_EXPECT,
      fail: FAILED,
      timeoutSec: 125,
      echo: false,
    });
    expect(r.ok, `${r.reason}\n--- console ---\n${r.log.slice(-4000)}`).toBe(true);
    expect(r.log.match(/^child: argv = \[child, \d+\], echo\.add\(\d+, 1\) = \d+ \(ok\)$/gm)?.length).toBe(100);
  }, 400_000);
});

describe.skipIf(!workspace)(`launcher on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("boots with neptune-gen run --expect and shows every line", async () => {
    const buildDir = path.join(os.tmpdir(), "neptune-test-launcher-sel4");
    const args = ["run", "-s", "examples/launcher/system.ts", "-B", buildDir, "--timeout", "240", "--fail", FAILED.source];
    for (const re of LAUNCHER_EXPECT) args.push("--expect", re.source);
    const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
    expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
    expect(run.stdout).toMatch(/neptune rootserver: process service up: 7 programs/);
  }, 900_000);
});

describe.skipIf(!!workspace)("launcher on seL4 in QEMU", () => {
  it.skip(`skipped: ${skipReason}`, () => {});
});
