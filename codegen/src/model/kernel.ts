// SPDX-License-Identifier: BSD-2-Clause
/**
 * The kernel configuration a system is built for: MCS (scheduling contexts, reply objects) or
 * not, EL2 (the hypervisor configuration) or EL1, debug or release, kernel printing. system.ts
 * says it in `kernel: { mcs, hypervisor, debug, printing }`; `neptune-gen build -D NAME=VALUE`
 * may override it with the CMake names users know (KernelIsMCS, KernelArmHypervisorSupport,
 * NEPTUNE_BUILD, NEPTUNE_KERNEL_PRINTING…). An override is honoured by compiling the system for
 * it (the layout differs on MCS), never by passing it to CMake behind the compiler's back.
 *
 * What each platform can take is listed here; asking for more is an error with the fix.
 * Scheduling: `budget`/`period` of a server (microseconds; a number, or "500us", "2ms", "1s")
 * give it a scheduling context on MCS; `passive` servers run on their callers' ones.
 */

import type { DiagnosticBag, SourcePos } from "../diag/diagnostics.ts";

export interface KernelConfig {
  /** seL4's mixed-criticality (MCS) kernel: scheduling contexts, reply objects, passive servers. */
  mcs: boolean;
  /** The kernel runs at EL2 (KernelArmHypervisorSupport). */
  hypervisor: boolean;
  /** Debug kernel (seL4_DebugPutChar, thread names, fault names) or release (benchmarks). */
  debug: boolean;
  /** Kernel console (so servers' printf) even in a release build. */
  printing: boolean;
}

export const KERNEL_DEFAULTS: KernelConfig = { mcs: false, hypervisor: false, debug: true, printing: true };

/** Microkit's defaults: 1 ms of budget every 1 ms (a round-robin scheduling context). */
export const SCHED_DEFAULTS = { budgetUs: 1000, periodUs: 1000 } as const;

export interface PlatformKernelSupport {
  mcs: boolean;
  hypervisor: boolean;
  /** Why the hypervisor configuration is not offered. */
  noHypervisor?: string;
}

const SUPPORT: Record<string, PlatformKernelSupport> = {
  "qemu-arm-virt": { mcs: true, hypervisor: true },
  rpi3: { mcs: true, hypervisor: false, noHypervisor: "neptune-gen boots the Pi 3 at EL1 only (QEMU's raspi3b starts the kernel there)" },
  rpi4: { mcs: true, hypervisor: true },
};

export function kernelSupport(platform: string): PlatformKernelSupport {
  return SUPPORT[platform] ?? { mcs: false, hypervisor: false, noHypervisor: `no hypervisor configuration is known for ${platform}` };
}

/** Short name for tables and logs: "mcs/el2", "non-mcs/el1". */
export function kernelLabel(k: KernelConfig): string {
  return `${k.mcs ? "mcs" : "non-mcs"}/${k.hypervisor ? "el2" : "el1"}`;
}

/** The CMake cache settings sel4-config/settings.cmake turns into the kernel's. */
export function kernelCmakeDefs(k: KernelConfig): Record<string, string> {
  const on = (b: boolean) => (b ? "ON" : "OFF");
  return {
    NEPTUNE_KERNEL_MCS: on(k.mcs),
    NEPTUNE_KERNEL_HYP: on(k.hypervisor),
    NEPTUNE_BUILD: k.debug ? "debug" : "release",
    NEPTUNE_KERNEL_PRINTING: on(k.printing),
  };
}

/**
 * Checks a configuration against the platform. `where(field)` is the position to blame, and
 * `how` says how the setting was given (for the hint), e.g. "kernel.mcs" or "-D KernelIsMCS=ON".
 */
export function checkKernel(
  k: KernelConfig,
  platform: string,
  bag: DiagnosticBag,
  where: (field: keyof KernelConfig) => SourcePos | undefined,
  how: (field: keyof KernelConfig) => string,
): void {
  const sup = kernelSupport(platform);
  if (k.mcs && !sup.mcs) {
    bag.error(where("mcs"), `platform ${platform} has no MCS kernel configuration`, `remove ${how("mcs")}, or build for qemu-arm-virt`);
  }
  if (k.hypervisor && !sup.hypervisor) {
    bag.error(
      where("hypervisor"),
      `platform ${platform} cannot run the kernel at EL2 (hypervisor): ${sup.noHypervisor ?? "not supported"}`,
      `remove ${how("hypervisor")}, or build for qemu-arm-virt or rpi4`,
    );
  }
}

const CMAKE_TRUE = /^(ON|TRUE|YES|Y|1)$/i;
const CMAKE_FALSE = /^(OFF|FALSE|NO|N|0|)$/i;

/** CMake names that set the kernel configuration, and the field each one sets. */
const OVERRIDES: Record<string, { field: keyof KernelConfig; parse: (v: string) => boolean | undefined; invert?: boolean }> = {
  KernelIsMCS: { field: "mcs", parse: cmakeBool },
  NEPTUNE_KERNEL_MCS: { field: "mcs", parse: cmakeBool },
  KernelArmHypervisorSupport: { field: "hypervisor", parse: cmakeBool },
  NEPTUNE_KERNEL_HYP: { field: "hypervisor", parse: cmakeBool },
  KernelDebugBuild: { field: "debug", parse: cmakeBool },
  NEPTUNE_BUILD: { field: "debug", parse: (v) => (v === "debug" ? true : v === "release" ? false : undefined) },
  KernelPrinting: { field: "printing", parse: cmakeBool },
  NEPTUNE_KERNEL_PRINTING: { field: "printing", parse: cmakeBool },
};

function cmakeBool(v: string): boolean | undefined {
  return CMAKE_TRUE.test(v) ? true : CMAKE_FALSE.test(v) ? false : undefined;
}

export interface KernelOverrides {
  values: Partial<KernelConfig>;
  /** How each field was given, for messages ("-D KernelIsMCS=ON"). */
  given: Partial<Record<keyof KernelConfig, string>>;
  /** The remaining CMake definitions, passed to CMake as they are. */
  rest: Record<string, string>;
}

/** Splits `-D` definitions into kernel-configuration overrides and the rest. */
export function kernelOverrides(defs: Record<string, string> | undefined, bag: DiagnosticBag): KernelOverrides {
  const out: KernelOverrides = { values: {}, given: {}, rest: {} };
  for (const [name, value] of Object.entries(defs ?? {})) {
    const o = OVERRIDES[name];
    if (!o) {
      out.rest[name] = value;
      continue;
    }
    const v = o.parse(value);
    if (v === undefined) {
      bag.error(undefined, `-D ${name}=${value}: not a valid value`, name === "NEPTUNE_BUILD" ? "use debug or release" : "use ON or OFF");
      continue;
    }
    out.values[o.field] = v;
    out.given[o.field] = `-D ${name}=${value}`;
  }
  return out;
}

/** Parses a time: microseconds as a number, or a string with us, ms or s. */
export function parseTimeUs(value: unknown): { us: number } | { error: string } {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value <= 0) return { error: `${value} is not a whole, positive number of microseconds` };
    return { us: value };
  }
  if (typeof value !== "string") return { error: `a time is a number of microseconds or a string such as "2ms"` };
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s)\s*$/.exec(value);
  if (!m) return { error: `'${value}' is not a time; write microseconds as a number, or "500us", "2ms", "1s"` };
  const us = Number(m[1]) * (m[2] === "s" ? 1e6 : m[2] === "ms" ? 1e3 : 1);
  if (!Number.isSafeInteger(us) || us <= 0) return { error: `time '${value}' is not a whole, positive number of microseconds` };
  return { us };
}
