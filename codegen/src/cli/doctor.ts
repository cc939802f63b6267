// SPDX-License-Identifier: BSD-2-Clause
/** `neptune-gen doctor`: check tools, Python modules and the seL4 workspace; print the fix. */

import type { CommandModule } from "yargs";
import { fixCommands, runAllChecks } from "../build/doctor.ts";

export const doctorCommand: CommandModule<object, { workspace?: string }> = {
  command: "doctor",
  describe: "check every tool, Python module and the seL4 workspace the build needs",
  builder: (y) => y.option("workspace", { type: "string", describe: "seL4 workspace (default: NEPTUNE_SEL4_WORKSPACE, config, ~/.local/share/neptune-gen/sel4)" }),
  handler: async (args) => {
    const checks = await runAllChecks(args.workspace);
    for (const c of checks) {
      const mark = c.ok ? "ok     " : c.optional ? "missing (optional)" : "MISSING";
      console.log(`${mark.padEnd(8)} ${c.name.padEnd(32)} ${c.detail}`);
    }
    const required = checks.filter((c) => !c.ok && !c.optional);
    const fixes = fixCommands(checks);
    if (fixes.length && checks.some((c) => !c.ok)) {
      console.log("\nto install what is missing:");
      for (const f of fixes) console.log(`  ${f}`);
    }
    console.log(required.length ? `\n${required.length} required items missing` : "\neverything needed to build and boot is here");
    process.exitCode = required.length ? 1 : 0;
  },
};
