// SPDX-License-Identifier: BSD-2-Clause
/**
 * `check -p X` and `build -p X` validate the description against platform X: a device X lacks is
 * an error naming what X has (no "did you mean" towards a different device that merely looks
 * alike; a misspelt string still gets one: system-errors.test.ts), an `irq:` that contradicts
 * X's table is an error, an unknown X is an error with a suggestion; and every board's hello description checks cleanly on its own board. The IRQ
 * control method each platform's tables carry follows its interrupt controller.
 */

import { execa } from "execa";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { compileSystem, emitSystem } from "../src/compile.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const HELLO = path.join(ROOT, "examples/hello/system.ts");

function cli(args: string[]) {
  return execa(process.execPath, [CLI, ...args], { cwd: ROOT, reject: false });
}

async function compileFor(file: string, platform?: string) {
  const bag = new DiagnosticBag();
  const sys = await compileSystem(file, bag, { platform });
  return { sys, bag, errors: bag.errors.map((e) => `${e.pos ? `${e.pos.line}:${e.pos.col}: ` : ""}${e.message}\nhint: ${e.hint ?? ""}`) };
}

describe("validating a description against another platform (-p)", () => {
  it("names the missing device's board and what this board has, not a look-alike", async () => {
    const { sys, errors } = await compileFor(HELLO, "rpi3");
    expect(sys).toBeUndefined();
    const missing = errors.find((e) => e.includes("'arm,pl031'"));
    expect(missing).toMatch(/^\d+:\d+: no device 'arm,pl031' on platform rpi3\n/);
    expect(missing).toMatch(/hint: 'arm,pl031' is on qemu-arm-virt; rpi3 has: .*brcm,bcm2835-system-timer/);
    expect(missing).not.toMatch(/did you mean/);
    // The kernel's own devices are not offered.
    expect(missing).not.toMatch(/armv7-timer/);
  });

  it("rejects an irq that contradicts the platform table, at the irq property", async () => {
    const { errors } = await compileFor(HELLO, "rpi3");
    const irq = errors.find((e) => e.includes("contradicts"));
    expect(irq).toMatch(/^26:71: irq 33 contradicts rpi3's table: 'arm,pl011' at 0x3f201000 raises IRQ 121\nhint: leave `irq` out \(the table gives 121\)/);
  });

  it("accepts each board's hello on its own board, and aliases of it", async () => {
    for (const [file, platform] of [
      ["examples/hello/system.ts", "qemu-arm-virt"],
      ["examples/hello/rpi3.ts", "rpi3"],
      ["examples/hello/rpi3.ts", "raspi3b"],
      ["examples/hello/rpi4.ts", "rpi4"],
      ["examples/hello/qemu-riscv-virt.ts", "qemu-riscv-virt"],
      ["examples/hello/x86_64.ts", "x86_64"],
    ]) {
      const { sys, errors } = await compileFor(path.join(ROOT, file), platform);
      expect(errors, `${file} on ${platform}`).toEqual([]);
      expect(sys?.model.platform).toBe(platform === "raspi3b" ? "rpi3" : platform);
    }
  });

  it("writes the interrupt controller's IRQ method into the tables: GetTrigger on the GIC, plain Get on the BCM2836", async () => {
    const tables = async (file: string) => {
      const { sys } = await compileFor(path.join(ROOT, file));
      return emitSystem(sys!).find((f) => f.path === "rootserver/system_gen.c")!.text;
    };
    const virt = await tables("examples/hello/system.ts");
    expect(virt).toMatch(/\.type = RS_OBJ_IRQ_HANDLER, \.irq = 33u, \.irq_edge = 0, \.irq_control = RS_IRQ_CONTROL_TRIGGER/);
    expect(virt).not.toMatch(/RS_IRQ_CONTROL_PLAIN/);
    const pi = await tables("examples/hello/rpi3.ts");
    expect(pi).toMatch(/\.irq = 93u, .*\.irq_control = RS_IRQ_CONTROL_PLAIN/);
    expect(pi).toMatch(/\.irq = 65u, .*\.irq_control = RS_IRQ_CONTROL_PLAIN/);
    expect(pi).not.toMatch(/RS_IRQ_CONTROL_TRIGGER/);
    // The Pi 4 has a GIC-400: SPI 93 is the mini UART.
    expect(await tables("examples/hello/rpi4.ts")).toMatch(/\.irq = 125u, .*\.irq_control = RS_IRQ_CONTROL_TRIGGER/);
    // RISC-V: PLIC sources, with a trigger.
    expect(await tables("examples/hello/qemu-riscv-virt.ts")).toMatch(/\.irq = 10u, .*\.irq_control = RS_IRQ_CONTROL_TRIGGER/);
    // x86: I/O APIC pins (COM1 on 4, the PIT on 2), edge triggered.
    const pc = await tables("examples/hello/x86_64.ts");
    expect(pc).toMatch(/\.irq = 4u, \.irq_edge = 1, \.irq_control = RS_IRQ_CONTROL_IOAPIC/);
    expect(pc).toMatch(/\.irq = 2u, \.irq_edge = 1, \.irq_control = RS_IRQ_CONTROL_IOAPIC/);
  });

  it("gives x86 drivers I/O port caps instead of MMIO windows", async () => {
    const { sys } = await compileFor(path.join(ROOT, "examples/hello/x86_64.ts"));
    const files = emitSystem(sys!);
    const tables = files.find((f) => f.path === "rootserver/system_gen.c")!.text;
    expect(tables).toMatch(/"ioport:uart\.ns16550", \.type = RS_OBJ_IOPORT, \.io_base = 0x3f8u, \.io_count = 8u/);
    expect(tables).toMatch(/"ioport:timer\.pit", \.type = RS_OBJ_IOPORT, \.io_base = 0x40u, \.io_count = 4u/);
    expect(tables).toMatch(/\.kind = RS_SLOT_IOPORT, \.object = \d+u/);
    expect(tables).not.toMatch(/"mmio:uart/);
    const uart = files.find((f) => f.path === "servers/uart/server_gen.h")!.text;
    expect(uart).toMatch(/#define UART_CAP_IOPORT_NS16550 \d+u/);
    expect(uart).toMatch(/#define UART_IOPORT_NS16550 0x3f8u/);
    expect(uart).not.toMatch(/UART_VADDR_NS16550/);
    // Only the ports of its own device: the PIT's are the timer's.
    expect(uart).not.toMatch(/0x40u/);
  });
});

describe("neptune-gen check -p / build -p", () => {
  it("check -p rpi3 of the virt description fails with both errors, exit 1", async () => {
    const r = await cli(["check", "-s", "examples/hello/system.ts", "-p", "rpi3"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/examples\/hello\/system\.ts:33:34: error: no device 'arm,pl031' on platform rpi3/);
    expect(r.stderr).toMatch(/examples\/hello\/system\.ts:26:71: error: irq 33 contradicts rpi3's table/);
  });

  it("check -p with an unknown platform suggests one", async () => {
    const r = await cli(["check", "-s", "examples/hello/rpi3.ts", "-p", "rpi5"]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/neptune-gen: error: unknown platform 'rpi5'\nhint: did you mean 'rpi3'\?/);
  });

  it("build -p rpi3 of the virt description stops before CMake with the same errors", async () => {
    const r = await cli(["build", "-s", "examples/hello/system.ts", "-p", "rpi3", "-B", path.join(ROOT, "build/never-configured")]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/no device 'arm,pl031' on platform rpi3/);
    expect(r.stdout).not.toMatch(/configuring/);
  });
});
