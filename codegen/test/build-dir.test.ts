// SPDX-License-Identifier: BSD-2-Clause
/**
 * A build folder that CMake configured for another copy of the project is refused with an error
 * naming both copies (it would otherwise build the other copy's sources); one configured for
 * this copy, or a new one, is fine.
 */

import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkBuildDirSources } from "../src/build/sel4.ts";
import { PROJECT_ROOT } from "../src/build/workspace.ts";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";

function folderWithCache(home: string | undefined): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ng-build-dir-"));
  if (home !== undefined) writeFileSync(path.join(dir, "CMakeCache.txt"), `# cache\nCMAKE_HOME_DIRECTORY:INTERNAL=${home}\n`);
  return dir;
}

describe("build folder of another copy of the project", () => {
  it("accepts a new folder and one configured for these sources", async () => {
    for (const dir of [folderWithCache(undefined), folderWithCache(PROJECT_ROOT)]) {
      const bag = new DiagnosticBag();
      expect(await checkBuildDirSources(dir, bag)).toBe(true);
      expect(bag.format()).toBe("");
    }
  });

  it("refuses one configured for other sources, naming both and the fix", async () => {
    const dir = folderWithCache("/elsewhere/neptune-gen");
    const bag = new DiagnosticBag();
    expect(await checkBuildDirSources(dir, bag)).toBe(false);
    expect(bag.format()).toContain("was configured for the neptune-gen sources at /elsewhere/neptune-gen, not these");
    expect(bag.format()).toContain("pick another build folder with -B, or delete that one");
  });
});
