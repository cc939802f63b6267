// SPDX-License-Identifier: BSD-2-Clause
/**
 * The neptune-gen command line: a set of yargs command modules, each a thin call into the library.
 * Exit codes: 0 success, 1 user error (diagnostics printed), 2 internal error.
 */

import yargs from "yargs";
import { UserErrors } from "../diag/diagnostics.ts";
import { commands } from "./commands.ts";

/** A command line yargs rejected (unknown command or option, a value outside its choices). */
class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  let suggestion: string | undefined;
  const parser = yargs(argv)
    .scriptName("neptune-gen")
    .usage("$0 <command> [options]\n\nCompile IDL and a system description into an seL4 system.")
    .strict()
    .demandCommand(1, "name a command (see --help)")
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      // recommendCommands reports first, then strict mode fails on the same word: keep the
      // suggestion for the hint of that error.
      if (/^Did you mean /.test(msg)) {
        suggestion = msg.replace(/^Did you mean (.*)\?$/, "did you mean $1?");
        return;
      }
      // Throwing stops yargs here: returning would let it run the command's handler anyway
      // (with, say, a --format value outside its choices).
      throw new UsageError(msg);
    });
  for (const c of commands) parser.command(c);
  try {
    const out = (await parser.parseAsync()) as { exitCode?: number };
    return (out.exitCode ?? 0) || (process.exitCode as number | undefined) || 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`neptune-gen: error: ${e.message}\nhint: run 'neptune-gen --help'${suggestion ? ` (${suggestion})` : ""}\n`);
      return 1;
    }
    if (e instanceof UserErrors) {
      process.stderr.write(e.bag.format() + "\n");
      return 1;
    }
    process.stderr.write(`neptune-gen: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}
