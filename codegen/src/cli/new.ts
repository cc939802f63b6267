// SPDX-License-Identifier: BSD-2-Clause
/** `neptune-gen new server [--resmgr] NAME`: start a server from a new IDL file, or a POSIX resource manager (see scaffold/server.ts). */

import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { report, withSystem } from "./common.ts";

export const newCommand: CommandModule<object, { system: string; kind: string; name: string; resmgr: boolean }> = {
  command: "new <kind> <name>",
  describe: "add a server: writes idl/<name>.idl, servers/<name>/ (main.c, CMakeLists.txt) and its system.ts entry",
  builder: (y) =>
    withSystem(y)
      .positional("kind", { choices: ["server"], demandOption: true, describe: "what to create" })
      .positional("name", { type: "string", demandOption: true, describe: "the server's name (a C identifier; also its interface's)" })
      .option("resmgr", {
        type: "boolean",
        default: false,
        describe: "a resource manager of the POSIX personality: serves fs.idl at /<name>, registered with pathmgr (no new IDL)",
      }),
  handler: async (args) => {
    const { newServer } = await import("../scaffold/server.ts");
    const bag = new DiagnosticBag();
    const res = await newServer(args.system, args.name, bag, { resmgr: args.resmgr });
    report(bag);
    if (!res) return;
    for (const f of res.written) console.log(`wrote ${f}`);
    if (args.resmgr) console.log(`next: 'neptune-gen build' then 'neptune-gen run'; clients resolve /${args.name} with pathmgr and connect (personality-posix/README.md)`);
    else console.log(`next: 'neptune-gen build' then 'neptune-gen run' (add "${args.name}" to a server's uses to call it)`);
  },
};
