// SPDX-License-Identifier: BSD-2-Clause
/**
 * seL4 system tests of the boards other than QEMU virt AArch64: each board's hello description
 * is built by `neptune-gen build` and booted by `neptune-gen run --expect` in the board's QEMU
 * machine, and must show every line hello shows on virt (calls, the oneway, the transferred
 * cap, the serial write, the timer sleep, the intruder's denial) plus its own drivers' lines.
 * Needs an seL4 workspace (NEPTUNE_SEL4_WORKSPACE); without one it is skipped with the reason.
 */

import { execa } from "execa";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HELLO_EXPECT, HELLO_PI_DRIVERS } from "./hello-expect.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

interface Board {
  name: string;
  system: string;
  image: RegExp;
  drivers: RegExp[];
}

const BOARDS: Board[] = [
  { name: "rpi3 (QEMU raspi3b)", system: "examples/hello/rpi3.ts", image: /rootserver-image-arm-bcm2837/, drivers: HELLO_PI_DRIVERS },
];

describe.skipIf(!workspace)(`hello on the other boards${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  for (const b of BOARDS) {
    it(`${b.name}: builds and shows every hello line`, async () => {
      const buildDir = path.join(os.tmpdir(), `neptune-test-board-${path.basename(b.system, ".ts")}`);
      const build = await execa("node", [CLI, "build", "-s", b.system, "-B", buildDir], { cwd: ROOT, reject: false, all: true });
      expect(build.exitCode, build.all).toBe(0);
      expect(build.stdout).toMatch(b.image);
      const args = ["run", "-s", b.system, "-B", buildDir, "--timeout", "150", "--fail", "boot failed|cannot create object"];
      for (const re of [...HELLO_EXPECT, ...b.drivers]) args.push("--expect", re.source);
      const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
      expect(run.exitCode, run.all).toBe(0);
      expect(run.stdout).toMatch(/5 servers started/);
    }, 600_000);
  }
});

describe.skipIf(!!workspace)("hello on the other boards", () => {
  it.skip(`skipped: ${skipReason}`, () => {});
});
