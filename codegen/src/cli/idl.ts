// SPDX-License-Identifier: BSD-2-Clause
/** `neptune-gen idl FILES…`: compile IDL files alone (no system) into interface headers. */

import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { report, withOut } from "./common.ts";

export const idlCommand: CommandModule<object, { files: string[]; out: string; check: boolean }> = {
  command: "idl <files..>",
  describe: "compile IDL files or folders into interface headers (types, marshalling, stubs, dispatch)",
  builder: (y) =>
    withOut(
      y.positional("files", { type: "string", array: true, demandOption: true, describe: ".idl files or folders" }),
      "build/gen",
    ).option("check", { type: "boolean", default: false, describe: "validate only" }),
  handler: async (args) => {
    const { compileIdlFiles, findIdlFiles, writeGenerated } = await import("../compile.ts");
    const bag = new DiagnosticBag();
    const files = await findIdlFiles(args.files, bag);
    report(bag);
    const idl = await compileIdlFiles(files, bag);
    report(bag);
    if (args.check) {
      console.log(`${files.length} IDL files ok: ${idl.interfaces.length} interfaces`);
      return;
    }
    const { emitAllInterfaces } = await import("../emit/interface.ts");
    const res = await writeGenerated(args.out, emitAllInterfaces(idl));
    console.log(`${args.out}: ${res.written.length} written, ${res.unchanged.length} unchanged`);
  },
};
