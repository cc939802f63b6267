// SPDX-License-Identifier: BSD-2-Clause
/**
 * seL4 system tests of the boards other than QEMU virt AArch64: each board's hello description
 * is built by `neptune-gen build` and booted by `neptune-gen run --expect` in the board's QEMU
 * machine, and must show every line hello shows on virt (calls, the oneway, the transferred
 * cap, the serial write, the timer sleep, the intruder's denial) plus its own drivers' lines.
 * A real board's build also writes its boot folder: config.txt and the very image just built.
 * Needs an seL4 workspace (NEPTUNE_SEL4_WORKSPACE); without one it is skipped with the reason.
 */

import { execa } from "execa";
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HELLO_EXPECT, HELLO_PC_DRIVERS, HELLO_PI_DRIVERS, HELLO_RISCV_DRIVERS } from "./hello-expect.ts";
import { BOOT_IMAGE_NAME } from "../src/build/bootdir.ts";
import { findOpenSbi } from "../src/build/opensbi.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

interface Board {
  name: string;
  system: string;
  image: RegExp;
  drivers: RegExp[];
  /** A real board: the build writes a boot folder for its SD card. */
  bootFolder?: boolean;
  /** No QEMU machine: `run` must say so (and why) instead of booting. */
  noQemu?: RegExp;
  /** Why this board cannot be tested on this machine, if it cannot. */
  missing?: () => Promise<string | undefined>;
}

/** The boot folder `build` wrote holds config.txt and exactly the image just built. */
async function checkBootFolder(buildDir: string, buildOut: string): Promise<void> {
  const image = /(?:built|up to date): (\S+)/.exec(buildOut)?.[1];
  expect(image, buildOut).toBeDefined();
  expect(buildOut).toMatch(/boot folder for the board \(copy its files onto a FAT SD card\): /);
  const boot = path.join(buildDir, "boot");
  const files = await readdir(boot);
  expect(files).toContain("config.txt");
  expect(files).toContain(BOOT_IMAGE_NAME);
  const cfg = await readFile(path.join(boot, "config.txt"), "utf8");
  expect(cfg).toMatch(/^arm_64bit=1$/m);
  expect(cfg).toMatch(/^enable_uart=1$/m);
  expect(cfg).toMatch(new RegExp(`^kernel=${BOOT_IMAGE_NAME.replace(".", "\\.")}$`, "m"));
  const sha = async (f: string) => createHash("sha256").update(await readFile(f)).digest("hex");
  expect(await sha(path.join(boot, BOOT_IMAGE_NAME))).toBe(await sha(image!));
}

const BOARDS: Board[] = [
  { name: "rpi3 (QEMU raspi3b)", system: "examples/hello/rpi3.ts", image: /rootserver-image-arm-bcm2837/, drivers: HELLO_PI_DRIVERS, bootFolder: true },
  {
    name: "rpi4 (build and boot folder only)",
    system: "examples/hello/rpi4.ts",
    image: /rootserver-image-arm-bcm2711/,
    drivers: HELLO_PI_DRIVERS,
    bootFolder: true,
    noQemu: /QEMU has no Raspberry Pi 4 machine/,
  },
  {
    name: "qemu-riscv-virt",
    system: "examples/hello/qemu-riscv-virt.ts",
    image: /rootserver-image-riscv-qemu-riscv-virt/,
    drivers: HELLO_RISCV_DRIVERS,
    missing: async () =>
      (await findOpenSbi(workspace!)) ? undefined : "no OpenSBI (OPENSBI_PATH or <workspace>/tools/opensbi; neptune-gen deps clones it)",
  },
  { name: "x86_64 (QEMU pc)", system: "examples/hello/x86_64.ts", image: /rootserver-image-x86_64-pc99/, drivers: HELLO_PC_DRIVERS },
];

describe.skipIf(!workspace)(`hello on the other boards${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  for (const b of BOARDS) {
    it(`${b.name}: ${b.noQemu ? "builds" : "builds and shows every hello line"}`, async (ctx) => {
      const why = await b.missing?.();
      if (why) {
        console.log(`${b.name}: skipped: ${why}`);
        ctx.skip();
      }
      const buildDir = path.join(os.tmpdir(), `neptune-test-board-${path.basename(b.system, ".ts")}`);
      const build = await execa("node", [CLI, "build", "-s", b.system, "-B", buildDir], { cwd: ROOT, reject: false, all: true });
      expect(build.exitCode, build.all).toBe(0);
      expect(build.stdout).toMatch(b.image);
      if (b.bootFolder) await checkBootFolder(buildDir, build.stdout);
      if (b.noQemu) {
        const run = await execa("node", [CLI, "run", "-s", b.system, "-B", buildDir, "--expect", "client: done"], { cwd: ROOT, reject: false, all: true });
        expect(run.exitCode).toBe(1);
        expect(run.stderr).toMatch(b.noQemu);
        expect(run.stderr).toMatch(/hint: copy the files of .*boot onto a FAT SD card/);
        return;
      }
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
