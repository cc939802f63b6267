// SPDX-License-Identifier: BSD-2-Clause
/**
 * Host-target system tests: build a whole system for the host (buildHost: generated tables and
 * servers.cmake, CMake + Ninja, every server a shared object, ASan + UBSan throughout), run it
 * with runConsole and match its console, as the seL4 boot tests match QEMU's serial output.
 *
 * - examples/hello: the same console lines as on seL4, including the line the client sends
 *   through the PL011 driver (which reaches stdout through the PL011 device model), the time the
 *   PL031 driver reads from the PL031 model (the host's clock) and the second the client sleeps
 *   on its match interrupt, and the intruder's failed calls (least privilege).
 * - fixtures/host/faults: a server faults, is reported in the seL4 root server's format,
 *   restarted once with fresh globals, faults again through a register access outside every
 *   device window, and is stopped; the other servers keep running and a later call succeeds.
 *
 * Needs gcc, cmake and ninja (no seL4). Builds in build/host-test/<system>/ (incremental).
 */

import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { buildHost, hostRunCommand } from "../src/build/host.ts";
import { type ConsoleResult, runConsole } from "../src/run/console.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BUILD = path.join(ROOT, "build/host-test");

async function build(systemFile: string, name: string): Promise<string> {
  const bag = new DiagnosticBag();
  const built = await buildHost({ systemFile: path.join(ROOT, systemFile), buildDir: path.join(BUILD, name), sanitize: true, bag });
  expect(bag.format()).toBe("");
  expect(built).toBeDefined();
  return built!.executable;
}

async function run(executable: string, expect_: RegExp[], timeoutSec = 20): Promise<ConsoleResult> {
  return runConsole({
    ...hostRunCommand(executable, { timeoutSec }),
    expect: expect_,
    fail: /ERROR: AddressSanitizer|runtime error:|LeakSanitizer|boot failed/,
    timeoutSec: timeoutSec + 5,
    echo: false,
  });
}

const lit = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m");

describe("host target", () => {
  it("runs examples/hello with the same console as on seL4", async () => {
    const exe = await build("examples/hello/system.ts", "hello");
    const r = await run(exe, [
      /^neptune host: system hello: 5 servers started, 18 objects, \d+ caps installed$/m,
      lit("echo: serving echo on slot 8"),
      /^uart: PL011 registers at 0x[0-9a-f]+, IRQ handler in slot 10$/m,
      /^rtc: PL031 registers at 0x[0-9a-f]+, IRQ handler in slot 10$/m,
      lit("client: echo.add(40, 2) = 42 (ok)"),
      lit('client: echo.echo_str("hello, seL4") = "hello, seL4" (ok)'),
      lit("client: echo.echo_bytes(64 bytes) = 64 bytes, identical (ok)"),
      lit("echo: ping 3 from badge 1 (3 so far)"),
      lit("client: sent 3 pings (oneway)"),
      /^echo: got a notification cap from badge 1 in slot \d+; signalling it$/m,
      lit("client: echo.share_ntfn(own notification) = true (ok)"),
      lit("client: echo signalled our notification through the transferred cap"),
      lit("client: this line went through the uart driver"),
      lit("client: serial.write: 47 bytes (ok)"),
      /^client: timer\.now\(\) = \d+ s \(ok\)$/m,
      lit("client: slept 1 s on the timer (ok)"),
      /^intruder: cannot reach echo: \d+ calls through slots \d+\.\.\d+ all failed with NG_EIPC \(no capability\)$/m,
      lit("client: done"),
      lit("neptune host: server client exited with status 0"),
      lit("neptune host: server intruder exited with status 0"),
    ]);
    expect(r.ok, `${r.reason}\n--- console ---\n${r.log}`).toBe(true);
    expect(r.log).not.toMatch(/REACHED|DIFFERENT|fault: server/);
    // timer.now() is time since boot (the driver subtracts the PL031 counter's start): seconds.
    const now = Number(/^client: timer\.now\(\) = (\d+) s/m.exec(r.log)?.[1]);
    expect(now).toBeGreaterThanOrEqual(0);
    expect(now).toBeLessThan(30);
  });

  it("reports a faulting server as the seL4 root server does, restarts it, and keeps the others running", async () => {
    const exe = await build("codegen/test/fixtures/host/faults/system.ts", "faults");
    const r = await run(exe, [
      lit("adder: serving"),
      lit("caller: before the fault: add(1, 2) = 3 (err 0)"),
      /^crashy: run 1, started 1, scratch at 0x[0-9a-f]+$/m,
      /^fault: server crashy: vm fault at 0x10 pc 0x[0-9a-f]+ \(SIGSEGV\)$/m,
      lit("neptune host: server crashy restarted (1)"),
      // Fresh globals in the new run; the region (and its counter) survived.
      /^crashy: run 2, started 1, scratch at 0x[0-9a-f]+$/m,
      /^neptune host: server crashy: register write at 0x7000 is outside every device window/m,
      /^fault: server crashy: vm fault at 0x7000 pc 0x[0-9a-f]+ \(SIGSEGV\)$/m,
      lit("neptune host: server crashy stopped"),
      // The region crashy writes is mapped read-only into caller (at an address of its own).
      /^caller: after the fault: add\(40, 2\) = 42 \(err 0\), scratch says [12] run\(s\)$/m,
      lit("neptune host: server caller exited with status 3"),
    ]);
    expect(r.ok, `${r.reason}\n--- console ---\n${r.log}`).toBe(true);
    expect(r.log).not.toContain("STILL RUNNING");
    expect(r.log.match(/^fault: server /gm)).toHaveLength(2);
  });

  it("feeds stdin through the PL011 model's receive FIFO and IRQ to the unchanged PL011 driver", async () => {
    const exe = await build("codegen/test/fixtures/host/serial-rx/system.ts", "serial-rx");
    const { args, env } = hostRunCommand(exe, { timeoutSec: 20 });
    const quoted = [exe, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const r = await runConsole({
      cmd: "sh",
      args: ["-c", `printf 'hello from stdin\\n' | ${quoted}`],
      env,
      expect: [lit('reader: got "hello from stdin"'), lit("neptune host: server reader exited with status 0")],
      fail: /ERROR: AddressSanitizer|runtime error:|boot failed|fault: server/,
      timeoutSec: 25,
      echo: false,
    });
    expect(r.ok, `${r.reason}\n--- console ---\n${r.log}`).toBe(true);
  });
});
