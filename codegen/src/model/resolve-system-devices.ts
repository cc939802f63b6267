// SPDX-License-Identifier: BSD-2-Clause
/**
 * Drivers' devices: resolves `compatible` strings against the platform table (model/platforms.ts)
 * into physical windows and IRQs, checks fixed addresses, and checks across all drivers that no
 * two devices share device memory or an IRQ.
 *
 * Several identical devices (QEMU's 32 virtio-mmio transports) are told apart by a device name
 * ending in digits ("virtio3" takes transport 3), by an explicit `paddr`, or else by taking the
 * first free one in the order the platform fills them (QEMU virt: highest address first, so the
 * first `-device virtio-blk-device` is found). `count` takes a run of them at once: one window
 * over all, every one's IRQ (deviceRun).
 */

import { type DiagnosticBag, type SourcePos, suggestionHint, formatPos } from "../diag/diagnostics.ts";
import type { DeviceSpec } from "../api/index.ts";
import type { DeviceModel } from "./system.ts";
import { type Platform, type PlatformDevice, compatibles, platformsWith } from "./platforms.ts";
import { PAGE_SIZE, hex, isPageAligned, parseSize } from "./sizes.ts";

export interface DeviceInput {
  driver: string;
  spec: DeviceSpec;
  /** Position of the device or one of its properties. */
  at(prop?: keyof DeviceSpec): SourcePos;
}

export interface ResolvedDevice {
  driver: string;
  model: DeviceModel;
  irqPos?: SourcePos;
}

/**
 * Resolves every driver's devices. `inputs` must be in a deterministic order (drivers sorted by
 * name, devices in declaration order). Returns the models in input order (undefined for a device
 * that could not be resolved).
 */
export function resolveDevices(inputs: DeviceInput[], platform: Platform | undefined, bag: DiagnosticBag): (ResolvedDevice | undefined)[] {
  const taken = new Set<PlatformDevice>();
  const out: (ResolvedDevice | undefined)[] = new Array(inputs.length).fill(undefined);
  const pending: number[] = [];

  inputs.forEach((d, i) => {
    const s = d.spec;
    const size = s.size === undefined ? undefined : (parseSize(s.size) as { bytes: number }).bytes;
    if (size !== undefined && (size === 0 || size % PAGE_SIZE !== 0)) {
      bag.error(d.at("size"), `device size ${s.size} is not a multiple of 4K`, "MMIO is mapped in 4K pages; round the size up to whole pages");
      return;
    }
    if (s.compatible === undefined) {
      if (s.paddr === undefined) {
        bag.error(d.at(), `device '${s.name}' needs a \`compatible\` string or a \`paddr\``, platformHint(platform));
        return;
      }
      if (!isPageAligned(s.paddr)) {
        bag.error(d.at("paddr"), `paddr ${hex(s.paddr)} is not page-aligned`, `give the address of its 4K page (${hex(s.paddr - (s.paddr % PAGE_SIZE))}); the registers' offset in it is the driver's business`);
        return;
      }
      out[i] = { driver: d.driver, model: device(s, d.at(), s.paddr, size ?? PAGE_SIZE, 0, s.irq, s.irqTrigger ?? "level"), irqPos: s.irq !== undefined ? d.at("irq") : undefined };
      return;
    }
    if (!platform) return; // the unknown platform is reported already
    const candidates = platform.devices.filter((p) => p.compatible === s.compatible);
    if (candidates.length === 0) {
      // A device another board has is no typo: say where it is and what this board has instead
      // of a "did you mean" towards a different device that merely looks alike.
      const elsewhere = platformsWith(s.compatible);
      const has = `${platform.name} has: ${userCompatibles(platform).join(", ")}`;
      const hint = elsewhere.length
        ? `'${s.compatible}' is on ${elsewhere.join(", ")}; ${has}`
        : (suggestionHint(s.compatible, compatibles(platform)) ?? `${has}; or give a fixed \`paddr\` instead`);
      bag.error(d.at("compatible"), `no device '${s.compatible}' on platform ${platform.name}`, hint);
      return;
    }
    if (candidates[0].kernel) {
      bag.error(d.at("compatible"), `'${s.compatible}' belongs to the seL4 kernel on ${platform.name}; a driver cannot have it`, candidates[0].note);
      return;
    }
    if (s.count !== undefined && (candidates.length < 2 || candidates[0].index === undefined)) {
      bag.error(d.at("count"), `'${s.compatible}' is a single device on ${platform.name}; count is for a family of identical devices`, "remove count");
      return;
    }
    if (s.count !== undefined && s.size !== undefined) {
      bag.error(d.at("size"), `device '${s.name}' gives both count and size`, "leave size out: the window covers the devices count names");
      return;
    }
    let pick: PlatformDevice | undefined;
    if (s.paddr !== undefined) {
      pick = candidates.find((c) => c.paddr + c.offset === s.paddr) ?? candidates.find((c) => c.paddr === s.paddr && c.offset === 0);
      if (!pick) {
        bag.error(d.at("paddr"), `no '${s.compatible}' at ${hex(s.paddr)} on ${platform.name}`, `it is at ${candidates.map((c) => hex(c.paddr + c.offset)).join(", ")}; or leave \`paddr\` out`);
        return;
      }
    } else if (candidates.length > 1) {
      const m = /(\d+)$/.exec(s.name);
      if (m) {
        pick = candidates.find((c) => c.index === Number(m[1]));
        if (!pick) {
          bag.error(d.at("name"), `device name '${s.name}' asks for '${s.compatible}' number ${m[1]}, but ${platform.name} has ${candidates.length} (0..${candidates.length - 1})`, "rename the device, or give its `paddr`");
          return;
        }
      } else if (s.count !== undefined) {
        pick = candidates.find((c) => c.index === 0);
      } else {
        pending.push(i);
        return;
      }
    } else pick = candidates[0];
    if (!pick) return;
    if (s.count !== undefined) {
      out[i] = deviceRun(d, pick, candidates, s.count, taken, bag);
      return;
    }
    taken.add(pick);
    out[i] = fromTable(d, pick, platform, bag);
  });

  // Devices of a family with no index: the first free one, in the platform's fill order.
  for (const i of pending) {
    const d = inputs[i];
    const family = platform!.devices.filter((p) => p.compatible === d.spec.compatible);
    const ordered = platform!.fillOrder === "descending" ? [...family].reverse() : family;
    const pick = ordered.find((c) => !taken.has(c));
    if (!pick) {
      bag.error(d.at("compatible"), `every '${d.spec.compatible}' on ${platform!.name} is taken already`, "remove a device, or share one driver");
      continue;
    }
    taken.add(pick);
    out[i] = fromTable(d, pick, platform!, bag);
  }
  return out;
}

function fromTable(d: DeviceInput, p: PlatformDevice, platform: Platform, bag: DiagnosticBag): ResolvedDevice {
  const s = d.spec;
  if (s.irq !== undefined && p.irq !== undefined && s.irq !== p.irq) {
    bag.error(
      d.at("irq"),
      `irq ${s.irq} contradicts ${platform.name}'s table: '${s.compatible}' at ${hex(p.paddr + p.offset)} raises IRQ ${p.irq}`,
      `leave \`irq\` out (the table gives ${p.irq}), or give a fixed \`paddr\` instead of \`compatible\` for a device the table does not describe`,
    );
  }
  const size = s.size === undefined ? p.size : (parseSize(s.size) as { bytes: number }).bytes;
  const irq = s.irq ?? p.irq;
  const m = device(s, d.at(), p.paddr, size, p.offset, irq, s.irqTrigger ?? p.irqTrigger ?? "level");
  if (p.clockHz !== undefined) m.clockHz = p.clockHz;
  if (p.ioport) m.ioport = { ...p.ioport };
  return { driver: d.driver, model: m, irqPos: irq === undefined ? undefined : d.at(s.irq !== undefined ? "irq" : "compatible") };
}

/** `count` devices of a family from `first` (by index): one window over them, every IRQ. */
function deviceRun(d: DeviceInput, first: PlatformDevice, family: PlatformDevice[], count: number, taken: Set<PlatformDevice>, bag: DiagnosticBag): ResolvedDevice | undefined {
  const start = first.index ?? 0;
  const run: PlatformDevice[] = [];
  for (let k = start; k < start + count; k++) {
    const m = family.find((c) => c.index === k);
    if (!m) {
      bag.error(d.at("count"), `count ${count} from '${d.spec.compatible}' number ${start} goes past the last one (${family.length - 1})`, `at most count: ${family.length - start}`);
      return undefined;
    }
    run.push(m);
  }
  for (const m of run) taken.add(m);
  const last = run[run.length - 1];
  const size = last.paddr + last.size - first.paddr;
  const irqs = run.map((m) => m.irq).filter((q): q is number => q !== undefined);
  const m = device(d.spec, d.at(), first.paddr, size, first.offset, first.irq, d.spec.irqTrigger ?? first.irqTrigger ?? "level");
  if (irqs.length > 1) m.irqs = irqs;
  return { driver: d.driver, model: m, irqPos: first.irq === undefined ? undefined : d.at("count") };
}

function device(s: DeviceSpec, pos: SourcePos, paddr: number, size: number, offset: number, irq: number | undefined, irqTrigger: "level" | "edge"): DeviceModel {
  const m: DeviceModel = { name: s.name, paddr, size, irqTrigger, pos };
  if (s.compatible !== undefined) m.compatible = s.compatible;
  if (irq !== undefined) m.irq = irq;
  if (offset) m.offset = offset;
  return m;
}

function platformHint(p: Platform | undefined): string {
  return p ? `${p.name} knows: ${userCompatibles(p).join(", ")}` : "give a fixed `paddr`";
}

/** The compatible strings a driver may ask for on `p` (not the kernel's own devices). */
function userCompatibles(p: Platform): string[] {
  return compatibles(p).filter((c) => !p.devices.find((d) => d.compatible === c)?.kernel);
}

/** No two devices (in one driver or two) may share device memory or an IRQ. */
export function checkDeviceConflicts(devs: ResolvedDevice[], bag: DiagnosticBag): void {
  for (let i = 0; i < devs.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = devs[j];
      const b = devs[i];
      const am = a.model;
      const bm = b.model;
      if (bm.paddr < am.paddr + am.size && am.paddr < bm.paddr + bm.size) {
        bag.error(
          bm.pos,
          `device memory of '${b.driver}.${bm.name}' (${range(bm)}) overlaps '${a.driver}.${am.name}' (${range(am)}) at ${formatPos(am.pos)}`,
          "a device's registers belong to one driver; give one driver both devices, or fix the addresses",
        );
        bag.note(am.pos, `'${a.driver}.${am.name}' is declared here`);
      }
      const shared = (bm.irqs ?? (bm.irq !== undefined ? [bm.irq] : [])).find((q) => (am.irqs ?? [am.irq]).includes(q));
      if (shared !== undefined) {
        bag.error(
          b.irqPos ?? bm.pos,
          `IRQ ${shared} of '${b.driver}.${bm.name}' is already taken by '${a.driver}.${am.name}' at ${formatPos(a.irqPos ?? am.pos)}`,
          "an IRQ handler cap goes to one driver only; check the interrupt number",
        );
        bag.note(a.irqPos ?? am.pos, `IRQ ${shared} is given to '${a.driver}.${am.name}' here`);
      }
    }
  }
}

function range(d: DeviceModel): string {
  return `${hex(d.paddr)}..${hex(d.paddr + d.size - 1)}`;
}
