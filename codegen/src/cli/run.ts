// SPDX-License-Identifier: BSD-2-Clause
/**
 * `neptune-gen run`: build if needed, then boot the image in QEMU (or, with --target host, run the
 * system as one Linux program). With --expect, exit 0 as soon as every pattern has appeared on
 * the console, or 1 with the log tail when the time runs out or the system stops first.
 */

import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { logTail, runConsole } from "../run/console.ts";
import { qemuCommand } from "../run/qemu.ts";
import { buildOrReport, withBuild, type BuildArgs } from "./build.ts";
import { report } from "./common.ts";

interface RunArgs extends BuildArgs {
  target: string;
  expect?: string[];
  fail?: string;
  timeout: number;
  icount: boolean;
  sanitize: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: "run",
  describe: "build if needed and boot the system in QEMU (or on the host with --target host)",
  builder: (y) =>
    withBuild(y)
      .option("target", { choices: ["sel4", "host"], default: "sel4", describe: "boot on seL4 in QEMU, or run on the host test bench" })
      .option("expect", { type: "string", array: true, describe: "regular expression the console must show (repeatable); exit 0 when all have" })
      .option("fail", { type: "string", describe: "regular expression that means failure at once" })
      .option("timeout", { type: "number", default: 120, describe: "seconds to wait for --expect" })
      .option("icount", { type: "boolean", default: false, describe: "QEMU counts instructions (-icount shift=0): deterministic benchmark figures" })
      .option("sanitize", { type: "boolean", default: false, describe: "host target: build with AddressSanitizer and UBSan" }),
  handler: async (args) => {
    let cmd: { cmd: string; args: string[] } | undefined;
    if (args.target === "host") {
      const { buildHost, hostRunCommand } = await import("../build/host.ts");
      const bag = new DiagnosticBag();
      const res = await buildHost({ systemFile: args.system, buildDir: args["build-dir"] ?? "build/host", sanitize: args.sanitize, bag });
      report(bag);
      if (!res) return;
      cmd = hostRunCommand(res.executable);
    } else {
      const res = await buildOrReport(args);
      if (!res) return;
      cmd = qemuCommand(res.platform, res.image, { icount: args.icount });
      if (!cmd) {
        process.stderr.write(`neptune-gen: error: no QEMU machine for platform ${res.platform}\nhint: copy the image to the board's boot medium\n`);
        process.exitCode = 1;
        return;
      }
      console.log(`booting ${res.image} (${cmd.cmd}; quit with Ctrl-A X)`);
    }
    const expect = (args.expect ?? []).map((e) => new RegExp(e));
    const result = await runConsole({
      ...cmd,
      expect,
      fail: args.fail ? new RegExp(args.fail) : undefined,
      timeoutSec: expect.length ? args.timeout : 24 * 3600,
      echo: true,
      interactive: expect.length === 0,
    });
    if (expect.length) {
      if (result.ok) {
        console.log(`\nneptune-gen: every expected pattern appeared (${result.seconds.toFixed(1)} s)`);
      } else {
        process.stderr.write(`\nneptune-gen: error: ${result.reason}\n--- last console lines ---\n${logTail(result.log)}\n`);
        process.exitCode = 1;
      }
    }
  },
};
