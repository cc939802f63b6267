// SPDX-License-Identifier: BSD-2-Clause
/**
 * One negative case per validation rule of the system description: each fixture under
 * fixtures/system/ breaks one rule, and the test asserts the exact message, hint and the
 * `file:line:col` of the offending property.
 */

import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { compileFixture, errorLines, fakeIdl, fakeIface, fixture } from "./system-helpers.ts";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { loadSystemFile } from "../src/parse/system/loader.ts";

const idl = fakeIdl([fakeIface("echo2", [{ name: "shout", label: 0x102 }])]);

/** [fixture, line:col, message, hint (optional)] */
const cases: [string, string, string, string?][] = [
  ["bad-name", "9:14", "server name 'my-client' is not a C identifier", "use letters, digits and '_', not starting with a digit (it names C constants and a CMake target)"],
  ["dup-server", "10:7", `server 'echo' is declared twice (first at ${fixture("dup-server.ts")}:8:14)`, "give each server its own name"],
  ["bad-size", "7:54", `stack: '-16K' is not a size; write a byte count or a number with K, M or G ("16K", "2M")`],
  ["priority", "11:7", "priority 300 is out of range 1..254", "seL4 priorities for servers are 1..254; the root server runs at 255"],
  ["unknown-iface", "9:37", "unknown interface 'ecoh'", "did you mean 'echo'?"],
  ["unserved", "9:45", "'client' uses interface 'timer', but no server serves it", `add serves: ["timer"] to the server that implements it`],
  ["ambiguous", "10:72", "interface 'fs' is served by tmpfs and fat; say which one 'shell' uses", `write { interface: "fs", server: "tmpfs" }`],
  ["wrong-server", "10:58", "server 'other' does not serve 'echo'", "it is served by: echo"],
  ["self-use", "7:61", "'echo' uses 'echo', which it serves itself"],
  ["program-no-spawner", "8:3", "the system declares programs, but no server may spawn them", "give the server that starts them spawn: { maxProcesses, memory }"],
  ["program-name-clash", "8:24", `program 'echo' has the name of a server (at ${fixture("program-name-clash.ts")}:7:22)`, "give the program its own name"],
  ["program-serves", "8:39", "unknown property 'serves'", "remove it, or check its spelling against the neptune-gen API"],
  ["notify-unknown", "9:40", "'timer' notifies unknown server 'shel'", "did you mean 'shell'?"],
  ["map-unknown", "8:64", "'log' maps unknown memory region 'dma'"],
  ["paddr-align", "10:33", "paddr 0x9000100 is not page-aligned"],
  ["device-size", "7:88", "device size 100 is not a multiple of 4K", "MMIO is mapped in 4K pages; round the size up to whole pages"],
  ["kernel-device", "7:60", "'arm,armv8-timer' belongs to the seL4 kernel on qemu-arm-virt; a driver cannot have it"],
  ["unknown-compatible", "7:59", "no device 'arm,pl01' on platform qemu-arm-virt", "did you mean 'arm,pl011'?"],
  ["unknown-platform", "7:3", "unknown platform 'qemu-arm-vrit'", "did you mean 'qemu-arm-virt'?"],
  [
    "overlap",
    "8:38",
    `device memory of 'uart.pl011' (0x9000000..0x9000fff) overlaps 'spy.regs' (0x9000000..0x9000fff) at ${fixture("overlap.ts")}:9:37`,
  ],
  ["irq-twice", "8:55", `IRQ 33 of 'uart.pl011' is already taken by 'gpio.regs' at ${fixture("irq-twice.ts")}:9:73`],
  [
    "label-collision",
    "7:53",
    "'both' serves 'echo' and 'echo2', whose methods echo.ping and echo2.shout both have label 0x102",
    "give one of them an explicit label (`shout(...) = N`) in idl/echo2.idl, or serve the interfaces from different servers",
  ],
  ["deferred", "7:54", "deferredReplies 65 is out of range 0..64"],
  ["cnode-small", "12:7", "cnodeBits 4 gives 16 slots, but 'echo' needs 21", "use cnodeBits: 5 (32 slots), or leave it out to get the smallest that fits"],
  [
    "untyped",
    "7:3",
    "the system needs 3M of untyped memory (2406992 bytes), more than its budget of 1M",
    `raise it: untyped: "3M" (or shrink stacks, heaps, regions or spawn pools; layout.txt lists the costs)`,
  ],
  ["restart", "7:67", "maxRestarts must be a whole number 1..1000, not 0", `use "never" to leave the server stopped, or "always" for no limit`],
  ["dup-region", "7:72", `memory region 'klog' is declared twice (first at ${fixture("dup-region.ts")}:7:27)`],
  ["dup-use", "10:74", "'shell' has two uses named 'fs' (the first is uses[0])", "give one of them a distinct name with `as`: { interface, server, as }"],
  ["notify-self", "7:48", "'timer' notifies itself"],
  ["region-vaddr", "8:40", "vaddr 0x400000 of region 'buf' overlaps the ELF image in 'a'"],
  ["stack-pages", "7:33", "stack 5000 is not a whole number of 4K pages"],
  ["cname-clash", "9:49", "slot constant FS_CAP_EP of 'fs' names two slots (8: serve_ep, 10: use_ep)", "rename the use with `as`"],
  ["virtio-index", "7:47", "device name 'virtio40' asks for 'virtio,mmio' number 40, but qemu-arm-virt has 32 (0..31)"],
  ["device-no-addr", "7:45", "device 'regs' needs a `compatible` string or a `paddr`", "qemu-arm-virt knows: arm,pl011, arm,pl031, arm,pl061, virtio,mmio"],
  ["compatible-paddr", "7:84", "no 'arm,pl011' at 0x9010000 on qemu-arm-virt", "it is at 0x9000000; or leave `paddr` out"],
  ["dma-size", "7:55", "dma size 5000 is not a whole number of 4K pages", `round it up, e.g. "64K"`],
  ["dma-big", "7:48", "dma size 64M is larger than 32M"],
  ["dma-server", "8:34", "unknown property 'dma'"],
  ["count-single", "7:88", "'arm,pl011' is a single device on qemu-arm-virt; count is for a family of identical devices", "remove count"],
  ["count-past", "7:92", "count 4 from 'virtio,mmio' number 30 goes past the last one (31)", "at most count: 2"],
  [
    "kernel-hyp-rpi3",
    "8:24",
    "platform rpi3 cannot run the kernel at EL2 (hypervisor): neptune-gen boots the Pi 3 at EL1 only (QEMU's raspi3b starts the kernel there)",
    "remove kernel.hypervisor, or build for qemu-arm-virt or rpi4",
  ],
  ["sched-non-mcs", "7:54", "'budget' needs the MCS kernel (scheduling contexts), but 'echo' is built for a non-MCS one", "set kernel: { mcs: true } in defineSystem, or remove 'budget'"],
  ["sched-budget", "8:54", "budget 2000 us is longer than period 1000 us", "a scheduling context gets at most its period's worth of time; shorten the budget or lengthen the period"],
  ["sched-passive", "8:36", "passive server 'idle' serves nothing: with no callers it would never run again after its start", "remove passive: true, or give it an interface to serve"],
  ["sched-time", "8:54", "period: 0 is not a whole, positive number of microseconds"],
  ["throws", "6:20", "system description threw: no server number 3"],
  ["no-default", "1:1", "the system description has no default export"],
  ["not-system", "5:1", "the default export is not a system description"],
];

describe("system description errors", () => {
  for (const [name, at, message, hint] of cases) {
    it(`${name}: ${message}`, async () => {
      const file = fixture(`${name}.ts`);
      const { bag } = await compileFixture(file, idl);
      expect(errorLines(bag)).toEqual([`${file}:${at}: error: ${message}`]);
      if (hint !== undefined) expect(bag.errors[0].hint).toBe(hint);
    });
  }

  it("count-irq: an IRQ inside a device range is taken (and, given against the table, contradicts it)", async () => {
    const file = fixture("count-irq.ts");
    const { bag } = await compileFixture(file, idl);
    expect(errorLines(bag)).toEqual([
      `${file}:9:96: error: irq 50 contradicts qemu-arm-virt's table: 'virtio,mmio' at 0xa003e00 raises IRQ 79`,
      `${file}:9:96: error: IRQ 50 of 'b.net' is already taken by 'a.virtio0' at ${file}:8:81`,
    ]);
  });

  it("points both at the overlapping devices", async () => {
    const { bag } = await compileFixture(fixture("overlap.ts"), idl);
    const note = bag.items.find((d) => d.severity === "note");
    expect(note && `${note.pos?.line}:${note.pos?.col} ${note.message}`).toBe("9:37 'spy.regs' is declared here");
  });

  it("reports an error in a local module at its line there", async () => {
    const { bag } = await compileFixture(fixture("multi/system.ts"), idl);
    expect(errorLines(bag)).toEqual([`${fixture("multi/common.ts")}:6:41: error: priority 300 is out of range 1..254`]);
  });

  it("reports TypeScript errors as file:line:col: error: TSxxxx and stops", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ng-system-"));
    const file = path.join(dir, "system.ts");
    writeFileSync(
      file,
      [
        `import { defineSystem, server } from "neptune-gen";`,
        `export default defineSystem({`,
        `  name: "t",`,
        `  servers: [server({ name: "a", priority: "high" })],`,
        `});`,
        ``,
      ].join("\n"),
    );
    const bag = new DiagnosticBag();
    expect(await loadSystemFile(file, bag)).toBeUndefined();
    expect(bag.errors).toHaveLength(1);
    const d = bag.errors[0];
    expect(`${d.pos?.line}:${d.pos?.col}`).toBe("4:33");
    expect(d.message).toMatch(/^TS2322: Type 'string' is not assignable to type 'number'/);
  });
});
