// SPDX-License-Identifier: BSD-2-Clause
/** `neptune-gen build`: generate, configure and build the seL4 image; print its path. */

import type { Argv, CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { report, withSystem } from "./common.ts";

export interface BuildArgs {
  system: string;
  platform?: string;
  "build-dir"?: string;
  workspace?: string;
  "cmake-def"?: string[];
}

export function withBuild<T>(y: Argv<T>) {
  return withSystem(y)
    .option("platform", { alias: "p", type: "string", describe: "seL4 platform (default: the system's, else qemu-arm-virt)" })
    .option("build-dir", { alias: "B", type: "string", describe: "build folder (default build/<platform>)" })
    .option("workspace", { type: "string", describe: "seL4 workspace (default: NEPTUNE_SEL4_WORKSPACE, config file, ~/.local/share/neptune-gen/sel4)" })
    .option("cmake-def", {
      alias: "D",
      type: "string",
      array: true,
      describe: "extra CMake setting NAME=VALUE (repeatable), e.g. -D NEPTUNE_BUILD=release",
    });
}

/** `NAME=VALUE` strings as CMake definitions; an error for each one without a name. */
export function parseCmakeDefs(defs: string[] | undefined, bag: DiagnosticBag): Record<string, string> | undefined {
  if (!defs?.length) return undefined;
  const out: Record<string, string> = {};
  for (const d of defs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(d);
    if (!m) {
      bag.error(undefined, `--cmake-def '${d}' is not NAME=VALUE`, "for example: --cmake-def NEPTUNE_BUILD=release");
      continue;
    }
    out[m[1]] = m[2];
  }
  return out;
}

/** Builds and reports; returns undefined after printing the errors (exit code set). */
export async function buildOrReport(args: BuildArgs) {
  const { buildSel4, BuildFailure } = await import("../build/sel4.ts");
  const bag = new DiagnosticBag();
  const cmakeDefs = parseCmakeDefs(args["cmake-def"], bag);
  if (bag.hasErrors) {
    report(bag);
    return undefined;
  }
  try {
    const res = await buildSel4(
      { systemFile: args.system, platform: args.platform, buildDir: args["build-dir"], workspace: args.workspace, cmakeDefs },
      bag,
    );
    report(bag);
    return res;
  } catch (e) {
    if (e instanceof BuildFailure) {
      process.stderr.write(`${e.tail()}\nneptune-gen: error: ${e.message}\n`);
      process.exitCode = 1;
      return undefined;
    }
    throw e;
  }
}

export const buildCommand: CommandModule<object, BuildArgs> = {
  command: "build",
  describe: "build the seL4 image: kernel, root server, every server (incremental)",
  builder: (y) => withBuild(y),
  handler: async (args) => {
    const res = await buildOrReport(args);
    if (!res) return;
    const what = res.upToDate && res.regenerated.length === 0 ? "up to date" : "built";
    console.log(`${what}: ${res.image}`);
    if (res.boot) {
      console.log(`boot folder for the board (copy its files onto a FAT SD card): ${res.boot.dir}`);
      console.log(`  ${res.boot.files.join("  ")}`);
      if (res.boot.firmwareDir) console.log(`  firmware from ${res.boot.firmwareDir}`);
      if (res.boot.missing.length) {
        process.stderr.write(
          `neptune-gen: warning: the boot folder lacks the firmware files ${res.boot.missing.join(", ")}\n` +
            `hint: see ${res.boot.dir}/MISSING-FIRMWARE.txt (Debian's raspi-firmware package, or github.com/raspberrypi/firmware)\n`,
        );
      }
    }
  },
};
