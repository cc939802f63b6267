// SPDX-License-Identifier: BSD-2-Clause
/**
 * `neptune-gen disk create` (codegen/src/disk/create.ts): blank images of the asked size, FAT
 * images that fsck.fat accepts with the --from folder's files in them (read back with mtools),
 * and each mistake reported with its hint: bad size, unknown FAT type, a FAT32 volume too small
 * for mkfs.fat, --from without a file system or not a folder, an existing file, a missing tool
 * (with the apt command).
 */

import { execa } from "execa";
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { createDisk, findTool, type DiskOptions } from "../src/disk/create.ts";
import { defineSystem } from "../src/api/index.ts";
import { loadedFromSpec } from "../src/parse/system/loader.ts";
import { resolveSystem } from "../src/model/resolve-system.ts";
import { qemuCommand } from "../src/run/qemu.ts";
import { hostRunCommand } from "../src/build/host.ts";
import { fakeIdl } from "./system-helpers.ts";

const tmp = () => mkdtempSync(path.join(os.tmpdir(), "ng-disk-"));
const haveTools = findTool("mkfs.fat") !== undefined && findTool("mcopy") !== undefined && findTool("fsck.fat") !== undefined;

async function errorOf(opts: DiskOptions): Promise<{ message: string; hint?: string }> {
  const bag = new DiagnosticBag();
  expect(await createDisk(opts, bag)).toBeUndefined();
  expect(bag.errors).toHaveLength(1);
  return { message: bag.errors[0].message, hint: bag.errors[0].hint };
}

describe("disk create", () => {
  it("makes a blank image of the asked size", async () => {
    const out = path.join(tmp(), "blank.img");
    const bag = new DiagnosticBag();
    expect(await createDisk({ out, size: "3M" }, bag)).toBe(3 << 20);
    expect(statSync(out).size).toBe(3 << 20);
  });

  it.skipIf(!haveTools)("makes FAT12, FAT16 and FAT32 images fsck.fat accepts, with the folder's files", async () => {
    const dir = tmp();
    const from = path.join(dir, "files");
    mkdirSync(path.join(from, "sub"), { recursive: true });
    writeFileSync(path.join(from, "hello.txt"), "hello, disk\n");
    writeFileSync(path.join(from, "sub", "a long file name.bin"), Buffer.alloc(5000, 7));
    for (const [fat, size] of [[12, "2M"], [16, "32M"], [32, "64M"]] as const) {
      const out = path.join(dir, `fat${fat}.img`);
      const bag = new DiagnosticBag();
      expect(await createDisk({ out, size, fat, from }, bag), bag.format()).toBe(statSync(out).size);
      const fsck = await execa(findTool("fsck.fat")!, ["-n", out], { reject: false, all: true });
      expect(fsck.exitCode, fsck.all).toBe(0);
      expect(fsck.stdout).toMatch(/: \d+ files, \d+\/\d+ clusters$/m);
      const env = { MTOOLS_SKIP_CHECK: "1" };
      const type = await execa(findTool("mtype")!, ["-i", out, "::/hello.txt"], { env });
      expect(type.stdout).toBe("hello, disk");
      const dirOut = await execa(findTool("mdir")!, ["-i", out, "::/sub"], { env });
      expect(dirOut.stdout).toMatch(/a long file name\.bin/);
    }
  });

  it("reports each mistake with a hint", async () => {
    const dir = tmp();
    const out = path.join(dir, "x.img");
    expect(await errorOf({ out, size: "lots" })).toEqual({
      message: `--size: 'lots' is not a size; write a byte count or a number with K, M or G ("16K", "2M")`,
      hint: "e.g. --size 64M",
    });
    expect((await errorOf({ out, size: 1000 })).message).toBe("--size 1000 is not a whole number of 512-byte sectors of at least 64K");
    expect((await errorOf({ out, size: "1M", fat: 13 as 12 })).hint).toBe("use --fat 12, 16 or 32");
    expect(await errorOf({ out, size: "16M", fat: 32 })).toEqual({
      message: "a FAT32 volume of 16M is too small (mkfs.fat needs at least 65525 clusters)",
      hint: "use --size 64M or more, or --fat 16",
    });
    expect((await errorOf({ out, size: "1M", from: dir })).hint).toBe("add --fat 12, 16 or 32");
    expect((await errorOf({ out, size: "1M", fat: 12, from: path.join(dir, "nope") })).message).toMatch(/is not a folder$/);
    writeFileSync(out, "");
    expect(await errorOf({ out, size: "1M" })).toEqual({ message: `${out} exists already`, hint: "remove it, or pass --force to replace it" });
    expect(await errorOf({ out: path.join(dir, "y.img"), size: "1M", fat: 12, toolDirs: [dir] })).toEqual({
      message: "mkfs.fat (dosfstools) is not installed",
      hint: "install it: sudo apt-get install dosfstools mtools",
    });
  });
});

describe("attaching a disk", () => {
  it("takes system.ts's disk relative to system.ts", () => {
    const bag = new DiagnosticBag();
    const model = resolveSystem(loadedFromSpec(defineSystem({ name: "t", disk: "images/d.img", servers: [] }), "/p/sys/system.ts"), fakeIdl([]), bag);
    expect(bag.items).toEqual([]);
    expect(model?.disk).toBe("/p/sys/images/d.img");
  });

  it("gives QEMU a virtio-blk device on the image (modern on request) and the host program --disk", () => {
    const q = qemuCommand("qemu-arm-virt", "img", { disk: "/d/a,b.img" })!;
    expect(q.args.join(" ")).toMatch(/-drive file=\/d\/a,,b\.img,if=none,format=raw,id=hd0 -device virtio-blk-device,drive=hd0$/);
    expect(qemuCommand("qemu-arm-virt", "img", { disk: "d.img", virtioModern: true })!.args.slice(-2)).toEqual(["-global", "virtio-mmio.force-legacy=false"]);
    expect(hostRunCommand("neptune-host", { disk: "/d/x.img", virtioModern: true }).args).toEqual(["--disk", "/d/x.img", "--virtio-modern"]);
  });
});
