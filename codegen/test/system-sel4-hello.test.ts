// SPDX-License-Identifier: BSD-2-Clause
/**
 * seL4 system test: the hello example, built by `neptune-gen build` and booted by
 * `neptune-gen run --expect` in QEMU, shows every line the example promises — on the default
 * kernel (non-MCS, EL1) and on the three other configurations (MCS at EL1, MCS at EL2 and
 * non-MCS at EL2, chosen with -D overrides), where the root server's summary and the kernel's
 * own boot lines show the configuration really changed. Needs an seL4
 * workspace (found as the CLI finds it: sel4-workspace.ts); without one it is skipped with the reason.
 */

import { execa } from "execa";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HELLO_EXPECT, HELLO_VIRT_DRIVERS } from "./hello-expect.ts";
import { SEL4_ENV, SEL4_SKIP, SEL4_WORKSPACE } from "./sel4-workspace.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = SEL4_WORKSPACE;
const skipReason = SEL4_SKIP;

describe.skipIf(!workspace)(`hello on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const buildDir = path.join(os.tmpdir(), "neptune-test-hello-sel4");

  it("builds with neptune-gen build and boots with neptune-gen run --expect", async () => {
    const build = await execa("node", [CLI, "build", "-s", "examples/hello/system.ts", "-B", buildDir], { cwd: ROOT, reject: false, all: true, env: SEL4_ENV });
    expect(build.exitCode, build.all).toBe(0);
    expect(build.stdout).toMatch(/(built|up to date): .*rootserver-image-arm-qemu-arm-virt/);

    const args = ["run", "-s", "examples/hello/system.ts", "-B", buildDir, "--timeout", "120"];
    for (const re of [...HELLO_EXPECT, ...HELLO_VIRT_DRIVERS]) args.push("--expect", re.source);
    const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true, env: SEL4_ENV });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toMatch(/neptune rootserver: system hello: 5 servers started/);
    expect(run.stdout).toMatch(/Attempted to invoke a null cap/);
    // timer.now() is time since boot (the driver subtracts the PL031 counter's start): seconds.
    const now = Number(/client: timer\.now\(\) = (\d+) s/.exec(run.stdout)?.[1]);
    expect(now).toBeGreaterThanOrEqual(0);
    expect(now).toBeLessThan(60);
  });

  it("rebuilds nothing when nothing changed", async () => {
    const again = await execa("node", [CLI, "build", "-s", "examples/hello/system.ts", "-B", buildDir], { cwd: ROOT, reject: false, all: true, env: SEL4_ENV });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toMatch(/^up to date: /m);
    expect(again.stdout).not.toMatch(/configuring/);
  });
});

/** The other kernel configurations: -D overrides and what the log shows for each. */
const CONFIGS: { name: string; defs: string[] }[] = [
  { name: "mcs/el1", defs: ["KernelIsMCS=ON"] },
  { name: "mcs/el2", defs: ["KernelIsMCS=ON", "KernelArmHypervisorSupport=ON"] },
  { name: "non-mcs/el2", defs: ["KernelArmHypervisorSupport=ON"] },
];

describe.skipIf(!workspace)(`hello on seL4 in QEMU, other kernel configurations${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  for (const c of CONFIGS) {
    it(`boots and passes its checks on ${c.name}`, { timeout: 900_000 }, async () => {
      const buildDir = path.join(os.tmpdir(), `neptune-test-hello-sel4-${c.name.replace("/", "-")}`);
      const defs = c.defs.flatMap((d) => ["-D", d]);
      const args = ["run", "-s", "examples/hello/system.ts", "-B", buildDir, ...defs, "--timeout", "120"];
      for (const re of [...HELLO_EXPECT, ...HELLO_VIRT_DRIVERS]) args.push("--expect", re.source);
      const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true, env: SEL4_ENV });
      expect(run.exitCode, run.all).toBe(0);
      // The root server says which kernel it runs on (its build's configuration)…
      expect(run.stdout).toMatch(new RegExp(`^neptune rootserver: kernel ${c.name.replace("/", "\\/")}\r?$`, "m"));
      expect(run.stdout).toMatch(/neptune rootserver: system hello: 5 servers started/);
      // …and the CLI which configuration it built and booted.
      expect(run.stdout).toMatch(new RegExp(`kernel ${c.name.replace("/", "\\/")} \\(qemu-system-aarch64`));
      // The image's QEMU command line: EL2 kernels need virtualization=on.
      const el2 = c.name.endsWith("el2");
      expect(run.stdout).toMatch(el2 ? /-machine virt,virtualization=on/ : /-machine virt -cpu/);
    });
  }
});

describe.skipIf(!!workspace)("hello on seL4 in QEMU", () => {
  it.skip(`skipped: ${skipReason}`, () => {});
});
