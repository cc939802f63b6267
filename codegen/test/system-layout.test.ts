// SPDX-License-Identifier: BSD-2-Clause
/**
 * The capability layout of the example systems: exact slots and badges for examples/hello,
 * least privilege, determinism under reordering, the nt-posix example's devices, notifications,
 * shared buffers and cost accounting, and the layout.txt / system.json emitters.
 */

import { describe, expect, it } from "vitest";
import path from "node:path";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { defineSystem } from "../src/api/index.ts";
import { loadedFromSpec } from "../src/parse/system/loader.ts";
import { resolveSystem } from "../src/model/resolve-system.ts";
import { NTFN_BADGE_MARK, ROOT_SERVICE_BADGE, computeLayout } from "../src/model/layout.ts";
import { VADDR } from "../src/model/layout-vspace.ts";
import type { ServerLayout, SystemLayout } from "../src/model/system.ts";
import { emitLayoutTxt } from "../src/emit/layout-txt.ts";
import { emitSystemJson } from "../src/emit/system-json.ts";
import { ROOT, compileFixture, fakeIdl } from "./system-helpers.ts";

const example = (name: string) => path.relative(process.cwd(), path.join(ROOT, `examples/${name}/system.ts`));

const slotsOf = (L: ServerLayout) => L.slots.filter((s) => s.kind !== "reserved").map((s) => [s.slot, s.kind, s.cname, s.object ?? "-", s.badge ?? "-"]);
const server = (layout: SystemLayout, name: string) => layout.servers.find((s) => s.name === name)!;

describe("layout of examples/hello", async () => {
  const c = await compileFixture(example("hello"));
  const layout = c.layout!;

  it("compiles without diagnostics", () => {
    expect(c.bag.items).toEqual([]);
    expect(layout.servers.map((s) => s.name)).toEqual(["client", "echo", "intruder", "rtc", "uart"]);
  });

  it("gives client one badged endpoint to echo", () => {
    const L = server(layout, "client");
    expect(slotsOf(L)).toEqual([
      [8, "ntfn", "CLIENT_CAP_NTFN", "ntfn:client", "-"],
      [9, "use_ep", "CLIENT_CAP_ECHO", "ep:echo", 1],
      [10, "use_ep", "CLIENT_CAP_SERIAL", "ep:uart", 1],
      [11, "use_ep", "CLIENT_CAP_TIMER", "ep:rtc", 1],
    ]);
    expect(L.slots[9].rights).toEqual({ read: false, write: true, grant: false, grantReply: true });
    expect(L.cnodeBits).toBe(4);
    expect(L.recvSlot).toBeUndefined();
  });

  it("gives echo its endpoint, a receive slot and four reply slots", () => {
    const L = server(layout, "echo");
    expect(slotsOf(L)).toEqual([
      [8, "serve_ep", "ECHO_CAP_EP", "ep:echo", "-"],
      [9, "ntfn", "ECHO_CAP_NTFN", "ntfn:echo", "-"],
      [10, "recv", "ECHO_CAP_RECV", "-", "-"],
      [11, "reply", "ECHO_CAP_REPLY_0", "-", "-"],
      [12, "reply", "ECHO_CAP_REPLY_1", "-", "-"],
      [13, "reply", "ECHO_CAP_REPLY_2", "-", "-"],
      [14, "reply", "ECHO_CAP_REPLY_3", "-", "-"],
    ]);
    expect(L.recvSlot).toBe(10);
    expect(L.replySlots).toEqual([11, 12, 13, 14]);
    expect(L.badges).toEqual([{ badge: 1, client: "client", interface: "echo" }]);
    expect(L.cnodeBits).toBe(5);
  });

  it("gives the uart driver its notification, IRQ handler and uncached MMIO window", () => {
    const L = server(layout, "uart");
    expect(slotsOf(L)).toEqual([
      [8, "serve_ep", "UART_CAP_EP", "ep:uart", "-"],
      [9, "ntfn", "UART_CAP_NTFN", "ntfn:uart", "-"],
      [10, "irq_handler", "UART_CAP_IRQ_PL011", "irq:uart.pl011", NTFN_BADGE_MARK | 1],
      [11, "recv", "UART_CAP_RECV", "-", "-"],
      [12, "reply", "UART_CAP_REPLY_0", "-", "-"],
      [13, "reply", "UART_CAP_REPLY_1", "-", "-"],
      [14, "reply", "UART_CAP_REPLY_2", "-", "-"],
      [15, "reply", "UART_CAP_REPLY_3", "-", "-"],
    ]);
    // MMIO windows are placed system-wide in server-name order, each followed by a guard page:
    // rtc's PL031 first, then this one.
    expect(L.vaddrs.find((v) => v.kind === "mmio")).toEqual({
      cname: "UART_VADDR_PL011",
      kind: "mmio",
      vaddr: VADDR.mmio + 0x2000,
      sizeBytes: 4096,
      object: "mmio:uart.pl011",
      perms: "rw",
      cached: false,
    });
    expect(layout.objects.find((o) => o.id === "mmio:uart.pl011")).toMatchObject({ paddr: 0x09000000, pages: 1, costBytes: 0 });
    expect(layout.objects.find((o) => o.id === "irq:uart.pl011")).toMatchObject({ irq: 33, irqTrigger: "level" });
  });

  it("gives the rtc driver the PL031's window and IRQ 34 and reply slots for sleepers", () => {
    const L = server(layout, "rtc");
    expect(slotsOf(L).slice(0, 3)).toEqual([
      [8, "serve_ep", "RTC_CAP_EP", "ep:rtc", "-"],
      [9, "ntfn", "RTC_CAP_NTFN", "ntfn:rtc", "-"],
      [10, "irq_handler", "RTC_CAP_IRQ_PL031", "irq:rtc.pl031", NTFN_BADGE_MARK | 1],
    ]);
    expect(L.replySlots).toHaveLength(4);
    expect(L.vaddrs.find((v) => v.kind === "mmio")).toMatchObject({ cname: "RTC_VADDR_PL031", vaddr: VADDR.mmio, cached: false });
    expect(layout.objects.find((o) => o.id === "mmio:rtc.pl031")).toMatchObject({ paddr: 0x09010000, pages: 1, costBytes: 0 });
    expect(layout.objects.find((o) => o.id === "irq:rtc.pl031")).toMatchObject({ irq: 34, irqTrigger: "level" });
  });

  it("fills only slots 1 (own CNode) and 2 (fault endpoint, badged by server order) of the reserved ones", () => {
    layout.servers.forEach((L, i) => {
      const filled = L.slots.filter((s) => s.slot < 8 && s.object).map((s) => [s.slot, s.object, s.badge]);
      expect(filled).toEqual([
        [1, `cnode:${L.name}`, undefined],
        [2, "ep:root.fault", i + 1],
      ]);
    });
  });

  it("is least privilege: only declared uses give endpoint caps (intruder cannot reach echo)", () => {
    for (const L of layout.servers) {
      const model = c.model!.servers.find((s) => s.name === L.name)!;
      const eps = L.slots.filter((s) => s.kind === "use_ep").map((s) => s.object);
      expect([...eps].sort()).toEqual(model.uses.map((u) => `ep:${u.server}`).sort());
    }
    const intruder = server(layout, "intruder");
    // Its own notification and nothing else: no endpoint to anyone.
    expect(intruder.slots.filter((s) => s.slot >= 8).map((s) => [s.kind, s.object])).toEqual([["ntfn", "ntfn:intruder"]]);
    expect(intruder.slots.some((s) => s.object === "ep:echo")).toBe(false);
  });

  it("uses the fixed address map (the loader places IPC buffer and stack, so they get no address)", () => {
    const L = server(layout, "echo");
    expect(L.vaddrs.map((v) => [v.kind, v.vaddr, v.sizeBytes])).toEqual([["heap", 0x10_2000_0000, 65536]]);
    // They still cost memory.
    expect(layout.objects.find((o) => o.id === "stack:echo")?.costBytes).toBe(16384);
    expect(layout.objects.find((o) => o.id === "ipcbuf:echo")?.costBytes).toBe(4096);
  });

  it("counts the untyped cost honestly", () => {
    const objects = layout.objects.reduce((a, o) => a + o.costBytes, 0);
    const perServer = layout.servers.reduce((a, s) => a + s.costBytes, 0);
    expect(perServer + 16 /* the root server's fault endpoint */).toBe(layout.untypedBytesUsed);
    expect(layout.untypedBytesUsed).toBeGreaterThan(objects);
    expect(layout.objects.find((o) => o.id === "cnode:echo")?.costBytes).toBe(2 ** (5 + 5));
    expect(layout.objects.find((o) => o.id === "tcb:echo")?.costBytes).toBe(2048);
  });

  it("does not depend on the order of servers in system.ts", () => {
    const spec = c.loaded!.spec;
    const emit = (servers: typeof spec.servers) => {
      const bag = new DiagnosticBag();
      const model = resolveSystem(loadedFromSpec(defineSystem({ ...spec, servers }), c.loaded!.file), fakeIdl(), bag)!;
      const l = computeLayout(model, bag);
      expect(bag.items).toEqual([]);
      return { layout: JSON.stringify(l), json: emitSystemJson(model, l)[0].text, txt: emitLayoutTxt(model, l)[0].text };
    };
    const base = emit(spec.servers);
    const [a, b, cc, d, e] = spec.servers;
    for (const order of [[e, d, cc, b, a], [b, d, e, a, cc], [cc, a, d, b, e]]) expect(emit(order)).toEqual(base);
    expect(base.layout).toBe(JSON.stringify(layout));
  });
});

describe("layout of examples/nt-posix", async () => {
  const c = await compileFixture(example("nt-posix"));
  const layout = c.layout!;

  it("compiles without diagnostics", () => {
    expect(c.bag.items).toEqual([]);
    expect(layout.servers.map((s) => s.name)).toEqual(["fat", "ntexec", "pathmgr", "procmgr", "serial", "shell", "timer", "tmpfs", "virtio_blk"]);
  });

  it("finds the virtio-mmio transport QEMU fills first (the highest)", () => {
    const disk = c.model!.servers.find((s) => s.name === "virtio_blk")!.devices[0];
    expect(disk).toMatchObject({ name: "disk", paddr: 0x0a003000, offset: 0xe00, size: 4096, irq: 79, irqTrigger: "edge" });
    const v = server(layout, "virtio_blk").vaddrs.find((x) => x.kind === "mmio");
    // MMIO windows are placed system-wide in server-name order: serial's pl011, timer's rtc, then
    // this one, each followed by a guard page.
    expect(v).toMatchObject({ cname: "VIRTIO_BLK_VADDR_DISK", vaddr: VADDR.mmio + 0x4000, offset: 0xe00, cached: false });
  });

  it("badges clients per server in client-name order", () => {
    expect(server(layout, "pathmgr").badges.map((b) => [b.badge, b.client])).toEqual([
      [1, "fat"],
      [2, "ntexec"],
      [3, "procmgr"],
      [4, "shell"],
      [5, "tmpfs"],
    ]);
    // pathreg's register carries a cap, so its clients may grant; pathmgr's resolve does not.
    const use = server(layout, "tmpfs").slots.find((s) => s.cname === "TMPFS_CAP_PATHREG")!;
    expect(use).toMatchObject({ kind: "use_ep", object: "ep:pathmgr", badge: 5 });
    expect(use.rights.grant).toBe(true);
    const resolve = server(layout, "shell").slots.find((s) => s.cname === "SHELL_CAP_PATHMGR")!;
    expect(resolve.rights.grant).toBe(false);
  });

  it("orders a server's slots: serve_ep, ntfn, uses by `as`, signals, IRQs, spawn, recv, replies", () => {
    expect(slotsOf(server(layout, "ntexec")).slice(0, 8)).toEqual([
      [8, "serve_ep", "NTEXEC_CAP_EP", "ep:ntexec", "-"],
      [9, "ntfn", "NTEXEC_CAP_NTFN", "ntfn:ntexec", "-"],
      [10, "use_ep", "NTEXEC_CAP_FATFS", "ep:fat", 1],
      [11, "use_ep", "NTEXEC_CAP_PATHMGR", "ep:pathmgr", 2],
      [12, "use_ep", "NTEXEC_CAP_SERIAL", "ep:serial", 1],
      [13, "use_ep", "NTEXEC_CAP_TIMER", "ep:timer", 1],
      [14, "spawn_ep", "NTEXEC_CAP_SPAWN", "ep:root.fault", 0x1000000 | server(layout, "ntexec").slots[2].badge!],
      [15, "recv", "NTEXEC_CAP_RECV", "-", "-"],
    ]);
    expect(server(layout, "ntexec").replySlots).toHaveLength(16);
    expect(slotsOf(server(layout, "serial"))).toEqual([
      [8, "serve_ep", "SERIAL_CAP_EP", "ep:serial", "-"],
      [9, "ntfn", "SERIAL_CAP_NTFN", "ntfn:serial", "-"],
      [10, "signal", "SERIAL_CAP_SIGNAL_SHELL", "ntfn:shell", NTFN_BADGE_MARK | 1],
      [11, "irq_handler", "SERIAL_CAP_IRQ_PL011", "irq:serial.pl011", NTFN_BADGE_MARK | 1],
      [12, "recv", "SERIAL_CAP_RECV", "-", "-"],
      [13, "reply", "SERIAL_CAP_REPLY_0", "-", "-"],
      [14, "reply", "SERIAL_CAP_REPLY_1", "-", "-"],
      [15, "reply", "SERIAL_CAP_REPLY_2", "-", "-"],
      [16, "reply", "SERIAL_CAP_REPLY_3", "-", "-"],
    ]);
  });

  it("maps a shared buffer at both ends of an interface that needs one", () => {
    const b = server(layout, "virtio_blk").badges.find((x) => x.client === "fat")!;
    // Placed system-wide in server-name order: fat's side (after fat's other buffers and
    // their guard page), later virtio_blk's side at an address of its own.
    expect(b.shm).toEqual({ object: "shm:virtio_blk.fat.blockdev", serverVaddr: VADDR.shm + 0x2_5000, clientVaddr: VADDR.shm + 0x5000, sizeBytes: 65536 });
    expect(server(layout, "virtio_blk").vaddrs.find((v) => v.object === b.shm!.object)?.vaddr).toBe(b.shm!.serverVaddr);
    expect(server(layout, "fat").vaddrs.find((v) => v.object === b.shm!.object)?.cname).toBe("FAT_VADDR_SHM_BLOCKDEV");
    expect(layout.objects.find((o) => o.id === b.shm!.object)).toMatchObject({ type: "frame", pages: 16, costBytes: 65536 });
  });

  it("maps shared regions into every server that asks, once as an object", () => {
    const klog = layout.objects.filter((o) => o.id === "region:klog");
    expect(klog).toHaveLength(1);
    // One object, mapped once per server at an address of its own (ntexec first by name).
    expect(server(layout, "ntexec").vaddrs.find((v) => v.object === "region:klog")).toMatchObject({ vaddr: VADDR.regions, perms: "rw" });
    expect(server(layout, "serial").vaddrs.find((v) => v.object === "region:klog")).toMatchObject({ vaddr: VADDR.regions + 0x1_1000, perms: "r" });
  });

  it("gives MMIO windows, shared buffers and regions addresses no other server uses (the host target shares one address space)", () => {
    const placed = layout.servers.flatMap((L) => L.vaddrs.filter((v) => v.kind === "mmio" || v.kind === "shm" || v.kind === "region").map((v) => ({ ...v, server: L.name })));
    expect(placed.length).toBeGreaterThanOrEqual(8);
    for (const a of placed)
      for (const b of placed)
        if (a !== b) expect(a.vaddr + a.sizeBytes <= b.vaddr || b.vaddr + b.sizeBytes <= a.vaddr, `${a.server} ${a.cname} overlaps ${b.server} ${b.cname}`).toBe(true);
    // IPC buffer, stack and heap stay at the same address in every server.
    const heaps = new Set(layout.servers.map((L) => L.vaddrs.find((v) => v.kind === "heap")?.vaddr));
    expect([...heaps]).toEqual([VADDR.heap]);
  });

  it("does not depend on the order of servers or regions in system.ts", () => {
    const spec = c.loaded!.spec;
    const bag = new DiagnosticBag();
    const reordered = defineSystem({ ...spec, servers: [...spec.servers].reverse(), memory: [...(spec.memory ?? [])].reverse() });
    const model = resolveSystem(loadedFromSpec(reordered, c.loaded!.file), fakeIdl(), bag)!;
    expect(bag.items).toEqual([]);
    expect(emitSystemJson(model, computeLayout(model, bag))).toEqual(emitSystemJson(c.model!, layout));
  });

  it("gives spawn caps on the fault endpoint, badged as the process service plus the fault badge, and counts spawn pools", () => {
    const procmgr = server(layout, "procmgr");
    expect(procmgr.slots.find((s) => s.kind === "spawn_ep")).toMatchObject({ object: "ep:root.fault", badge: ROOT_SERVICE_BADGE | procmgr.slots[2].badge! });
    expect(procmgr.serviceBadge).toBe(ROOT_SERVICE_BADGE | procmgr.slots[2].badge!);
    expect(server(layout, "procmgr").costBytes).toBeGreaterThan(32 * 1024 * 1024);
    expect(layout.untypedBytesUsed).toBeLessThanOrEqual(layout.untypedBytesBudget);
  });
});

describe("layout of examples/launcher (programs)", async () => {
  const c = await compileFixture(example("launcher"));
  const layout = c.layout!;
  const program = (name: string) => layout.programs.find((p) => p.name === name)!;

  it("lays out programs beside the servers, creating nothing for them", () => {
    expect(c.bag.items).toEqual([]);
    expect(layout.servers.map((s) => s.name)).toEqual(["echo", "launcher"]);
    expect(layout.programs.map((p) => p.name)).toEqual(["big", "blocker", "child", "crasher", "nester", "probe", "trivial"]);
    expect(layout.objects.map((o) => o.id).filter((id) => /child|probe|trivial/.test(id))).toEqual([]);
  });

  it("leaves a program's uses empty for its spawner, its fault badge and notification for the root server", () => {
    const L = program("child");
    expect(slotsOf(L)).toEqual([
      [8, "ntfn", "CHILD_CAP_NTFN", "ntfn:child", "-"],
      [9, "use_ep", "CHILD_CAP_ECHO", "-", "-"],
    ]);
    expect(L.slots[2].object).toBe("ep:root.fault");
    expect(L.slots[2].badge).toBeUndefined();
    expect(L.vaddrs.map((v) => [v.kind, v.vaddr])).toEqual([["heap", VADDR.heap]]);
    expect(L.costBytes).toBeGreaterThan(64 * 1024);
  });

  it("gives the spawner a service cap on the fault endpoint and charges its pool", () => {
    const L = server(layout, "launcher");
    const spawn = L.slots.find((s) => s.kind === "spawn_ep")!;
    expect(spawn).toMatchObject({ cname: "LAUNCHER_CAP_SPAWN", object: "ep:root.fault", badge: ROOT_SERVICE_BADGE | L.slots[2].badge! });
    expect(spawn.rights).toEqual({ read: false, write: true, grant: false, grantReply: true });
    expect(L.costBytes).toBeGreaterThan(4 * 1024 * 1024);
    expect(program("big").costBytes).toBeGreaterThan(4 * 1024 * 1024);
  });
});

describe("layout of examples/storage (DMA memory)", async () => {
  const c = await compileFixture(example("storage"));
  const layout = c.layout!;

  it("gives the driver contiguous DMA frames charged as one power-of-two untyped, and an info page", () => {
    expect(c.bag.items).toEqual([]);
    const dma = layout.objects.find((o) => o.id === "dma:virtio_blk");
    expect(dma).toMatchObject({ type: "frame", sizeBits: 12, pages: 128, dma: true, costBytes: 512 * 1024 });
    expect(layout.objects.find((o) => o.id === "dmainfo:virtio_blk")).toMatchObject({ pages: 1, dmaInfoOf: "dma:virtio_blk", costBytes: 4096 });
  });

  it("maps the DMA memory read-write (cached: virtio is coherent) and its info page read-only, in the region area", () => {
    const v = server(layout, "virtio_blk").vaddrs.filter((x) => x.kind === "dma" || x.kind === "dma_info");
    expect(v.map((x) => [x.cname, x.vaddr, x.sizeBytes, x.perms, x.cached])).toEqual([
      ["VIRTIO_BLK_VADDR_DMA", VADDR.regions, 0x80000, "rw", true],
      ["VIRTIO_BLK_VADDR_DMA_INFO", VADDR.regions + 0x81000, 0x1000, "r", true],
    ]);
  });

  it("emits RS_OBJ_DMA and an info page that names it", async () => {
    const { emitRootTables } = await import("../src/emit/root-tables.ts");
    const text = emitRootTables(c.model!, layout)[0].text;
    expect(text).toMatch(/\[0\] = \{ \.id = "dma:virtio_blk", \.type = RS_OBJ_DMA, \.size_bits = 12, \.pages = 128u \}/);
    expect(text).toMatch(/\[1\] = \{ \.id = "dmainfo:virtio_blk", \.type = RS_OBJ_DMA_INFO, \.size_bits = 12, \.pages = 1u, \.of = 0u \}/);
  });

  it("gives a run of 32 virtio transports one window and 32 IRQ handlers on one badge bit", () => {
    const disk = c.model!.servers.find((x) => x.name === "virtio_blk")!.devices[0];
    expect(disk).toMatchObject({ name: "disk", paddr: 0x0a000000, size: 0x4000, irq: 48, irqTrigger: "edge" });
    expect(disk.offset).toBeUndefined();
    expect(disk.irqs).toEqual(Array.from({ length: 32 }, (_, k) => 48 + k));
    const irqSlots = server(layout, "virtio_blk").slots.filter((x) => x.kind === "irq_handler");
    expect(irqSlots).toHaveLength(32);
    expect(irqSlots.map((x) => x.slot)).toEqual(Array.from({ length: 32 }, (_, k) => irqSlots[0].slot + k));
    expect(new Set(irqSlots.map((x) => x.badge))).toEqual(new Set([NTFN_BADGE_MARK | 1]));
    expect([irqSlots[0].cname, irqSlots[31].cname, irqSlots[31].object]).toEqual(["VIRTIO_BLK_CAP_IRQ_DISK", "VIRTIO_BLK_CAP_IRQ_DISK_31", "irq:virtio_blk.disk.31"]);
    expect(layout.objects.find((o) => o.id === "irq:virtio_blk.disk.31")).toMatchObject({ type: "irq_handler", irq: 79 });
  });

  it("maps uncached DMA memory as device memory when asked", async () => {
    const spec = defineSystem({
      name: "t",
      servers: [{ kind: "driver", name: "sd", devices: [], dma: { size: "8K", cached: false } }],
    });
    const bag = new DiagnosticBag();
    const model = resolveSystem(loadedFromSpec(spec), fakeIdl([]), bag)!;
    const v = computeLayout(model, bag).servers[0].vaddrs.find((x) => x.kind === "dma");
    expect(bag.items).toEqual([]);
    expect(v).toMatchObject({ sizeBytes: 0x2000, cached: false });
  });
});

describe("emitters", async () => {
  const c = await compileFixture(example("hello"));

  it("writes layout.txt with tables, badges, totals and a diagram", () => {
    const [f] = emitLayoutTxt(c.model!, c.layout!);
    expect(f.path).toBe("layout.txt");
    expect(f.text.startsWith(`# Generated by neptune-gen from ${c.model!.file}. Do not edit.\n`)).toBe(true);
    expect(f.text).toContain("  client   --[echo]--> echo\n");
    expect(f.text).toContain("  intruder (holds no cap to any server)\n");
    expect(f.text).toMatch(/\n {5}9 {2}use_ep {4}CLIENT_CAP_ECHO {11}ep:echo {12}1 {2}-W-P {4}call echo on echo/);
    expect(f.text).toMatch(/total \d+ bytes \(\d+\.\dM\) of 64M budget/);
  });

  it("writes system.json with sorted keys and no source positions", () => {
    const [f] = emitSystemJson(c.model!, c.layout!);
    expect(f.path).toBe("system.json");
    const j = JSON.parse(f.text);
    expect(Object.keys(j)).toEqual(["generator", "interfaces", "layout", "source", "system", "version"]);
    expect(Object.keys(j.system.servers[0])).toEqual([...Object.keys(j.system.servers[0])].sort());
    expect(f.text).not.toContain('"pos"');
    expect(j.layout.servers[0].slots[9].cname).toBe("CLIENT_CAP_ECHO");
    expect(f.text.split("\n")[1]).toBe('  "generator": "neptune-gen",');
  });
});
