// SPDX-License-Identifier: BSD-2-Clause
/**
 * What building and booting needs from the host, checked one item at a time, each with the
 * command that installs it. Used by `neptune-gen doctor` and, for a short error, by `build`.
 */

import { execa } from "execa";
import { inspectWorkspace, readManifest, chooseWorkspace } from "./workspace.ts";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** Debian package or pip requirement that provides it. */
  apt?: string;
  pip?: string;
  /** Other fix, e.g. `neptune-gen deps`. */
  fix?: string;
  /** Not needed to build and boot (e.g. clang for fuzzing). */
  optional?: boolean;
}

interface Tool {
  cmd: string;
  args: string[];
  apt: string;
  why: string;
  optional?: boolean;
}

export const TOOLS: Tool[] = [
  { cmd: "cmake", args: ["--version"], apt: "cmake", why: "configures the seL4 build" },
  { cmd: "ninja", args: ["--version"], apt: "ninja-build", why: "runs the seL4 build" },
  { cmd: "gcc", args: ["--version"], apt: "gcc", why: "compiles host tests and the host target" },
  { cmd: "aarch64-linux-gnu-gcc", args: ["--version"], apt: "gcc-aarch64-linux-gnu", why: "cross-compiles for AArch64" },
  { cmd: "aarch64-linux-gnu-g++", args: ["--version"], apt: "g++-aarch64-linux-gnu", why: "the seL4 CMake project enables C++" },
  { cmd: "qemu-system-aarch64", args: ["--version"], apt: "qemu-system-arm", why: "boots qemu-arm-virt and raspi3b images" },
  { cmd: "dtc", args: ["--version"], apt: "device-tree-compiler", why: "the kernel build compiles the platform's device tree" },
  { cmd: "xmllint", args: ["--version"], apt: "libxml2-utils", why: "the kernel build validates its XML" },
  { cmd: "cpio", args: ["--version"], apt: "cpio", why: "packs server ELFs into the root server's archive" },
  { cmd: "python3", args: ["--version"], apt: "python3", why: "the kernel's code generators" },
  { cmd: "git", args: ["--version"], apt: "git", why: "neptune-gen deps clones the pinned seL4 set" },
  { cmd: "clang", args: ["--version"], apt: "clang libclang-rt-14-dev", why: "libFuzzer harnesses", optional: true },
  { cmd: "riscv64-linux-gnu-gcc", args: ["--version"], apt: "gcc-riscv64-linux-gnu g++-riscv64-linux-gnu", why: "cross-compiles for qemu-riscv-virt", optional: true },
  { cmd: "qemu-system-riscv64", args: ["--version"], apt: "qemu-system-misc", why: "builds (device tree) and boots qemu-riscv-virt images", optional: true },
  { cmd: "qemu-system-x86_64", args: ["--version"], apt: "qemu-system-x86", why: "boots x86_64 images", optional: true },
];

/** Modules the kernel's and tools' Python generators import, with the pip package of each. */
export const PY_MODULES: [module: string, pip: string][] = [
  ["jinja2", "sel4-deps"],
  ["ply", "sel4-deps"],
  ["yaml", "sel4-deps"],
  ["jsonschema", "sel4-deps"],
  ["lxml", "sel4-deps"],
  ["six", "sel4-deps"],
  ["elftools", "sel4-deps"],
  ["pyfdt", "pyfdt"],
  ["typing_extensions", "typing_extensions"],
];

async function probe(cmd: string, args: string[]): Promise<string | undefined> {
  const r = await execa(cmd, args, { reject: false, timeout: 20_000 });
  if (r.failed && r.exitCode === undefined) return undefined;
  return r.exitCode === 0 ? `${r.stdout}${r.stderr}`.split("\n")[0].trim() : undefined;
}

export async function checkTools(): Promise<Check[]> {
  return Promise.all(
    TOOLS.map(async (t) => {
      const v = await probe(t.cmd, t.args);
      return { name: t.cmd, ok: v !== undefined, detail: v ?? `not found (${t.why})`, apt: t.apt, optional: t.optional };
    }),
  );
}

export async function checkPython(): Promise<Check[]> {
  return Promise.all(
    PY_MODULES.map(async ([mod, pip]) => {
      const r = await execa("python3", ["-c", `import ${mod}`], { reject: false, timeout: 20_000 });
      return { name: `python3: ${mod}`, ok: r.exitCode === 0, detail: r.exitCode === 0 ? "importable" : "cannot import", pip };
    }),
  );
}

export async function checkWorkspace(option?: string): Promise<Check[]> {
  const choice = await chooseWorkspace(option);
  const states = await inspectWorkspace(choice.dir, await readManifest());
  return states.map((s) => ({
    name: `workspace: ${s.repo.path}`,
    // An optional repository (OpenSBI) only fails the builds that need it, which say so.
    ok: s.present || !!s.repo.optional,
    detail: !s.present
      ? s.repo.optional
        ? `not in ${choice.dir} (optional: ${s.repo.note ?? s.repo.role ?? "some platforms need it"}; 'neptune-gen deps' clones it)`
        : `missing in ${choice.dir} (from ${choice.source})`
      : s.atPin
        ? `at pinned ${s.repo.commit.slice(0, 12)}`
        : `at ${s.commit?.slice(0, 12) ?? "unknown commit"}, pinned ${s.repo.commit.slice(0, 12)} (not the tested set)`,
    fix: s.present ? undefined : `neptune-gen deps --workspace ${choice.dir}`,
  }));
}

export async function runAllChecks(workspace?: string): Promise<Check[]> {
  const [tools, py, ws] = await Promise.all([checkTools(), checkPython(), checkWorkspace(workspace)]);
  return [...tools, ...py, ...ws];
}

/** The exact commands that install everything a failed check needs. */
export function fixCommands(checks: Check[]): string[] {
  const failed = checks.filter((c) => !c.ok);
  const apt = [...new Set(failed.flatMap((c) => (c.apt ? c.apt.split(" ") : [])))];
  const pip = [...new Set(failed.flatMap((c) => (c.pip ? [c.pip] : [])))];
  const other = [...new Set(failed.flatMap((c) => (c.fix ? [c.fix] : [])))];
  const cmds: string[] = [];
  if (apt.length) cmds.push(`sudo apt-get install -y ${apt.join(" ")}`);
  if (pip.length) cmds.push(`pip install ${pip.join(" ")}`);
  cmds.push(...other);
  return cmds;
}
