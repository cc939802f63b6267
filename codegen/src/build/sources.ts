// SPDX-License-Identifier: BSD-2-Clause
/** Where each server's sources are, checked before any build system sees them. */

import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { DiagnosticBag } from "../diag/diagnostics.ts";
import { type CompiledSystem, allProcesses } from "../model/system.ts";
import { displayPath } from "../compile.ts";
import { checkOpsTables } from "./ops-check.ts";

/**
 * ELF name → absolute source folder, for servers.cmake; an error (at the server in system.ts,
 * with the fix) for each server whose folder is missing or holds nothing to build, and for each
 * handler table that does not match the IDL (ops-check.ts). Both the seL4 and the host build
 * call this before CMake runs.
 */
export async function serverSourceDirs(sys: CompiledSystem, bag: DiagnosticBag): Promise<Record<string, string>> {
  const base = path.dirname(path.resolve(sys.model.file));
  const dirs: Record<string, string> = {};
  for (const s of allProcesses(sys.model)) {
    const dir = path.resolve(base, s.src);
    const ok = await stat(dir).then(
      (st) => st.isDirectory(),
      () => false,
    );
    if (!ok) {
      bag.error(
        s.pos,
        `${s.kind === "program" ? "program" : "server"} '${s.name}' has no build target: its source folder ${displayPath(dir)} does not exist`,
        s.kind === "program" ? "create it with a main.c, or point `src` at the folder with its sources" : `create it with 'neptune-gen new server ${s.name}', or point \`src\` at the folder with its sources`,
      );
      continue;
    }
    const files = await readdir(dir);
    if (!files.includes("CMakeLists.txt") && !files.some((f) => f.endsWith(".c"))) {
      bag.error(s.pos, `server '${s.name}' has no build target: ${displayPath(dir)} has neither a CMakeLists.txt nor .c files`, `add its main.c there (see 'neptune-gen new server')`);
    }
    // Handler tables that no longer match the IDL (a forgotten handler would build silently).
    await checkOpsTables(s, sys.model, dir, bag);
    dirs[s.elf] = dir;
  }
  return dirs;
}
