// SPDX-License-Identifier: BSD-2-Clause
/** Every CLI command module, in the order --help lists them. */

import type { CommandModule } from "yargs";
import { checkCommand } from "./check.ts";
import { genCommand } from "./gen.ts";
import { idlCommand } from "./idl.ts";
import { doctorCommand } from "./doctor.ts";
import { depsCommand } from "./deps.ts";
import { buildCommand } from "./build.ts";
import { runCommand } from "./run.ts";
import { newCommand } from "./new.ts";
import { docsCommand } from "./docs.ts";
import { diskCommand } from "./disk.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  genCommand,
  checkCommand,
  idlCommand,
  buildCommand,
  runCommand,
  diskCommand,
  newCommand,
  docsCommand,
  depsCommand,
  doctorCommand,
];
