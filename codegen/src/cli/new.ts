// SPDX-License-Identifier: BSD-2-Clause
/** `neptune-gen new server NAME`: start a server from a new IDL file (see scaffold/server.ts). */

import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { report, withSystem } from "./common.ts";

export const newCommand: CommandModule<object, { system: string; kind: string; name: string }> = {
  command: "new <kind> <name>",
  describe: "add a server: writes idl/<name>.idl, servers/<name>/ (main.c, CMakeLists.txt) and its system.ts entry",
  builder: (y) =>
    withSystem(y)
      .positional("kind", { choices: ["server"], demandOption: true, describe: "what to create" })
      .positional("name", { type: "string", demandOption: true, describe: "the server's name (a C identifier; also its interface's)" }),
  handler: async (args) => {
    const { newServer } = await import("../scaffold/server.ts");
    const bag = new DiagnosticBag();
    const res = await newServer(args.system, args.name, bag);
    report(bag);
    if (!res) return;
    for (const f of res.written) console.log(`wrote ${f}`);
    console.log(`next: 'neptune-gen build' then 'neptune-gen run' (add "${args.name}" to a server's uses to call it)`);
  },
};
