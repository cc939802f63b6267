// SPDX-License-Identifier: BSD-2-Clause
/**
 * The POSIX personality's shell (personality-posix/bin/sh, examples/posix-sh): shtest runs
 * /bin/sh on scripts, on `sh -c` and on commands from a pipe, and compares each transcript with
 * the expected one line by line (examples/posix-sh/servers/shtest/cases.c).
 *
 * - host (always): the line editor (edit.c) fed typed bytes under ASan/UBSan; and every shtest
 *   case on the host target under ASan/UBSan.
 * - seL4 in QEMU (needs NEPTUNE_SEL4_WORKSPACE, else a visible skip): every shtest case.
 */

import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
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

describe("the shell on the host target", () => {
  it("every shtest case under ASan + UBSan: transcripts equal line by line", async () => {
    await runShtest("host");
  }, 400_000);
});

describe.skipIf(!workspace)(`the shell on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("every shtest case: transcripts equal line by line", async () => {
    await runShtest("sel4");
  }, 600_000);
});
