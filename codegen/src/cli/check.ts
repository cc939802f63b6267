// SPDX-License-Identifier: BSD-2-Clause
/** `neptune-gen check`: validate system.ts and its IDL; write nothing. */

import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { report, withSystem } from "./common.ts";

export const checkCommand: CommandModule<object, { system: string }> = {
  command: "check",
  describe: "validate the system description and its IDL files without writing anything",
  builder: (y) => withSystem(y),
  handler: async (args) => {
    const { compileSystem } = await import("../compile.ts");
    const bag = new DiagnosticBag();
    const sys = await compileSystem(args.system, bag);
    report(bag);
    if (sys) {
      const caps = sys.layout.servers.reduce((n, s) => n + s.slots.filter((c) => c.kind !== "reserved").length, 0);
      console.log(
        `${args.system}: ok: ${sys.model.servers.length} servers, ${sys.model.idl.interfaces.length} interfaces, ` +
          `${caps} caps, untyped ${kib(sys.layout.untypedBytesUsed)} of ${kib(sys.layout.untypedBytesBudget)}`,
      );
    }
  },
};

function kib(n: number): string {
  return `${Math.ceil(n / 1024)} KiB`;
}
