// SPDX-License-Identifier: BSD-2-Clause
/**
 * The resource-manager half of the POSIX personality (personality-posix/, examples/posix):
 *
 * - the resource-manager library, the pathname manager's prefix table and tmpfs's tree, built
 *   with gcc under ASan/UBSan from personality-posix/lib/resmgr/test/resmgr_test.c;
 * - the example system on the host target (always, ASan + UBSan) and on seL4 in QEMU (when
 *   NEPTUNE_SEL4_WORKSPACE is set, else skipped with the reason): a client that resolves paths
 *   through pathmgr, connects to tmpfs and devfs with the caps it receives and works with files,
 *   directories and devices; cannot register a prefix without pathreg; cannot use or guess
 *   another connection's handle; cannot receive on a manager's public cap (a cap fault of
 *   `thief`); and sees tmpfs fault, restart, register again and work again.
 */

import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { buildHost, hostRunCommand } from "../src/build/host.ts";
import { runConsole } from "../src/run/console.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PX = path.join(ROOT, "personality-posix");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

/** What examples/posix prints on either target. */
export const POSIX_EXPECT = [
  /pathmgr: registered \/tmp \(id \d+, badge \d+\)/,
  /pathmgr: registered \/dev \(id \d+, badge \d+\)/,
  /posixtest: ok: resolve \/tmp\/a\/b -> tmpfs, rest "a\/b"/,
  /posixtest: ok: \/tmpx is not under \/tmp \(component boundary\)/,
  /posixtest: ok: resolve \/tmp\/x and connect to tmpfs with the cap pathmgr handed over/,
  /posixtest: ok: the hole reads as 9988 zeros/,
  /posixtest: ok: read 64 KiB back, byte for byte/,
  /posixtest: ok: readdir \/tmp\/d: f, g/,
  /posixtest: ok: unlink a non-empty directory: not_empty/,
  /posixtest: ok: writing past the memory bound: no_space/,
  /posixtest: this line went through \/dev\/console/,
  /posixtest: ok: \/dev\/zero reads 4096 zeros/,
  /posixtest: ok: a server without pathreg cannot register a prefix/,
  /posixtest: ok: connection 2 using connection 1's handle: bad_handle/,
  /posixtest: 64 of 64 guessed handles on connection 2: bad_handle/,
  /posixtest: ok: the public cap pathmgr hands out opens nothing/,
  /thief: got tmpfs's cap from pathmgr; receiving on it/,
  /fault: server thief: cap fault at 0x[0-9a-f]+/,
  /tmpfs: crashing on request \(1 files open\)/,
  /fault: server tmpfs: vm fault at 0x0/,
  /server tmpfs restarted \(1\)/,
  /pathmgr: dropped \/tmp \(id \d+\) of a restarted manager/,
  /posixtest: ok: tmpfs restarted and registered \/tmp again \(a new id\)/,
  /posixtest: ok: the old handle fails with an error \(no hang\)/,
  /posixtest: ok: \/tmp works again: write and read back/,
  /posixtest: done, 0 failures/,
];

const FAILED = /FAILED|ERROR: AddressSanitizer|runtime error:|LeakSanitizer|boot failed/;

const out = mkdtempSync(path.join(os.tmpdir(), "ng-resmgr-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("resource-manager library, prefix table and tmpfs tree (host C, ASan + UBSan)", () => {
  it("scopes handles by badge, normalises paths, resolves longest prefixes and bounds memory", () => {
    const exe = path.join(out, "resmgr_test");
    const cc = spawnSync("gcc", [
      "-std=c11", "-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-Wall", "-Wextra", "-Werror",
      `-I${path.join(PX, "lib/resmgr/include")}`, `-I${path.join(PX, "pathmgr")}`, `-I${path.join(PX, "tmpfs")}`,
      path.join(PX, "lib/resmgr/resmgr.c"), path.join(PX, "lib/resmgr/path.c"), path.join(PX, "pathmgr/table.c"),
      path.join(PX, "tmpfs/tree.c"), path.join(PX, "lib/resmgr/test/resmgr_test.c"), "-o", exe,
    ], { encoding: "utf8" });
    expect(cc.status, cc.stderr).toBe(0);
    const r = spawnSync(exe, [], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error/);
    expect(r.stdout).toContain("PASS resmgr");
    expect(r.status).toBe(0);
  });
});

describe("examples/posix on the host target", () => {
  it("resolves, connects, works with files and devices, denies, survives a tmpfs fault (ASan + UBSan)", async () => {
    const bag = new DiagnosticBag();
    const built = await buildHost({ systemFile: path.join(ROOT, "examples/posix/system.ts"), buildDir: path.join(ROOT, "build/host-test/posix"), sanitize: true, bag });
    expect(bag.format()).toBe("");
    const r = await runConsole({
      ...hostRunCommand(built!.executable, { timeoutSec: 120 }),
      expect: POSIX_EXPECT,
      fail: FAILED,
      timeoutSec: 125,
      echo: false,
    });
    expect(r.ok, `${r.reason}\n--- console ---\n${r.log.slice(-4000)}`).toBe(true);
    expect(r.log.match(/^posixtest: ok: /gm)?.length).toBeGreaterThanOrEqual(50);
  }, 400_000);
});

describe.skipIf(!workspace)(`examples/posix on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("boots with neptune-gen run --expect and shows every line", async () => {
    const buildDir = path.join(os.tmpdir(), "neptune-test-posix-sel4");
    const args = ["run", "-s", "examples/posix/system.ts", "-B", buildDir, "--timeout", "240", "--fail", FAILED.source];
    for (const re of POSIX_EXPECT) args.push("--expect", re.source);
    const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
    expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
  }, 900_000);
});

describe.skipIf(!!workspace)("examples/posix on seL4 in QEMU", () => {
  it.skip(`skipped: ${skipReason}`, () => {});
});
