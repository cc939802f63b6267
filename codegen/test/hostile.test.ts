// SPDX-License-Identifier: BSD-2-Clause
/**
 * The hostile client (examples/hostile) on both targets: malformed labels, lengths and caps, a
 * oneway sent with call, caps of the wrong kind, slots beyond the CSpace, a flood, and a server
 * in a restart storm. Each case prints one outcome line; both consoles must hold exactly the
 * lines of examples/hostile/expected-outcomes.txt (docs/transport.md specifies them), and the
 * same ones.
 *
 * - host target: built with buildHost (ASan + UBSan) and run in `npm test` (gcc, cmake, ninja);
 * - seL4: built with `neptune-gen build` and booted in QEMU by `neptune-gen run`; needs
 *   NEPTUNE_SEL4_WORKSPACE, skipped visibly without it.
 */

import { execa } from "execa";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { buildHost, hostRunCommand } from "../src/build/host.ts";
import { runConsole } from "../src/run/console.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const SYSTEM = "examples/hostile/system.ts";
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

/** The expected outcome lines (comments and blank lines dropped). */
export function expectedOutcomes(): string[] {
  return readFileSync(path.join(ROOT, "examples/hostile/expected-outcomes.txt"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** An expected line as a whole-line pattern: {hex} is a hexadecimal number. */
const linePattern = (l: string) => new RegExp(`^${escape(l).replace(/\\\{hex\\\}/g, "[0-9a-f]+")}$`);

/** A console line as the expected list words it: no root-server prefix, no fault pc or signal. */
export function normalize(line: string): string {
  return line
    .replace(/\r$/, "")
    .replace(/^neptune (rootserver|host): /, "")
    .replace(/^(fault: server \S+: .* at 0x[0-9a-f]+) pc 0x[0-9a-f]+( \(\w+\))?$/, "$1");
}

/** The console lines that match an expected line, normalized, sorted (order across servers varies). */
export function outcomes(log: string): string[] {
  const patterns = [...new Set(expectedOutcomes())].map(linePattern);
  const servers = /^(hostile|target|badslot|badcap|storm): |^fault: server |^server (badslot|badcap|storm)\b/;
  return log
    .split("\n")
    .map(normalize)
    .filter((l) => servers.test(l) && (patterns.some((p) => p.test(l)) || /STILL RUNNING|REACHED/.test(l)))
    .sort();
}

/** Compares a console with the expected list: every line as often as listed, nothing unexpected. */
function checkConsole(log: string): string[] {
  const got = outcomes(log);
  const want = expectedOutcomes();
  const left = [...got];
  const missing: string[] = [];
  for (const w of want) {
    const p = linePattern(w);
    const i = left.findIndex((g) => p.test(g));
    if (i < 0) missing.push(w);
    else left.splice(i, 1);
  }
  expect({ missing, unexpected: left }, `--- console ---\n${log}`).toEqual({ missing: [], unexpected: [] });
  // Nothing else of hostile's, and no line that says a bad call got through.
  expect(log).not.toMatch(/STILL RUNNING|another error/);
  return got;
}

/** The patterns that say the run is complete (for --expect and the host watcher). */
const DONE = [/hostile: done/, /server storm: restart limit reached/, /server badslot stopped/, /server badcap stopped/];

let hostOutcomes: string[] | undefined;

describe("hostile client on the host target", () => {
  it("answers every hostile case as docs/transport.md says, and bounds the restart storm", async () => {
    const bag = new DiagnosticBag();
    const built = await buildHost({ systemFile: path.join(ROOT, SYSTEM), buildDir: path.join(ROOT, "build/host-test/hostile"), sanitize: true, bag });
    expect(bag.format()).toBe("");
    expect(built).toBeDefined();
    const r = await runConsole({
      ...hostRunCommand(built!.executable, { timeoutSec: 60 }),
      expect: DONE,
      fail: /ERROR: AddressSanitizer|runtime error:|LeakSanitizer|boot failed/,
      timeoutSec: 65,
      echo: false,
    });
    expect(r.ok, `${r.reason}\n--- console ---\n${r.log}`).toBe(true);
    hostOutcomes = checkConsole(r.log);
  });
});

describe.skipIf(!workspace)(`hostile client on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const buildDir = path.join(os.tmpdir(), "neptune-test-hostile-sel4");

  it("prints the same outcome per case as the host target", async () => {
    const build = await execa("node", [CLI, "build", "-s", SYSTEM, "-B", buildDir], { cwd: ROOT, reject: false, all: true });
    expect(build.exitCode, build.all).toBe(0);
    const args = ["run", "-s", SYSTEM, "-B", buildDir, "--timeout", "180"];
    for (const re of DONE) args.push("--expect", re.source);
    const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
    expect(run.exitCode, run.all).toBe(0);
    const sel4 = checkConsole(run.stdout);
    if (hostOutcomes) expect(sel4).toEqual(hostOutcomes);
  }, 400_000);
});

describe.skipIf(!!workspace)("hostile client on seL4 in QEMU", () => {
  it.skip(`skipped: ${skipReason}`, () => {});
});
