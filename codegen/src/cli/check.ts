// SPDX-License-Identifier: BSD-2-Clause
/**
 * `neptune-gen check`: validate system.ts and its IDL; write nothing. With `--docs [DIR]`, also
 * write the HTML docs (see docs.ts; default build/docs) and print the page to open.
 */

import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { report, withSystem } from "./common.ts";
import { DEFAULT_DOCS_DIR, writeDocs } from "./docs.ts";

export const checkCommand: CommandModule<object, { system: string; docs?: string; platform?: string }> = {
  command: "check",
  describe: "validate the system description and its IDL files without writing anything",
  builder: (y) =>
    withSystem(y)
      .option("platform", {
        alias: "p",
        type: "string",
        describe: "check the devices against this platform instead of the system's",
      })
      .option("docs", {
        type: "string",
        describe: `also write the HTML docs into this folder (default ${DEFAULT_DOCS_DIR}) and print their path`,
      }),
  handler: async (args) => {
    const { compileSystem } = await import("../compile.ts");
    const bag = new DiagnosticBag();
    const sys = await compileSystem(args.system, bag, { platform: args.platform });
    report(bag);
    if (sys) {
      const caps = sys.layout.servers.reduce((n, s) => n + s.slots.filter((c) => c.kind !== "reserved").length, 0);
      console.log(
        `${args.system}: ok: ${sys.model.servers.length} servers, ${sys.model.idl.interfaces.length} interfaces, ` +
          `${caps} caps, untyped ${kib(sys.layout.untypedBytesUsed)} of ${kib(sys.layout.untypedBytesBudget)} (${sys.model.platform})`,
      );
      if (args.docs !== undefined) {
        const res = await writeDocs(sys, args.docs || DEFAULT_DOCS_DIR, "html");
        if (res) console.log(`docs: ${res.index}`);
      }
    }
  },
};

function kib(n: number): string {
  return `${Math.ceil(n / 1024)} KiB`;
}
