// SPDX-License-Identifier: BSD-2-Clause
/**
 * seL4 system test of the MCS example (examples/mcs): on the MCS kernel the root server makes
 * calc passive once it waits in its first receive, both clients' calls are answered on their own
 * scheduling contexts, the client with a 200 us / 10 ms budget is throttled (the root server, its
 * timeout handler, reports it) while the one with the default budget runs through, and calc,
 * running on slow's scheduling context for slow's heavy call, runs out of slow's budget. Needs
 * the seL4 workspace (sel4-workspace.ts); skipped visibly without.
 */

import { execa } from "execa";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SEL4_ENV, SEL4_SKIP, SEL4_WORKSPACE } from "./sel4-workspace.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");

describe.skipIf(!SEL4_WORKSPACE)(`MCS example on seL4 in QEMU${SEL4_SKIP ? ` (skipped: ${SEL4_SKIP})` : ""}`, () => {
  it("passive calc answers on its callers' budgets; slow is throttled, fast is not", { timeout: 900_000 }, async () => {
    const buildDir = path.join(os.tmpdir(), "neptune-test-mcs-example");
    const args = ["run", "-s", "examples/mcs/system.ts", "-B", buildDir, "--timeout", "180", "--expect", "slow: done", "--expect", "fast: done"];
    const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true, env: SEL4_ENV });
    expect(run.exitCode, run.all).toBe(0);
    const log = run.stdout;
    const at = (re: RegExp) => {
      const m = re.exec(log);
      expect(m, `${re} in\n${log}`).not.toBeNull();
      return m!.index;
    };
    expect(log).toMatch(/kernel mcs\/el1/);
    // calc initialises on its own scheduling context, then gives it up in its first receive.
    const init = at(/calc: initialising on its own scheduling context/);
    const passive = at(/neptune rootserver: server calc is passive: it runs on its callers' scheduling contexts/);
    expect(init).toBeLessThan(passive);
    // Both clients' calls are answered (calc has no scheduling context of its own any more).
    for (let r = 1; r <= 5; r++) {
      at(new RegExp(`fast: round ${r} of 5 done; calc\\.add\\(${r}, 0\\) = ${r} \\(ok\\)`));
      at(new RegExp(`slow: round ${r} of 5 done; calc\\.add\\(${r}, 0\\) = ${r} \\(ok\\)`));
    }
    // slow is throttled: the kernel stops it at the end of its budget, the root server says so…
    at(/neptune rootserver: timeout: server slow ran out of budget on its own scheduling context \(200 us every 10000 us; 1 so far\)/);
    // …and fast, with the same work and priority, is through before slow is half-way.
    expect(at(/fast: done/)).toBeLessThan(at(/slow: round 3 of 5 done/));
    // slow's heavy call runs calc on slow's scheduling context, out of slow's budget.
    at(/neptune rootserver: timeout: server calc ran out of budget on slow's scheduling context \(200 us every 10000 us/);
    expect(log).toMatch(/slow: heavy calc\.add\(1, 3000\) = 3001 \(ok\)/);
    // fast never runs out (its budget equals its period: a round-robin scheduling context).
    expect(log).not.toMatch(/timeout: server fast/);
  });
});

describe.skipIf(!!SEL4_WORKSPACE)("MCS example on seL4 in QEMU", () => {
  it.skip(`skipped: ${SEL4_SKIP}`, () => {});
});
