// SPDX-License-Identifier: BSD-2-Clause
/**
 * The block cache (lib/bcache): builds lib/bcache/test/bcache_test.c with gcc under ASan/UBSan
 * and runs it: read-ahead on sequential reads only, cached re-reads, LRU eviction, write-back
 * in runs on eviction and on sync, bounds and device errors.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BCACHE_DIR, TOOL_ENV } from "../../scripts/fat-lib.ts";

const out = mkdtempSync(path.join(os.tmpdir(), "ng-bcache-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("block cache", () => {
  it("reads ahead, hits, evicts the oldest and writes back in runs", () => {
    const exe = path.join(out, "bcache_test");
    const cc = spawnSync("gcc", [
      "-std=c11", "-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-Wall", "-Wextra", "-Werror",
      `-I${path.join(BCACHE_DIR, "include")}`, path.join(BCACHE_DIR, "bcache.c"), path.join(BCACHE_DIR, "test/bcache_test.c"), "-o", exe,
    ], { encoding: "utf8" });
    expect(cc.status, cc.stderr).toBe(0);
    const r = spawnSync(exe, [], { encoding: "utf8", env: TOOL_ENV, timeout: 60_000 });
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error/);
    expect(r.stdout).toContain("PASS bcache");
    expect(r.status).toBe(0);
  });
});
