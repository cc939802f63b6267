// SPDX-License-Identifier: BSD-2-Clause
/**
 * Timer area: the PL031 real-time clock on the host and on seL4.
 *
 * - The host's PL031 model (runtime/host/rootserver/pl031.c), built with libneptune_host and
 *   fixtures/timer/c/pl031_model.c under ASan + UBSan: registers, the host clock, the match
 *   interrupt (needs gcc only).
 * - fixtures/timer/rtc: the unchanged drivers/pl031 serving two clients at once, `alarms`
 *   (oneshot, periodic, cancel, fired, every error) and `sleeper` (a 2 s deferred sleep), on the
 *   host (gcc, cmake, ninja) and, with an seL4 workspace (sel4-workspace.ts), on seL4 in QEMU, whose PL031
 *   counts real time. Both print the same lines.
 */

import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { buildHost, hostRunCommand } from "../src/build/host.ts";
import { runConsole } from "../src/run/console.ts";
import { SEL4_ENV, SEL4_WORKSPACE } from "./sel4-workspace.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const FIXTURE = "codegen/test/fixtures/timer/rtc/system.ts";
const workspace = SEL4_WORKSPACE;

/** A console line as a pattern; unanchored, as `neptune-gen run --expect` takes its source. */
const lit = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

/** What the fixture prints on either target (besides its start-up lines). */
const RTC_EXPECT = [
  /rtc: PL031 registers at 0x[0-9a-f]+, IRQ handler in slot \d+/,
  lit("alarms: resolution() = 1 s (ok)"),
  lit("alarms: oneshot before set_notification: no_notification (ok)"),
  lit("alarms: set_notification(own notification) (ok)"),
  lit("alarms: oneshot(id 16): bad_id (ok)"),
  lit("alarms: oneshot(deadline 0): invalid (ok)"),
  lit("alarms: periodic(period 0): invalid (ok)"),
  lit("alarms: cancel(id 64): bad_id (ok)"),
  lit("alarms: fired() = 0 before any timeout (ok)"),
  lit("alarms: oneshot(id 3) in the past fires at once (ok)"),
  lit("alarms: id 5 fired after at least 1 s (ok)"),
  lit("alarms: id 7 fired twice, 1 s apart (ok)"),
  lit("alarms: cancel(id 7) (ok)"),
  lit("alarms: only id 8 fired: the cancelled periodic stayed quiet (ok)"),
  lit("alarms: done, 0 failed"),
  /sleeper: slept 2 s: clock \d+ -> \d+ s \(ok\)/,
  // The root server's line, "neptune host: …" or "neptune rootserver: …".
  /: server alarms exited with status 0/,
  /: server sleeper exited with status 0/,
];

describe("timer: host PL031 model", () => {
  const out = mkdtempSync(path.join(os.tmpdir(), "neptune-timer-pl031-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("counts the host clock and raises the match interrupt when the counter reaches MR", () => {
    const hostSrc = path.join(ROOT, "runtime/host/src");
    const sources = readdirSync(hostSrc).filter((f) => f.endsWith(".c")).map((f) => path.join(hostSrc, f));
    const exe = path.join(out, "pl031_model");
    const cc = spawnSync(
      "gcc",
      [
        "-std=c11", "-g", "-O1", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
        "-pthread", "-Wall", "-Wextra", "-Werror",
        `-I${path.join(ROOT, "runtime/include")}`, `-I${path.join(ROOT, "runtime/host/include")}`,
        `-I${path.join(ROOT, "runtime/host/rootserver")}`,
        path.join(ROOT, "codegen/test/fixtures/timer/c/pl031_model.c"), path.join(ROOT, "runtime/host/rootserver/pl031.c"),
        ...sources, "-o", exe,
      ],
      { encoding: "utf8" },
    );
    expect(cc.status, cc.stderr).toBe(0);
    const r = spawnSync(exe, [], { encoding: "utf8", timeout: 30_000, env: { ...process.env, ASAN_OPTIONS: "detect_leaks=0" } });
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error|CHECK failed/);
    expect(r.stdout).toContain("PASS pl031 model");
    expect(r.status).toBe(0);
  });
});

describe("timer: the PL031 driver on the host", () => {
  it("serves oneshot, periodic, cancel, fired and a deferred sleep to two clients over one match register", async () => {
    const bag = new DiagnosticBag();
    const built = await buildHost({ systemFile: path.join(ROOT, FIXTURE), buildDir: path.join(ROOT, "build/host-test/timer-rtc"), sanitize: true, bag });
    expect(bag.format()).toBe("");
    expect(built).toBeDefined();
    const timeoutSec = 40;
    const r = await runConsole({
      ...hostRunCommand(built!.executable, { timeoutSec }),
      expect: RTC_EXPECT,
      fail: /ERROR: AddressSanitizer|runtime error:|LeakSanitizer|boot failed|FAILED|fault: server/,
      timeoutSec: timeoutSec + 5,
      echo: false,
    });
    expect(r.ok, `${r.reason}\n--- console ---\n${r.log}`).toBe(true);
  });
});

describe.skipIf(!workspace)("timer: the PL031 driver on seL4 in QEMU", () => {
  it("prints the same lines as on the host", async () => {
    const buildDir = path.join(os.tmpdir(), "neptune-test-timer-rtc-sel4");
    const build = await execa("node", [CLI, "build", "-s", FIXTURE, "-B", buildDir], { cwd: ROOT, reject: false, all: true, env: SEL4_ENV });
    expect(build.exitCode, build.all).toBe(0);
    const args = ["run", "-s", FIXTURE, "-B", buildDir, "--timeout", "120"];
    for (const re of RTC_EXPECT) args.push("--expect", re.source);
    const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true, env: SEL4_ENV });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).not.toMatch(/FAILED/);
  });
});
