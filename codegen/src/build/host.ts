// SPDX-License-Identifier: BSD-2-Clause
/**
 * The host target's build: a whole system as one Linux program (runtime/host/system).
 *
 *   const bag = new DiagnosticBag();
 *   const built = await buildHost({ systemFile: "examples/hello/system.ts", buildDir: "build/host", bag });
 *   if (built) runConsole({ ...hostRunCommand(built.executable, { timeoutSec: 30 }), expect: […], … });
 *
 * Steps: compile the system and write every generated file into <buildDir>/gen (unchanged files
 * keep their timestamps, so ninja rebuilds only what changed), plus servers.cmake naming each
 * server's source folder; configure CMake (Ninja) in <buildDir> when it has not been, or when
 * the generated folder or the sanitizers changed; then ninja. The result is
 * <buildDir>/neptune-host, which loads <buildDir>/servers/<elf>.so. A build failure (a server's C
 * does not compile) is reported in the bag with the tail of the build log, not thrown.
 */

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import type { DiagnosticBag } from "../diag/diagnostics.ts";
import { compileSystem, emitSystem, writeGenerated } from "../compile.ts";
import { emitServersCmake } from "../emit/servers-cmake.ts";
import { serverSourceDirs } from "./sources.ts";
import { buildErrorExcerpt } from "./excerpt.ts";
import type { GeneratedFile } from "../emit/files.ts";
import type { CompiledSystem } from "../model/system.ts";
import { PROJECT_ROOT } from "./workspace.ts";

export interface HostBuildOptions {
  systemFile: string;
  buildDir: string;
  /** Build everything with AddressSanitizer and UndefinedBehaviorSanitizer. */
  sanitize?: boolean;
  bag: DiagnosticBag;
  /** Parallel compile jobs (default 2). */
  jobs?: number;
  /** Where build tool output goes as it arrives (default: kept, shown only on failure). */
  log?: (text: string) => void;
}

export const HOST_SANITIZERS = "address,undefined";
export const HOST_EXECUTABLE = "neptune-host";

/** The generated files plus servers.cmake (each server's folder, absolute). */
export async function hostGeneratedFiles(sys: CompiledSystem, bag: DiagnosticBag): Promise<GeneratedFile[] | undefined> {
  const serverDirs = await serverSourceDirs(sys, bag);
  if (bag.hasErrors) return undefined;
  return [...emitSystem(sys), ...emitServersCmake(sys.model, sys.layout, { serverDirs })];
}

/** A value from CMakeCache.txt, or undefined. */
function cacheValue(buildDir: string, name: string): string | undefined {
  const cache = path.join(buildDir, "CMakeCache.txt");
  if (!existsSync(cache)) return undefined;
  const m = readFileSync(cache, "utf8").match(new RegExp(`^${name}:[A-Z]+=(.*)$`, "m"));
  return m?.[1];
}


export async function buildHost(opts: HostBuildOptions): Promise<{ executable: string; sys: CompiledSystem } | undefined> {
  const { bag } = opts;
  const sys = await compileSystem(opts.systemFile, bag);
  if (!sys) return undefined;
  const buildDir = path.resolve(opts.buildDir);
  const genDir = path.join(buildDir, "gen");
  const files = await hostGeneratedFiles(sys, bag);
  if (!files) return undefined;
  await writeGenerated(genDir, files);

  const sanitize = opts.sanitize ? HOST_SANITIZERS : "";
  const configured =
    existsSync(path.join(buildDir, "build.ninja")) &&
    cacheValue(buildDir, "NEPTUNE_GEN_DIR") === genDir &&
    (cacheValue(buildDir, "NEPTUNE_SANITIZE") ?? "") === sanitize;
  const run = async (what: string, cmd: string, args: string[]) => {
    const r = await execa(cmd, args, { cwd: PROJECT_ROOT, all: true, reject: false });
    if (opts.log && r.all) opts.log(r.all);
    if (r.failed) {
      const why = r.exitCode === undefined ? (r.shortMessage ?? "could not run") : `exit ${r.exitCode}`;
      bag.error(undefined, `host build: ${what} failed (${why})\n${buildErrorExcerpt(r.all ?? "")}`, `the full command: ${cmd} ${args.join(" ")}`);
      return false;
    }
    return true;
  };
  if (!configured) {
    const ok = await run("cmake configure", "cmake", [
      "-G",
      "Ninja",
      "-S",
      path.join(PROJECT_ROOT, "runtime/host/system"),
      "-B",
      buildDir,
      `-DNEPTUNE_GEN_DIR=${genDir}`,
      `-DNEPTUNE_SANITIZE=${sanitize}`,
    ]);
    if (!ok) return undefined;
  }
  if (!(await run("ninja", "ninja", ["-C", buildDir, `-j${opts.jobs ?? 2}`]))) return undefined;
  const executable = path.join(buildDir, HOST_EXECUTABLE);
  if (!existsSync(executable)) {
    bag.error(undefined, `host build: ${executable} was not built`);
    return undefined;
  }
  return { executable, sys };
}

export interface HostRunOptions {
  /** Stop the system after this long (the program's --timeout). */
  timeoutSec?: number;
  /** Another platform's device models than the system's own. */
  platform?: string;
  /** A disk image for the virtio-blk model (the program's --disk). */
  disk?: string;
  /** virtio-mmio version 2 registers in the model (the program's --virtio-modern). */
  virtioModern?: boolean;
}

/**
 * How to run a built host system (for runConsole): the program, its options, and an environment
 * in which sanitizer findings end the run with a report.
 */
export function hostRunCommand(executable: string, opts: HostRunOptions = {}): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const args: string[] = [];
  if (opts.timeoutSec !== undefined) args.push("--timeout", String(opts.timeoutSec));
  if (opts.platform !== undefined) args.push("--platform", opts.platform);
  if (opts.disk !== undefined) args.push("--disk", path.resolve(opts.disk));
  if (opts.virtioModern) args.push("--virtio-modern");
  const env = {
    ...process.env,
    ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? "abort_on_error=0:detect_leaks=0",
    UBSAN_OPTIONS: process.env.UBSAN_OPTIONS ?? "print_stacktrace=1",
  };
  return { cmd: executable, args, env };
}
