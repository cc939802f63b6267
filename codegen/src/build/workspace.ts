// SPDX-License-Identifier: BSD-2-Clause
/**
 * The seL4 workspace: the pinned kernel, tools and libraries, kept outside the project.
 *
 * Found, first match wins, through: the --workspace option, the NEPTUNE_SEL4_WORKSPACE
 * environment variable, `workspace` in the user config file (~/.config/neptune-gen/config.json),
 * or the default folder `neptune-gen deps` clones into (~/.local/share/neptune-gen/sel4).
 * Its layout is the one seL4's repo manifests produce (kernel/, tools/seL4/, projects/…); the
 * pinned commits are in sel4-config/manifest.json.
 */

import { readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface PinnedRepo {
  name: string;
  url: string;
  commit: string;
  /** Where it sits in the workspace. */
  path: string;
  branch?: string;
  tag?: string;
  role?: string;
  note?: string;
  /** Needed by some platforms only (OpenSBI for RISC-V): a workspace without it is still usable. */
  optional?: boolean;
}

export interface Manifest {
  repositories: PinnedRepo[];
}

export async function readManifest(): Promise<Manifest> {
  const text = await readFile(path.join(PROJECT_ROOT, "sel4-config/manifest.json"), "utf8");
  return JSON.parse(text) as Manifest;
}

export function userConfigFile(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), ".config");
  return path.join(base, "neptune-gen", "config.json");
}

export function defaultWorkspace(): string {
  const base = process.env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share");
  return path.join(base, "neptune-gen", "sel4");
}

export interface WorkspaceChoice {
  dir: string;
  /** How it was found, for messages: "--workspace", "NEPTUNE_SEL4_WORKSPACE", the config file, "default". */
  source: string;
}

export async function chooseWorkspace(option?: string): Promise<WorkspaceChoice> {
  if (option) return { dir: path.resolve(option), source: "--workspace" };
  const env = process.env.NEPTUNE_SEL4_WORKSPACE;
  if (env) return { dir: path.resolve(env), source: "NEPTUNE_SEL4_WORKSPACE" };
  const cfgFile = userConfigFile();
  const cfg = await readFile(cfgFile, "utf8").then(
    (t) => JSON.parse(t) as { workspace?: string },
    () => undefined,
  );
  if (cfg?.workspace) return { dir: path.resolve(cfg.workspace), source: cfgFile };
  return { dir: defaultWorkspace(), source: "default" };
}

export interface RepoState {
  repo: PinnedRepo;
  dir: string;
  present: boolean;
  commit?: string;
  atPin: boolean;
}

export async function inspectWorkspace(dir: string, manifest: Manifest): Promise<RepoState[]> {
  return Promise.all(
    manifest.repositories.map(async (repo) => {
      const repoDir = path.join(dir, repo.path);
      const present = await stat(repoDir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!present) return { repo, dir: repoDir, present, atPin: false };
      const head = await execa("git", ["-C", repoDir, "rev-parse", "HEAD"], { reject: false });
      const commit = head.exitCode === 0 ? head.stdout.trim() : undefined;
      return { repo, dir: repoDir, present, commit, atPin: commit === repo.commit };
    }),
  );
}

/**
 * The workspace to build with, or a one-line reason it is not usable with the command that
 * fixes it. Commits other than the pinned ones are allowed (a user may test a newer kernel) but
 * reported by `doctor`.
 */
export async function requireWorkspace(option?: string): Promise<{ ok: true; dir: string } | { ok: false; message: string; hint: string }> {
  const choice = await chooseWorkspace(option);
  const manifest = await readManifest();
  const states = await inspectWorkspace(choice.dir, manifest);
  // Optional repositories (OpenSBI) are checked by the builds that need them.
  const required = states.filter((s) => !s.repo.optional);
  const missing = required.filter((s) => !s.present).map((s) => s.repo.path);
  if (missing.length === required.length) {
    return {
      ok: false,
      message: `no seL4 workspace at ${choice.dir} (from ${choice.source})`,
      hint: `run 'neptune-gen deps' to clone the pinned seL4 set there, or point NEPTUNE_SEL4_WORKSPACE / --workspace at an existing one`,
    };
  }
  if (missing.length) {
    return {
      ok: false,
      message: `seL4 workspace ${choice.dir} lacks ${missing.join(", ")}`,
      hint: `run 'neptune-gen deps --workspace ${choice.dir}' to add the missing repositories`,
    };
  }
  return { ok: true, dir: choice.dir };
}
