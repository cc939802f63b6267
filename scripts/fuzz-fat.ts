// SPDX-License-Identifier: BSD-2-Clause
/**
 * Fuzzes the FAT library and the block cache (lib/fat/test/fat_fuzz.c) with libFuzzer under
 * ASan and UBSan over mutated images, seeded by small FAT12/16/32 images made by mkfs.fat and
 * mtools, and prints runs, crashes and speed. Everything goes below build/fuzz-fat: bin/,
 * seeds/, corpus/ (kept between runs), crashes/. Exit status 1 when anything crashed or the
 * run ended early (a hang is a crash: -timeout=10), 2 when the harness cannot be built here.
 *
 *   npm run fuzz:fat                      1,000,000 runs, split over 2 processes
 *   npm run fuzz:fat -- --runs 20000      fewer
 *   npm run fuzz:fat -- --jobs 1          one process
 *
 * Reproduce a crash: build/fuzz-fat/bin/fat_fuzz <crash file>
 */

import path from "node:path";
import { mkdirSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { fuzzSkipReason, pool, runHarness } from "./fuzz-lib.ts";
import { ROOT, buildFatFuzz, fatSkipReason, makeFuzzSeeds } from "./fat-lib.ts";

/** Largest input: the seeds are 5 to 20 KiB. */
export const FAT_FUZZ_MAX_LEN = 65536;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "1000000" },
      jobs: { type: "string", default: "2" },
      out: { type: "string", default: "build/fuzz-fat" },
      seed: { type: "string", default: "0" },
      "no-corpus": { type: "boolean", default: false },
      cc: { type: "string", default: "clang" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log("usage: npm run fuzz:fat -- [--runs N] [--jobs J] [--out DIR] [--seed S] [--no-corpus] [--cc CC]");
    return 0;
  }
  const runs = Number(values.runs);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(jobs) || jobs < 1) {
    console.error("fuzz:fat: --runs and --jobs take positive integers");
    return 2;
  }
  const skip = fuzzSkipReason(values.cc) ?? fatSkipReason();
  if (skip) {
    console.error(`fuzz:fat: cannot run: ${skip}`);
    return 2;
  }
  const out = path.resolve(ROOT, values.out!);
  const bin = path.join(out, "bin/fat_fuzz");
  const corpus = path.join(out, "corpus");
  if (values["no-corpus"]) rmSync(corpus, { recursive: true, force: true });
  console.log(`fuzz:fat: building ${path.relative(ROOT, bin)}, seeds from mkfs.fat`);
  rmSync(path.dirname(bin), { recursive: true, force: true });
  mkdirSync(path.dirname(bin), { recursive: true });
  buildFatFuzz(bin, values.cc);
  makeFuzzSeeds(corpus, path.join(out, "work"));
  // The runs split over `jobs` processes sharing the corpus, each with its own seed.
  const seed = Number(values.seed);
  const share = (k: number) => Math.floor(runs / jobs) + (k < runs % jobs ? 1 : 0);
  const results = await pool(jobs, Array.from({ length: jobs }, (_, k) => () =>
    runHarness({ bin, runs: share(k), maxLen: FAT_FUZZ_MAX_LEN, seed: seed ? seed + k : 0, crashDir: path.join(out, "crashes"), tag: `fat${k}`, corpusDir: corpus })));
  const total = results.reduce((a, r) => a + r.runs, 0);
  const crashes = results.reduce((a, r) => a + r.crashes, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  const last = results.map((r) => [...r.output.matchAll(/cov: (\d+) ft: (\d+)/g)].pop()).filter(Boolean).pop();
  console.log(`fuzz:fat: ${total.toLocaleString("en")} runs in ${jobs} processes, ${crashes} crashes, ${Math.round(total / seconds)} exec/s, ${seconds.toFixed(0)} s${last ? `, coverage ${last[1]} edges, ${last[2]} features` : ""}`);
  for (const r of results.filter((x) => x.crashes > 0)) {
    console.log(`  CRASH: ${r.reason ?? `exit ${r.exitCode}`}`);
    for (const a of r.artifacts) console.log(`  input kept: ${path.relative(ROOT, a)}  (reproduce: ${path.relative(ROOT, bin)} ${path.relative(ROOT, a)})`);
  }
  return crashes > 0 || total < runs ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
