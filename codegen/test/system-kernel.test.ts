// SPDX-License-Identifier: BSD-2-Clause
/**
 * The kernel configuration (model/kernel.ts): system.ts's `kernel` and the command line's -D
 * overrides, what the MCS kernel changes in the layout (reply objects in slot 7 and in the
 * deferred-reply slots, scheduling contexts in the cost) and in the root-server tables (budget,
 * period, passive, the MCS mark), the CMake settings and QEMU options each configuration gets,
 * and the errors for settings a platform cannot take.
 */

import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { loadSystemFile } from "../src/parse/system/loader.ts";
import { resolveSystem } from "../src/model/resolve-system.ts";
import { computeLayout } from "../src/model/layout.ts";
import { emitRootTables } from "../src/emit/root-tables.ts";
import { kernelCmakeDefs, kernelOverrides, parseTimeUs } from "../src/model/kernel.ts";
import { qemuCommand } from "../src/run/qemu.ts";
import { ROOT, fakeIdl } from "./system-helpers.ts";

const example = (name: string) => path.relative(process.cwd(), path.join(ROOT, `examples/${name}/system.ts`));

async function compile(file: string, defs?: Record<string, string>) {
  const bag = new DiagnosticBag();
  const loaded = await loadSystemFile(file, bag);
  const model = loaded && resolveSystem(loaded, fakeIdl(), bag, { kernel: kernelOverrides(defs, bag) });
  const layout = model && computeLayout(model, bag);
  return { bag, model, layout };
}

describe("kernel configuration", () => {
  it("defaults to non-MCS, EL1, debug with printing", async () => {
    const { bag, model } = await compile(example("hello"));
    expect(bag.errors).toEqual([]);
    expect(model!.kernel).toEqual({ mcs: false, hypervisor: false, debug: true, printing: true });
    expect(model!.servers.every((s) => s.sched === undefined)).toBe(true);
  });

  it("honours -D KernelIsMCS=ON by compiling the system for MCS (not by passing it behind the compiler's back)", async () => {
    const { bag, model, layout } = await compile(example("hello"), { KernelIsMCS: "ON", KernelArmHypervisorSupport: "1" });
    expect(bag.errors).toEqual([]);
    expect(model!.kernel).toMatchObject({ mcs: true, hypervisor: true });
    const echo = layout!.servers.find((s) => s.name === "echo")!;
    expect(echo.slots[7]).toMatchObject({ object: "reply:echo", comment: "reply object (MCS): calls are received with it" });
    expect(echo.slots.filter((s) => s.kind === "reply").map((s) => s.comment)).toEqual(
      Array(4).fill("reply object (MCS), created by the root server: a held-back caller (deferred reply)"),
    );
    // A server that receives no calls gets no reply object.
    expect(layout!.servers.find((s) => s.name === "client")!.slots[7].object).toBeUndefined();
    expect(model!.servers.find((s) => s.name === "echo")!.sched).toEqual({ budgetUs: 1000, periodUs: 1000, passive: false });
  });

  it("rejects a value an override cannot have", () => {
    const bag = new DiagnosticBag();
    kernelOverrides({ KernelIsMCS: "maybe", NEPTUNE_BUILD: "fast", LibSel4UtilsStackSize: "65536" }, bag);
    expect(bag.errors.map((e) => `${e.message} | ${e.hint}`)).toEqual([
      "-D KernelIsMCS=maybe: not a valid value | use ON or OFF",
      "-D NEPTUNE_BUILD=fast: not a valid value | use debug or release",
    ]);
  });

  it("passes other -D settings through and names the kernel ones for CMake", () => {
    const o = kernelOverrides({ NEPTUNE_BUILD: "release", LibSel4UtilsStackSize: "65536" }, new DiagnosticBag());
    expect(o.values).toEqual({ debug: false });
    expect(o.rest).toEqual({ LibSel4UtilsStackSize: "65536" });
    expect(kernelCmakeDefs({ mcs: true, hypervisor: false, debug: false, printing: true })).toEqual({
      NEPTUNE_KERNEL_MCS: "ON",
      NEPTUNE_KERNEL_HYP: "OFF",
      NEPTUNE_BUILD: "release",
      NEPTUNE_KERNEL_PRINTING: "ON",
    });
  });

  it("reports an EL2 override the platform cannot take, naming the option", async () => {
    const { bag } = await compile(example("hello"), { KernelArmHypervisorSupport: "ON" });
    expect(bag.errors).toEqual([]);
    const bag2 = new DiagnosticBag();
    const loaded = await loadSystemFile(example("hello"), bag2);
    resolveSystem(loaded!, fakeIdl(), bag2, { kernel: kernelOverrides({ KernelArmHypervisorSupport: "ON" }, bag2), platform: "rpi3" });
    expect(bag2.errors.map((e) => `${e.message} | ${e.hint}`)).toEqual([
      "platform rpi3 cannot run the kernel at EL2 (hypervisor): neptune-gen boots the Pi 3 at EL1 only (QEMU's raspi3b starts the kernel there) | remove -D KernelArmHypervisorSupport=ON, or build for qemu-arm-virt or rpi4",
    ]);
  });

  it("warns (not fails) when the command line builds a system with budgets for a non-MCS kernel", async () => {
    const { bag, model } = await compile(example("mcs"), { KernelIsMCS: "OFF" });
    expect(bag.errors).toEqual([]);
    expect(bag.items.filter((d) => d.severity === "warning").map((d) => d.message)).toEqual([
      "'passive' of 'calc' has no effect: -D KernelIsMCS=OFF builds a non-MCS kernel (no scheduling contexts)",
      "'budget' of 'slow' has no effect: -D KernelIsMCS=OFF builds a non-MCS kernel (no scheduling contexts)",
      "'period' of 'slow' has no effect: -D KernelIsMCS=OFF builds a non-MCS kernel (no scheduling contexts)",
    ]);
    expect(model!.kernel!.mcs).toBe(false);
  });

  it("puts budget, period and passive into the root-server tables on MCS only", async () => {
    const { bag, model, layout } = await compile(example("mcs"));
    expect(bag.errors).toEqual([]);
    const c = emitRootTables(model!, layout!).find((f) => f.path === "rootserver/system_gen.c")!.text;
    expect(c).toContain(".budget_us = 200u, .period_us = 10000u, .passive = 0,");
    expect(c).toContain(".budget_us = 1000u, .period_us = 1000u, .passive = 1,");
    expect(c).toMatch(/\.mcs = 1,/);
    // calc serves echo: slot 7 (its reply object) is kept, so bit 7 of keep_reserved is set.
    expect(c).toMatch(/\.name = "calc",[\s\S]*?\.keep_reserved = 0x86u,/);
    const plain = await compile(example("hello"));
    const h = emitRootTables(plain.model!, plain.layout!).find((f) => f.path === "rootserver/system_gen.c")!.text;
    expect(h).not.toMatch(/budget_us|\.mcs =/);
  });

  it("parses times", () => {
    expect(parseTimeUs("200us")).toEqual({ us: 200 });
    expect(parseTimeUs("2ms")).toEqual({ us: 2000 });
    expect(parseTimeUs("1.5s")).toEqual({ us: 1_500_000 });
    expect(parseTimeUs(750)).toEqual({ us: 750 });
    expect(parseTimeUs("10 minutes")).toMatchObject({ error: expect.stringMatching(/is not a time/) });
  });

  it("starts QEMU with EL2 for a hypervisor kernel", () => {
    expect(qemuCommand("qemu-arm-virt", "img")!.args.slice(0, 4)).toEqual(["-machine", "virt", "-cpu", "cortex-a53"]);
    expect(qemuCommand("qemu-arm-virt", "img", { hypervisor: true })!.args.slice(0, 4)).toEqual(["-machine", "virt,virtualization=on", "-cpu", "cortex-a57"]);
    expect(qemuCommand("rpi3", "img", { hypervisor: true })).toBeUndefined();
  });
});
