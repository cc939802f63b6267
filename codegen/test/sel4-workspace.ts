// SPDX-License-Identifier: BSD-2-Clause
/**
 * The seL4 workspace the seL4 test suites use, found exactly as the CLI finds it
 * (build/workspace.ts: the NEPTUNE_SEL4_WORKSPACE variable, `workspace` in
 * ~/.config/neptune-gen/config.json, then the folder `neptune-gen deps` clones into), so a user
 * who ran scripts/setup.sh gets the seL4 suites run by `npm test`, not skipped. Without a usable
 * workspace, SEL4_SKIP says why and how to get one (the suites print it in their skip).
 * Child processes (the CLI, scripts) get the same folder through SEL4_ENV.
 */

import { requireWorkspace } from "../src/build/workspace.ts";

const found = await requireWorkspace();

/** The workspace folder, or undefined (then SEL4_SKIP holds the reason). */
export const SEL4_WORKSPACE: string | undefined = found.ok ? found.dir : undefined;
export const SEL4_SKIP: string | undefined = found.ok ? undefined : `${found.message}; ${found.hint}`;
/** Environment for child processes, so they use the very same workspace. */
export const SEL4_ENV: Record<string, string> = SEL4_WORKSPACE ? { NEPTUNE_SEL4_WORKSPACE: SEL4_WORKSPACE } : {};
