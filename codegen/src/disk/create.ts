// SPDX-License-Identifier: BSD-2-Clause
/**
 * Disk images for `neptune-gen run --disk`: a raw image of a given size, blank or with a FAT12,
 * FAT16 or FAT32 file system made by Debian's mkfs.fat (dosfstools) and filled from a folder
 * with mcopy (mtools).
 *
 *   const bag = new DiagnosticBag();
 *   await createDisk({ out: "disk.img", size: "64M", fat: 32, from: "files" }, bag);
 *
 * Problems (a bad size, an existing file without `force`, a missing tool, a tool's failure) go
 * into the bag, each with a hint; nothing is thrown for a user's mistake.
 */

import { existsSync, openSync, closeSync, ftruncateSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import type { DiagnosticBag } from "../diag/diagnostics.ts";
import { formatSize, parseSize } from "../model/sizes.ts";

export type FatType = 12 | 16 | 32;

export interface DiskOptions {
  out: string;
  size: string | number;
  fat?: FatType;
  /** Folder whose contents are copied into the file system's root. */
  from?: string;
  /** Volume label (FAT: at most 11 characters). */
  label?: string;
  /** Replace an existing file. */
  force?: boolean;
  /** Folders to look for mkfs.fat and mcopy in (default: PATH, then Debian's sbin and bin). */
  toolDirs?: string[];
}

const APT = "sudo apt-get install dosfstools mtools";
/** Where Debian puts the tools (sbin is not on every user's PATH). */
const SEARCH = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

export function findTool(name: string, dirs?: string[]): string | undefined {
  for (const dir of dirs ?? [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), ...SEARCH]) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

async function tool(bag: DiagnosticBag, what: string, cmd: string, args: string[]): Promise<boolean> {
  const r = await execa(cmd, args, { all: true, reject: false, env: { MTOOLS_SKIP_CHECK: "1" } });
  if (r.failed) {
    bag.error(undefined, `${what} failed (${path.basename(cmd)} exit ${r.exitCode ?? "?"}):\n${(r.all ?? "").trim()}`, `the command: ${cmd} ${args.join(" ")}`);
    return false;
  }
  return true;
}

/** Creates the image; returns its size in bytes, or undefined after reporting in the bag. */
export async function createDisk(opts: DiskOptions, bag: DiagnosticBag): Promise<number | undefined> {
  const size = parseSize(opts.size);
  if ("error" in size) {
    bag.error(undefined, `--size: ${size.error}`, `e.g. --size 64M`);
    return undefined;
  }
  if (size.bytes < 64 * 1024 || size.bytes % 512 !== 0) {
    bag.error(undefined, `--size ${opts.size} is not a whole number of 512-byte sectors of at least 64K`, "e.g. --size 64M");
    return undefined;
  }
  if (opts.fat !== undefined && ![12, 16, 32].includes(opts.fat)) {
    bag.error(undefined, `--fat ${opts.fat} is not a FAT type`, "use --fat 12, 16 or 32");
    return undefined;
  }
  if (opts.fat === 32 && size.bytes < 33 * 1024 * 1024) {
    bag.error(undefined, `a FAT32 volume of ${formatSize(size.bytes)} is too small (mkfs.fat needs at least 65525 clusters)`, "use --size 64M or more, or --fat 16");
    return undefined;
  }
  if (opts.from !== undefined && opts.fat === undefined) {
    bag.error(undefined, `--from needs a file system to copy into`, "add --fat 12, 16 or 32");
    return undefined;
  }
  if (opts.from !== undefined && (!existsSync(opts.from) || !statSync(opts.from).isDirectory())) {
    bag.error(undefined, `--from ${opts.from} is not a folder`, "give the folder whose files go into the image");
    return undefined;
  }
  if (existsSync(opts.out) && !opts.force) {
    bag.error(undefined, `${opts.out} exists already`, "remove it, or pass --force to replace it");
    return undefined;
  }
  const mkfs = opts.fat !== undefined ? findTool("mkfs.fat", opts.toolDirs) : undefined;
  const mcopy = opts.from !== undefined ? findTool("mcopy", opts.toolDirs) : undefined;
  if (opts.fat !== undefined && !mkfs) {
    bag.error(undefined, "mkfs.fat (dosfstools) is not installed", `install it: ${APT}`);
    return undefined;
  }
  if (opts.from !== undefined && !mcopy) {
    bag.error(undefined, "mcopy (mtools) is not installed", `install it: ${APT}`);
    return undefined;
  }

  if (existsSync(opts.out)) rmSync(opts.out);
  const fd = openSync(opts.out, "w");
  try {
    ftruncateSync(fd, size.bytes);
  } finally {
    closeSync(fd);
  }
  if (opts.fat !== undefined) {
    const label = (opts.label ?? "NEPTUNE").toUpperCase().slice(0, 11);
    if (!(await tool(bag, "mkfs.fat", mkfs!, ["-F", String(opts.fat), "-n", label, opts.out]))) return undefined;
  }
  if (opts.from !== undefined) {
    const entries = readdirSync(opts.from).sort().map((e) => path.join(opts.from!, e));
    if (entries.length && !(await tool(bag, "mcopy", mcopy!, ["-s", "-Q", "-i", opts.out, ...entries, "::/"]))) return undefined;
  }
  return size.bytes;
}
