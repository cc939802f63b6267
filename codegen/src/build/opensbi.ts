// SPDX-License-Identifier: BSD-2-Clause
/**
 * OpenSBI for RISC-V images: seL4's cmake-tool builds it from source with the system image as its
 * payload (fw_payload.elf), so a RISC-V build needs an OpenSBI checkout. It is pinned in
 * sel4-config/manifest.json (v1.4, cloned by `neptune-gen deps` into <workspace>/tools/opensbi)
 * and found at $OPENSBI_PATH first, then there.
 */

import { access } from "node:fs/promises";
import path from "node:path";

export async function findOpenSbi(workspace: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const candidates = [env.OPENSBI_PATH, path.join(workspace, "tools/opensbi")].filter((d): d is string => !!d);
  for (const dir of candidates) {
    const ok = await access(path.join(dir, "Makefile")).then(
      () => true,
      () => false,
    );
    if (ok) return path.resolve(dir);
  }
  return undefined;
}
