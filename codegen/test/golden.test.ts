// SPDX-License-Identifier: BSD-2-Clause
/** The tracked golden files match what the compiler generates now. */

import { describe, expect, it } from "vitest";
import { compareGolden, generateGolden } from "../../scripts/golden-lib.ts";

describe("golden files", () => {
  it("match a fresh regeneration (npm run golden:update to accept a change)", async () => {
    const cases = await generateGolden();
    expect(cases.filter((c) => c.name.startsWith("idl/")).length).toBeGreaterThanOrEqual(6);
    expect(cases.filter((c) => c.name.startsWith("systems/")).length).toBeGreaterThanOrEqual(2);
    const diff = await compareGolden(cases, false);
    expect(diff).toEqual({ changed: [], missing: [], stale: [] });
  });
});
