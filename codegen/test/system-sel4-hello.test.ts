// SPDX-License-Identifier: BSD-2-Clause
/**
 * seL4 system test: the hello example, built by `neptune-gen build` and booted by
 * `neptune-gen run --expect` in QEMU, shows every line the example promises. Needs an seL4
 * workspace (NEPTUNE_SEL4_WORKSPACE); without one it is skipped with the reason.
 */

import { execa } from "execa";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HELLO_EXPECT, HELLO_VIRT_DRIVERS } from "./hello-expect.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

describe.skipIf(!workspace)(`hello on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const buildDir = path.join(os.tmpdir(), "neptune-test-hello-sel4");

  it("builds with neptune-gen build and boots with neptune-gen run --expect", async () => {
    const build = await execa("node", [CLI, "build", "-s", "examples/hello/system.ts", "-B", buildDir], { cwd: ROOT, reject: false, all: true });
    expect(build.exitCode, build.all).toBe(0);
    expect(build.stdout).toMatch(/(built|up to date): .*rootserver-image-arm-qemu-arm-virt/);

    const args = ["run", "-s", "examples/hello/system.ts", "-B", buildDir, "--timeout", "120"];
    for (const re of [...HELLO_EXPECT, ...HELLO_VIRT_DRIVERS]) args.push("--expect", re.source);
    const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toMatch(/neptune rootserver: system hello: 5 servers started/);
    expect(run.stdout).toMatch(/Attempted to invoke a null cap/);
    // timer.now() is time since boot (the driver subtracts the PL031 counter's start): seconds.
    const now = Number(/client: timer\.now\(\) = (\d+) s/.exec(run.stdout)?.[1]);
    expect(now).toBeGreaterThanOrEqual(0);
    expect(now).toBeLessThan(60);
  });

  it("rebuilds nothing when nothing changed", async () => {
    const again = await execa("node", [CLI, "build", "-s", "examples/hello/system.ts", "-B", buildDir], { cwd: ROOT, reject: false, all: true });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toMatch(/^up to date: /m);
    expect(again.stdout).not.toMatch(/configuring/);
  });
});

describe.skipIf(!!workspace)("hello on seL4 in QEMU", () => {
  it.skip(`skipped: ${skipReason}`, () => {});
});
