// SPDX-License-Identifier: BSD-2-Clause
/** `neptune-gen gen`: compile the system and write every generated file. */

import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { report, withOut, withSystem } from "./common.ts";

export const genCommand: CommandModule<object, { system: string; out: string }> = {
  command: "gen",
  describe: "generate C headers, root-server tables, layout.txt and system.json",
  builder: (y) => withOut(withSystem(y), "build/gen"),
  handler: async (args) => {
    const { compileSystem, emitSystem, writeGenerated } = await import("../compile.ts");
    const bag = new DiagnosticBag();
    const sys = await compileSystem(args.system, bag);
    report(bag);
    if (!sys) return;
    const res = await writeGenerated(args.out, emitSystem(sys));
    console.log(
      `${args.out}: ${res.written.length} written, ${res.unchanged.length} unchanged` +
        (res.removed.length ? `, ${res.removed.length} removed` : ""),
    );
  },
};
