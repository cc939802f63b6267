// SPDX-License-Identifier: BSD-2-Clause
/**
 * The block-device example (examples/storage): the virtio-blk driver with its DMA memory and two
 * clients that write, read back and checksum blocks at the same time (several requests in
 * flight), and whose bad requests are refused.
 *
 * - host target (always): the same driver source against the host's virtio-blk model over a
 *   disk-image file, legacy and modern register layouts, under ASan/UBSan; afterwards the image
 *   holds exactly the pattern the clients report (checked here from the file).
 * - seL4 in QEMU (needs NEPTUNE_SEL4_WORKSPACE, else a visible skip): `neptune-gen run --disk`
 *   with QEMU's legacy virtio-mmio and with `--virtio-modern` (force-legacy=false).
 */

import { execa } from "execa";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { buildHost, hostRunCommand } from "../src/build/host.ts";
import { createDisk } from "../src/disk/create.ts";
import { runConsole } from "../src/run/console.ts";
import { formatBlkBench, parseBlkBench } from "../../scripts/bench-blk.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
const SYSTEM = "examples/storage/system.ts";
const workspace = process.env.NEPTUNE_SEL4_WORKSPACE;
const skipReason = workspace ? undefined : "NEPTUNE_SEL4_WORKSPACE is not set: no seL4 sources to build an image from";

/** What both targets must print (v: the virtio-mmio version). */
export function storageExpect(v: 1 | 2): RegExp[] {
  const out = [
    new RegExp(`virtio_blk: block device at window offset 0x3e00, virtio-mmio v${v} \\(${v === 1 ? "legacy" : "modern"}\\), 32768 sectors \\(16 MiB\\)`),
    /virtio_blk: queue of \d+ in DMA memory at paddr 0x[0-9a-f]+ \(512 KiB\), up to 7 requests in flight, completion by IRQ/,
    /blktest_a: driver stats: \d+ requests completed, at most [2-7] in flight at once, \d+ refused \(ok\)/,
  ];
  for (const t of ["a", "b"]) {
    out.push(
      new RegExp(`blktest_${t}: disk "virtio-blk \\(virtio-mmio v${v}\\)": 32768 blocks of 512 bytes, max transfer 65536`),
      new RegExp(`blktest_${t}: wrote 8 x 64 KiB at block \\d+, read back 8/8 with matching checksums \\(\\d matched before writing\\) \\(ok\\)`),
      new RegExp(`blktest_${t}: read past the end -> 17 \\(refused as expected\\)`),
      new RegExp(`blktest_${t}: read of 0 blocks -> 19 \\(refused as expected\\)`),
      new RegExp(`blktest_${t}: read of 129 blocks -> 19 \\(refused as expected\\)`),
      new RegExp(`blktest_${t}: write of 100 bytes -> 19 \\(refused as expected\\)`),
      new RegExp(`blktest_${t}: malformed read_blocks -> 1 \\(refused as expected\\)`),
      new RegExp(`blktest_${t}: flush -> 0 \\(ok\\)`),
      new RegExp(`blktest_${t}: prefetch: [0-8] of 8 queued, 9/9 reads right, a write over a prefetched range read back new \\(ok\\)`),
      new RegExp(`blktest_${t}: prefetch past the end -> 17 \\(refused as expected\\)`),
      new RegExp(`blktest_${t}: prefetch of 0 blocks -> 19 \\(refused as expected\\)`),
      new RegExp(`blktest_${t}: done`),
    );
  }
  out.push(/blktest_a: bench: raw read of 4096 KiB in 64 KiB calls/);
  return out;
}

/** Prefetch is a hint and both clients compete for the driver's prefetch slots (half of its
 * request slots, shared), so one client may see every hint declined; the two together cannot. */
function expectPrefetchesTaken(log: string): void {
  const queued = [...log.matchAll(/blktest_[ab]: prefetch: (\d) of 8 queued/g)].map((m) => Number(m[1]));
  expect(queued.length, log).toBe(2);
  expect(queued[0] + queued[1], log).toBeGreaterThan(0);
}

async function blankDisk(): Promise<string> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "ng-storage-")), "disk.img");
  const bag = new DiagnosticBag();
  expect(await createDisk({ out: file, size: "16M" }, bag)).toBe(16 << 20);
  return file;
}

/** The run counter blktest keeps in the block before its range (the image, read from the host). */
function runCounter(disk: string, first: number): number {
  return readFileSync(disk).readUInt32LE((first - 1) * 512);
}

describe("bench:blk output", () => {
  it("reads blktest_a's figure and prints instructions per byte and per call", () => {
    const b = parseBlkBench("blktest_a: bench: raw read of 4096 KiB in 64 KiB calls: 869851 PMCCNTR_EL0 counts, 0.20 per byte\n");
    expect(b).toEqual({ kib: 4096, counts: 869851 });
    expect(formatBlkBench(b!, false)).toMatch(/per byte: 0\.21 {4}per 64 KiB call: 13591$/m);
    expect(parseBlkBench("blktest_a: bench: raw read of 4096 KiB in 64 KiB calls (no cycle counter on this target)")).toBeUndefined();
  });
});

describe("storage example on the host target", () => {
  it("writes, reads back and checksums blocks through the driver, legacy then modern, and refuses bad requests", async () => {
    const bag = new DiagnosticBag();
    const built = await buildHost({ systemFile: path.join(ROOT, SYSTEM), buildDir: path.join(ROOT, "build/host-test/storage"), sanitize: true, bag });
    expect(bag.format()).toBe("");
    const disk = await blankDisk();
    for (const v of [1, 2] as const) {
      const r = await runConsole({
        ...hostRunCommand(built!.executable, { timeoutSec: 60, disk, virtioModern: v === 2 }),
        expect: storageExpect(v),
        fail: /ERROR: AddressSanitizer|runtime error:|boot failed|FAILED|WRONG|fault: server/,
        timeoutSec: 65,
        echo: false,
      });
      expect(r.ok, `${r.reason}\n--- console ---\n${r.log}`).toBe(true);
      expect(r.log).toMatch(new RegExp(`blktest_a: run ${v} on this disk`));
      expectPrefetchesTaken(r.log);
    }
    // The disk really changed: both clients' run counters are in the image file.
    expect(runCounter(disk, 2048)).toBe(2);
    expect(runCounter(disk, 4096)).toBe(2);
  }, 300_000);
});

describe.skipIf(!workspace)(`storage example on seL4 in QEMU${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const buildDir = path.join(os.tmpdir(), "neptune-test-storage-sel4");

  it("boots with run --disk, legacy and modern virtio-mmio", async () => {
    const disk = await blankDisk();
    for (const v of [1, 2] as const) {
      const args = ["run", "-s", SYSTEM, "-B", buildDir, "--disk", disk, "--timeout", "240", "--fail", "FAILED|WRONG"];
      if (v === 2) args.push("--virtio-modern");
      for (const re of storageExpect(v)) args.push("--expect", re.source);
      const run = await execa("node", [CLI, ...args], { cwd: ROOT, reject: false, all: true });
      expect(run.exitCode, run.all).toBe(0);
      expect(run.stdout).toMatch(/neptune rootserver: dma:virtio_blk: 512 KiB, physically contiguous at 0x[0-9a-f]+/);
      expectPrefetchesTaken(run.stdout);
    }
    expect(runCounter(disk, 2048)).toBe(2);
  }, 900_000);
});

describe.skipIf(!!workspace)("storage example on seL4 in QEMU", () => {
  it.skip(`skipped: ${skipReason}`, () => {});
});
