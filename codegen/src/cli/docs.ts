// SPDX-License-Identifier: BSD-2-Clause
/**
 * `neptune-gen docs`: write a static site about the system (see docs/site.ts): a system page
 * with the diagram and every server's capability table, and one page per interface. HTML by
 * default, Markdown with `--format md`. Prints the page to open.
 */

import path from "node:path";
import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import type { CompiledSystem } from "../model/system.ts";
import type { DocFormat } from "../docs/escape.ts";
import { report, withSystem } from "./common.ts";

export const DEFAULT_DOCS_DIR = "build/docs";

/**
 * Writes the site below `outDir`; returns the index page's path, or undefined after printing
 * why the folder could not be written (exit code 1).
 */
export async function writeDocs(sys: CompiledSystem, outDir: string, format: DocFormat): Promise<{ index: string; written: number; unchanged: number } | undefined> {
  const { emitDocs, docsIndex } = await import("../docs/site.ts");
  const { writeGenerated } = await import("../compile.ts");
  const files = await emitDocs(sys, format);
  try {
    const res = await writeGenerated(outDir, files);
    return { index: path.join(outDir, docsIndex(format)), written: res.written.length, unchanged: res.unchanged.length };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (!err.code) throw e;
    process.stderr.write(`neptune-gen: error: cannot write the docs to ${outDir}: ${err.message}\nhint: pick another folder with --out\n`);
    process.exitCode = 1;
    return undefined;
  }
}

export const docsCommand: CommandModule<object, { system: string; out: string; format: string }> = {
  command: "docs",
  describe: "write a static site about the system: diagram (SVG), servers and their caps, one page per interface",
  builder: (y) =>
    withSystem(y)
      .option("out", { alias: "o", type: "string", default: DEFAULT_DOCS_DIR, describe: "folder for the pages, system.svg and system.dot" })
      .option("format", { alias: "f", choices: ["html", "md"], default: "html", describe: "HTML pages, or Markdown for docs kept in a repository" }),
  handler: async (args) => {
    const { compileSystem } = await import("../compile.ts");
    const bag = new DiagnosticBag();
    const sys = await compileSystem(args.system, bag);
    report(bag);
    if (!sys) return;
    const res = await writeDocs(sys, args.out, args.format as DocFormat);
    if (!res) return;
    console.log(`${args.out}: ${res.written} written, ${res.unchanged} unchanged`);
    console.log(`docs: ${res.index}`);
  },
};
