// SPDX-License-Identifier: BSD-2-Clause
/**
 * The NT driver library (personality-nt/ddk) and its drivers on the host, built with gcc under
 * ASan/UBSan against the generated ntdrv headers:
 * - the core (personality-nt/ddk/test/ddk_test.c): names both ways, IRPs and stack locations,
 *   the input copied before an IoCallDriver can overwrite it, completion and forwarding, IRPs
 *   built here, file objects, bad IRPs; \Device\Null and the disk driver through it;
 * - fastfat's dispatch routines driven IRP by IRP (personality-nt/drivers/fastfat/test/
 *   fastfat_tool.c) over a RAM disk reached by IoCallDriver, on images made by mkfs.fat and
 *   filled by mtools, FAT12/16/32: mount, every create disposition, read, write and extend,
 *   end of file, directories and patterns, rename, delete, lock/dismount, retrieval pointers
 *   checked against the image's bytes, hostile IRPs and images, the fault on purpose; afterwards
 *   `fsck.fat -n` is clean and mtools reads the files back identical.
 * Without gcc, dosfstools or mtools the suite reports a skip with the reason.
 */

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fatLibSources, fatSkipReason, FAT_INCLUDES, makeImage, mtool, ROOT, sh, TOOL_ENV } from "../../scripts/fat-lib.ts";

const skip = fatSkipReason();
if (skip) console.warn(`nt-ddk: skipped: ${skip}`);

const NT = path.join(ROOT, "personality-nt");
const CLI = path.join(ROOT, "codegen/bin/neptune-gen.js");
let dir: string;
let ddkTest: string;
let tool: string;

function gcc(out: string, sources: string[], includes: string[]): void {
  const args = [
    "-std=gnu11", "-g", "-O1", "-fno-omit-frame-pointer", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
    "-Wall", "-Wextra", "-Werror", ...includes.map((i) => `-I${i}`), ...sources, "-o", out,
  ];
  const r = spawnSync("gcc", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gcc ${args.join(" ")}\n${r.stdout}${r.stderr}`);
}

beforeAll(() => {
  if (skip) return;
  dir = mkdtempSync(path.join(os.tmpdir(), "ng-nt-ddk-"));
  const gen = path.join(dir, "gen");
  const g = spawnSync(process.execPath, [CLI, "gen", "-s", path.join(ROOT, "examples/nt/system.ts"), "-o", gen], { encoding: "utf8" });
  if (g.status !== 0) throw new Error(`neptune-gen gen: ${g.stdout}${g.stderr}`);
  const inc = [path.join(NT, "ddk/include"), path.join(NT, "include"), path.join(gen, "include"), path.join(ROOT, "runtime/include")];
  const ddk = [path.join(NT, "ddk/core.c"), path.join(NT, "ddk/rtl.c")];
  ddkTest = path.join(dir, "ddk_test");
  gcc(ddkTest, [...ddk, path.join(NT, "drivers/null/null.c"), path.join(NT, "drivers/disk/disk.c"), path.join(NT, "ddk/test/ddk_test.c")], inc);
  tool = path.join(dir, "fastfat_tool");
  const ff = path.join(NT, "drivers/fastfat");
  const own = ["fastfat.c", "disk.c", "create.c", "io.c", "dir.c", "fsctl.c"].map((f) => path.join(ff, f));
  gcc(tool, [...ddk, ...own, ...fatLibSources(), path.join(ff, "test/fastfat_tool.c")],
    [...inc, ...FAT_INCLUDES.map((i) => i.slice(2)), ff]);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs fastfat_tool over commands; the sanitizers must stay quiet. */
function run(img: string, cmds: string[][], opts: { crash?: boolean } = {}): string[] {
  const r = spawnSync(tool, [img], { input: cmds.map((c) => c.join("\t")).join("\n") + "\n", encoding: "utf8", env: TOOL_ENV, maxBuffer: 64 << 20 });
  if (!opts.crash) {
    if (/ERROR: AddressSanitizer|runtime error|LeakSanitizer/.test(r.stderr)) throw new Error(`fastfat_tool: sanitizer report:\n${r.stderr}`);
    expect(r.status, r.stderr).toBe(0);
  }
  const lines = r.stdout.split("\n").filter(Boolean);
  expect(lines.filter((l) => l.startsWith("error")), lines.join("\n")).toEqual([]);
  if (opts.crash) lines.push(`exit\t${r.status}\t${r.signal ?? ""}\t${/SEGV on unknown address (0x)?0+ |fastfat\.c:\d+:\d+: runtime error: store to null pointer/.test(r.stderr) ? "fault-at-0" : r.stderr.slice(0, 300)}`);
  return lines;
}

/** The status (and information) of each IRP command of a run, in order. */
const statuses = (lines: string[], cmd: string) => lines.filter((l) => l.startsWith(`${cmd}\t`)).map((l) => l.split("\t")[1]);
const line = (lines: string[], prefix: string) => lines.find((l) => l.startsWith(prefix)) ?? `(no ${prefix})`;

// NT codes the commands use.
const OPEN = "1", CREATE = "2", OPEN_IF = "3", OVERWRITE = "4", OVERWRITE_IF = "5", SUPERSEDE = "0";
const DIR = "1", NONDIR = "64", DELETE_ON_CLOSE = "4096";
const FSCTL = { lock: "0x90018", unlock: "0x9001c", dismount: "0x90020", mounted: "0x90028", fault: "0x92000" };

function put(name: string, data: Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
}

function back(img: string, p: string): Buffer {
  const out = path.join(dir, "mcopy.out");
  rmSync(out, { force: true });
  mtool("mcopy", img, ["-n", `::/${p}`, out]);
  return readFileSync(out);
}

function fsckClean(img: string): void {
  const fsck = sh("fsck.fat", ["-n", img]);
  expect(fsck.stdout + fsck.stderr).not.toMatch(/Dirty bit|wrong|share|Orphan|lost|bad|differ/i);
  expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
}

describe.skipIf(!!skip)("driver library core", () => {
  it("passes its C unit tests (core, \\Device\\Null, the disk driver) under ASan/UBSan", () => {
    const r = spawnSync(ddkTest, { encoding: "utf8", env: TOOL_ENV });
    expect(r.stdout.split("\n").filter((l) => l.startsWith("FAIL")), r.stdout + r.stderr).toEqual([]);
    expect(r.stderr).not.toMatch(/AddressSanitizer|runtime error/);
    expect(r.stdout).toMatch(/^ok \d+ checks, 0 failed$/m);
    expect(Number(/ok (\d+) checks/.exec(r.stdout)?.[1])).toBeGreaterThan(100);
    expect(r.status).toBe(0);
  });
});

describe.skipIf(!!skip).each([12, 16, 32] as const)("fastfat on FAT%i", (type) => {
  let seedFiles: Map<string, Buffer>;
  const fresh = (name: string) => {
    const img = path.join(dir, `${name}${type}.img`);
    makeImage(img, type);
    mtool("mmd", img, ["::/docs", "::/docs/deep"]);
    seedFiles = new Map([
      ["readme.txt", randomBytes(1234)],
      ["UPPER.TXT", randomBytes(10)],
      ["Mixed Case Long Name.bin", randomBytes(70_000)],
      ["docs/notes.md", randomBytes(5000)],
      ["docs/deep/zero", Buffer.alloc(0)],
    ]);
    for (const [p, data] of seedFiles) mtool("mcopy", img, [put("seed.bin", data), `::/${p}`]);
    return img;
  };

  it("mounts through IoCallDriver, lists, reads every file; retrieval pointers name the file's bytes on the volume", () => {
    const img = fresh("read");
    // A fragmented file: c and d written in turns.
    const c = randomBytes(40_000), d = randomBytes(4096);
    const cf = put("c", c);
    const cmds: string[][] = [
      ["mount"],
      ["create", "1", "\\", OPEN, DIR],
      ["ls", "1", "*"],
      ["create", "4", "\\c.bin", CREATE, "0"], ["create", "5", "\\d.bin", CREATE, "0"],
      ["write", "4", "0", cf, "0", "4096"], ["write", "5", "0", put("d", d)], ["write", "4", "4096", cf, "4096"],
      ["cleanup", "5"], ["close", "5"],
      ["rp", "4", "0", "4096"], ["rp", "4", "1", "4096"],
      ["rp", "4", "0", "40"], ["cleanup", "4"], ["close", "4"],
    ];
    const files = [...seedFiles].filter(([, d]) => d.length > 0);
    files.forEach(([p], i) => {
      const fid = String(100 + i);
      cmds.push(["create", fid, `\\${p.replaceAll("/", "\\")}`, OPEN, NONDIR], ["get", fid, path.join(dir, `get${i}`)],
        ["rp", fid, "0", "65536"], ["cleanup", fid], ["close", fid]);
    });
    cmds.push(["cleanup", "1"], ["close", "1"], ["shutdown"]);
    const lines = run(img, cmds);
    expect(line(lines, "mount\t")).toMatch(/^mount\tSTATUS_SUCCESS\t\d+$/);
    expect(lines).toContain(`create_device\t\t8\t${line(lines, "mount\t").split("\t")[2]}`);
    const listed = lines.filter((l) => l.startsWith("entry\t")).map((l) => l.split("\t")[1]).sort();
    expect(listed).toEqual(["Mixed Case Long Name.bin", "UPPER.TXT", "docs", "readme.txt"].sort());
    const entry = lines.find((l) => l.startsWith("entry\tMixed Case Long Name.bin"))!.split("\t");
    expect(entry.slice(2, 5)).toEqual(["MIXEDC~1.BIN", "0x20", "70000"]);
    expect(lines.find((l) => l.startsWith("entry\tdocs"))!.split("\t")[3]).toBe("0x10");

    // Every file read back whole, and found again on the raw image through its runs.
    const image = readFileSync(img);
    const rps = lines.filter((l) => l.startsWith("rp\t"));
    const runsOf = (rp: string) => {
      const parts = rp.split("\n")[0].split("\t");
      const field = (k: string) => Number(parts.find((p) => p.startsWith(`${k}=`))!.split("=")[1]);
      return { status: parts[1], count: field("count"), cluster: field("cluster"), start: field("start"), first: field("first") };
    };
    const rpBlocks = lines.join("\n").split("\nrp\t").slice(1).map((b) => "rp\t" + b.split(/\n(?!\trun)/)[0]);
    const fromImage = (block: string, size: number) => {
      const h = runsOf(block);
      const runs = block.split("\n").filter((l) => l.startsWith("\trun")).map((l) => l.split("\t").slice(2).map(Number));
      expect(runs.length).toBe(h.count);
      const parts: Buffer[] = [];
      let vcn = h.start;
      for (const [next, lcn] of runs) {
        const off = h.first + lcn * h.cluster;
        parts.push(image.subarray(off, off + (next - vcn) * h.cluster));
        vcn = next;
      }
      return Buffer.concat(parts).subarray(0, size);
    };
    files.forEach(([p, data], i) => {
      expect(readFileSync(path.join(dir, `get${i}`)).equals(data), p).toBe(true);
      expect(fromImage(rpBlocks[3 + i], data.length).equals(data), `${p} at its retrieval pointers`).toBe(true);
    });
    // c.bin is in two runs at least (d.bin came between its halves).
    const cRuns = runsOf(rpBlocks[0]);
    expect(cRuns.status).toBe("STATUS_SUCCESS");
    expect(cRuns.count).toBeGreaterThan(1);
    expect(fromImage(rpBlocks[0], c.length).equals(c)).toBe(true);
    expect(runsOf(rpBlocks[1]).start).toBe(1);
    expect(fromImage(rpBlocks[1], c.length - cRuns.cluster).equals(c.subarray(cRuns.cluster))).toBe(true);
    expect(runsOf(rpBlocks[2]).status).toBe("STATUS_BUFFER_OVERFLOW"); // room for one run only
    expect(runsOf(rpBlocks[2]).count).toBe(1);
    fsckClean(img);
    expect(back(img, "c.bin").equals(c)).toBe(true);
    expect(back(img, "d.bin").equals(d)).toBe(true);
  });

  it("creates and opens with every disposition; names are checked", () => {
    const img = fresh("create");
    const lines = run(img, [
      ["mount"],
      ["create", "1", "\\missing.txt", OPEN, "0"],
      ["create", "1", "\\nodir\\x.txt", OPEN_IF, "0"],
      ["create", "1", "\\readme.txt\\x", OPEN, "0"],
      ["create", "1", "\\new.txt", CREATE, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\new.txt", CREATE, "0"],
      ["create", "1", "\\readme.txt", OPEN_IF, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\new2.txt", OPEN_IF, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\readme.txt", OVERWRITE, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\gone.txt", OVERWRITE, "0"],
      ["create", "1", "\\UPPER.TXT", OVERWRITE_IF, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\new3.txt", OVERWRITE_IF, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\docs\\notes.md", SUPERSEDE, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\new4.txt", SUPERSEDE, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\readme.txt", OPEN, DIR],
      ["create", "1", "\\docs", OPEN, NONDIR],
      ["create", "1", "\\docs", OVERWRITE_IF, "0"],
      ["create", "1", "\\New Directory", CREATE, DIR], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\New Directory", OPEN, DIR], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\", OPEN, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "", OPEN, "0"], ["cleanup", "1"], ["close", "1"],
      ["create", "1", "\\a*b", OPEN_IF, "0"],
      ["create", "1", "\\docs\\\\x", OPEN_IF, "0"],
      ["create", "1", "\\docs\\..\\x", OPEN_IF, "0"],
      ["create", "1", "relative", OPEN_IF, "0"],
      ["create", "1", "\\x", "9", "0"],
      ["create", "1", "\\x", OPEN_IF, "65"],
      ["create", "1", "\\NEW.TXT", OPEN, "0", "1"], ["cleanup", "1"], ["close", "1"],
      ["shutdown"],
    ]);
    const creates = lines.filter((l) => l.startsWith("create\t")).map((l) => l.split("\t").slice(1, 3).join(" "));
    expect(creates).toEqual([
      "STATUS_OBJECT_NAME_NOT_FOUND 0",
      "STATUS_OBJECT_PATH_NOT_FOUND 0",
      "STATUS_OBJECT_PATH_NOT_FOUND 0",
      "STATUS_SUCCESS 2", // FILE_CREATED
      "STATUS_OBJECT_NAME_COLLISION 0",
      "STATUS_SUCCESS 1", // FILE_OPENED
      "STATUS_SUCCESS 2",
      "STATUS_SUCCESS 3", // FILE_OVERWRITTEN
      "STATUS_OBJECT_NAME_NOT_FOUND 0",
      "STATUS_SUCCESS 3",
      "STATUS_SUCCESS 2",
      "STATUS_SUCCESS 0", // FILE_SUPERSEDED
      "STATUS_SUCCESS 2",
      "STATUS_NOT_A_DIRECTORY 0",
      "STATUS_FILE_IS_A_DIRECTORY 0",
      "STATUS_FILE_IS_A_DIRECTORY 0",
      "STATUS_SUCCESS 2",
      "STATUS_SUCCESS 1",
      "STATUS_SUCCESS 1",
      "STATUS_SUCCESS 1",
      "STATUS_OBJECT_NAME_INVALID 0",
      "STATUS_OBJECT_NAME_INVALID 0",
      "STATUS_OBJECT_NAME_INVALID 0",
      "STATUS_OBJECT_NAME_INVALID 0",
      "STATUS_INVALID_PARAMETER 0",
      "STATUS_INVALID_PARAMETER 0",
      "STATUS_SUCCESS 1",
    ]);
    const results = lines.filter((l) => l.startsWith("create\tSTATUS_SUCCESS"));
    expect(results[3]).toMatch(/\teof=0\t/); // readme.txt overwritten
    expect(results[1]).toMatch(/\teof=1234\talloc=\d+\tattr=0x20\tdir=0$/);
    expect(results[8]).toMatch(/\tattr=0x10\tdir=1$/); // the new directory
    expect(results[10]).toMatch(/\tid=1\t.*dir=1$/); // the root
    fsckClean(img);
    const listing = mtool("mdir", img, ["-b", "::/"]);
    for (const n of ["new.txt", "new2.txt", "new3.txt", "new4.txt", "New Directory"]) expect(listing).toContain(n);
    expect(back(img, "readme.txt").length).toBe(0);
    expect(back(img, "docs/notes.md").length).toBe(0);
  });

  it("reads, writes, extends and cuts files; the data is on the disk when the IRP completes", () => {
    const img = fresh("rw");
    const first = randomBytes(70_000), tail = randomBytes(5000), page = randomBytes(4096);
    const lines = run(img, [
      ["mount"],
      ["create", "1", "\\data.bin", CREATE, NONDIR],
      ["write", "1", "0", put("first", first), "0", "65536"],
      ["write", "1", "65536", put("first", first), "65536"],
      ["write", "1", "100000", put("tail", tail)],
      ["query", "1", "5"],
      ["read", "1", "99990", "100", path.join(dir, "short.out")],
      ["read", "1", "105000", "10"],
      ["read", "1", "200000", "10"],
      ["eof", "1", "50000"],
      ["query", "1", "5"],
      ["eof", "1", "60000"],
      ["alloc", "1", "55000"],
      ["query", "1", "5"],
      ["alloc", "1", "90000"],
      ["query", "1", "4"],
      ["create", "2", "\\paged.bin", CREATE, NONDIR],
      ["write", "2", "0", put("page", page)],
      ["cleanup", "1"], ["close", "1"], ["cleanup", "2"], ["close", "2"],
    ]);
    // No shutdown: every write is on the image already (only the dirty bit is left).
    expect(statuses(lines, "write")).toEqual(["STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_SUCCESS"]);
    const q = lines.filter((l) => l.startsWith("query\t"));
    expect(q[0]).toMatch(/\teof=105000\t/);
    expect(line(lines, "read\t")).toBe("read\tSTATUS_SUCCESS\t100");
    expect(statuses(lines, "read")).toEqual(["STATUS_SUCCESS", "STATUS_END_OF_FILE", "STATUS_END_OF_FILE"]);
    expect(q[1]).toMatch(/\teof=50000\t/);
    expect(q[2]).toMatch(/\teof=55000\t/);
    expect(q[3]).toMatch(/\tattr=0x20\t/);
    const short = readFileSync(path.join(dir, "short.out")).subarray(99_990);
    expect(short.equals(Buffer.concat([Buffer.alloc(10), tail.subarray(0, 90)]))).toBe(true);
    const expected = Buffer.concat([first.subarray(0, 50_000), Buffer.alloc(5000)]);
    const img2 = path.join(dir, `rw-copy${type}.img`);
    writeFileSync(img2, readFileSync(img));
    expect(back(img2, "data.bin").equals(expected)).toBe(true);
    expect(back(img2, "paged.bin").equals(page)).toBe(true);
    // Then unmounted clean.
    run(img, [["mount"], ["shutdown"]]);
    fsckClean(img);
  });

  it("fills the volume: STATUS_DISK_FULL, the file as long as its chain, fsck.fat clean", () => {
    const img = fresh("full");
    const lines = run(img, [
      ["mount"],
      ["create", "1", "\\big", CREATE, "0"],
      ["write", "1", "100000000", put("small", randomBytes(100))],
      ["query", "1", "5"],
      ["create", "2", "\\big2", CREATE, "0"],
      ["eof", "2", "90000000"],
      ["query", "2", "5"],
      ["cleanup", "1"], ["close", "1"],
      ["disp", "2", "1"], ["cleanup", "2"], ["close", "2"],
      ["shutdown"],
    ]);
    expect(statuses(lines, "write")).toEqual(["STATUS_DISK_FULL"]);
    expect(statuses(lines, "eof")).toEqual(["STATUS_DISK_FULL"]);
    const eof = Number(/\teof=(\d+)\t/.exec(lines.filter((l) => l.startsWith("query\t"))[0])?.[1]);
    expect(eof).toBeGreaterThan(1_000_000);
    expect(eof).toBeLessThan(100_000_000);
    fsckClean(img);
    expect(back(img, "big").length).toBe(eof);
  });

  it("lists directories with patterns, one entry per IRP, restarting on SL_RESTART_SCAN", () => {
    const img = fresh("dir");
    const lines = run(img, [
      ["mount"],
      ["create", "1", "\\docs\\list", CREATE, DIR], ["cleanup", "1"], ["close", "1"],
      ...["a.txt", "b.TXT", "c.log", "Long Name.txt", "x"].flatMap((n) => [["create", "2", `\\docs\\list\\${n}`, CREATE, "0"], ["cleanup", "2"], ["close", "2"]]),
      ["create", "3", "\\docs\\list", OPEN, DIR],
      ["ls", "3", "*.txt"],
      ["ls", "3", "?.TXT"],
      ["ls", "3", "*.*"],
      ["ls", "3", "LONGNA~1.TXT"],
      ["ls", "3", "nomatch*"],
      ["dir", "3", "0", "ignored"],
      ["dir", "3", String(0x10000), "c*"],
      ["dir", "3", "0", ""],
      ["dir", "3", "0", ""],
      ["cleanup", "3"], ["close", "3"],
      ["create", "4", "\\docs\\list\\a.txt", OPEN, "0"],
      ["dir", "4", String(0x10000), "*"],
      ["cleanup", "4"], ["close", "4"],
      ["shutdown"],
    ]);
    const groups: string[][] = [];
    let cur: string[] = [];
    for (const l of lines) {
      if (l.startsWith("entry\t")) cur.push(l.split("\t")[1]);
      else if (l.startsWith("ls\t") || l.startsWith("dir\t")) {
        groups.push([...cur.sort(), l.split("\t")[1]]);
        cur = [];
      }
    }
    expect(groups).toEqual([
      ["Long Name.txt", "a.txt", "b.TXT", "STATUS_NO_MORE_FILES"],
      ["a.txt", "b.TXT", "STATUS_NO_MORE_FILES"],
      ["Long Name.txt", "a.txt", "b.TXT", "c.log", "x", "STATUS_NO_MORE_FILES"],
      ["Long Name.txt", "STATUS_NO_MORE_FILES"],
      ["STATUS_NO_SUCH_FILE"],
      ["STATUS_NO_MORE_FILES"], // the scan ended: no restart, pattern ignored
      ["c.log", "STATUS_SUCCESS"],
      ["STATUS_NO_MORE_FILES"],
      ["STATUS_NO_MORE_FILES"],
      ["STATUS_INVALID_PARAMETER"], // not a directory
    ]);
    fsckClean(img);
  });

  it("renames (replacing when asked), deletes at the last cleanup, and follows renamed directories", () => {
    const img = fresh("ren");
    const data = randomBytes(3000);
    const lines = run(img, [
      ["mount"],
      ["create", "1", "\\readme.txt", OPEN, "0"],
      ["rename", "1", "\\docs\\moved readme.txt", "0"],
      ["read", "1", "0", "10"],
      ["rename", "1", "\\UPPER.TXT", "0"],
      ["create", "2", "\\UPPER.TXT", OPEN, "0"],
      ["rename", "1", "\\UPPER.TXT", "1"],
      ["cleanup", "2"], ["close", "2"],
      ["rename", "1", "\\UPPER.TXT", "1"],
      ["rename", "1", "\\upper.txt", "0"],
      ["rename", "1", "\\nodir\\x", "0"],
      ["rename", "1", "\\docs", "1"],
      ["cleanup", "1"], ["close", "1"],
      // A file open below a directory that is renamed keeps working.
      ["create", "3", "\\docs\\deep\\f.bin", CREATE, "0"],
      ["create", "4", "\\docs", OPEN, DIR],
      ["rename", "4", "\\Documents", "0"],
      ["write", "3", "0", put("ren", data)],
      ["query", "3", "5"],
      ["rename", "4", "\\Documents\\deep\\inside", "0"],
      ["disp", "4", "1"],
      ["cleanup", "4"], ["close", "4"],
      ["cleanup", "3"], ["close", "3"],
      // Delete: disposition, then the last cleanup.
      ["create", "5", "\\Mixed Case Long Name.bin", OPEN, "0"],
      ["create", "6", "\\Mixed Case Long Name.bin", OPEN, "0"],
      ["disp", "5", "1"],
      ["query", "6", "5"],
      ["create", "7", "\\Mixed Case Long Name.bin", OPEN, "0"],
      ["cleanup", "5"], ["close", "5"],
      ["read", "6", "0", "10"],
      ["cleanup", "6"], ["close", "6"],
      ["create", "7", "\\Mixed Case Long Name.bin", OPEN, "0"],
      ["create", "8", "\\tmp.txt", CREATE, DELETE_ON_CLOSE],
      ["cleanup", "8"], ["close", "8"],
      ["create", "8", "\\tmp.txt", OPEN, "0"],
      ["create", "9", "\\", OPEN, DIR],
      ["disp", "9", "1"],
      ["cleanup", "9"], ["close", "9"],
      ["shutdown"],
    ]);
    expect(statuses(lines, "rename")).toEqual([
      "STATUS_SUCCESS",
      "STATUS_OBJECT_NAME_COLLISION",
      "STATUS_ACCESS_DENIED", // the target is open
      "STATUS_SUCCESS",
      "STATUS_SUCCESS", // a new spelling of the same name
      "STATUS_OBJECT_PATH_NOT_FOUND",
      "STATUS_ACCESS_DENIED", // a directory is never replaced
      "STATUS_SUCCESS",
      "STATUS_INVALID_PARAMETER", // into itself
    ]);
    expect(statuses(lines, "read")).toEqual(["STATUS_SUCCESS", "STATUS_SUCCESS"]);
    expect(statuses(lines, "disp")).toEqual(["STATUS_DIRECTORY_NOT_EMPTY", "STATUS_SUCCESS", "STATUS_CANNOT_DELETE"]);
    expect(lines.filter((l) => l.startsWith("query\t"))[1]).toMatch(/\tdelete=1\t/);
    expect(statuses(lines, "create")).toEqual([
      "STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_SUCCESS",
      "STATUS_DELETE_PENDING", "STATUS_OBJECT_NAME_NOT_FOUND", "STATUS_SUCCESS", "STATUS_OBJECT_NAME_NOT_FOUND", "STATUS_SUCCESS",
    ]);
    fsckClean(img);
    const listing = mtool("mdir", img, ["-b", "-/", "::/"]);
    expect(listing).toContain("upper.txt");
    expect(listing).not.toMatch(/readme\.txt|Mixed Case|tmp\.txt/);
    expect(listing).toMatch(/Documents\/deep\/f\.bin/);
    expect(back(img, "Documents/deep/f.bin").equals(data)).toBe(true);
    expect(back(img, "upper.txt").equals(seedFiles.get("readme.txt")!)).toBe(true);
  });

  it("locks, dismounts (clean) and mounts again", () => {
    const img = fresh("lock");
    const lines = run(img, [
      ["mount"],
      ["create", "1", "\\readme.txt", OPEN, "0"],
      ["create", "9", "", OPEN, "0"],
      ["read", "9", "512", "1024"], // the volume itself: passed down to the disk
      ["fsctl", "9", FSCTL.lock],
      ["cleanup", "1"], ["close", "1"],
      ["fsctl", "9", FSCTL.lock],
      ["create", "1", "\\readme.txt", OPEN, "0"],
      ["fsctl", "9", FSCTL.mounted],
      ["fsctl", "9", FSCTL.dismount],
      ["create", "1", "\\readme.txt", OPEN, "0"],
      ["fsctl", "9", FSCTL.unlock],
      ["cleanup", "9"], ["close", "9"],
      ["mount"],
      ["create", "1", "\\readme.txt", OPEN, "0"],
      ["read", "1", "0", "2000", path.join(dir, "again.out")],
      ["fsctl", "1", "0x90123"],
      ["cleanup", "1"], ["close", "1"],
      ["shutdown"],
    ]);
    expect(statuses(lines, "fsctl")).toEqual([
      "STATUS_ACCESS_DENIED", "STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_INVALID_DEVICE_REQUEST",
    ]);
    expect(statuses(lines, "create")).toEqual([
      "STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_ACCESS_DENIED", "STATUS_VOLUME_DISMOUNTED", "STATUS_SUCCESS",
    ]);
    expect(lines.filter((l) => l.startsWith("delete_device\t"))).toHaveLength(2); // dismount, then shutdown
    expect(statuses(lines, "mount")).toEqual(["STATUS_SUCCESS", "STATUS_SUCCESS"]);
    expect(readFileSync(path.join(dir, "again.out")).equals(seedFiles.get("readme.txt")!)).toBe(true);
    expect(line(lines, "read\t")).toBe("read\tSTATUS_SUCCESS\t0\tforward=16"); // the disk's id in the tool
    fsckClean(img);
  });

  it("answers hostile IRPs, a failing disk and corrupt images with statuses, never a crash", () => {
    const img = fresh("hostile");
    const lines = run(img, [
      ["mount"],
      ["raw", "vol", "3", "0", "42", "0", "0", "10", "0", "0", "", "0"], // read on a file never opened
      ["create", "1", "\\readme.txt", OPEN, "0"],
      ["create", "2", "\\docs", OPEN, DIR],
      ["raw", "vol", "3", "0", "1", "0", "-5", "10", "0", "0", "", "0"], // negative offset
      ["raw", "vol", "3", "0", "1", "0", "0", "70000", "0", "0", "", "0"], // more than one IRP's data
      ["raw", "vol", "4", "0", "1", "0", "0", "100", "0", "0", "", "70000"], // more input than the transport allows
      ["raw", "vol", "6", "0", "1", "0", "0", "0", "10", "0", "", "3"], // rename with a cut structure
      ["raw", "vol", "6", "0", "1", "0", "0", "0", "10", "0", "", "300"], // rename with junk
      ["raw", "vol", "6", "0", "1", "0", "0", "0", "20", "0", "", "2"], // end of file with 2 bytes
      ["raw", "vol", "6", "0", "1", "0", "0", "0", "99", "0", "", "8"], // unknown class
      ["raw", "vol", "5", "0", "1", "0", "0", "8", "5", "0", "", "0"], // standard info into 8 bytes
      ["raw", "vol", "12", "1", "1", "0", "0", "64", "3", "0", "*", "0"], // directory query on a file
      ["raw", "vol", "12", "1", "2", "0", "0", "10", "3", "0", "*", "0"], // too small for an entry
      ["raw", "vol", "12", "7", "2", "0", "0", "1000", "3", "0", "*", "0"], // unknown minor
      ["raw", "vol", "13", "0", "1", "0", "0", "100", "0", "0x90073", "", "3"], // retrieval pointers, short input
      ["raw", "vol", "13", "0", "1", "0", "0", "8", "0", "0x90073", "", "8"], // no room for a run
      ["raw", "vol", "13", "0", "2", "0", "0", "100", "0", "0x90073", "", "8"], // a directory's, from a junk VCN
      ["raw", "vol", "13", "5", "1", "0", "0", "100", "0", "0", "", "0"], // unknown minor
      ["raw", "vol", "27", "0", "1", "0", "0", "0", "0", "0", "", "0"], // no routine
      ["raw", "vol", "200", "0", "1", "0", "0", "0", "0", "0", "", "0"], // no such major
      ["raw", "12345", "3", "0", "1", "0", "0", "10", "0", "0", "", "0"], // not our device
      ["raw", "ctl", "3", "0", "0", "0", "0", "10", "0", "0", "", "0"], // read on the control device
      ["raw", "ctl", "13", "1", "0", "0", "0", "0", "0", "0", "", "0"], // mount of no device
      ["rp", "1", "99999", "100"], // past the end
      ["diskfail", "0xC0000185", "0"],
      ["create", "3", "\\docs\\deep\\new.txt", CREATE, "0"],
      ["create", "4", "\\Mixed Case Long Name.bin", OPEN, "0"],
      ["diskfail", "0xC0000013", "0"],
      ["read", "4", "60000", "4000"],
      ["diskok"],
      ["cleanup", "4"], ["close", "4"],
      ["cleanup", "1"], ["close", "1"], ["cleanup", "2"], ["close", "2"],
      ["shutdown"],
    ]);
    expect(statuses(lines, "raw")).toEqual([
      "STATUS_FILE_CLOSED",
      "STATUS_INVALID_PARAMETER",
      "STATUS_INVALID_PARAMETER",
      "STATUS_INVALID_PARAMETER",
      "STATUS_INFO_LENGTH_MISMATCH",
      "STATUS_INVALID_PARAMETER",
      "STATUS_INFO_LENGTH_MISMATCH",
      "STATUS_INVALID_INFO_CLASS",
      "STATUS_INFO_LENGTH_MISMATCH",
      "STATUS_INVALID_PARAMETER",
      "STATUS_INFO_LENGTH_MISMATCH",
      "STATUS_INVALID_DEVICE_REQUEST",
      "STATUS_INVALID_PARAMETER",
      "STATUS_BUFFER_TOO_SMALL",
      "STATUS_END_OF_FILE", // the junk's starting VCN is past the directory's end
      "STATUS_INVALID_DEVICE_REQUEST",
      "STATUS_INVALID_DEVICE_REQUEST",
      "STATUS_INVALID_PARAMETER",
      "STATUS_NO_SUCH_DEVICE",
      "STATUS_INVALID_PARAMETER",
      "STATUS_INVALID_PARAMETER",
    ]);
    expect(statuses(lines, "rp")).toEqual(["STATUS_END_OF_FILE"]);
    expect(statuses(lines, "create")).toEqual(["STATUS_SUCCESS", "STATUS_SUCCESS", "STATUS_IO_DEVICE_ERROR", "STATUS_SUCCESS"]);
    expect(statuses(lines, "read")).toEqual(["STATUS_NO_MEDIA_IN_DEVICE"]);

    // Not a FAT volume; a FAT volume whose file chains loop.
    const junk = path.join(dir, `junk${type}.img`);
    writeFileSync(junk, randomBytes(1 << 20));
    expect(run(junk, [["mount"]]).filter((l) => l.startsWith("mount\t"))).toEqual(["mount\tSTATUS_UNRECOGNIZED_MEDIA\t0"]);
    const loop = fresh("loop");
    const bytes = readFileSync(loop);
    const bps = bytes.readUInt16LE(11), reserved = bytes.readUInt16LE(14);
    const fatStart = reserved * bps;
    // Point every FAT entry from cluster 3 on at cluster 3 (a loop wherever a chain passes it).
    for (let c = 3; c < 200; c++) {
      if (type === 12) {
        const off = fatStart + Math.floor(c * 1.5);
        const v = bytes.readUInt16LE(off);
        bytes.writeUInt16LE(c & 1 ? (v & 0x000f) | (3 << 4) : (v & 0xf000) | 3, off);
      } else if (type === 16) bytes.writeUInt16LE(3, fatStart + c * 2);
      else bytes.writeUInt32LE(3, fatStart + c * 4);
    }
    writeFileSync(loop, bytes);
    const bad = run(loop, [
      ["mount"],
      ["create", "1", "\\Mixed Case Long Name.bin", OPEN, "0"],
      ["get", "1", path.join(dir, "loop.out")],
      ["rp", "1", "0", "65536"],
      ["create", "2", "\\docs\\deep\\zero", OPEN, "0"],
      ["write", "2", "0", put("w", randomBytes(50_000))],
      ["shutdown"],
    ]);
    expect(statuses(bad, "mount")).toEqual(["STATUS_SUCCESS"]);
    expect(statuses(bad, "get")[0]).toMatch(/STATUS_DISK_CORRUPT_ERROR|STATUS_SUCCESS/);
    expect(statuses(bad, "rp")[0]).toMatch(/STATUS_DISK_CORRUPT_ERROR|STATUS_SUCCESS/);
    expect(statuses(bad, "write")[0]).toMatch(/^STATUS_/);
  });

  it("survives thousands of random IRPs with statuses only, and leaves a volume fsck.fat finds clean", () => {
    for (const seed of [1, 2]) {
      const img = fresh(`fuzz${seed}-`);
      const lines = run(img, [["mount"], ["fuzz", "4000", String(seed * 7919 + type)], ["shutdown"]]);
      const summary = line(lines, "fuzz\tok=").split("\t");
      expect(Number(summary[1].split("=")[1]) + Number(summary[2].split("=")[1])).toBe(4000);
      expect(Number(summary[1].split("=")[1])).toBeGreaterThan(200); // enough got through to change the volume
      expect(statuses(lines, "shutdown")).toEqual(["STATUS_SUCCESS"]);
      fsckClean(img);
    }
  });

  it("faults on purpose at the n-th IRP after FSCTL_NEPTUNE_FAULT_AFTER", () => {
    const img = fresh("fault");
    const lines = run(img, [
      ["mount"],
      ["create", "1", "\\readme.txt", OPEN, "0"],
      ["fsctl", "1", FSCTL.fault, "3"],
      ["read", "1", "0", "10"],
      ["read", "1", "10", "10"],
      ["read", "1", "20", "10"],
      ["read", "1", "30", "10"],
    ], { crash: true });
    expect(statuses(lines, "read")).toEqual(["STATUS_SUCCESS", "STATUS_SUCCESS"]);
    expect(line(lines, "exit\t")).toMatch(/^exit\t[1-9]\d*\t\w*\tfault-at-0$/);
  });
});
