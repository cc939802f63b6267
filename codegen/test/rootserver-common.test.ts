// SPDX-License-Identifier: BSD-2-Clause
/**
 * The root servers' shared half (rootserver/common/, linked into the seL4 and the host root
 * server) compiled alone with a test clock (codegen/test/c/rootserver/common_check.c): the
 * restart policy and its rate limit, the table check, and the exact words of every report both
 * root servers print. Needs gcc only.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const COMMON = path.join(ROOT, "rootserver/common");

describe("root servers' shared code", () => {
  const out = mkdtempSync(path.join(os.tmpdir(), "neptune-rs-common-"));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("decides restarts with a rate limit, checks tables, and words its reports as both root servers print them", () => {
    const exe = path.join(out, "common_check");
    const cc = spawnSync(
      "gcc",
      [
        "-std=c11", "-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
        "-Wall", "-Wextra", "-Werror",
        `-I${path.join(COMMON, "include")}`, `-I${path.join(ROOT, "rootserver/include")}`,
        path.join(ROOT, "codegen/test/c/rootserver/common_check.c"),
        ...["validate.c", "restart.c", "report.c"].map((f) => path.join(COMMON, f)),
        "-o", exe,
      ],
      { encoding: "utf8" },
    );
    expect(cc.status, cc.stderr).toBe(0);
    const r = spawnSync(exe, [], { encoding: "utf8", timeout: 30_000 });
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error/);
    expect(r.stdout).not.toMatch(/FAIL/);
    expect(r.stdout).toMatch(/^common: \d+ checks, 0 failed$/m);
    expect(r.status).toBe(0);
    // The words users and tests match, on both targets.
    expect(r.stdout).toContain("test: server storm exited with status 0\n");
    expect(r.stdout).toContain("fault: server storm: vm fault at 0x10 pc 0x400000 (SIGSEGV)\n");
    expect(r.stdout).toContain("test: server storm restarted (5)\n");
    expect(r.stdout).toContain("test: server storm: restart limit reached (5 restarts within 10 s); given up, stopped\n");
    expect(r.stdout).toContain("test: server storm stopped\n");
    // Every table problem named once, with the server it belongs to.
    for (const what of ["cap in a reserved slot", "cap names a missing object", "slot used twice", "slot outside its CNode", "frames are mapped, not installed as caps", "mapping vaddr not page aligned", "mapping of an object that is not frames", "fault badge 0", "priority above the root server's", "unknown restart policy"]) {
      expect(r.stdout).toContain(`test: tables: bad: ${what}`);
    }
    expect(r.stdout).toContain("test: tables: frames:bad: frames need pages > 0 of a small or large page (13)");
    expect(r.stdout).toContain("test: tables: t: fault endpoint is not an endpoint object (1)");
    expect(r.stdout).toContain("test: tables: good: cnode_bits out of range (17)");
  });
});
