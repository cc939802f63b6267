// SPDX-License-Identifier: BSD-2-Clause
/**
 * The seL4 suites find the workspace as the CLI does (sel4-workspace.ts over
 * build/workspace.ts): from `workspace` in the user config file when no variable is set (what
 * scripts/setup.sh leaves behind), from NEPTUNE_SEL4_WORKSPACE first, and without either a skip
 * reason that says where it looked and how to get one.
 */

import { execa } from "execa";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A folder with every repository of the manifest (empty: only presence is checked here). */
async function fakeWorkspace(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "neptune-ws-"));
  const manifest = JSON.parse(await readFile(path.join(ROOT, "sel4-config/manifest.json"), "utf8")) as { repositories: { path: string }[] };
  for (const r of manifest.repositories) await mkdir(path.join(dir, r.path), { recursive: true });
  return dir;
}

/** What sel4-workspace.ts finds in a fresh process with this environment. */
async function found(env: Record<string, string | undefined>) {
  const code = `const m = await import(${JSON.stringify(path.join(ROOT, "codegen/test/sel4-workspace.ts"))}); console.log(JSON.stringify(m));`;
  const r = await execa(process.execPath, ["--import", "tsx", "-e", code], { cwd: ROOT, env, extendEnv: true });
  return JSON.parse(r.stdout) as { SEL4_WORKSPACE?: string; SEL4_SKIP?: string; SEL4_ENV: Record<string, string> };
}

describe("seL4 workspace discovery for the test suites", () => {
  it("uses the user config file, as neptune-gen does", async () => {
    const ws = await fakeWorkspace();
    const xdg = await mkdtemp(path.join(os.tmpdir(), "neptune-xdg-"));
    await mkdir(path.join(xdg, "neptune-gen"));
    await writeFile(path.join(xdg, "neptune-gen/config.json"), JSON.stringify({ workspace: ws }));
    const f = await found({ NEPTUNE_SEL4_WORKSPACE: undefined, XDG_CONFIG_HOME: xdg });
    expect(f.SEL4_WORKSPACE).toBe(ws);
    expect(f.SEL4_ENV).toEqual({ NEPTUNE_SEL4_WORKSPACE: ws });
    // The variable wins over the file.
    const other = await fakeWorkspace();
    expect((await found({ NEPTUNE_SEL4_WORKSPACE: other, XDG_CONFIG_HOME: xdg })).SEL4_WORKSPACE).toBe(other);
  });

  it("says where it looked when there is none", async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), "neptune-xdg-"));
    const f = await found({ NEPTUNE_SEL4_WORKSPACE: undefined, XDG_CONFIG_HOME: empty, XDG_DATA_HOME: empty });
    expect(f.SEL4_WORKSPACE).toBeUndefined();
    expect(f.SEL4_SKIP).toBe(`no seL4 workspace at ${path.join(empty, "neptune-gen/sel4")} (from default); run 'neptune-gen deps' to clone the pinned seL4 set there, or point NEPTUNE_SEL4_WORKSPACE / --workspace at an existing one`);
  });
});
