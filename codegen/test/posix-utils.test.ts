// SPDX-License-Identifier: BSD-2-Clause
/**
 * The core utilities of the POSIX personality (personality-posix/bin, examples/posix-utils):
 * utest spawns each as /bin/<name> with its output redirected into /tmp or through pipes and
 * checks what it printed and its exit status (error messages, usage errors), cp -r of a tree
 * from /disk to /tmp and back, ps and kill on a blocked child, mount's table.
 *
 * - host (always): the same programs and checks on the host target under ASan/UBSan, fsck.fat
 *   on the image after.
 * - seL4 in QEMU (needs NEPTUNE_SEL4_WORKSPACE, else a visible skip): every check of utest on a
 *   FAT32 image made by `neptune-gen disk create`, then `fsck.fat -n` on the image afterwards.
 */

import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

/** Every check utest prints, in order. */
const UTEST_CHECKS = [
  "echo hello world",
  "echo -n a b",
  "echo a b > /tmp/x",
  "cat /tmp/x | wc -c gives 4",
  "cat of a missing file: the message and status 1",
  "cat of a directory: EISDIR",
  "cat < /tmp/x",
  "mkdir -p /tmp/a/b/c",
  "mkdir -p of an existing directory is no error",
  "mkdir of an existing directory: EEXIST, status 1",
  "mkdir without operands: usage, status 2",
  "rmdir of a non-empty directory fails",
  "rmdir /tmp/a/b/c",
  "make /tmp/l with d, f1, .hidden",
  "ls /tmp/l: d f1, sorted, no dot files",
  "ls -l: type and mode, size, name",
  "ls -a shows .hidden",
  "ls -l of a file",
  "ls /nope: the message and status 1",
  "ls -z: usage, status 2",
  "touch creates an empty file",
  "touch of a file keeps its bytes",
  "touch in a missing directory: status 1",
  "write /tmp/fruit",
  "wc: lines, words, bytes",
  "wc -l -w",
  "wc -l of two files: a total",
  "head -n 2",
  "head -n1 of two files",
  "head -n x: usage, status 2",
  "grep apple",
  "grep -v apple",
  "grep -c apple",
  "grep -n an",
  "grep without a match: status 1",
  "grep of a missing file: status 2",
  "grep without a pattern: usage, status 2",
  "cat /tmp/fruit | grep apple | wc -l gives 2",
  "hexdump -C of hello",
  "hexdump of 17 bytes: two rows",
  "sleep x: usage, status 2",
  "sleep 0",
  "sleep 1 takes a second or two",
  "make a tree on /disk with mkdir -p and echo",
  "cp of a directory without -r: status 1",
  "cp -r /disk/utree /tmp/utree",
  "cp -r /tmp/utree /disk/utree2: the same files",
  "cp a file into a directory",
  "cp with one operand: usage, status 2",
  "mv /tmp/x /tmp/y",
  "mv /tmp/y /disk/y: across file systems",
  "mv of a missing file: status 1",
  "rm of a directory without -r: status 1",
  "rm /nope: the message and status 1",
  "rm -f /nope: silent, status 0",
  "rm -r of the three trees and a file",
  "rm -r of the rest in /tmp",
  "ls /tmp: only the driver's own files left",
  "mount lists /tmp /dev /bin /disk",
  "mount -a: usage, status 2",
  "pipe for a blocked cat",
  "spawn cat reading a pipe",
  "ps shows the driver (waiting), the blocked cat and itself",
  "kill of another's child: EPERM, status 1",
  "kill -0 probes it: status 0",
  "kill -9 of a missing process: ESRCH, status 1",
  "kill -BOGUS: usage, status 2",
  "kill without a pid: usage, status 2",
  "the parent's kill ends the cat",
  "posix_spawn of a missing utility fails",
];

/** Lines of the programs' own output utest shows (ls -l's format, mount's table, ps's list). */
const UTEST_SHOWS = [
  /utest: \| drwxr-xr-x +0 d\r?\n/,
  /utest: \| -rw-r--r-- +12 f1\r?\n/,
  /utest: \| \/tmp type directory \(id \d+\)\r?\n/,
  /utest: \| \/disk type directory \(id \d+\)\r?\n/,
  /utest: \| +\d+ +0 waiting utest\r?\n/,
  /utest: \| +\d+ +\d+ running cat\r?\n/,
];

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Boots examples/posix-utils on a fresh FAT32 image, checks every line of utest, then the image. */
async function runUtest(target: "sel4" | "host"): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ng-posix-utils-"));
  const disk = path.join(dir, "disk.img");
  const mk = await execa("node", [CLI, "disk", "create", disk, "--size", "64M", "--fat", "32"], { cwd: ROOT, reject: false, all: true });
  expect(mk.exitCode, mk.all).toBe(0);
  const args = ["run", "-s", "examples/posix-utils/system.ts", "--disk", disk, "--timeout", "300",
    "--fail", "FAILED|fault:|libsel4muslcsys: Error|runtime error:|AddressSanitizer|LeakSanitizer"];
  if (target === "host") args.push("--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/posix-utils"));
  else args.push("-B", path.join(os.tmpdir(), "neptune-test-posix-utils"));
  for (const c of UTEST_CHECKS) args.push("--expect", `utest: ${esc(c)}: ok`);
  args.push("--expect", "utest: done \\(0 failures\\)");
  const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
  expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
  for (const re of UTEST_SHOWS) expect(run.stdout).toMatch(re);
  // The file system is still mounted when the run stops, so the FAT's dirty bit is set; anything
  // else fsck says is an error.
  const fsck = spawnSync("fsck.fat", ["-n", disk], { encoding: "utf8" });
  const said = (fsck.stdout + fsck.stderr).split("\n").filter((l) => l.trim() !== "" && !/^fsck\.fat |Dirty bit is set|removing dirty bit|Leaving filesystem unchanged|: \d+ files, /.test(l));
  expect(said, fsck.stdout + fsck.stderr).toEqual([]);
  expect(fsck.status === 0 || /Dirty bit is set/.test(fsck.stdout), fsck.stdout).toBe(true);
}

describe("the POSIX personality's utilities on the host target", () => {
  it("every utility's output and exit status, errors included, under ASan + UBSan; fsck.fat clean afterwards", async () => {
    await runUtest("host");
  }, 400_000);
});

describe.skipIf(!workspace)(`the POSIX personality's utilities on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("every utility's output and exit status, errors included; fsck.fat clean afterwards", async () => {
    await runUtest("sel4");
  }, 600_000);
});
