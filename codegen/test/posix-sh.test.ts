// SPDX-License-Identifier: BSD-2-Clause
/**
 * The POSIX personality's shell (personality-posix/bin/sh, examples/posix-sh): shtest runs
 * /bin/sh on scripts, on `sh -c` and on commands from a pipe, and compares each transcript with
 * the expected one line by line (examples/posix-sh/servers/shtest/cases.c).
 *
 * - host (always): the line editor (edit.c) fed typed bytes under ASan/UBSan; and every shtest
 *   case on the host target under ASan/UBSan.
 * - the shell at the console (examples/posix-sh/console.ts: init starts /bin/sh on it), typed
 *   at with `run --input`: echo, a pipeline, backspace, ^U, ^C ending a foreground job, an
 *   unknown command, $?, ^D ending the shell and init starting another.
 * - seL4 in QEMU (needs NEPTUNE_SEL4_WORKSPACE, else a visible skip): both of the above.
 */

import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const SH = path.join(ROOT, "personality-posix/bin/sh");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

/** The names of shtest's cases, from cases.c: each must print "ok". */
const CASES = [...readFileSync(path.join(ROOT, "examples/posix-sh/servers/shtest/cases.c"), "utf8").matchAll(/^ {4}\{"([^"]+)", RUN_/gm)].map((m) => m[1]);

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the shell's line editor on the host", () => {
  it("echo, backspace/DEL, ^U, ^C, ^D, escape sequences, type-ahead; no echo off a terminal (ASan + UBSan)", () => {
    const exe = path.join(mkdtempSync(path.join(os.tmpdir(), "ng-sh-edit-")), "edit_test");
    const cc = spawnSync("gcc", ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
      path.join(SH, "edit.c"), path.join(SH, "test/edit_test.c"), "-o", exe], { encoding: "utf8" });
    expect(cc.status, cc.stderr).toBe(0);
    const run = spawnSync(exe, [], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toContain("edit_test: 0 failures");
    expect(run.stdout).not.toContain("FAILED");
    expect(run.status).toBe(0);
  });
});

/** Boots examples/posix-sh on a fresh FAT32 image and checks every case of shtest. */
async function runShtest(target: "sel4" | "host"): Promise<void> {
  expect(CASES.length).toBeGreaterThan(10);
  const dir = mkdtempSync(path.join(os.tmpdir(), "ng-posix-sh-"));
  const disk = path.join(dir, "disk.img");
  const mk = await execa("node", [CLI, "disk", "create", disk, "--size", "64M", "--fat", "32"], { cwd: ROOT, reject: false, all: true });
  expect(mk.exitCode, mk.all).toBe(0);
  const args = ["run", "-s", "examples/posix-sh/system.ts", "--disk", disk, "--timeout", "300",
    "--fail", "FAILED|fault:|libsel4muslcsys: Error|runtime error:|AddressSanitizer|LeakSanitizer"];
  if (target === "host") args.push("--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/posix-sh"));
  else args.push("-B", path.join(os.tmpdir(), "neptune-test-posix-sh"));
  for (const c of CASES) args.push("--expect", `shtest: ${esc(c)}: ok`);
  args.push("--expect", "shtest: done \\(0 failures\\)");
  const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
  expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
}

/** What is typed at the console (lines; `^C`/`^D` alone are the control byte), and what the
 * console must show: outputs are upper-cased (t_upper) or say `status`, so that the echo of the
 * typed line cannot match them (the prompt and echo of a later line, once boot messages are over). */
const TYPED = [
  "t_echo hello from the console | t_upper",
  "t_echo one two | t_upper | t_cat",
  "t_ecko\x7f\x7fho fixed by backspace | t_upper",
  "junk\x15t_echo after kill-line | t_upper",
  "t_pause",
  "^C",
  "t_echo status $?",
  "nope",
  "t_exit 3",
  "t_echo status $?",
  "^D",
  "t_echo second shell | t_upper",
];
const SHOWN = [
  "HELLO FROM THE CONSOLE",
  "ONE TWO",
  "FIXED BY BACKSPACE",
  "AFTER KILL-LINE",
  "\\^C",
  "status 130",
  "sh: nope: not found",
  "\\$ t_exit 3",
  "status 3",
  "init: sh exited with status 0; starting another",
  "SECOND SHELL",
];

async function runConsole(target: "sel4" | "host"): Promise<void> {
  const typed = path.join(mkdtempSync(path.join(os.tmpdir(), "ng-posix-sh-typed-")), "typed.txt");
  writeFileSync(typed, TYPED.join("\n") + "\n");
  const args = ["run", "-s", "examples/posix-sh/console.ts", "--input", typed, "--input-prompt", "(^|\\n)\\$ ", "--timeout", "240",
    "--fail", "fault:|libsel4muslcsys: Error|runtime error:|AddressSanitizer|LeakSanitizer"];
  if (target === "host") args.push("--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/posix-sh-console"));
  else args.push("-B", path.join(os.tmpdir(), "neptune-test-posix-sh-console"));
  for (const s of SHOWN) args.push("--expect", s);
  const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
  expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
  // The typed line is echoed with the editing in it: the erased characters go back over themselves.
  expect(run.stdout).toContain("t_ecko\b \b\b \bho fixed by backspace");
}

describe("the shell on the host target", () => {
  it("every shtest case under ASan + UBSan: transcripts equal line by line", async () => {
    await runShtest("host");
  }, 400_000);
  it("at the console, typed at (run --input): editing, ^C ends the foreground job, ^D ends the shell", async () => {
    await runConsole("host");
  }, 400_000);
});

describe.skipIf(!workspace)(`the shell on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("every shtest case: transcripts equal line by line", async () => {
    await runShtest("sel4");
  }, 600_000);
  it("at the console, typed at (run --input): editing, ^C ends the foreground job, ^D ends the shell", async () => {
    await runConsole("sel4");
  }, 600_000);
});
