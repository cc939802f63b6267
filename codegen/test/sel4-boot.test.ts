// SPDX-License-Identifier: BSD-2-Clause
/**
 * System test on real seL4: generate the root-server tables and servers.cmake for the ping/pong
 * test system (sel4-fixtures.ts; layout by computeLayout), configure and build kernel +
 * elfloader + root server + servers with the project's CMake, boot the image in QEMU
 * (qemu-arm-virt, AArch64) and match the serial output: servers started, malloc from the heap
 * the layout maps, a badged call with a
 * shared buffer, a signal, least privilege (no own TCB cap; a server without the grant cannot reach pong), decoded
 * faults, a restart, an exit.
 *
 * Needs the seL4 workspace (found as the CLI finds it: sel4-workspace.ts). Without it the test is reported as
 * skipped, with the reason in its name. Builds in build/sel4-boot-test/ (incremental).
 */

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { computeLayout } from "../src/model/layout.ts";
import { emitRootTables } from "../src/emit/root-tables.ts";
import { emitAllInterfaces } from "../src/emit/interface.ts";
import { emitRootService } from "../src/emit/root-service.ts";
import { BUILTIN_IDL, compileIdlFiles } from "../src/compile.ts";
import { emitServersCmake } from "../src/emit/servers-cmake.ts";
import { pingPongModel, slotsHeader } from "./sel4-fixtures.ts";
import { SEL4_SKIP, SEL4_WORKSPACE } from "./sel4-workspace.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WORKSPACE = SEL4_WORKSPACE;
const SERVERS = path.join(ROOT, "codegen/test/fixtures/sel4-boot/servers");
const BOOT_TIMEOUT_MS = 120_000;

/** Where a configuration is generated and built. */
function dirs(mcs: boolean) {
  const out = path.join(ROOT, mcs ? "build/sel4-boot-test-mcs" : "build/sel4-boot-test");
  return { gen: path.join(out, "gen"), build: path.join(out, "qemu-arm-virt") };
}

/** The test system; on MCS pong is passive (it answers on its callers' scheduling contexts). */
function model(mcs: boolean) {
  const m = pingPongModel();
  if (!mcs) return m;
  m.kernel = { mcs: true, hypervisor: false, debug: true, printing: true };
  for (const s of m.servers) s.sched = { budgetUs: 1000, periodUs: 1000, passive: s.name === "pong" };
  return m;
}

async function writeGenerated(mcs: boolean): Promise<void> {
  const GEN = dirs(mcs).gen;
  const model_ = model(mcs);
  const bag = new DiagnosticBag();
  const layout = computeLayout(model_, bag);
  if (bag.hasErrors) throw new Error(`layout of the test system failed:\n${bag.format()}`);
  // The root server serves the built-in root services (idl/root.idl, idl/rootmem.idl): their
  // headers and its receive loop come with every system.
  const builtin = await compileIdlFiles([...BUILTIN_IDL], bag);
  if (bag.hasErrors) throw new Error(`built-in IDL failed:\n${bag.format()}`);
  const files = [
    ...emitAllInterfaces(builtin),
    ...emitRootService({ ...model_, idl: builtin }),
    ...emitRootTables(model_, layout),
    ...emitServersCmake(model_, layout, { serverDirs: Object.fromEntries(model_.servers.map((s) => [s.name, path.join(SERVERS, s.name)])) }),
    ...model_.servers.map((s) => ({ path: `servers/${s.name}/sel4_test_slots.h`, text: slotsHeader(layout, s.name) })),
  ];
  for (const f of files) {
    const to = path.join(GEN, f.path);
    mkdirSync(path.dirname(to), { recursive: true });
    // Unchanged files keep their timestamps: a rerun rebuilds nothing.
    if (!existsSync(to) || readFileSync(to, "utf8") !== f.text) writeFileSync(to, f.text);
  }
}

function build(mcs: boolean): string {
  const { gen: GEN, build: BUILD } = dirs(mcs);
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  if (!existsSync(path.join(BUILD, "build.ninja"))) {
    run("cmake", ["-G", "Ninja", "-S", ROOT, "-B", BUILD, `-DNEPTUNE_SEL4_WORKSPACE=${WORKSPACE}`, "-DNEPTUNE_PLATFORM=qemu-arm-virt", `-DNEPTUNE_GEN_DIR=${GEN}`, `-DNEPTUNE_KERNEL_MCS=${mcs ? "ON" : "OFF"}`]);
  }
  run("ninja", ["-C", BUILD, "-j2"]);
  return readFileSync(path.join(BUILD, "neptune-qemu.txt"), "utf8").trim();
}

/** Boots and collects serial output until `done` says so (or the timeout), then ends QEMU. */
function boot(command: string, done: (out: string) => boolean): Promise<string> {
  const [cmd, ...args] = command.split(/\s+/);
  return new Promise((resolve) => {
    const qemu = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const finish = () => {
      clearTimeout(timer);
      qemu.kill("SIGTERM");
      resolve(out);
    };
    const timer = setTimeout(finish, BOOT_TIMEOUT_MS);
    const take = (d: Buffer) => {
      out += d.toString("utf8");
      if (done(out)) setTimeout(finish, 500); // let the last lines arrive
    };
    qemu.stdout.on("data", take);
    qemu.stderr.on("data", take);
    qemu.on("exit", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

const title = WORKSPACE
  ? "builds and boots the ping/pong system on seL4 in QEMU"
  : `builds and boots on seL4 (skipped: ${SEL4_SKIP})`;

if (!WORKSPACE) console.warn(`sel4-boot: skipped: ${SEL4_SKIP}`);

describe("seL4 boot (qemu-arm-virt)", () => {
  for (const mcs of [false, true]) {
  it.skipIf(!WORKSPACE)(`${title}${mcs ? " (MCS kernel, pong passive)" : ""}`, { timeout: 900_000 }, async () => {
    await writeGenerated(mcs);
    const qemu = build(mcs);
    expect(qemu).toMatch(/^qemu-system-aarch64 -machine virt -cpu cortex-a53 -nographic -m size=2G -kernel \S+images\/rootserver-image-arm-qemu-arm-virt$/);
    const stopped = ["ping", "quit", "spy", "virtio"].map((n) => `server ${n} stopped`);
    const out = await boot(qemu, (s) => stopped.every((l) => s.includes(l)));
    const lines = out.split(/\r?\n/);
    const has = (re: RegExp) => expect(lines.some((l) => re.test(l)), `serial output has ${re}\n--- output ---\n${out}`).toBe(true);
    has(/^neptune rootserver: hello$/);
    has(/^neptune rootserver: booting system pingpong \(5 servers\)$/);
    has(/^neptune rootserver: system pingpong: 5 servers started, \d+ objects, \d+ caps installed$/);
    has(/^neptune rootserver: untyped used \d+ KiB/);
    has(/^pong: up as pong$/);
    has(/^pong: malloc from its heap$/);
    has(/^ping: up, arg hello-arg$/);
    // Badge 1 names ping to pong; the shared buffer carries ping's text.
    has(/^pong: call label 7 from badge 1 value 42 shm "hello through shared memory"$/);
    has(/^ping: reply 1042$/);
    has(/^pong: signal badge 0x8000001$/);
    has(/^ping: own TCB cap absent \(least privilege\)$/);
    has(/^fault: server ping: vm fault at 0x10 pc 0x[0-9a-f]+$/);
    has(/^neptune rootserver: server ping restarted \(1\)$/);
    has(/^neptune rootserver: server ping stopped$/);
    has(/^neptune rootserver: server quit exited with status 3$/);
    // spy holds no cap to pong: its call through ping's slot number fails (seL4_InvalidCapability),
    // and a cap pointer outside its CNode is a cap fault.
    has(/^spy: call through slot \d+: error 2 \(pong not reached\)$/); // seL4_InvalidCapability
    has(/^fault: server spy: cap fault at 0x100000 pc 0x[0-9a-f]+$/);
    has(/^neptune rootserver: server spy stopped$/);
    expect(out).not.toContain("spy: REACHED");
    expect(out).not.toContain("value 666");
    // The driver reads device registers through its uncached window and owns its IRQ.
    has(/^virtio: magic 0x74726976 version [12]$/);
    has(/^virtio: irq ack 0$/);
    // The restarted ping ran again against the same pong.
    expect(lines.filter((l) => l === "ping: reply 1042").length).toBe(2);
    expect(lines.filter((l) => /^fault: server ping: vm fault/.test(l)).length).toBe(2);
    expect(out).not.toMatch(/boot failed|failed to start|tables:/);
    // MCS: pong gave up its scheduling context; the restarted ping's call ran on ping's.
    if (mcs) has(/^neptune rootserver: server pong is passive: it runs on its callers' scheduling contexts$/);
  });
  }
});
