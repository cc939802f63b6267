// SPDX-License-Identifier: BSD-2-Clause
/**
 * Host devices (runtime/host/src/dev.c): builds libneptune_host and
 * fixtures/host/c/devices.c with gcc -fsanitize=address,undefined and runs it: IRQ delivery,
 * masking and acknowledgement (level and edge), device windows and their models, and the vm
 * fault a register access outside the caller's windows is.
 */

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const out = mkdtempSync(join(tmpdir(), "neptune-host-devices-"));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("host devices", () => {
  it("delivers, masks and acknowledges IRQs and dispatches register accesses to the window's model", () => {
    const hostSrc = join(root, "runtime/host/src");
    const sources = readdirSync(hostSrc).filter((f) => f.endsWith(".c")).map((f) => join(hostSrc, f));
    const exe = join(out, "devices");
    const cc = spawnSync(
      "gcc",
      [
        "-std=c11", "-g", "-O1", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
        "-pthread", "-Wall", "-Wextra", "-Werror",
        `-I${join(root, "runtime/include")}`, `-I${join(root, "runtime/host/include")}`,
        join(root, "codegen/test/fixtures/host/c/devices.c"), ...sources, "-o", exe,
      ],
      { encoding: "utf8" },
    );
    expect(cc.status, cc.stderr).toBe(0);
    const r = spawnSync(exe, [], { encoding: "utf8", timeout: 30_000, env: { ...process.env, ASAN_OPTIONS: "detect_leaks=0" } });
    expect(r.stderr).not.toMatch(/ERROR: AddressSanitizer|runtime error/);
    expect(r.stderr).toContain("neptune host: server outside: register write at 0x12345000 is outside every device window");
    expect(r.stderr).toContain("neptune host: server other: register read at 0x40000004 is in another server's device window");
    expect(r.stdout).toContain("PASS devices");
    expect(r.status).toBe(0);
  });
});
