// SPDX-License-Identifier: BSD-2-Clause
/**
 * The POSIX personality's C library layer (personality-posix/libc, examples/posix-libc): a plain
 * POSIX C program whose open/read/write/stat/opendir/fopen… reach the FAT server at /disk (a
 * mount of its layout), tmpfs at /tmp and devfs at /dev (found through the pathname manager;
 * the child finds /disk there too) through musl's system-call hooks, and whose posix_spawn/waitpid/kill/getpid reach the
 * root server's process service (children: examples/posix-libc/programs).
 *
 * - host (always): the layer's path arithmetic (path.c) under ASan/UBSan; and the same program
 *   and checks on the host target (sys_host.c) under ASan/UBSan, fsck.fat on the image after.
 * - seL4 in QEMU (needs NEPTUNE_SEL4_WORKSPACE, else a visible skip): every check of ptest on a
 *   FAT32 image made by `neptune-gen disk create`, then `fsck.fat -n` on the image afterwards.
 */

import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const LIBC = path.join(ROOT, "personality-posix/libc");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

/** Every line ptest prints, in order. */
const PTEST_CHECKS = [
  "isatty(1) is the console",
  "mkdir /disk/pdir",
  "mkdir again fails with EEXIST",
  "open(O_CREAT) gives a descriptor above stdio",
  "isatty(file) is 0 with ENOTTY",
  "write 10000 bytes",
  "close",
  "close again fails with EBADF",
  "stat: a regular file of 10000 bytes",
  "stat: /disk/pdir is a directory",
  "stat of a missing file fails with ENOENT",
  "open outside every mount fails with ENOENT",
  "read back 10000 identical bytes",
  "read at the end gives 0",
  "lseek + read",
  "lseek from the end",
  "fstat",
  "write to a read-only descriptor fails with EBADF",
  "dup + dup2 onto stdout and back",
  "fopen + fgets read what stdout wrote",
  "fopen(w) + fprintf + fclose",
  "fopen(a) appends",
  "fscanf reads both lines",
  "chdir /disk/pdir",
  "getcwd",
  "rename with relative paths",
  "opendir/readdir list data.bin and out.txt",
  "rmdir of a non-empty directory fails",
  "unlink both files",
  "unlink again fails with ENOENT",
  "rmdir the empty directory",
  "unlink the renamed file",
  "/tmp: write 5000 bytes and read them back",
  "/tmp: mkdir and stat a directory",
  "/tmp: readdir lists t.txt and d",
  "/tmp: rename into a directory",
  "rename from /tmp to /disk fails with EXDEV",
  "/tmp: unlink and rmdir",
  "stat / is a directory",
  "/dev/null swallows writes and reads as empty",
  "/dev/zero reads zeros",
  "/dev/console takes a write",
  "/bin lists the programs pchild and pupper",
  "stat /bin/pupper: a file of its executable's size",
  "/bin/pupper reads as an ELF file",
  "/bin is read-only (EROFS)",
  "nanosleep of 50 ms: clock_gettime moved on by 50 ms or more",
  "non-blocking read of stdin (the console) with nothing typed: EAGAIN",
  "posix_spawn /bin/pchild",
  "waitpid: pchild exited with status 7",
  "the child wrote its pid, its parent's and its environment's GREETING into /disk",
  "unlink the child's file",
  "posix_spawnp pblock",
  "waitpid(WNOHANG) on a running child gives 0",
  "kill(SIGTERM)",
  "waitpid: pblock ended by SIGTERM",
  "waitpid with no child left fails with ECHILD",
  "posix_spawn of a missing program gives ENOENT",
  "kill of a missing process fails with ESRCH",
  "pipe twice",
  "a pipe is a FIFO and cannot seek",
  "posix_spawn pupper with its stdin and stdout on pipes",
  "write to the child's stdin and close it",
  "read the child's stdout to end of file: upper-cased",
  "waitpid: pupper saw 2 lines",
  "write /disk/in.txt",
  "posix_spawn pupper < /disk/in.txt > /tmp/out.txt",
  "/tmp/out.txt holds the upper-cased file",
  "write to a pipe without readers fails with EPIPE",
];

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("POSIX layer's path arithmetic on the host", () => {
  it("normalises paths and matches mount prefixes (ASan + UBSan)", () => {
    const exe = path.join(mkdtempSync(path.join(os.tmpdir(), "ng-posix-path-")), "path_test");
    const cc = spawnSync("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
      `-I${LIBC}`, path.join(LIBC, "path.c"), path.join(LIBC, "test/path_test.c"), "-o", exe], { encoding: "utf8" });
    expect(cc.status, cc.stderr).toBe(0);
    const run = spawnSync(exe, [], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toContain("path_test: 0 failures");
    expect(run.status).toBe(0);
  });
});

/** Boots examples/posix-libc on a fresh FAT32 image made by `neptune-gen disk create`, checks every
 * line of ptest, then the image with fsck.fat. */
async function runPtest(target: "sel4" | "host"): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ng-posix-libc-"));
  const disk = path.join(dir, "disk.img");
  const mk = await execa("node", [CLI, "disk", "create", disk, "--size", "64M", "--fat", "32"], { cwd: ROOT, reject: false, all: true });
  expect(mk.exitCode, mk.all).toBe(0);
  const args = ["run", "-s", "examples/posix-libc/system.ts", "--disk", disk, "--timeout", "240",
    "--fail", "FAILED|fault:|libsel4muslcsys: Error|runtime error:|AddressSanitizer|LeakSanitizer"];
  if (target === "host") args.push("--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/posix-libc"));
  else args.push("-B", path.join(os.tmpdir(), "neptune-test-posix-libc"));
  for (const c of PTEST_CHECKS) args.push("--expect", `ptest: ${esc(c)}: ok`);
  args.push("--expect", "ptest: done \\(0 failures\\)");
  const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
  expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
  // The file system is still mounted when the run stops (a process ending unmounts nothing), so
  // the FAT's dirty bit is set; anything else fsck says is an error.
  const fsck = spawnSync("fsck.fat", ["-n", disk], { encoding: "utf8" });
  const said = (fsck.stdout + fsck.stderr).split("\n").filter((l) => l.trim() !== "" && !/^fsck\.fat |Dirty bit is set|removing dirty bit|Leaving filesystem unchanged|: \d+ files, /.test(l));
  expect(said, fsck.stdout + fsck.stderr).toEqual([]);
  expect(fsck.status === 0 || /Dirty bit is set/.test(fsck.stdout), fsck.stdout).toBe(true);
}

describe("plain POSIX C on the host target", () => {
  it("the same program and checks under ASan + UBSan, fsck.fat clean afterwards", async () => {
    await runPtest("host");
  }, 400_000);
});

/** examples/posix-libc/console.ts with typed input (run --input): a line, then Ctrl-C. */
async function runConsoleInput(target: "sel4" | "host"): Promise<void> {
  const typed = path.join(mkdtempSync(path.join(os.tmpdir(), "ng-posix-console-")), "typed.txt");
  writeFileSync(typed, "hello world\n^C\n");
  const args = ["run", "-s", "examples/posix-libc/console.ts", "--input", typed, "--timeout", "180", "--fail", "FAILED|fault:|runtime error:|AddressSanitizer",
    "--expect", 'pconsole: got "hello world"', "--expect", "pconsole: got \\^C \\(0x03\\)", "--expect", "pconsole: done"];
  if (target === "host") args.push("--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/posix-console"));
  else args.push("-B", path.join(os.tmpdir(), "neptune-test-posix-console"));
  const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
  expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
}

describe("console input (run --input) on the host target", () => {
  it("a typed line and Ctrl-C reach a program reading its stdin", async () => {
    await runConsoleInput("host");
  }, 400_000);
});

describe.skipIf(!workspace)(`console input on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("a typed line and Ctrl-C reach a program reading its stdin", async () => {
    await runConsoleInput("sel4");
  }, 400_000);
});

describe("the POSIX benchmark's program on the host target", () => {
  it("runs every measured call without a failure (the figures come from seL4: npm run bench:posix)", async () => {
    const disk = path.join(mkdtempSync(path.join(os.tmpdir(), "ng-posix-bench-")), "disk.img");
    const mk = await execa("node", [CLI, "disk", "create", disk, "--size", "64M", "--fat", "32"], { cwd: ROOT, reject: false, all: true });
    expect(mk.exitCode, mk.all).toBe(0);
    const run = await execa("node", [CLI, "run", "-s", "examples/posix-libc/bench.ts", "--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/posix-bench"),
      "--disk", disk, "--timeout", "300", "--expect", "pbench: done \\(0 failures\\)", "--fail", "FAILED|fault:|runtime error:|AddressSanitizer"], { cwd: ROOT, reject: false, all: true });
    expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
    expect(run.stdout).toMatch(/pbench: 4 KiB read, cached \(read\): \d+ instructions, 1\.00 round trips each/);
    expect(run.stdout).toMatch(/pbench: stat: \d+ instructions, 1\.00 round trips each/);
  }, 400_000);
});

describe.skipIf(!workspace)(`plain POSIX C on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("open/read/write/stat/readdir/fopen on /disk: every check ok, fsck.fat clean afterwards", async () => {
    await runPtest("sel4");
  }, 400_000);
});
