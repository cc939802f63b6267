// SPDX-License-Identifier: BSD-2-Clause
/**
 * The shell on the POSIX personality (examples/shell: init, /bin/sh and the core utilities):
 * `neptune-gen run --input examples/shell/session.txt` types a session at the console (an empty
 * line first: the prompt then follows the boot messages) — a
 * pipeline of three programs, `>`/`>>` into /tmp and /disk, `cp -r` of a tree from /disk to /tmp
 * and back, `cd`, errors, `&&`/`||`, quotes and variables, ^C ending a `sleep 100`, a background
 * job listed by `jobs` and `ps` and ended by `kill`, `wait`, `ls /bin`, `mount` — and the
 * transcript (from the first prompt, without the system's own report lines) must equal
 * examples/shell/session.expected line by line.
 *
 * Host target always (ASan + UBSan); seL4 in QEMU with NEPTUNE_SEL4_WORKSPACE, else a visible skip.
 */

import { execa } from "execa";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

/** The session's lines as a person would read them: from the first command on, without the
 * root server's, the host's and init's reports, pids of background jobs as PID. */
export function transcript(log: string): string[] {
  const lines = log.replace(/\r/g, "").split("\n");
  const first = lines.findIndex((l) => l.startsWith("$ echo apple"));
  const out: string[] = [];
  for (const l of lines.slice(first < 0 ? lines.length : first)) {
    if (/^(neptune (host|rootserver)|neptune-gen|init:|--- last console)/.test(l)) continue;
    out.push(l.replace(/^\[(\d+)\] \d+$/, "[$1] PID"));
    if (l === "done with the session") break;
  }
  return out;
}

async function runSession(target: "sel4" | "host"): Promise<void> {
  const disk = path.join(mkdtempSync(path.join(os.tmpdir(), "ng-shell-")), "disk.img");
  const mk = await execa("node", [CLI, "disk", "create", disk, "--size", "64M", "--fat", "32"], { cwd: ROOT, reject: false, all: true });
  expect(mk.exitCode, mk.all).toBe(0);
  const args = ["run", "-s", "examples/shell/system.ts", "--disk", disk, "--input", "examples/shell/session.txt", "--input-prompt", "(^|\\n)\\$ ", "--timeout", "400",
    "--expect", "\\ndone with the session", "--fail", "fault:|runtime error:|AddressSanitizer|LeakSanitizer"];
  if (target === "host") args.push("--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/shell"));
  else args.push("-B", path.join(os.tmpdir(), "neptune-test-shell"));
  const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
  expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
  const want = readFileSync(path.join(ROOT, "examples/shell/session.expected"), "utf8").replace(/\n+$/, "").split("\n");
  expect(transcript(run.stdout)).toEqual(want);
}

describe("the shell on the host target", () => {
  it("a typed session equals session.expected line by line (ASan + UBSan)", async () => {
    await runSession("host");
  }, 600_000);
});

describe.skipIf(!workspace)(`the shell on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("a typed session equals session.expected line by line", async () => {
    await runSession("sel4");
  }, 900_000);
});
