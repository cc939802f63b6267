// SPDX-License-Identifier: BSD-2-Clause
/**
 * The host test-bench transport (runtime/host): builds libneptune_host's sources and each C
 * program under codegen/test/c/transport/ with gcc -fsanitize=address,undefined -pthread
 * -Wall -Wextra -Werror, runs it, and checks its verdict and what it reports on stderr.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const hostSrc = join(root, "runtime/host/src");
const testSrc = join(root, "codegen/test/c/transport");
const cflags = [
  "-std=c11",
  "-g",
  "-O1",
  "-fno-omit-frame-pointer",
  "-fsanitize=address,undefined",
  "-fno-sanitize-recover=undefined",
  "-pthread",
  "-Wall",
  "-Wextra",
  "-Werror",
  `-I${join(root, "runtime/include")}`,
  `-I${join(root, "runtime/host/include")}`,
];

let out = "";
let libObjects: string[] = [];

function run(cmd: string, args: string[], timeoutMs = 120_000) {
  const r = spawnSync(cmd, args, {
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, ASAN_OPTIONS: "detect_leaks=1:abort_on_error=0", UBSAN_OPTIONS: "print_stacktrace=1" },
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function mustRun(cmd: string, args: string[]) {
  const r = run(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}${r.stdout}`);
}

/** Compile and link one test program against the library; run it. */
function runProgram(name: string) {
  const exe = join(out, name);
  mustRun("gcc", [...cflags, join(testSrc, `${name}.c`), ...libObjects, "-o", exe]);
  return run(exe, [], 60_000);
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "neptune-transport-host-"));
  const sources = readdirSync(hostSrc).filter((f) => f.endsWith(".c"));
  expect(sources.length).toBeGreaterThan(0);
  libObjects = sources.map((f) => {
    const obj = join(out, f.replace(/\.c$/, ".o"));
    mustRun("gcc", [...cflags, "-c", join(hostSrc, f), "-o", obj]);
    return obj;
  });
});

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("host transport (libneptune_host)", () => {
  it("delivers calls and replies with each client's badge, and oneway sends", () => {
    const r = runProgram("call_badge");
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error/);
    expect(r.stdout).toContain("PASS call_badge");
    expect(r.status).toBe(0);
  });

  it("transfers caps only through Grant, into an empty receive slot, and frees unused ones", () => {
    const r = runProgram("cap_transfer");
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error/);
    expect(r.stdout).toContain("PASS cap_transfer");
    expect(r.status).toBe(0);
  });

  it("gives NG_EIPC to a thread without the cap, and faults a server receiving on none", () => {
    const r = runProgram("no_cap");
    expect(r.stderr).toContain("fault: server lost: receive on invalid cap 8");
    expect(r.stderr).toContain("without Grant or GrantReply");
    expect(r.stdout).toContain("PASS no_cap");
    expect(r.status).toBe(0);
  });

  it("answers saved replies later and runs out of reply slots with NG_ENOMEM", () => {
    const r = runProgram("deferred");
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error/);
    expect(r.stdout).toContain("PASS deferred");
    expect(r.status).toBe(0);
  });

  it("accumulates notification badges, wakes waiters and ends a bound server's receive", () => {
    const r = runProgram("notify");
    expect(r.stdout).toContain("PASS notify");
    expect(r.status).toBe(0);
  });

  it("serves on the register fast path: fast tags answered from the words, the rest as ordinary messages", () => {
    const r = runProgram("fast");
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error|CHECK/);
    expect(r.stdout).toContain("PASS fast");
    expect(r.status).toBe(0);
  });

  it("kills a thread: at once when blocked, at its next kernel call when running; reported as killed", () => {
    const r = runProgram("kill");
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error|CHECK/);
    expect(r.stdout).toContain("PASS kill");
    expect(r.status).toBe(0);
  });

  it("isolates a faulting server: reported, its callers get NG_EIPC, the others keep running", () => {
    const r = runProgram("fault");
    expect(r.stderr).toMatch(/^fault: server crashy: signal SIGSEGV at 0x10$/m);
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error/);
    expect(r.stdout).toContain("PASS fault");
    expect(r.status).toBe(0);
  });
});
