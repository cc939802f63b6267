// SPDX-License-Identifier: BSD-2-Clause
/**
 * Fuzzes every generated decoder (and the dispatcher) of every interface in idl/ with libFuzzer
 * (ASan + UBSan) and prints runs and crashes per decoder and per interface. Everything goes below build/fuzz:
 * gen/ (headers and harnesses), bin/ (one harness per interface), corpus/<decoder>/ (kept
 * between runs), crashes/ (the crashing inputs, named <decoder>-crash-<sha1>). Exit status 1
 * when anything crashed, 2 when the harnesses cannot be built here.
 *
 *   npm run fuzz                                   1,000,000 runs per decoder, 2 at a time
 *   npm run fuzz -- --runs 100000 --only echo,fs   fewer runs, some interfaces
 *   npm run fuzz -- --mixed                        one run per interface (runs x decoders),
 *                                                  the selector byte picking the decoder
 *   node --import tsx scripts/fuzz.ts --help
 *
 * Columns: runs per target; "accepted": inputs the decoder accepted (for <iface>_dispatch: inputs
 * whose handler ran), which shows the harness gets past the decoder's checks.
 *
 * Reproduce a crash: NG_FUZZ_DECODER=<target> build/fuzz/bin/<iface>_fuzz <crash file>
 */

import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Interface } from "../codegen/src/model/idl.ts";
import { fuzzDecoders, fuzzMaxLen, fuzzTargets } from "../codegen/src/emit/fuzz.ts";
import { ROOT, buildHarness, fuzzSkipReason, loadIdl, pool, runHarness, writeFuzzTree, type RunResult } from "./fuzz-lib.ts";

const HELP = `usage: node --import tsx scripts/fuzz.ts [options]
  --runs N      libFuzzer runs per decoder and per dispatcher (default 1000000)
  --jobs J      harnesses running at once (default 2)
  --only LIST   comma-separated interfaces (default: all)
  --idl PATH    IDL file or folder, repeatable (default: idl)
  --out DIR     output directory (default: build/fuzz)
  --seed S      libFuzzer seed (default 0: a random one per run)
  --mixed       one run per interface over all its decoders (runs x decoders)
  --no-corpus   start every run from an empty corpus
  --cc CC       compiler (default clang)`;

interface Job {
  iface: Interface;
  /** One decoder, or undefined: all of the interface's. */
  decoder?: string;
  decoders: number;
  runs: number;
}

function pad(s: string | number, n: number, right = false): string {
  const t = String(s);
  return right ? t.padStart(n) : t.padEnd(n);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "1000000" },
      jobs: { type: "string", default: "2" },
      only: { type: "string" },
      idl: { type: "string", multiple: true },
      out: { type: "string", default: "build/fuzz" },
      seed: { type: "string", default: "0" },
      mixed: { type: "boolean", default: false },
      "no-corpus": { type: "boolean", default: false },
      cc: { type: "string", default: "clang" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const runs = Number(values.runs);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(jobs) || jobs < 1) {
    console.error("fuzz: --runs and --jobs take positive integers");
    return 2;
  }
  const skip = fuzzSkipReason(values.cc);
  if (skip) {
    console.error(`fuzz: cannot build the harnesses: ${skip}`);
    return 2;
  }
  const out = path.resolve(ROOT, values.out!);
  const { idl, diagnostics } = await loadIdl(values.idl ?? ["idl"]);
  if (!idl) {
    process.stderr.write(diagnostics);
    return 2;
  }
  const only = values.only?.split(",").filter(Boolean);
  const unknown = only?.filter((n) => !idl.interfaces.some((i) => i.name === n)) ?? [];
  if (unknown.length > 0) {
    console.error(`fuzz: no interface ${unknown.join(", ")} (there are: ${idl.interfaces.map((i) => i.name).join(", ")})`);
    return 2;
  }
  const ifaces = idl.interfaces.filter((i) => !only || only.includes(i.name));

  const genDir = path.join(out, "gen");
  await writeFuzzTree(idl, genDir);
  const bin = (i: Interface) => path.join(out, "bin", `${i.name}_fuzz`);
  console.log(`fuzz: building ${ifaces.length} harnesses (${path.relative(ROOT, genDir)}/fuzz)`);
  await pool(jobs, ifaces.map((i) => async () => buildHarness({ genDir, iface: i, out: bin(i), cc: values.cc })));

  const work: Job[] = [];
  for (const i of ifaces) {
    const ts = fuzzTargets(i);
    if (values.mixed) work.push({ iface: i, decoders: ts.length, runs: runs * ts.length });
    else for (const t of ts) work.push({ iface: i, decoder: t, decoders: 1, runs });
  }
  const crashDir = path.join(out, "crashes");
  const started = Date.now();
  console.log(`fuzz: ${work.length} runs of ${runs.toLocaleString("en")} inputs per target (each decoder, each dispatcher), ${jobs} at a time`);
  console.log(`${pad("target", 44)} ${pad("runs", 11, true)} ${pad("accepted", 9, true)} ${pad("crashes", 7, true)} ${pad("exec/s", 9, true)}`);
  const results = await pool(jobs, work.map((job) => async (): Promise<RunResult> => {
    const tag = job.decoder ?? job.iface.name;
    if (values["no-corpus"]) rmSync(path.join(out, "corpus", tag), { recursive: true, force: true });
    const r = await runHarness({
      bin: bin(job.iface),
      runs: job.runs,
      maxLen: fuzzMaxLen(job.iface),
      decoder: job.decoder,
      seed: Number(values.seed),
      crashDir,
      tag,
      corpusDir: values["no-corpus"] ? undefined : path.join(out, "corpus", tag),
    });
    const rows = job.decoder ? [[job.decoder, r.decoders.get(job.decoder)]] as const : [...r.decoders.entries()];
    for (const [name, st] of rows) {
      const acc = st && st.inputs > 0 ? `${((100 * st.accepted) / st.inputs).toFixed(1)}%` : "-";
      const runsShown = job.decoder ? r.runs : (st?.inputs ?? 0);
      console.log(`${pad(name, 44)} ${pad(runsShown.toLocaleString("en"), 11, true)} ${pad(acc, 9, true)} ${pad(job.decoder ? r.crashes : "", 7, true)} ${pad(job.decoder ? r.execPerSec : "", 9, true)}`);
    }
    if (r.crashes > 0) {
      console.log(`  CRASH in ${tag}: ${r.reason ?? `exit ${r.exitCode}`}`);
      for (const a of r.artifacts) console.log(`  input kept: ${path.relative(ROOT, a)}  (reproduce: NG_FUZZ_DECODER=${job.decoder ?? ""} ${path.relative(ROOT, bin(job.iface))} ${path.relative(ROOT, a)})`);
    }
    return r;
  }));

  console.log("");
  console.log(`${pad("interface", 12)} ${pad("decoders", 8, true)} ${pad("dispatch", 8, true)} ${pad("runs", 13, true)} ${pad("crashes", 7, true)} ${pad("exec/s", 9, true)}`);
  let totalRuns = 0;
  let totalCrashes = 0;
  let totalDecoders = 0;
  for (const i of ifaces) {
    const mine = work.map((j, k) => [j, results[k]] as const).filter(([j]) => j.iface === i);
    const r = mine.reduce((a, [, x]) => ({ runs: a.runs + x.runs, crashes: a.crashes + x.crashes, seconds: a.seconds + x.seconds }), { runs: 0, crashes: 0, seconds: 0 });
    const decoders = fuzzDecoders(i).length;
    totalRuns += r.runs;
    totalCrashes += r.crashes;
    totalDecoders += decoders;
    console.log(`${pad(i.name, 12)} ${pad(decoders, 8, true)} ${pad(fuzzTargets(i).length - decoders, 8, true)} ${pad(r.runs.toLocaleString("en"), 13, true)} ${pad(r.crashes, 7, true)} ${pad(r.seconds > 0 ? Math.round(r.runs / r.seconds) : 0, 9, true)}`);
  }
  const wall = ((Date.now() - started) / 1000).toFixed(0);
  const short = work.filter((j, k) => results[k].crashes === 0 && results[k].runs < j.runs).length;
  console.log(`fuzz: ${ifaces.length} interfaces, ${totalDecoders} decoders + ${ifaces.length} dispatchers, ${totalRuns.toLocaleString("en")} runs, ${totalCrashes} crashes in ${wall} s${totalCrashes ? ` (inputs in ${path.relative(ROOT, crashDir)})` : ""}${short ? `, ${short} runs ended early` : ""}`);
  return totalCrashes > 0 || short > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
