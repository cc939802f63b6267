// SPDX-License-Identifier: BSD-2-Clause
/**
 * The NT executive's pure parts (personality-nt/executive: ob.c, handle.c, cc.c): builds
 * personality-nt/executive/test/ex_test.c with gcc under ASan/UBSan and runs it — name parsing
 * with link substitution and devices, reference counts, handle tables with generic mapping and
 * access checks, and the cache manager's decisions (hits, read-ahead, partial-write fills,
 * dirty runs clipped to the end of file, eviction, retrieval-pointer extents).
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, TOOL_ENV } from "../../scripts/fat-lib.ts";

const EX = path.join(ROOT, "personality-nt/executive");
const out = mkdtempSync(path.join(os.tmpdir(), "ng-ntexec-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("NT executive (host unit tests)", () => {
  it("parses names, checks handles and decides the cache's I/O", () => {
    const exe = path.join(out, "ex_test");
    const cc = spawnSync("gcc", [
      "-std=c11", "-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-Wall", "-Wextra", "-Werror",
      `-I${path.join(ROOT, "personality-nt/include")}`,
      ...["ob.c", "handle.c", "cc.c", "test/ex_test.c"].map((f) => path.join(EX, f)),
      "-o", exe,
    ], { encoding: "utf8" });
    expect(cc.status, cc.stderr).toBe(0);
    const r = spawnSync(exe, [], { encoding: "utf8", env: { ...TOOL_ENV, ASAN_OPTIONS: "detect_leaks=1" }, timeout: 60_000 });
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error/);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^PASS ntexec: \d+ checks/);
    expect(r.status).toBe(0);
  });
});
