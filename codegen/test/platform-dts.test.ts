// SPDX-License-Identifier: BSD-2-Clause
/**
 * The Raspberry Pi device tables of the compiler (model/platforms.ts) against the boards' device
 * trees as the seL4 kernel ships them (kernel/tools/dts/rpi3.dts, rpi4.dts in the workspace; read
 * there, never copied into this tree): every device a driver may ask for sits at the physical
 * address the tree gives (bus address through the SoC's `ranges`) and raises the interrupt the
 * tree gives, in the kernel's numbering (BCM2836 controller: bank 0 at 32, bank 1 at 64, bank 2
 * at 96; GIC-400: 32 + SPI). Also what a hello built for each Pi gets: the generated constants.
 * Needs the workspace (NEPTUNE_SEL4_WORKSPACE); skipped with the reason without it.
 */

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findPlatform } from "../src/model/platforms.ts";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { compileSystem, emitSystem } from "../src/compile.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const dtsDir = workspace ? path.join(workspace, "kernel/tools/dts") : "";
const skipReason = !workspace
  ? "NEPTUNE_SEL4_WORKSPACE is not set: no device trees to compare with"
  : !existsSync(path.join(dtsDir, "rpi4.dts"))
    ? `${dtsDir} has no rpi4.dts`
    : undefined;

interface DtsNode {
  compatible: string[];
  reg: number[];
  interrupts: number[];
}

const cells = (s: string | undefined): number[] => (s ? s.trim().split(/\s+/).filter(Boolean).map((c) => Number(c)) : []);

/** Every node with a compatible string: its compatibles, reg and interrupts cells. */
function parseDts(text: string): DtsNode[] {
  const out: DtsNode[] = [];
  const re = /compatible = ("[^;]*");([\s\S]*?)(?=\n\s*[\w@,-]+ \{|\n\s*\};)/g;
  for (const m of text.matchAll(re)) {
    const compatible = m[1].replace(/"/g, "").split(/\\0|",\s*"/);
    const reg = /\breg = <([^>]*)>/.exec(m[2])?.[1];
    const irqs = /\binterrupts = <([^>]*)>/.exec(m[2])?.[1];
    out.push({ compatible, reg: cells(reg), interrupts: cells(irqs) });
  }
  return out;
}

/** The SoC's first `ranges` entry: bus address -> physical. */
function socRange(text: string): (bus: number) => number {
  const r = cells(/soc \{[\s\S]*?\branges = <([^>]*)>/.exec(text)?.[1]);
  // rpi3: <child parent size ...>; rpi4: <child parent-hi parent-lo size ...>
  const [child, parent] = r.length % 4 === 0 && r[1] === 0 ? [r[0], r[2]] : [r[0], r[1]];
  return (bus) => (bus >= child && bus < child + 0x2000000 ? bus - child + parent : bus);
}

interface Board {
  platform: string;
  dts: string;
  /** The kernel's number of a device's i-th interrupt. */
  irq(cellsOf: number[], i: number): number;
}

const BOARDS: Board[] = [
  // BCM2836 armctrl: <bank irq> pairs.
  { platform: "rpi3", dts: "rpi3.dts", irq: (c, i) => 32 * (c[2 * i] + 1) + c[2 * i + 1] },
  // GIC: <type spi flags> triples, SPIs from 32.
  { platform: "rpi4", dts: "rpi4.dts", irq: (c, i) => 32 + c[3 * i + 1] },
];

describe.skipIf(!!skipReason)("Raspberry Pi device tables against the boards' device trees", () => {
  for (const b of BOARDS) {
    it(`${b.platform}: every user device at the tree's address and interrupt`, () => {
      const text = readFileSync(path.join(dtsDir, b.dts), "utf8");
      const nodes = parseDts(text);
      const toPhys = socRange(text);
      const platform = findPlatform(b.platform)!;
      let compared = 0;
      for (const d of platform.devices.filter((x) => !x.kernel)) {
        const node = nodes.find((n) => n.compatible.includes(d.compatible));
        expect(node, `${d.compatible} in ${b.dts}`).toBeDefined();
        // The tree's reg may be the bus address (rpi3, most of rpi4) or, for nodes under a
        // bus with 2 address cells (rpi4's emmc2bus), <0 addr size>.
        const bus = node!.reg[0] === 0 ? node!.reg[1] : node!.reg[0];
        expect(toPhys(bus), `${d.compatible} address`).toBe(d.paddr + d.offset);
        // The system timer: channel 1 (the firmware keeps 0 and 2); other devices: the first.
        const which = d.compatible === "brcm,bcm2835-system-timer" ? 1 : 0;
        expect(b.irq(node!.interrupts, which), `${d.compatible} interrupt`).toBe(d.irq);
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(5);
    });
  }

  it("hello on each Pi gets the tree's addresses and interrupts in its tables", async () => {
    for (const [file, mini, timer] of [
      ["examples/hello/rpi3.ts", "0x3f215000", "0x3f003000"],
      ["examples/hello/rpi4.ts", "0xfe215000", "0xfe003000"],
    ]) {
      const bag = new DiagnosticBag();
      const sys = await compileSystem(path.join(ROOT, file), bag);
      expect(bag.errors).toEqual([]);
      const tables = emitSystem(sys!).find((f) => f.path === "rootserver/system_gen.c")!.text;
      expect(tables).toMatch(new RegExp(`"mmio:uart\\.aux".*\\.paddr = ${mini}`));
      expect(tables).toMatch(new RegExp(`"mmio:timer\\.systimer".*\\.paddr = ${timer}`));
      const uart = emitSystem(sys!).find((f) => f.path === "servers/uart/server_gen.h")!.text;
      expect(uart).toMatch(/#define UART_VADDR_AUX_OFFSET 0x40/);
    }
  });
});

describe.skipIf(!skipReason)("Raspberry Pi device tables against the boards' device trees", () => {
  it.skip(`skipped: ${skipReason}`, () => {});
});
