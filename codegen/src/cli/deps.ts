// SPDX-License-Identifier: BSD-2-Clause
/**
 * `neptune-gen deps`: clone the pinned seL4 set (sel4-config/manifest.json) into a workspace.
 * Needs a network; not run in tests. Repositories already at their pinned commit are left alone.
 */

import { mkdir, writeFile, readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { CommandModule } from "yargs";
import { chooseWorkspace, inspectWorkspace, readManifest, userConfigFile } from "../build/workspace.ts";

export const depsCommand: CommandModule<object, { workspace?: string }> = {
  command: "deps",
  describe: "clone the pinned seL4 kernel, tools and libraries into a workspace (needs a network)",
  builder: (y) => y.option("workspace", { type: "string", describe: "where to clone (default ~/.local/share/neptune-gen/sel4)" }),
  handler: async (args) => {
    const choice = await chooseWorkspace(args.workspace);
    const manifest = await readManifest();
    console.log(`seL4 workspace: ${choice.dir}`);
    for (const s of await inspectWorkspace(choice.dir, manifest)) {
      const { repo } = s;
      if (s.atPin) {
        console.log(`  ${repo.path}: already at ${repo.commit.slice(0, 12)}`);
        continue;
      }
      if (!s.present) {
        console.log(`  ${repo.path}: cloning ${repo.url}`);
        await mkdir(path.dirname(s.dir), { recursive: true });
        // A separate git dir makes .git a file: cmake-tool's musllibc build runs `rm -f src/.git`,
        // which fails on a directory.
        await execa("git", ["clone", "--quiet", "--no-checkout", "--separate-git-dir", `${s.dir}.git`, repo.url, s.dir], { stdio: "inherit" });
      } else {
        console.log(`  ${repo.path}: fetching (at ${s.commit?.slice(0, 12)}, pinned ${repo.commit.slice(0, 12)})`);
        await execa("git", ["-C", s.dir, "fetch", "--quiet", "origin"], { stdio: "inherit" });
      }
      console.log(`  ${repo.path}: checking out ${repo.commit.slice(0, 12)}`);
      await execa("git", ["-C", s.dir, "checkout", "--quiet", repo.commit], { stdio: "inherit" });
    }
    if (choice.source !== "NEPTUNE_SEL4_WORKSPACE" && choice.source !== "default") {
      const cfgFile = userConfigFile();
      const cfg: Record<string, unknown> = await readFile(cfgFile, "utf8").then((t) => JSON.parse(t) as Record<string, unknown>, () => ({}));
      if (cfg.workspace !== choice.dir) {
        await mkdir(path.dirname(cfgFile), { recursive: true });
        await writeFile(cfgFile, JSON.stringify({ ...cfg, workspace: choice.dir }, null, 2) + "\n");
        console.log(`remembered the workspace in ${cfgFile}`);
      }
    }
    console.log("done: 'neptune-gen doctor' checks the rest of the toolchain");
  },
};
