// SPDX-License-Identifier: BSD-2-Clause
/**
 * Test data for the seL4 area: a hand-built system model of three servers (pong serves `echo`
 * with a shared buffer, ping calls and signals it and then faults on purpose, quit returns from
 * main), a hand-made layout for it (emitter unit tests), and the slot header the boot test's C
 * servers include.
 */

import type { IdlModel, Interface, MessageLayout } from "../src/model/idl.ts";
import type { CapRights, CapSlotModel, ServerModel, SystemLayout, SystemModel } from "../src/model/system.ts";
import { RESERVED_SLOTS } from "../src/model/system.ts";

const pos = { file: "system.ts", line: 1, col: 1 };

function msg(): MessageLayout {
  return { fields: [], fixedWords: 1, maxWords: 1, caps: 0, shm: false, shmBytes: 0, fastPath: true };
}

const echo: Interface = {
  name: "echo",
  file: "idl/echo.idl",
  consts: [],
  enums: [],
  structs: [],
  aliases: [],
  errors: [],
  shmBytes: 4096,
  pos,
  methods: [{ name: "echo", kind: "rpc", label: 7, labelExplicit: true, args: [], results: [], raises: [], request: msg(), reply: msg(), pos }],
};

export const idl: IdlModel = { files: ["idl/echo.idl"], interfaces: [echo], globals: { consts: [], enums: [], structs: [], aliases: [] } };

function server(name: string, over: Partial<ServerModel>): ServerModel {
  return {
    name,
    kind: "server",
    elf: name,
    src: `servers/${name}`,
    priority: 100,
    stackBytes: 16384,
    heapBytes: 65536,
    serves: [],
    uses: [],
    notifies: [],
    connections: 0,
    sharedMemoryBytes: 0,
    maps: [],
    devices: [],
    restart: { policy: "never" },
    spawn: undefined,
    deferredReplies: 0,
    args: [],
    pos,
    ...over,
  };
}

/**
 * ping (uses echo on pong, notifies pong, restarts once on a fault), pong, quit (returns from
 * main), spy (no grants), virtio (a driver with an MMIO window and an IRQ).
 */
export function pingPongModel(): SystemModel {
  return {
    name: "pingpong",
    file: "system.ts",
    platform: "qemu-arm-virt",
    untypedBytes: 64 * 1024 * 1024,
    servers: [
      server("ping", {
        uses: [{ interface: "echo", server: "pong", as: "echo", pos }],
        notifies: ["pong"],
        restart: { policy: "on-fault", maxRestarts: 1 },
        args: ["hello-arg"],
      }),
      server("pong", { serves: ["echo"], priority: 150, deferredReplies: 1 }),
      server("quit", { priority: 90 }),
      server("spy", { priority: 80 }),
      server("virtio", {
        kind: "driver",
        priority: 120,
        // QEMU virt's first virtio-mmio transport: SPI 16.
        devices: [{ name: "mmio0", paddr: 0xa000000, size: 4096, irq: 48, irqTrigger: "edge", pos }],
      }),
    ],
    programs: [],
    memory: [],
    idl,
  };
}

const R = (read: boolean, write: boolean, grant: boolean, grantReply: boolean): CapRights => ({ read, write, grant, grantReply });
const NONE = R(false, false, false, false);

function reserved(name: string, fault: number, keepCnode: boolean): CapSlotModel[] {
  const N = name.toUpperCase();
  return RESERVED_SLOTS.map((what, slot) => {
    const s: CapSlotModel = { slot, kind: "reserved", cname: `${N}_CAP_R${slot}`, rights: NONE, comment: what };
    if (slot === 1 && keepCnode) return { ...s, object: `cnode:${name}`, rights: R(true, true, true, true) };
    if (slot === 2) return { ...s, object: "ep:root.fault", badge: fault, rights: R(false, true, true, true) };
    return s;
  });
}

/** A layout written by hand (not by computeLayout), for the emitter's unit tests. */
export function handLayout(): SystemLayout {
  return {
    objects: [
      { id: "ep:pong", type: "endpoint", costBytes: 16 },
      { id: "ep:root.fault", type: "endpoint", costBytes: 16 },
      { id: "ipcbuf:ping", type: "frame", sizeBits: 12, pages: 1, costBytes: 4096 },
      { id: "irq:pong.timer", type: "irq_handler", irq: 30, irqTrigger: "level", costBytes: 0 },
      { id: "mmio:pong.uart", type: "frame", sizeBits: 12, pages: 1, paddr: 0x9000000, costBytes: 0 },
      { id: "ntfn:pong", type: "notification", costBytes: 64 },
      { id: "shm:pong.ping.echo", type: "frame", sizeBits: 12, pages: 2, costBytes: 8192 },
      { id: "tcb:ping", type: "tcb", costBytes: 2048 },
    ],
    servers: [
      {
        name: "ping",
        cnodeBits: 4,
        slots: [
          ...reserved("ping", 1, false),
          { slot: 8, kind: "use_ep", cname: "PING_CAP_ECHO", object: "ep:pong", badge: 1, rights: R(false, true, false, true), comment: "call echo on pong" },
          { slot: 9, kind: "signal", cname: "PING_CAP_SIGNAL_PONG", object: "ntfn:pong", badge: 0x8000001, rights: R(false, true, false, false), comment: "signal pong" },
        ],
        vaddrs: [
          { cname: "PING_VADDR_IPC_BUFFER", kind: "ipc_buffer", vaddr: 0x10_0000_0000, sizeBytes: 4096, object: "ipcbuf:ping", perms: "rw", cached: true },
          { cname: "PING_VADDR_SHM_ECHO", kind: "shm", vaddr: 0x10_4000_0000, sizeBytes: 8192, object: "shm:pong.ping.echo", perms: "rw", cached: true },
        ],
        badges: [],
        replySlots: [],
        costBytes: 100000,
      },
      {
        name: "pong",
        cnodeBits: 5,
        slots: [
          ...reserved("pong", 2, true),
          { slot: 8, kind: "serve_ep", cname: "PONG_CAP_EP", object: "ep:pong", rights: R(true, false, false, false), comment: "receive echo */ requests" },
          { slot: 9, kind: "ntfn", cname: "PONG_CAP_NTFN", object: "ntfn:pong", rights: R(true, false, false, false), comment: "own notification" },
          { slot: 10, kind: "irq_handler", cname: "PONG_CAP_IRQ_TIMER", object: "irq:pong.timer", badge: 0x8000002, rights: R(true, true, true, true), comment: "IRQ 30" },
          { slot: 11, kind: "recv", cname: "PONG_CAP_RECV", rights: NONE, comment: "empty" },
          { slot: 12, kind: "reply", cname: "PONG_CAP_REPLY_0", rights: NONE, comment: "empty" },
        ],
        vaddrs: [
          { cname: "PONG_VADDR_UART", kind: "mmio", vaddr: 0x10_3000_0000, sizeBytes: 4096, object: "mmio:pong.uart", perms: "rw", cached: false },
          { cname: "PONG_VADDR_SHM_PING_ECHO", kind: "shm", vaddr: 0x10_4000_0000, sizeBytes: 8192, object: "shm:pong.ping.echo", perms: "r", cached: true },
        ],
        badges: [{ badge: 1, client: "ping", interface: "echo" }],
        recvSlot: 11,
        replySlots: [12],
        costBytes: 100000,
      },
      { name: "quit", cnodeBits: 4, slots: reserved("quit", 3, false), vaddrs: [], badges: [], replySlots: [], costBytes: 50000 },
    ],
    untypedBytesUsed: 0x4_0000,
    untypedBytesBudget: 64 * 1024 * 1024,
    programs: [],
  };
}

/**
 * The slot and address constants the boot test's servers include (sel4_test_slots.h): what the
 * per-server generated header will provide, reduced to what the test servers use.
 */
export function slotsHeader(layout: SystemLayout, serverName: string): string {
  const L = layout.servers.find((s) => s.name === serverName)!;
  const out = [`/* Slots and addresses of ${serverName} (boot test). */`, "#pragma once", "#define TEST_NTFN_BADGE_MARK (1ul << 27)"];
  const probe = layout.servers.find((s) => s.name === "ping")?.slots.find((s) => s.kind === "use_ep");
  if (probe) out.push(`#define TEST_PROBE_SLOT ${probe.slot} /* where ping holds its endpoint to pong */`);
  for (const s of L.slots) if (s.kind !== "reserved") out.push(`#define ${s.cname} ${s.slot}`);
  out.push(`#define ${serverName.toUpperCase()}_CAP_TCB 5`);
  for (const v of L.vaddrs) out.push(`#define ${v.cname} 0x${v.vaddr.toString(16)}ul`);
  return out.join("\n") + "\n";
}
