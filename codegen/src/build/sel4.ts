// SPDX-License-Identifier: BSD-2-Clause
/**
 * `neptune-gen build`: system.ts → generated C → CMake (seL4 cmake-tool) → ninja → image.
 *
 * What can be checked before CMake runs is checked first and reported as one diagnostic with
 * the fix (no workspace, no cross compiler, a server without sources), so a user's mistake
 * never ends in a CMake wall. The build is incremental: generated files that did not change keep
 * their timestamps, CMake is configured again only when its settings change, and ninja does the
 * rest, so a no-op rebuild regenerates and relinks nothing.
 */

import { access, readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { type CompiledSystem, allProcesses } from "../model/system.ts";
import { compileSystem, displayPath, emitSystem, writeGenerated } from "../compile.ts";
import { emitServersCmake } from "../emit/servers-cmake.ts";
import { type KernelConfig, KERNEL_DEFAULTS, kernelCmakeDefs, kernelOverrides } from "../model/kernel.ts";
import { PROJECT_ROOT, requireWorkspace } from "./workspace.ts";
import { serverSourceDirs } from "./sources.ts";
import { buildErrorExcerpt } from "./excerpt.ts";
import { type BootFolder, writeBootFolder } from "./bootdir.ts";
import { findOpenSbi } from "./opensbi.ts";

export interface Sel4Platform {
  name: string;
  /** Cross-compiler prefix the seL4 CMake files expect, and the Debian package providing it. */
  crossPrefix: string;
  apt: string;
  /** RISC-V: the image is an OpenSBI payload, built from OpenSBI's sources (opensbi.ts). */
  opensbi?: boolean;
}

export const SEL4_PLATFORMS: Record<string, Sel4Platform> = {
  "qemu-arm-virt": { name: "qemu-arm-virt", crossPrefix: "aarch64-linux-gnu-", apt: "gcc-aarch64-linux-gnu g++-aarch64-linux-gnu" },
  rpi3: { name: "rpi3", crossPrefix: "aarch64-linux-gnu-", apt: "gcc-aarch64-linux-gnu g++-aarch64-linux-gnu" },
  rpi4: { name: "rpi4", crossPrefix: "aarch64-linux-gnu-", apt: "gcc-aarch64-linux-gnu g++-aarch64-linux-gnu" },
  x86_64: { name: "x86_64", crossPrefix: "", apt: "gcc g++" },
  // The kernel's build dumps QEMU's device tree, so it needs qemu-system-riscv64 too.
  "qemu-riscv-virt": { name: "qemu-riscv-virt", crossPrefix: "riscv64-linux-gnu-", apt: "gcc-riscv64-linux-gnu g++-riscv64-linux-gnu qemu-system-misc", opensbi: true },
};

export interface BuildOptions {
  systemFile: string;
  platform?: string;
  /** Default build/<platform> in the working directory. */
  buildDir?: string;
  workspace?: string;
  /**
   * Extra CMake cache settings (-D NAME=VALUE). Kernel settings among them (KernelIsMCS,
   * KernelArmHypervisorSupport, NEPTUNE_BUILD, NEPTUNE_KERNEL_PRINTING…) override system.ts's
   * `kernel` and the system is compiled for them (model/kernel.ts).
   */
  cmakeDefs?: Record<string, string>;
  /** Show ninja's progress on one line (a terminal) or every 10 % (a log). */
  progress?: "tty" | "log" | "none";
}

export interface BuildResult {
  image: string;
  buildDir: string;
  platform: string;
  /** The kernel configuration the image was built for. */
  kernel: KernelConfig;
  sys: CompiledSystem;
  /** Generated files that changed in this build. */
  regenerated: string[];
  /** ninja had nothing to do. */
  upToDate: boolean;
  /** Real boards: the folder to copy onto an SD card (build/bootdir.ts). */
  boot?: BootFolder;
}

async function which(cmd: string): Promise<boolean> {
  const r = await execa(cmd, ["--version"], { reject: false });
  return r.exitCode === 0;
}

/** Everything a build needs before CMake: platform, cross compiler, workspace, sources. */
async function preflight(opts: BuildOptions, sys: CompiledSystem, bag: DiagnosticBag) {
  // compileSystem already put the -p platform (canonical name) into the model.
  const platformName = sys.model.platform;
  const platform = SEL4_PLATFORMS[platformName];
  if (!platform) {
    bag.error(undefined, `unknown platform '${platformName}'`, `one of: ${Object.keys(SEL4_PLATFORMS).join(", ")}`);
    return undefined;
  }
  const gcc = `${platform.crossPrefix}gcc`;
  if (!(await which(gcc))) {
    bag.error(undefined, `cross compiler ${gcc} not found (needed for ${platformName})`, `install it: sudo apt-get install -y ${platform.apt}`);
  }
  for (const [tool, apt] of [
    ["cmake", "cmake"],
    ["ninja", "ninja-build"],
  ]) {
    if (!(await which(tool))) bag.error(undefined, `${tool} not found`, `install it: sudo apt-get install -y ${apt}`);
  }
  const ws = await requireWorkspace(opts.workspace);
  if (!ws.ok) bag.error(undefined, ws.message, ws.hint);
  const dirs = await serverSourceDirs(sys, bag);
  let opensbi: string | undefined;
  if (platform.opensbi && ws.ok) {
    opensbi = await findOpenSbi(ws.dir);
    if (!opensbi) bag.error(undefined, `OpenSBI sources not found (needed for ${platformName}): neither $OPENSBI_PATH nor ${path.join(ws.dir, "tools/opensbi")}`, "run 'neptune-gen deps' (it clones the pinned OpenSBI), or set OPENSBI_PATH to an OpenSBI checkout");
  }
  if (bag.hasErrors || !ws.ok) return undefined;
  return { platform, workspace: ws.dir, dirs, opensbi };
}

export async function buildSel4(opts: BuildOptions, bag: DiagnosticBag): Promise<BuildResult | undefined> {
  const overrides = kernelOverrides(opts.cmakeDefs, bag);
  if (bag.hasErrors) return undefined;
  const sys = await compileSystem(opts.systemFile, bag, { kernel: overrides, platform: opts.platform });
  if (!sys) return undefined;
  const kernel = sys.model.kernel ?? KERNEL_DEFAULTS;
  const pre = await preflight(opts, sys, bag);
  if (!pre) return undefined;
  const buildDir = path.resolve(opts.buildDir ?? path.join("build", pre.platform.name));
  if (!(await checkBuildDirSources(buildDir, bag))) return undefined;
  const genDir = path.join(buildDir, "gen");

  const files = [...emitSystem(sys), ...emitServersCmake(sys.model, sys.layout, { serverDirs: pre.dirs })];
  const written = await writeGenerated(genDir, files);

  await configure(buildDir, {
    NEPTUNE_SEL4_WORKSPACE: pre.workspace,
    NEPTUNE_PLATFORM: pre.platform.name,
    NEPTUNE_GEN_DIR: genDir,
    CROSS_COMPILER_PREFIX: pre.platform.crossPrefix,
    // sel4utils gives every process the same stack size: the largest any server asks for.
    LibSel4UtilsStackSize: String(allProcesses(sys.model).reduce((n, s) => Math.max(n, s.stackBytes), 16 * 1024)),
    ...(pre.opensbi ? { OPENSBI_PATH: pre.opensbi } : {}),
    ...kernelCmakeDefs(kernel),
    ...overrides.rest,
  });
  const upToDate = await ninja(buildDir, opts.progress ?? (process.stdout.isTTY ? "tty" : "log"));
  const image = await findImage(buildDir);
  const boot = await writeBootFolder(pre.platform.name, image, buildDir);
  return { image, buildDir, platform: pre.platform.name, kernel, sys, regenerated: written.written, upToDate, boot };
}

/**
 * A build folder CMake configured for another copy of the project (another checkout or worktree)
 * would build that copy's sources: an error that names both, never a silent build of the wrong
 * tree. False when it is so.
 */
export async function checkBuildDirSources(buildDir: string, bag: DiagnosticBag): Promise<boolean> {
  const cache = await readFile(path.join(buildDir, "CMakeCache.txt"), "utf8").catch(() => "");
  const home = /^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$/m.exec(cache)?.[1]?.trim();
  if (home === undefined || path.resolve(home) === path.resolve(PROJECT_ROOT)) return true;
  bag.error(
    undefined,
    `build folder '${displayPath(buildDir)}' was configured for the neptune-gen sources at ${home}, not these (${PROJECT_ROOT})`,
    "pick another build folder with -B, or delete that one",
  );
  return false;
}

/** Configures only when the build folder is new or a setting changed. */
async function configure(buildDir: string, defs: Record<string, string>): Promise<void> {
  const stamp = path.join(buildDir, ".neptune-configure.json");
  const want = JSON.stringify(defs, Object.keys(defs).sort(), 2);
  const have = await readFile(stamp, "utf8").catch(() => "");
  const configured = await access(path.join(buildDir, "build.ninja")).then(
    () => true,
    () => false,
  );
  if (configured && have === want) return;
  await mkdir(buildDir, { recursive: true });
  const args = ["-G", "Ninja", "-S", PROJECT_ROOT, "-B", buildDir, ...Object.entries(defs).map(([k, v]) => `-D${k}=${v}`)];
  console.log(`configuring ${displayPath(buildDir)} (cmake)`);
  const r = await execa("cmake", args, { reject: false, all: true });
  if (r.exitCode !== 0) {
    throw new BuildFailure(`CMake configuration failed`, r.all ?? "");
  }
  await writeFile(stamp, want);
}

/** Runs ninja, showing progress; returns true if there was nothing to do. */
async function ninja(buildDir: string, progress: "tty" | "log" | "none"): Promise<boolean> {
  const child = execa("ninja", ["-C", buildDir], {
    reject: false,
    all: true,
    env: { NINJA_STATUS: "[%f/%t] " },
    buffer: true,
  });
  let lastShown = -1;
  let upToDate = false;
  child.all?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (line.includes("no work to do")) upToDate = true;
      const m = /^\[(\d+)\/(\d+)\] (.*)$/.exec(line);
      if (!m || progress === "none") continue;
      const [done, total] = [Number(m[1]), Number(m[2])];
      if (progress === "tty") {
        const what = m[3].replace(/\s+/g, " ").slice(0, Math.max(20, (process.stdout.columns ?? 100) - 20));
        process.stdout.write(`\r\x1b[K[${done}/${total}] ${what}`);
      } else {
        const pct = Math.floor((done * 10) / total);
        if (pct > lastShown) {
          lastShown = pct;
          console.log(`building: ${done}/${total} steps`);
        }
      }
    }
  });
  const r = await child;
  if (progress === "tty") process.stdout.write("\r\x1b[K");
  if (r.exitCode !== 0) throw new BuildFailure("the build failed", r.all ?? "");
  return upToDate;
}

async function findImage(buildDir: string): Promise<string> {
  const dir = path.join(buildDir, "images");
  const images = await readdir(dir).catch(() => [] as string[]);
  const image = images.find((f) => f.startsWith("rootserver-image"));
  if (!image) throw new BuildFailure(`the build produced no image in ${displayPath(dir)}`, "");
  return path.join(dir, image);
}

/** A failed CMake or ninja run: the message plus the tool's output (its tail is shown). */
export class BuildFailure extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }

  /** The tool's first real error and its context (build/excerpt.ts). */
  tail(lines = 40): string {
    return buildErrorExcerpt(this.output, lines);
  }
}
