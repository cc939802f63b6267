// SPDX-License-Identifier: BSD-2-Clause
/**
 * The NT personality (examples/nt: the executive, its drivers, the command prompt, NT programs).
 *
 * - host (always): ntdll's string routines and ntdll against a fake executive (the generated
 *   ntexec decoders and encoders answering its calls), and the prompt's paths, words and
 *   formats, under ASan + UBSan;
 * - one boot with a FAT image made here (mkfs.fat + mcopy: a text file, a 300 KB file of known
 *   hash, a folder): `neptune-gen run --input examples/nt/session.txt` types a session at the
 *   prompt — dir, md, copy, type, move, del, dump, rd, umount then dir (the volume mounts
 *   again), obdir \Device and \??, nttest (handles and least privilege), hello, a program that
 *   does not exist, a program that waits for good ended by ^C, faultfs then a copy that fails
 *   with an NTSTATUS while the file system driver dies and restarts, dir and type afterwards,
 *   umount/mount, sync, shutdown — and the transcript (from the first command, without the
 *   system's own report lines) must equal examples/nt/session.expected line by line. Every
 *   program started ends. Then `fsck.fat -n` finds the image clean and mtools reads the new
 *   files back identical to their sources.
 *
 * Host target always (ASan + UBSan); seL4 in QEMU with NEPTUNE_SEL4_WORKSPACE, else a visible skip.
 */

import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const NT = path.join(ROOT, "personality-nt");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";
const CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"];

/** Compiles a C unit test with the sanitizers and runs it: it must report 0 failures. */
function unitTest(name: string, sources: string[], includes: string[]): void {
  const exe = path.join(mkdtempSync(path.join(os.tmpdir(), `ng-nt-${name}-`)), name);
  const cc = spawnSync("gcc", [...CFLAGS, ...includes.map((i) => `-I${i}`), ...sources, "-o", exe], { encoding: "utf8" });
  expect(cc.status, cc.stderr).toBe(0);
  const run = spawnSync(exe, [], { encoding: "utf8" });
  expect(run.stdout + run.stderr).toContain(`${name}: 0 failures`);
  expect(run.stdout).not.toContain("FAILED");
  expect(run.status).toBe(0);
}

describe("ntdll and the prompt's pure parts on the host (ASan + UBSan)", () => {
  it("ntdll's string routines: UNICODE_STRING, UTF-8 <-> UTF-16, bad input, small buffers", () => {
    unitTest("rtl_test", [path.join(NT, "ntdll/test/rtl_test.c"), path.join(NT, "ntdll/rtl.c")], [path.join(NT, "ntdll/include"), path.join(NT, "include")]);
  });
  it("ntdll against a fake executive: names, MAX_IO splitting, directory and object records, statuses", async () => {
    const gen = mkdtempSync(path.join(os.tmpdir(), "ng-nt-gen-"));
    const g = await execa("node", [CLI, "gen", "-s", "examples/nt/system.ts", "-o", gen], { cwd: ROOT, reject: false, all: true });
    expect(g.exitCode, g.all).toBe(0);
    unitTest("ntdll_test", [path.join(NT, "ntdll/test/ntdll_test.c"), path.join(NT, "ntdll/ntdll.c"), path.join(NT, "ntdll/rtl.c")],
      [path.join(NT, "ntdll/include"), path.join(NT, "include"), path.join(ROOT, "runtime/include"), path.join(ROOT, "runtime/host/include"), path.join(gen, "include")]);
  });
  it("the prompt: paths against the current directory, command-line words, sizes, dump lines", () => {
    const cmd = path.join(NT, "cmd");
    unitTest("cmd_test", [path.join(cmd, "test/cmd_test.c"), path.join(cmd, "path.c"), path.join(cmd, "line.c"), path.join(cmd, "format.c")], []);
  });
});

/** The 300 KB file: bytes of a fixed LCG, so its hash is known. */
function bigFile(): Buffer {
  const b = Buffer.alloc(300_000);
  let x = 12345;
  for (let i = 0; i < b.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 16;
  }
  return b;
}
const README = "Neptune NT on seL4\nThis file came from the host.\n";
const GUIDE = "How to use the prompt: type help.\n";

/** A FAT16 image with readme.txt, big.bin and docs/guide.txt (mkfs.fat + mcopy). */
function makeImage(dir: string): string {
  const img = path.join(dir, "disk.img");
  const src = path.join(dir, "src");
  mkdirSync(path.join(src, "docs"), { recursive: true });
  writeFileSync(path.join(src, "readme.txt"), README);
  writeFileSync(path.join(src, "big.bin"), bigFile());
  writeFileSync(path.join(src, "docs/guide.txt"), GUIDE);
  const steps: [string, string[]][] = [
    ["mkfs.fat", ["-C", "-F", "16", "-n", "NEPTUNE", img, "32768"]],
    ["mcopy", ["-i", img, path.join(src, "readme.txt"), path.join(src, "big.bin"), "::/"]],
    ["mmd", ["-i", img, "::/docs"]],
    ["mcopy", ["-i", img, path.join(src, "docs/guide.txt"), "::/docs/"]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, MTOOLS_SKIP_CHECK: "1" } });
    expect(r.status, `${cmd} ${args.join(" ")}: ${r.stderr}`).toBe(0);
  }
  return img;
}

/** A file of the image ("dir/name", from its root), read by mtools. */
function mread(img: string, file: string): Buffer {
  const r = spawnSync("mcopy", ["-n", "-i", img, `::/${file}`, "-"], { env: { ...process.env, MTOOLS_SKIP_CHECK: "1" }, maxBuffer: 1 << 24 });
  expect(r.status, `mcopy ::/${file}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Report lines of the system, not part of the session. The root server's (and the host
 * bench's) can start anywhere: on seL4 the root server preempts the uart driver in the middle of
 * a line it is writing (a process's exit reported while the next command is echoed). The
 * drivers' and musl's start a line or follow a prompt. */
const ROOT_REPORT = /(neptune (host|rootserver): |fault: server )[^\n]*\n/g;
const REPORT = /(^|(?<=> ))(neptune-gen|--- last console|sys_munmap@|(ntexec|ntnull|ntdisk|fastfat|virtio_blk|uart|rtc|cmd): )[^\n]*\n/gm;

/** The session as a person would read it: from the first command on, without report lines. */
export function transcript(log: string): string[] {
  const lines = log.replace(/\r/g, "").replace(ROOT_REPORT, "").replace(REPORT, "").split("\n");
  const first = lines.findIndex((l) => l.startsWith("C:\\> dir C:\\"));
  const out: string[] = [];
  for (const l of lines.slice(first < 0 ? lines.length : first)) {
    out.push(l);
    if (l.startsWith("It is now safe to turn off")) break;
  }
  return out;
}

async function runSession(target: "sel4" | "host"): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ng-nt-"));
  const img = makeImage(dir);
  const args = ["run", "-s", "examples/nt/system.ts", "--disk", img, "--input", "examples/nt/session.txt", "--input-prompt", "(^|\\n)[A-Z]:\\\\[^\\n]*> ", "--timeout", "400",
    "--expect", "\\nIt is now safe to turn off your computer", "--fail", "runtime error:|AddressSanitizer|LeakSanitizer|libsel4muslcsys: Error"];
  if (target === "host") args.push("--target", "host", "--sanitize", "-B", path.join(ROOT, "build/host-test/nt"));
  else args.push("-B", path.join(os.tmpdir(), "neptune-test-nt"));
  const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
  expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
  // The one fault is the one asked for: the file system driver's.
  const faults = [...run.stdout.matchAll(/fault: server (\S+?):/g)].map((m) => m[1]);
  expect(faults.length, run.stdout.slice(-4000)).toBeGreaterThan(0);
  expect(new Set(faults)).toEqual(new Set(["fastfat"]));
  // Every program started ended: nttest and its child, hello twice, and `nttest wait` killed by ^C.
  const ended = [...run.stdout.matchAll(/process \d+ \((\w+)\) (exited with status|killed)/g)].map((m) => `${m[1]} ${m[2]}`).sort();
  expect(ended).toEqual(["hello exited with status", "hello exited with status", "nttest exited with status", "nttest exited with status", "nttest killed"]);
  const want = readFileSync(path.join(ROOT, "examples/nt/session.expected"), "utf8").replace(/\n+$/, "").split("\n");
  expect(transcript(run.stdout)).toEqual(want);
  // After shutdown the volume is clean and the host reads the new files back.
  const fsck = spawnSync("fsck.fat", ["-n", img], { encoding: "utf8" });
  expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
  expect(sha256(mread(img, "work/big.bin"))).toBe(sha256(bigFile()));
  expect(mread(img, "work/readme.txt").toString()).toBe(README);
  expect(mread(img, "work/keep.txt").toString()).toBe(README);
}

describe("the NT personality on the host target", () => {
  it("a typed session equals session.expected line by line; fsck clean, files read back identical (ASan + UBSan)", async () => {
    await runSession("host");
  }, 600_000);
});

describe.skipIf(!workspace)(`the NT personality on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("a typed session equals session.expected line by line; fsck clean, files read back identical", async () => {
    await runSession("sel4");
  }, 900_000);
});
