// SPDX-License-Identifier: BSD-2-Clause
/**
 * The seL4 transport (runtime/sel4/include/neptune/transport.h) compiles for AArch64 against real
 * libsel4 headers with -Wall -Wextra -Werror, and a call through it costs only a few instructions
 * more than the same call written by hand over libsel4.
 *
 * Needs NEPTUNE_SEL4_WORKSPACE (a workspace with kernel/ and tools/seL4/), cmake, ninja and
 * aarch64-linux-gnu-gcc; otherwise it is skipped with the reason. libsel4's generated headers
 * are built once (runtime/sel4/cmake/libsel4-headers, qemu-arm-virt, non-MCS) into a cache
 * directory under the system's temp dir, keyed by the workspace and that CMake file.
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEL4_SKIP, SEL4_WORKSPACE } from "./sel4-workspace.ts";

const root = resolve(import.meta.dirname, "../..");
const cmakeDir = join(root, "runtime/sel4/cmake/libsel4-headers");
const workspace = SEL4_WORKSPACE;

function run(cmd: string, args: string[], cwd?: string) {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, timeout: 600_000 });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

function have(cmd: string): boolean {
  return run(cmd, ["--version"]).status === 0;
}

function skipReason(): string | undefined {
  if (!workspace) return SEL4_SKIP;
  if (!existsSync(join(workspace, "kernel/libsel4"))) return `no kernel/libsel4 in ${workspace}`;
  for (const tool of ["cmake", "ninja", "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objdump"]) {
    if (!have(tool)) return `${tool} is not installed`;
  }
  return undefined;
}

/** Configure and build libsel4 (cached; non-MCS or MCS); return the -I flags its own sources compile with. */
function libsel4Includes(ws: string, mcs = false): string[] {
  const key = createHash("sha256")
    .update(resolve(ws))
    .update(readFileSync(join(cmakeDir, "CMakeLists.txt")))
    .update(mcs ? "mcs" : "")
    .digest("hex")
    .slice(0, 16);
  const build = join(tmpdir(), `neptune-libsel4-${key}`);
  mkdirSync(build, { recursive: true });
  if (!existsSync(join(build, "build.ninja"))) {
    const c = run("cmake", ["-G", "Ninja", "-S", cmakeDir, "-B", build, `-DNEPTUNE_SEL4_WORKSPACE=${ws}`, `-DNEPTUNE_KERNEL_MCS=${mcs ? "ON" : "OFF"}`]);
    if (c.status !== 0) throw new Error(`configuring libsel4 failed:\n${c.stdout}${c.stderr}`);
  }
  const b = run("ninja", ["-C", build, "-j2", "sel4"]);
  if (b.status !== 0) throw new Error(`building libsel4 failed:\n${b.stdout}${b.stderr}`);
  const cmds = run("ninja", ["-C", build, "-t", "commands", "sel4"]).stdout;
  const line = cmds.split("\n").find((l) => l.includes("sel4_bootinfo.c"));
  if (!line) throw new Error("no compile command for libsel4 in the build");
  return line.split(/\s+/).filter((a) => a.startsWith("-I"));
}

/** Instructions per function in an object file (objdump -d). */
function instructionCounts(obj: string): Map<string, number> {
  const dis = run("aarch64-linux-gnu-objdump", ["-d", obj]).stdout;
  const counts = new Map<string, number>();
  let fn = "";
  for (const l of dis.split("\n")) {
    const head = /^[0-9a-f]+ <([^>]+)>:$/.exec(l);
    if (head) {
      fn = head[1];
      counts.set(fn, 0);
    } else if (fn && /^\s+[0-9a-f]+:\s+[0-9a-f]{8}\s+(?!nop)/.test(l)) {
      counts.set(fn, counts.get(fn)! + 1);
    }
  }
  return counts;
}

const reason = skipReason();

describe.skipIf(reason !== undefined)("seL4 transport (AArch64, libsel4)", () => {
  let includes: string[] = [];
  let mcsIncludes: string[] = [];
  const obj = join(tmpdir(), `neptune-transport-sel4-${process.pid}.o`);

  beforeAll(() => {
    includes = libsel4Includes(workspace!);
    mcsIncludes = libsel4Includes(workspace!, true);
  }, 900_000);

  afterAll(() => rmSync(obj, { force: true }));

  function compile(extra: string[], mcs = false) {
    return run("aarch64-linux-gnu-gcc", [
      // libsel4's syscall stubs use GNU `asm`; everything else is ISO C11.
      "-std=c11",
      "-Dasm=__asm__",
      "-Wall",
      "-Wextra",
      "-Werror",
      "-O2",
      "-ffreestanding",
      `-I${join(root, "runtime/include")}`,
      `-I${join(root, "runtime/sel4/include")}`,
      ...(mcs ? mcsIncludes : includes),
      ...extra,
      "-c",
      join(root, "codegen/test/c/transport/sel4_compile.c"),
      "-o",
      obj,
    ]);
  }

  it("compiles every ipc.h function with -Wall -Wextra -Werror", () => {
    const r = compile([]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("costs a few instructions more than a hand-written seL4_Call", () => {
    expect(compile([]).status).toBe(0);
    const n = instructionCounts(obj);
    const ng = n.get("ng_call2")!;
    const raw = n.get("raw_call2")!;
    expect(raw).toBeGreaterThan(10); // the hand-written call really is there
    expect(ng - raw).toBeLessThanOrEqual(8);
  });

  it("compiles for the MCS kernel too (reply objects, seL4_NBSendRecv), at the same cost", () => {
    const r = compile([], true);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const n = instructionCounts(obj);
    const ng = n.get("ng_call2")!;
    const raw = n.get("raw_call2")!;
    expect(raw).toBeGreaterThan(10);
    expect(ng - raw).toBeLessThanOrEqual(8);
    // The serve loop receives with a reply object: x6 is loaded before the ReplyRecv trap.
    const dis = run("aarch64-linux-gnu-objdump", ["-d", obj]).stdout;
    expect(dis).toMatch(/\bx6\b/);
  });
});

if (reason !== undefined) {
  console.warn(`transport-sel4: skipped: ${reason}`);
  describe("seL4 transport", () => {
    it.skip(`skipped: ${reason}`, () => {});
  });
}
