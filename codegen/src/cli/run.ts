// SPDX-License-Identifier: BSD-2-Clause
/**
 * `neptune-gen run`: build if needed, then boot the image in QEMU (or, with --target host, run the
 * system as one Linux program). With --expect, exit 0 as soon as every pattern has appeared on
 * the console, or 1 with the log tail when the time runs out or the system stops first.
 */

import { existsSync, readFileSync, statSync } from "node:fs";
import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { inputChunks, logTail, runConsole } from "../run/console.ts";
import { diskSizeProblem, qemuCommand, QEMU_PLATFORMS } from "../run/qemu.ts";
import { kernelLabel } from "../model/kernel.ts";
import { buildOrReport, withBuild, type BuildArgs } from "./build.ts";
import { report } from "./common.ts";

/** Boards QEMU cannot boot, and why. */
const NO_QEMU_REASON: Record<string, string> = {
  rpi4: "QEMU has no Raspberry Pi 4 machine (Debian's QEMU 7.2 stops at raspi3b), so rpi4 images boot on the board only",
};

interface RunArgs extends BuildArgs {
  target: string;
  expect?: string[];
  fail?: string;
  timeout?: number;
  icount: boolean;
  sanitize: boolean;
  disk?: string;
  "virtio-modern": boolean;
  input?: string;
  "input-quiet": number;
  "input-prompt"?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: "run",
  describe: "build if needed and boot the system in QEMU (or on the host with --target host)",
  builder: (y) =>
    withBuild(y)
      .option("target", { choices: ["sel4", "host"], default: "sel4", describe: "boot on seL4 in QEMU, or run on the host test bench" })
      .option("expect", { type: "string", array: true, describe: "regular expression the console must show (repeatable); exit 0 when all have" })
      .option("fail", { type: "string", describe: "regular expression that means failure at once" })
      .option("timeout", { type: "number", describe: "seconds to wait for --expect (default 120); without --expect, stop the system after this long" })
      .option("icount", { type: "boolean", default: false, describe: "QEMU counts instructions (-icount shift=0): deterministic benchmark figures" })
      .option("sanitize", { type: "boolean", default: false, describe: "host target: build with AddressSanitizer and UBSan" })
      .option("disk", { type: "string", describe: "raw disk image attached as a virtio-blk device, or as the SD card on rpi3 (neptune-gen disk create makes one)" })
      .option("virtio-modern", { type: "boolean", default: false, describe: "virtio-mmio version 2 (modern) registers instead of legacy" })
      .option("input", { type: "string", describe: "type this file's lines on the console, one whenever the console has been quiet for --input-quiet ms (a line `^C` types Ctrl-C)" })
      .option("input-quiet", { type: "number", default: 300, describe: "milliseconds of console silence before the next --input line" })
      .option("input-prompt", { type: "string", describe: "with --input: type a line only once the console has printed this pattern (the prompt) since the previous one; `^C` lines need only the silence" }),
  handler: async (args) => {
    const expect = (args.expect ?? []).map((e) => new RegExp(e));
    // Without --expect and --timeout a run is interactive and lasts until the user ends it.
    const timeout = args.timeout ?? (expect.length ? 120 : undefined);
    if (timeout !== undefined && !(timeout > 0)) {
      process.stderr.write(`neptune-gen: error: --timeout must be a positive number of seconds, found ${args.timeout}\n`);
      process.exitCode = 1;
      return;
    }
    let input: Buffer[] | undefined;
    if (args.input !== undefined) {
      if (!existsSync(args.input)) {
        process.stderr.write(`neptune-gen: error: --input file ${args.input} does not exist\n`);
        process.exitCode = 1;
        return;
      }
      input = inputChunks(readFileSync(args.input, "utf8"));
    }
    if (!(args["input-quiet"] >= 0)) {
      process.stderr.write(`neptune-gen: error: --input-quiet must be a number of milliseconds, found ${args["input-quiet"]}\n`);
      process.exitCode = 1;
      return;
    }
    let inputPrompt: RegExp | undefined;
    if (args["input-prompt"] !== undefined) {
      try {
        inputPrompt = new RegExp(args["input-prompt"]);
      } catch (e) {
        process.stderr.write(`neptune-gen: error: --input-prompt is not a regular expression: ${(e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
    }
    /** The --disk image, else system.ts's `disk`; false after reporting a missing file. */
    const diskOf = (sysDisk: string | undefined): string | undefined | false => {
      const disk = args.disk ?? sysDisk;
      if (disk === undefined || existsSync(disk)) return disk;
      process.stderr.write(`neptune-gen: error: disk image ${disk} does not exist\nhint: make one with: neptune-gen disk create --fat 32 --size 64M ${disk}\n`);
      process.exitCode = 1;
      return false;
    };
    /** Whether the board takes the disk as it is (an SD card: a power of two); false after reporting. */
    const diskFits = (platform: string, disk: string | undefined): boolean => {
      if (disk === undefined) return true;
      const problem = diskSizeProblem(platform, disk, statSync(disk).size);
      const sd = QEMU_PLATFORMS[platform]?.sdCard;
      if (!problem && !(sd && args["virtio-modern"])) return true;
      const [message, hint] = problem
        ? [problem.message, problem.hint]
        : [`--virtio-modern: the disk of ${platform} is an SD card, not a virtio device`, "leave --virtio-modern out"];
      process.stderr.write(`neptune-gen: error: ${message}\nhint: ${hint}\n`);
      process.exitCode = 1;
      return false;
    };
    let cmd: { cmd: string; args: string[]; env?: NodeJS.ProcessEnv } | undefined;
    if (args.target === "host") {
      const { buildHost, hostRunCommand } = await import("../build/host.ts");
      const bag = new DiagnosticBag();
      const res = await buildHost({ systemFile: args.system, buildDir: args["build-dir"] ?? "build/host", sanitize: args.sanitize, bag });
      report(bag);
      if (!res) return;
      const disk = diskOf(res.sys.model.disk);
      if (disk === false || !diskFits(res.sys.model.platform, disk)) return;
      // The host program stops itself at the timeout (and says so); the watcher below is a backstop.
      cmd = hostRunCommand(res.executable, { timeoutSec: timeout, disk, virtioModern: args["virtio-modern"] });
    } else {
      const res = await buildOrReport(args);
      if (!res) return;
      const disk = diskOf(res.sys.model.disk);
      if (disk === false) return;
      if (!diskFits(res.platform, disk)) return;
      cmd = qemuCommand(res.platform, res.image, { icount: args.icount, disk, virtioModern: args["virtio-modern"], hypervisor: res.kernel.hypervisor });
      if (!cmd) {
        const why = NO_QEMU_REASON[res.platform] ?? `no QEMU machine for platform ${res.platform}`;
        const where = res.boot ? `copy the files of ${res.boot.dir} onto a FAT SD card and boot the board (docs/boards.md)` : "copy the image to the board's boot medium";
        process.stderr.write(`neptune-gen: error: ${why}\nhint: ${where}\n`);
        process.exitCode = 1;
        return;
      }
      console.log(`booting ${res.image}, kernel ${kernelLabel(res.kernel)} (${[cmd.cmd, ...cmd.args].join(" ")}; quit with Ctrl-A X)`);
    }
    const result = await runConsole({
      ...cmd,
      expect,
      fail: args.fail ? new RegExp(args.fail) : undefined,
      timeoutSec: timeout === undefined ? 24 * 3600 : args.target === "host" && !expect.length ? timeout + 5 : timeout,
      echo: true,
      interactive: expect.length === 0 && timeout === undefined,
      input,
      inputQuietMs: args["input-quiet"],
      inputPrompt,
    });
    if (!expect.length) {
      if (result.timedOut) {
        console.log(`\nneptune-gen: stopped the system after ${timeout} s (--timeout)`);
      } else if (!result.ok) {
        process.stderr.write(`\nneptune-gen: error: the system ${result.reason}\n`);
        process.exitCode = 1;
      }
    } else {
      if (result.ok) {
        console.log(`\nneptune-gen: every expected pattern appeared (${result.seconds.toFixed(1)} s)`);
      } else {
        process.stderr.write(`\nneptune-gen: error: ${result.reason}\n--- last console lines ---\n${logTail(result.log)}\n`);
        process.exitCode = 1;
      }
    }
  },
};
