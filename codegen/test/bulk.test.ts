// SPDX-License-Identifier: BSD-2-Clause
/**
 * Bulk data and run-time shared memory (idl/rootmem.idl, examples/bulk) on both targets: 64 KiB
 * each way through the shared buffer the layout maps; 20 run-time connections (a buffer from the
 * client's own quota handed to the server once), each checked byte for byte, after which the
 * root server's free untyped memory, free slots and shared-memory accounting are where they were;
 * a spawned process that store never heard of does the same through the cap its spawner passed;
 * a closed connection's cap no longer works; and a holder of a destroyed object faults on its
 * next read of it (reported by the root server) while the creator carries on.
 *
 * Host target: always (ASan + UBSan). seL4: built by `neptune-gen build` and booted in QEMU when
 * NEPTUNE_SEL4_WORKSPACE is set, else skipped with the reason.
 */

import { execa } from "execa";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { buildHost, hostRunCommand } from "../src/build/host.ts";
import { runConsole } from "../src/run/console.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

/** What the bulk example prints on either target. */
export const BULK_EXPECT = [
  /writer: 64 KiB round trip through the layout's shared buffer: identical \(ok\)/,
  /writer: run-time connection: its own cap in slot \d+, buffer 65536 bytes at 0x[0-9a-f]+/,
  /writer: 20 of 20 run-time connections moved 64 KiB each way, byte for byte/,
  /writer: after 19 more connect\/disconnect cycles: shared memory 0 -> 0 objects, 0 -> 0 pages; root untyped free (\d+) -> \1 bytes, slots free (\d+) -> \2 \(equal\)/,
  /writer: rootmem errors: 0 pages 19, past the quota 16, a cap that is no object 1, mapped twice 20, unmapped twice 21 \(ok\)/,
  /writer: after the rootmem errors: untyped free (\d+) -> \1, slots free (\d+) -> \2, (\d+) -> \3 objects \(nothing leaked\)/,
  /kid: spawned process, run-time connection: 64 KiB each way, identical \(ok\)/,
  /writer: spawned kid \(pid \d+\): exited, status 0/,
  /peer: mapped a 4096-byte object at 0x[0-9a-f]+; it starts with 0x5eed5eed/,
  /writer: peer mapped the object and read 0x5eed5eed \(ok\)/,
  /fault: server peer: vm fault at 0x[0-9a-f]+ pc 0x[0-9a-f]+/,
  /writer: done \(0 failures\)/,
];

const FAILED = /FAILED|LEAKED|WRONG|still readable|ERROR: AddressSanitizer|runtime error:|LeakSanitizer|boot failed/;

describe("bulk data on the host target", () => {
  it("moves 64 KiB each way over layout and run-time buffers, nothing leaked (ASan + UBSan)", async () => {
    const bag = new DiagnosticBag();
    const built = await buildHost({ systemFile: path.join(ROOT, "examples/bulk/system.ts"), buildDir: path.join(ROOT, "build/host-test/bulk"), sanitize: true, bag });
    expect(bag.format()).toBe("");
    const r = await runConsole({
      ...hostRunCommand(built!.executable, { timeoutSec: 120 }),
      expect: BULK_EXPECT,
      fail: FAILED,
      timeoutSec: 125,
      echo: false,
    });
    expect(r.ok, `${r.reason}\n--- console ---\n${r.log.slice(-4000)}`).toBe(true);
  }, 400_000);
});

describe.skipIf(!workspace)(`bulk data on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("boots with neptune-gen run --expect and shows every line", async () => {
    const buildDir = path.join(os.tmpdir(), "neptune-test-bulk-sel4");
    const args = ["run", "-s", "examples/bulk/system.ts", "-B", buildDir, "--timeout", "240", "--fail", FAILED.source];
    for (const re of BULK_EXPECT) args.push("--expect", re.source);
    const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
    expect(run.exitCode, run.all?.slice(-4000)).toBe(0);
  }, 900_000);
});

describe.skipIf(!!workspace)("bulk data on seL4 in QEMU", () => {
  it.skip(`skipped: ${skipReason}`, () => {});
});
