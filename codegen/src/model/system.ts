// SPDX-License-Identifier: BSD-2-Clause
/**
 * The resolved system model and its capability layout: what model/resolve-system.ts and
 * model/layout.ts produce from a validated system.ts and the IDL model, and what the per-server
 * emitters, the root-server table emitter, layout.txt and system.json consume.
 *
 * Everything here is plain data, deterministic for a given input (no file-order or global-counter
 * dependence): servers sorted by name, slots allocated in a fixed order (see layout.ts).
 */

import type { SourcePos } from "../diag/diagnostics.ts";
import type { IdlModel } from "./idl.ts";
import type { KernelConfig } from "./kernel.ts";

export type RestartPolicyModel =
  | { policy: "never" }
  | { policy: "always" }
  | { policy: "on-fault"; maxRestarts: number };

export interface UseModel {
  interface: string;
  /** The server that serves it (resolved). */
  server: string;
  /** C-safe name of the slot constant suffix. */
  as: string;
  pos: SourcePos;
}

export interface DeviceModel {
  name: string;
  compatible?: string;
  /** Physical address: given, or resolved from `compatible` against the platform's table. */
  paddr: number;
  size: number;
  irq?: number;
  /** A run of devices (`count`): every one's IRQ, in order (irqs[0] === irq). */
  irqs?: number[];
  irqTrigger: "level" | "edge";
  /** Registers start this many bytes into the (page-aligned) window at `paddr` (default 0). */
  offset?: number;
  /** Input clock in Hz, from the platform table (a UART's baud rate divides it). */
  clockHz?: number;
  /** x86: the device is reached through I/O ports `base`..`base + count - 1` (no MMIO). */
  ioport?: { base: number; count: number };
  pos: SourcePos;
}

export interface MappingModel {
  region: string;
  /** As requested in system.ts; 0 when the layout chooses (the chosen address is in VaddrModel). */
  vaddr: number;
  perms: "r" | "rw" | "rx" | "rwx";
  as: string;
  pos: SourcePos;
}

export interface ServerModel {
  name: string;
  /** "program": not started at boot, spawned at run time (SystemModel.programs). */
  kind: "server" | "driver" | "program";
  elf: string;
  /** Folder of its sources, relative to system.ts, with forward slashes (default servers/<name>). */
  src: string;
  priority: number;
  stackBytes: number;
  heapBytes: number;
  serves: string[];
  uses: UseModel[];
  notifies: string[];
  maps: MappingModel[];
  devices: DeviceModel[];
  restart: RestartPolicyModel;
  spawn: { maxProcesses: number; memoryBytes: number } | undefined;
  /** Run-time bulk connections (server-conn.ts); 0: none. */
  connections: number;
  /** Bytes of run-time shared memory it may create (idl/rootmem.idl); 0: none. */
  sharedMemoryBytes: number;
  deferredReplies: number;
  cnodeBitsRequested?: number;
  args: string[];
  /** Drivers only: physically contiguous DMA memory (system.ts `dma`). */
  dma?: { sizeBytes: number; cached: boolean; pos: SourcePos };
  /** MCS kernel only: its scheduling context (microseconds), or none of its own once initialised. */
  sched?: { budgetUs: number; periodUs: number; passive: boolean };
  pos: SourcePos;
  /** Positions of individual properties as written (e.g. "cnodeBits"), for later stages' errors. */
  propPos?: Record<string, SourcePos>;
}

export interface MemoryRegionModel {
  name: string;
  sizeBytes: number;
  paddr?: number;
  pageBits: 12 | 21;
  pos: SourcePos;
}

export interface SystemModel {
  name: string;
  /** The system.ts it came from. */
  file: string;
  platform: string;
  /** The kernel configuration it is compiled for (absent: non-MCS, EL1, debug). */
  kernel?: KernelConfig;
  untypedBytes: number;
  /** Disk image `run` attaches (system.ts `disk`, made absolute). */
  disk?: string;
  servers: ServerModel[];
  /** Programs spawned at run time (kind "program"), sorted by name. */
  programs: ServerModel[];
  memory: MemoryRegionModel[];
  idl: IdlModel;
  /** Position of defineSystem(...) and of individual properties (e.g. "untyped"), for later stages. */
  pos?: SourcePos;
  propPos?: Record<string, SourcePos>;
}

// ---------------------------------------------------------------------------------------------
// Layout

export type ObjectType =
  | "endpoint"
  | "notification"
  | "frame"
  | "cnode"
  | "tcb"
  | "vspace"
  | "irq_handler"
  | "ioport"
  /** MCS: a reply object (created per server start by the root server; listed for the cost) */
  | "reply"
  /** MCS: a scheduling context (created per server start by the root server) */
  | "sched_context";

/** A kernel object the root server creates (or, for device frames and IRQs, obtains). */
export interface KernelObjectModel {
  /** Unique, stable id, e.g. "ep:echo", "ntfn:uart", "shm:echo.client", "mmio:uart.pl011". */
  id: string;
  type: ObjectType;
  /** log2 size for sized objects (frames, cnodes). */
  sizeBits?: number;
  /** Number of pages for frame groups (shared buffers, regions, MMIO windows). */
  pages?: number;
  /** Physical address for device frames. */
  paddr?: number;
  /** IRQ number for irq_handler. */
  irq?: number;
  irqTrigger?: "level" | "edge";
  /** I/O port range for ioport (x86). */
  ioport?: { base: number; count: number };
  /** Bytes of untyped memory it costs (0 for device frames and IRQs). */
  costBytes: number;
  /** Frames only: physically contiguous, carved from one untyped (a driver's DMA memory). */
  dma?: boolean;
  /** A DMA info page: the id of the DMA object whose physical address the root server writes in it. */
  dmaInfoOf?: string;
}

export type CapRights = { read: boolean; write: boolean; grant: boolean; grantReply: boolean };

export type SlotKind =
  /** Slots 0-7: what sel4utils' process loader puts there; see RESERVED_SLOTS. */
  | "reserved"
  /** This server's own receive endpoint (unbadged: it only receives). */
  | "serve_ep"
  /** A badged endpoint to a server it uses. */
  | "use_ep"
  /** Its own notification (bound to its TCB: IRQs and signals arrive here). */
  | "ntfn"
  /** A badged notification of a server it notifies. */
  | "signal"
  | "irq_handler"
  /** An x86 I/O port range of a device. */
  | "ioport"
  /** Empty slot where a capability sent to it lands (seL4 receive path). */
  | "recv"
  /** Empty slots for saved reply caps (deferred replies); on MCS, reply objects. */
  | "reply"
  /** Endpoint to the root server's process service (for servers with `spawn`). */
  | "spawn_ep"
  /** Its own endpoint, unbadged with every right: what it mints run-time connection caps from. */
  | "mint_ep"
  /** The root server's services (idl/rootmem.idl) for a server without `spawn`. */
  | "root_ep"
  /** Empty: the cap minted for a run-time connection / the client's shared-memory object. */
  | "conn_ep"
  | "conn_obj";

export interface CapSlotModel {
  slot: number;
  kind: SlotKind;
  /** C constant: <SERVER>_CAP_<NAME>. */
  cname: string;
  /** Object it refers to (KernelObjectModel.id); absent for reserved/recv/reply slots. */
  object?: string;
  badge?: number;
  rights: CapRights;
  /** For people: "call echo.echo (badge 1 names this client to echo)". */
  comment: string;
}

/** A region of the server's address space the root server maps. */
export interface VaddrModel {
  /** C constant: <SERVER>_VADDR_<NAME> (and _SIZE). */
  cname: string;
  kind: "ipc_buffer" | "stack" | "heap" | "mmio" | "shm" | "region" | "dma" | "dma_info";
  vaddr: number;
  sizeBytes: number;
  object?: string;
  perms: "r" | "rw" | "rx" | "rwx";
  /** Device memory is mapped uncached. */
  cached: boolean;
  /** MMIO only: the device's registers start this many bytes into the window (default 0). */
  offset?: number;
}

/** What a badge on a server's endpoint means. */
export interface BadgeModel {
  badge: number;
  client: string;
  interface: string;
  /** Shared buffer between this client and the server for this interface, if it needs one. */
  shm?: { object: string; serverVaddr: number; clientVaddr: number; sizeBytes: number };
}

export interface ServerLayout {
  name: string;
  cnodeBits: number;
  slots: CapSlotModel[];
  vaddrs: VaddrModel[];
  /** Badges clients use on this server's endpoint (empty if it serves nothing). */
  badges: BadgeModel[];
  /** Slot constants the transport needs. */
  recvSlot?: number;
  replySlots: number[];
  /** Run-time connections: bytes the largest shared buffer of a method it serves needs. */
  connShmBytes?: number;
  /** Untyped bytes its objects (TCB, CNode, VSpace, frames) cost. */
  costBytes: number;
  /** Badge of its cap to the root server's process service (servers with `spawn`). */
  serviceBadge?: number;
}

export interface SystemLayout {
  objects: KernelObjectModel[];
  servers: ServerLayout[];
  /** The CSpace shape of every program (no objects of their own: created at spawn). */
  programs: ServerLayout[];
  /** Sum of costBytes over every object, plus page-table overhead estimate. */
  untypedBytesUsed: number;
  untypedBytesBudget: number;
}

/** Slots 0-7 as sel4utils' process loader fills them; user caps start at FIRST_FREE_SLOT. */
export const RESERVED_SLOTS = [
  "null",
  "own CNode",
  "fault endpoint",
  "own VSpace",
  "ASID pool",
  "own TCB",
  "scheduling context",
  "reply object",
] as const;
export const FIRST_FREE_SLOT = 8;

/** Badge 0 is never given out: an unbadged cap cannot be told from a badged one. */
export const FIRST_BADGE = 1;

/** Every process image of the system: boot servers, then programs. */
export function allProcesses(model: SystemModel): ServerModel[] {
  return [...model.servers, ...model.programs];
}

/** The result of compiling a system: model + layout, ready for emitters. */
export interface CompiledSystem {
  model: SystemModel;
  layout: SystemLayout;
}
