// SPDX-License-Identifier: BSD-2-Clause
/**
 * The FAT library (lib/fat) and the block cache (lib/bcache) on the host, built with gcc under
 * ASan/UBSan and driven by lib/fat/test/fat_tool.c against images made by mkfs.fat and filled
 * by mtools, for FAT12, FAT16 and FAT32:
 * - every file mcopy put there reads back with the SHA-256 the host computed;
 * - new files (long names; 0, 1, 4095, 4096 and 1 MiB + 7 bytes), mkdir/rmdir, renames across
 *   directories (a moved directory's ".." follows), truncation both ways and an unmount leave
 *   an image `fsck.fat -n` finds clean and whose files mtools reads back identical;
 * - a write stopped half-way (no unmount, cache lost) after a sync: no cross-linked clusters,
 *   the synced file intact;
 * - hostile images (bad BPB, loops, out-of-range clusters, absurd sizes) give error codes.
 * Without dosfstools or mtools the suite reports a skip with the reason.
 */

import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFatTool, fatSkipReason, fatTool, makeImage, mtool, sh } from "../../scripts/fat-lib.ts";

const skip = fatSkipReason();
if (skip) console.warn(`fat-lib: skipped: ${skip}`);

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
let dir: string;
let tool: string;

/** What mtools puts on each fresh image: path -> content. */
const SEED: [string, number][] = [
  ["readme.txt", 1234],
  ["UPPER.TXT", 10],
  ["Mixed Case Long Name.bin", 70_000],
  ["docs/notes.md", 5000],
  ["docs/deep/zero", 0],
  ["docs/deep/exactly4096", 4096],
];

function seedImage(img: string, type: 12 | 16 | 32): Map<string, Buffer> {
  makeImage(img, type);
  const files = new Map<string, Buffer>();
  mtool("mmd", img, ["::/docs", "::/docs/deep"]);
  for (const [p, n] of SEED) {
    const data = randomBytes(n);
    const host = path.join(dir, "seed.bin");
    writeFileSync(host, data);
    mtool("mcopy", img, [host, `::/${p}`]);
    files.set(p, data);
  }
  return files;
}

function ok(lines: string[], cmd: string): void {
  expect(lines.filter((l) => l.startsWith("err ")), `${cmd}: ${lines.join("\n")}`).toEqual([]);
}

beforeAll(() => {
  if (skip) return;
  dir = mkdtempSync(path.join(os.tmpdir(), "ng-fat-"));
  tool = path.join(dir, "fat_tool");
  buildFatTool(tool);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!!skip).each([12, 16, 32] as const)("FAT%i", (type) => {
  it("reads back every file mcopy wrote, with the host's SHA-256", () => {
    const img = path.join(dir, `read${type}.img`);
    const files = seedImage(img, type);
    const cmds: string[][] = [["mount", "ro"], ["info"], ["tree"]];
    for (const p of files.keys()) cmds.push(["get", p, path.join(dir, `out-${sha(Buffer.from(p)).slice(0, 8)}`)]);
    cmds.push(["unmount"]);
    const { lines } = fatTool(tool, img, cmds);
    ok(lines, "read");
    expect(lines).toContain(lines.find((l) => l.startsWith(`info\tFAT${type}\t`)));
    const listed = lines.filter((l) => l.startsWith("file\t")).map((l) => l.split("\t").slice(1).join(" ")).sort();
    expect(listed).toEqual([...files].map(([p, d]) => `${p} ${d.length}`).sort());
    expect(lines.filter((l) => l.startsWith("dir\t"))).toEqual(["dir\tdocs", "dir\tdocs/deep"]);
    for (const [p, data] of files) {
      const got = readFileSync(path.join(dir, `out-${sha(Buffer.from(p)).slice(0, 8)}`));
      expect(sha(got), p).toBe(sha(data));
    }
  });

  it("writes, makes and removes directories, renames, truncates; fsck.fat and mtools agree", () => {
    const img = path.join(dir, `write${type}.img`);
    seedImage(img, type);
    const put = (name: string, n: number) => {
      const data = randomBytes(n);
      const host = path.join(dir, `put-${n}`);
      writeFileSync(host, data);
      return { host, data };
    };
    const f0 = put("zero", 0), f1 = put("one", 1), f4095 = put("4095", 4095), f4096 = put("4096", 4096);
    const big = put("big", (1 << 20) + 7), grow = put("grow", 3000);
    const { lines } = fatTool(tool, img, [
      ["mount"],
      ["mkdir", "New Folder"],
      ["mkdir", "New Folder/a directory with a long name"],
      ["put", f0.host, "New Folder/empty file with a long name.txt"],
      ["put", f1.host, "one byte.bin"],
      ["put", f4095.host, "docs/almost a page (4095 bytes).dat"],
      ["put", f4096.host, "PAGE.BIN"],
      ["put", big.host, "New Folder/a directory with a long name/one MiB and seven bytes.data"],
      ["put", grow.host, "long file name one.txt"],
      ["put", f1.host, "long file name two.txt"],
      ["mkdir", "scratch"],
      ["mkdir", "scratch/inner"],
      ["rm", "scratch"],
      ["rm", "scratch/inner"],
      ["rm", "scratch"],
      ["mv", "docs/deep", "New Folder/deep moved"],
      ["mv", "readme.txt", "New Folder/readme renamed.txt"],
      ["truncate", "PAGE.BIN", "1000"],
      ["truncate", "long file name one.txt", "9000"],
      ["mv", "New Folder", "New Folder/deep moved/into itself"],
      ["mkdir", "New Folder"],
      ["ls", ""],
      ["info"],
      ["unmount"],
    ]);
    // The expected failures, in order: rm of a non-empty directory, a directory moved below
    // itself, mkdir over an existing name.
    expect(lines.filter((l) => l.startsWith("err "))).toEqual([
      "err rm: directory not empty",
      "err mv: invalid argument",
      "err mkdir: exists",
    ]);
    const root = lines.filter((l) => l.startsWith("entry\t")).map((l) => l.split("\t"));
    expect(root.map((e) => `${e[1]}|${e[2]}`).sort()).toEqual(
      ["Mixed Case Long Name.bin|MIXEDC~1.BIN", "New Folder|NEWFOL~1", "PAGE.BIN|PAGE.BIN", "UPPER.TXT|UPPER.TXT", "docs|docs",
        "long file name one.txt|LONGFI~1.TXT", "long file name two.txt|LONGFI~2.TXT", "one byte.bin|ONEBYT~1.BIN"].sort(),
    );
    // Timestamps come from the clock callback (NG_FAT_TIME, default 2023-11-14 22:13:20 UTC).
    expect(root.find((e) => e[1] === "one byte.bin")?.[5]).toBe("1700000000");
    const info = lines.find((l) => l.startsWith("info\t"))!.split("\t");
    if (type === 32) expect(info[5]).toBe(`free ${info[6].split(" ")[1]}`); // FSInfo's count is exact

    const fsck = sh("fsck.fat", ["-n", img]);
    expect(fsck.stdout + fsck.stderr).not.toMatch(/Dirty bit|wrong|share|Orphan|lost|bad/i);
    expect(fsck.status, fsck.stdout).toBe(0);

    const back = (p: string) => {
      const out = path.join(dir, "mcopy.out");
      rmSync(out, { force: true });
      mtool("mcopy", img, ["-n", `::/${p}`, out]);
      return readFileSync(out);
    };
    expect(sha(back("New Folder/a directory with a long name/one MiB and seven bytes.data"))).toBe(sha(big.data));
    expect(back("New Folder/empty file with a long name.txt").length).toBe(0);
    expect(sha(back("one byte.bin"))).toBe(sha(f1.data));
    expect(sha(back("docs/almost a page (4095 bytes).dat"))).toBe(sha(f4095.data));
    expect(sha(back("PAGE.BIN"))).toBe(sha(f4096.data.subarray(0, 1000)));
    expect(sha(back("long file name one.txt"))).toBe(sha(Buffer.concat([grow.data, Buffer.alloc(6000)])));
    expect(back("New Folder/deep moved/exactly4096").length).toBe(4096);
    // The moved directory's ".." names its new parent: mtools walks up through it.
    expect(mtool("mdir", img, ["-b", "::/New Folder/deep moved/.."])).toContain("readme renamed.txt");
    expect(mtool("mdir", img, ["::/"])).toContain("2023-11-14");
  });

  it("keeps synced files and never cross-links clusters when a write stops half-way", () => {
    const img = path.join(dir, `crash${type}.img`);
    seedImage(img, type);
    const kept = randomBytes(600_000), cut = randomBytes(1_500_000);
    writeFileSync(path.join(dir, "kept"), kept);
    writeFileSync(path.join(dir, "cut"), cut);
    const run = fatTool(tool, img, [
      ["mount"],
      ["put", path.join(dir, "kept"), "synced before the crash.bin"],
      ["rm", "Mixed Case Long Name.bin"],
      ["sync"],
      ["putcrash", path.join(dir, "cut"), "written during the crash.bin", "1000000"],
    ]);
    expect(run.lines).toContain("crash after 1000000 bytes");
    const fsck = sh("fsck.fat", ["-n", img]);
    expect(fsck.stdout).not.toMatch(/share clusters|cross/i);
    const again = fatTool(tool, img, [["mount"], ["get", "synced before the crash.bin", path.join(dir, "kept.out")], ["tree"], ["unmount"]]);
    ok(again.lines, "remount");
    expect(sha(readFileSync(path.join(dir, "kept.out")))).toBe(sha(kept));
    const out = path.join(dir, "kept.mcopy");
    rmSync(out, { force: true });
    mtool("mcopy", img, ["-n", "::/synced before the crash.bin", out]);
    expect(sha(readFileSync(out))).toBe(sha(kept));
  });
});

describe.skipIf(!!skip)("hostile images", () => {
  /** A fresh FAT16 or FAT32 image with the seed files, the clusters of some of them. */
  function prepared(type: 16 | 32): { img: string; cluster: (name: string) => number } {
    const img = path.join(dir, `hostile${type}.img`);
    seedImage(img, type);
    const { lines } = fatTool(tool, img, [["mount", "ro"], ["ls", ""]]);
    const map = new Map(lines.filter((l) => l.startsWith("entry\t")).map((l) => l.split("\t")).map((e) => [e[1], Number(e[6])]));
    return { img, cluster: (n) => map.get(n)! };
  }

  function patched(img: string, at: number, bytes: number[]): string {
    const copy = img.replace(/\.img$/, `-${at}.img`);
    copyFileSync(img, copy);
    const b = readFileSync(copy);
    bytes.forEach((x, i) => (b[at + i] = x));
    writeFileSync(copy, b);
    return copy;
  }

  it.each([
    ["bytes per sector 0", 11, [0, 0]],
    ["bytes per sector 768", 11, [0, 3]],
    ["3 sectors per cluster", 13, [3]],
    ["no reserved sectors", 14, [0, 0]],
    ["no FAT", 16, [0]],
    ["more sectors than the device", 32, [0xff, 0xff, 0xff, 0x7f]],
    ["no boot signature", 510, [0, 0]],
  ])("rejects a boot sector with %s", (_what, at, bytes) => {
    const { img } = prepared(32);
    const { lines } = fatTool(tool, patched(img, at as number, bytes as number[]), [["mount"], ["tree"]]);
    expect(lines).toEqual(["err mount: corrupt file system", "err tree: invalid argument"]);
  });

  it.each([16, 32] as const)("FAT%i: loops, out-of-range clusters and absurd sizes give errors", (type) => {
    const { img, cluster } = prepared(type);
    const big = cluster("Mixed Case Long Name.bin");
    const { lines } = fatTool(tool, img, [
      ["mount"],
      ["fatset", String(big + 1), String(big)], // a loop two clusters in
      ["get", "Mixed Case Long Name.bin", path.join(dir, "loop.out")],
      ["rm", "Mixed Case Long Name.bin"],
      ["setcluster", "readme.txt", String(0x0ffffff0)],
      ["get", "readme.txt", path.join(dir, "range.out")],
      ["setsize", "UPPER.TXT", String(0xffffffff)],
      ["get", "UPPER.TXT", path.join(dir, "size.out")],
      ["setcluster", "docs", "1"],
      ["ls", "docs"],
      ["put", path.join(dir, "kept"), "docs/x"],
      ["fatset", String(cluster("docs")), "0"],
      ["ls", ""],
    ]);
    expect(lines.filter((l) => l.startsWith("err "))).toEqual([
      "err rm: corrupt file system",
      "err get: corrupt file system",
      "err get: corrupt file system",
      "err ls: corrupt file system",
      "err put: corrupt file system",
    ]);
  });
});
