// SPDX-License-Identifier: BSD-2-Clause
/** Options and helpers the commands share. */

import type { Argv } from "yargs";
import { DiagnosticBag, UserErrors } from "../diag/diagnostics.ts";

export const DEFAULT_SYSTEM = "system.ts";

export function withSystem<T>(y: Argv<T>) {
  return y.option("system", {
    alias: "s",
    type: "string",
    default: DEFAULT_SYSTEM,
    describe: "the system description",
  });
}

export function withOut<T>(y: Argv<T>, def: string) {
  return y.option("out", {
    alias: "o",
    type: "string",
    default: def,
    describe: "output directory for generated files",
  });
}

/** Prints warnings and notes; throws UserErrors (exit 1) if the bag holds an error. */
export function report(bag: DiagnosticBag): void {
  if (bag.hasErrors) throw new UserErrors(bag);
  if (bag.items.length) process.stderr.write(bag.format() + "\n");
}
