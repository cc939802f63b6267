// SPDX-License-Identifier: BSD-2-Clause
/**
 * The Raspberry Pi's drivers on the host target, under ASan/UBSan: hello for the Pi 3 and the Pi 4
 * runs with the unchanged mini UART and system timer drivers over the host's device models
 * (runtime/host/rootserver/miniuart.c, systimer.c) and shows every hello line, the timer sleep
 * (a compare interrupt raised by the model) and the intruder's denial included. Needs no seL4.
 */

import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { buildHost, hostRunCommand } from "../src/build/host.ts";
import { runConsole } from "../src/run/console.ts";
import { HELLO_EXPECT, HELLO_PI_DRIVERS } from "./hello-expect.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BUILD = path.join(ROOT, "build/host-test");

describe("host target: the Raspberry Pi drivers", () => {
  for (const board of ["rpi3", "rpi4"]) {
    it(`runs examples/hello/${board}.ts with every hello line`, async () => {
      const bag = new DiagnosticBag();
      const built = await buildHost({ systemFile: path.join(ROOT, `examples/hello/${board}.ts`), buildDir: path.join(BUILD, `hello-${board}`), sanitize: true, bag });
      expect(bag.format()).toBe("");
      const r = await runConsole({
        ...hostRunCommand(built!.executable, { timeoutSec: 20 }),
        expect: [...HELLO_EXPECT, ...HELLO_PI_DRIVERS, new RegExp(`neptune host: system hello_${board}: 5 servers started`)],
        fail: /ERROR: AddressSanitizer|runtime error:|LeakSanitizer|boot failed/,
        timeoutSec: 25,
        echo: false,
      });
      expect(r.ok, `${r.reason ?? ""}\n${r.log}`).toBe(true);
    }, 300_000);
  }
});
