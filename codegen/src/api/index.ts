// SPDX-License-Identifier: BSD-2-Clause
/**
 * The system-description API: what a `system.ts` imports from "neptune-gen".
 *
 *   import { defineSystem, server, driver, program, memoryRegion } from "neptune-gen";
 *   export default defineSystem({
 *     name: "hello",
 *     servers: [
 *       server({ name: "echo", serves: ["echo"], priority: 150 }),
 *       server({ name: "client", uses: ["echo"] }),
 *       driver({ name: "uart", serves: ["serial"],
 *                devices: [{ name: "pl011", compatible: "arm,pl011", size: "4K", irq: 33 }] }),
 *     ],
 *   });
 *
 * The builders only record what they are given plus where in system.ts they were called
 * (`ORIGIN`); all checking happens in the compiler (model/system-schema.ts), which reports errors
 * at the position of the offending property.
 */

/** A size in bytes, or a string with a K/M/G suffix ("16K", "2M"). */
export type Size = number | `${number}${"K" | "M" | "G"}` | `${number}`;

/** Microseconds, or a string with a unit: "500us", "2ms", "1s". */
export type Time = number | `${number}${"us" | "ms" | "s"}`;

/** The seL4 kernel configuration (defaults: non-MCS, EL1, debug, printing). */
export interface KernelSpec {
  /** seL4's MCS kernel: scheduling contexts (`budget`/`period`), passive servers, reply objects. */
  mcs?: boolean;
  /** The kernel runs at EL2 (hypervisor configuration); QEMU then starts with virtualization=on. */
  hypervisor?: boolean;
  /** Debug kernel (default) or release (benchmarks). */
  debug?: boolean;
  /** Kernel console (servers' printf) also in a release build (default: as `debug`). */
  printing?: boolean;
}

export type Rights = "r" | "rw" | "rx" | "rwx";

/** What the root server does when a server faults. */
export type RestartPolicy =
  /** Leave it stopped (the default); the fault is reported. */
  | "never"
  /** Recreate it from its ELF every time it faults or exits, at most 5 times within 10 s:
   *  a server that ends faster is given up on, stopped and reported (docs/transport.md). */
  | "always"
  /** Recreate it after a fault at most `maxRestarts` times (and at most 5 within 10 s), then
   *  leave it stopped. */
  | { policy: "on-fault"; maxRestarts: number };

/** A use of an interface. A bare string names the interface; the server is found by it. */
export type Use =
  | string
  | {
      interface: string;
      /** Which server provides it, when several serve the same interface. */
      server?: string;
      /** Name of the cap slot constant in C (default: the interface name). */
      as?: string;
    };

export interface MemoryMapping {
  /** A memoryRegion declared in the system. */
  region: string;
  /** Virtual address; chosen by the layout when omitted. */
  vaddr?: number;
  perms?: Rights;
  /** Name of the C constant holding the address (default: the region name). */
  as?: string;
}

export interface ServerSpec {
  /** C identifier; also the CMake target and ELF name unless `elf` says otherwise. */
  name: string;
  /** CMake target producing the server's ELF (default: `name`). */
  elf?: string;
  /**
   * Folder with the server's sources, relative to system.ts (default: `servers/<name>`). With a
   * CMakeLists.txt there it builds itself (`neptune_server(<name> SOURCES …)`); otherwise every
   * .c file in it is compiled into the server.
   */
  src?: string;
  /** seL4 priority, 1..254 (default 100). The root server runs at 255. */
  priority?: number;
  /** Stack size (default 16K). */
  stack?: Size;
  /** Heap size for the C library's malloc (default 64K). */
  heap?: Size;
  /** Interfaces (IDL namespaces) this server serves on its endpoint. */
  serves?: string[];
  /** Interfaces it calls. Each use becomes a badged endpoint cap in its CSpace. */
  uses?: Use[];
  /** Servers this one may signal (seL4 notification, like a Microkit channel). */
  notifies?: string[];
  /** Shared memory regions mapped into it. */
  maps?: MemoryMapping[];
  restart?: RestartPolicy;
  /** May ask the root server to create processes at run time. */
  spawn?: boolean | { maxProcesses?: number; memory?: Size };
  /**
   * Run-time bulk connections this server keeps open at once: clients the layout does not know
   * (spawned processes) that call methods whose payloads travel in a shared buffer hand it one
   * of theirs once and get a connection cap back (docs/idl.md). Default 8 when it serves such a
   * method, else 0; at most 256.
   */
  connections?: number;
  /** Shared memory it may create at run time (idl/rootmem.idl), e.g. "1M"; default none. */
  sharedMemory?: Size;
  /** Replies this server can hold back at once (deferred replies); default 4 if it serves anything. */
  deferredReplies?: number;
  /** log2 of its CNode size; the smallest that fits is chosen when omitted. */
  cnodeBits?: number;
  /** Arguments passed to main(). */
  args?: string[];
  /**
   * MCS kernel: CPU time of its scheduling context per `period` (microseconds, or "500us",
   * "2ms", "1s"; default 1 ms). A budget below the period throttles it.
   */
  budget?: Time;
  /** MCS kernel: the replenishment period (default: the budget). */
  period?: Time;
  /**
   * MCS kernel: once initialised (at its first receive) it has no scheduling context of its own
   * and runs on its callers' ones, as a Microkit passive PD; calls to it take the kernel's fast path.
   */
  passive?: boolean;
}

/**
 * A program: not started at boot, but spawned at run time by a server (or program) with `spawn`
 * through the root server's process service (idl/root.idl). Its ELF is in the image; the layout
 * gives it a fixed CSpace shape whose `uses` and `notifies` slots start empty and are filled
 * with the caps its spawner passes; it holds nothing else. It serves no interface.
 */
export interface ProgramSpec {
  /** C identifier; also the CMake target and ELF name unless `elf` says otherwise. */
  name: string;
  /** CMake target producing its ELF (default: `name`). */
  elf?: string;
  /** Folder with its sources, relative to system.ts (default: `programs/<name>`). */
  src?: string;
  /** seL4 priority, 1..254 (default 100). */
  priority?: number;
  /** Stack size (default 16K). */
  stack?: Size;
  /** Heap size for malloc (default 64K); fresh memory for every process, from the spawner's budget. */
  heap?: Size;
  /** Interfaces it may call: one empty slot each, filled by the spawner at spawn. */
  uses?: Use[];
  /** Servers it may signal: one empty slot each, filled by the spawner at spawn. */
  notifies?: string[];
  /** May itself spawn programs (its own quota, within the root server's memory). */
  spawn?: boolean | { maxProcesses?: number; memory?: Size };
  /**
   * Shared memory it may create at run time (idl/rootmem.idl). Default: enough to open one
   * run-time bulk connection (a shared buffer) per interface it uses whose methods need one.
   */
  sharedMemory?: Size;
  /** Arguments passed to main() after argv[0] when the spawner passes none. */
  args?: string[];
  /** log2 of its CNode size; the smallest that fits is chosen when omitted. */
  cnodeBits?: number;
}

export interface DeviceSpec {
  /** C identifier for the slot/address constants. */
  name: string;
  /** Device-tree `compatible` string, resolved against the platform's device tree… */
  compatible?: string;
  /** …or a fixed physical address (page aligned). */
  paddr?: number;
  /** Size of the MMIO window (default 4K). */
  size?: Size;
  /** Interrupt number (the kernel's numbering; for GIC SPIs that is 32 + SPI). */
  irq?: number;
  irqTrigger?: "level" | "edge";
  /**
   * A run of identical devices of a family (QEMU virt's 32 virtio-mmio transports), from the
   * one the name's digits, `paddr` or else the first of the family names: one window over all
   * of them and one IRQ handler each (slots <DRIVER>_CAP_IRQ_<NAME> + 0..count-1), all
   * signalling one notification bit. `{ name: "virtio", compatible: "virtio,mmio", count: 32 }`
   * lets a driver probe every transport and take the interrupt of the one it finds.
   */
  count?: number;
}

/**
 * Physically contiguous memory for a driver's DMA (virtio queues, SD/eMMC buffers). The root
 * server allocates it as one untyped of the next power-of-two size (what the untyped budget is
 * charged) and maps it at `<DRIVER>_VADDR_DMA`; its physical address is in the read-only info
 * page at `<DRIVER>_VADDR_DMA_INFO` (`ng_dma_info_t`, <neptune/dma.h>).
 */
export interface DmaSpec {
  /** Bytes, a whole number of 4K pages, at most 32M. */
  size: Size;
  /**
   * Map it cacheable (default true: virtio devices are cache coherent, and QEMU's are). `false`
   * maps it as device memory (uncached, strongly ordered: aligned accesses only), for devices
   * that do not snoop the CPU's caches.
   */
  cached?: boolean;
}

export interface DriverSpec extends ServerSpec {
  devices: DeviceSpec[];
  /** DMA memory: a size ("64K"), or { size, cached }. */
  dma?: Size | DmaSpec;
}

export interface MemoryRegionSpec {
  name: string;
  size: Size;
  /** Backed by this physical range instead of fresh RAM. */
  paddr?: number;
  pageSize?: "4K" | "2M";
}

export interface SystemSpec {
  name: string;
  /** Default platform for `neptune-gen build` (default "qemu-arm-virt"). */
  platform?: string;
  /** Kernel configuration; what the platform cannot take is an error. */
  kernel?: KernelSpec;
  /** IDL files or folders, relative to system.ts (default ["idl"]). */
  idl?: string[];
  /** Untyped memory the system may use beyond the kernel's own (default "64M"). */
  untyped?: Size;
  /**
   * Raw disk image, relative to system.ts, that `neptune-gen run` attaches as a virtio-blk
   * device (QEMU, or the host target's model) unless `--disk` names another.
   */
  disk?: string;
  servers: (Server | Driver)[];
  /** Programs servers may spawn at run time (see ProgramSpec). */
  programs?: Program[];
  memory?: MemoryRegion[];
}

/** Where a builder was called: file, line, column in system.ts. Filled in by the loader. */
export const ORIGIN: unique symbol = Symbol.for("neptune-gen.origin");

export interface Origin {
  file: string;
  line: number;
  col: number;
}

type Tagged<K extends string, T> = T & { readonly kind: K; [ORIGIN]?: Origin };

export type Server = Tagged<"server", ServerSpec>;
export type Driver = Tagged<"driver", DriverSpec>;
export type Program = Tagged<"program", ProgramSpec>;
export type MemoryRegion = Tagged<"memory", MemoryRegionSpec>;
export type System = Tagged<"system", SystemSpec>;

/**
 * The loader installs a hook that records the call site of every builder; outside the loader
 * (a plain `import` in a test) the hook is absent and no origin is recorded.
 */
type OriginHook = () => Origin | undefined;
const hookKey = Symbol.for("neptune-gen.originHook");

function tag<K extends string, T extends object>(kind: K, spec: T): Tagged<K, T> {
  const hook = (globalThis as Record<symbol, OriginHook | undefined>)[hookKey];
  const out = { ...spec, kind } as Tagged<K, T>;
  const origin = hook?.();
  if (origin) Object.defineProperty(out, ORIGIN, { value: origin, enumerable: false });
  return out;
}

export function server(spec: ServerSpec): Server {
  return tag("server", spec);
}

export function driver(spec: DriverSpec): Driver {
  return tag("driver", spec);
}

export function program(spec: ProgramSpec): Program {
  return tag("program", spec);
}

export function memoryRegion(spec: MemoryRegionSpec): MemoryRegion {
  return tag("memory", spec);
}

export function defineSystem(spec: SystemSpec): System {
  return tag("system", spec);
}
