// SPDX-License-Identifier: BSD-2-Clause
/**
 * The FAT library's libFuzzer harness (lib/fat/test/fat_fuzz.c) builds with clang under ASan
 * and UBSan and runs a few thousand mutated images, seeded by mkfs.fat + mtools images of each
 * FAT type, without a crash or a hang. And it can fail: built with a planted heap overflow that
 * fires once a FAT12 image mounts, it must report the crash and keep the input. The long run is
 * `npm run fuzz:fat` (1,000,000 runs). Without clang, its fuzzer runtime, dosfstools or mtools
 * the suite reports a skip with the reason.
 */

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzSkipReason, runHarness } from "../../scripts/fuzz-lib.ts";
import { buildFatFuzz, fatSkipReason, makeFuzzSeeds } from "../../scripts/fat-lib.ts";

const skip = fuzzSkipReason(process.env.NG_FUZZ_CC || "clang") ?? fatSkipReason();
if (skip) console.warn(`fat-fuzz-smoke: skipped: ${skip}`);

let dir: string;

beforeAll(() => {
  if (skip) return;
  dir = mkdtempSync(path.join(os.tmpdir(), "ng-fat-fuzz-"));
  makeFuzzSeeds(path.join(dir, "seeds"), path.join(dir, "work"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!!skip)("FAT fuzz harness", () => {
  it("runs 3000 mutated images without a crash or a hang", async () => {
    const bin = path.join(dir, "fat_fuzz");
    buildFatFuzz(bin);
    const r = await runHarness({ bin, runs: 3000, maxLen: 65536, seed: 1, crashDir: path.join(dir, "crashes"), tag: "fat", corpusDir: path.join(dir, "seeds") });
    expect(r.reason ?? "", r.output.slice(-2000)).toBe("");
    expect(r.crashes).toBe(0);
    expect(r.runs).toBeGreaterThanOrEqual(3000);
  });

  it("reports a planted bug behind a successful mount", async () => {
    const bin = path.join(dir, "fat_fuzz_planted");
    buildFatFuzz(bin, "clang", ["FAT_FUZZ_PLANTED_BUG"]);
    const r = await runHarness({ bin, runs: 3000, maxLen: 65536, seed: 1, crashDir: path.join(dir, "planted"), tag: "planted", corpusDir: path.join(dir, "seeds") });
    expect(r.crashes).toBe(1);
    expect(r.reason).toMatch(/heap-buffer-overflow/);
    expect(r.artifacts.length).toBe(1);
  });
});
