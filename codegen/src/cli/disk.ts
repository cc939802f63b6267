// SPDX-License-Identifier: BSD-2-Clause
/** `neptune-gen disk create`: a raw disk image for `run --disk` (blank, or FAT12/16/32). */

import type { CommandModule } from "yargs";
import { DiagnosticBag } from "../diag/diagnostics.ts";
import { report } from "./common.ts";

interface DiskArgs {
  out: string;
  size: string;
  fat?: number;
  from?: string;
  label?: string;
  force: boolean;
}

const createCommand: CommandModule<object, DiskArgs> = {
  command: "create <out>",
  describe: "make a raw disk image: blank, or with a FAT file system (mkfs.fat) filled from a folder (mcopy)",
  builder: (y) =>
    y
      .positional("out", { type: "string", demandOption: true, describe: "the image file to write" })
      .option("size", { type: "string", default: "64M", describe: "image size (K, M or G suffix)" })
      .option("fat", { type: "number", choices: [12, 16, 32], describe: "make a FAT file system of this type" })
      .option("from", { type: "string", describe: "copy this folder's contents into the file system's root" })
      .option("label", { type: "string", describe: "volume label (default NEPTUNE)" })
      .option("force", { type: "boolean", default: false, describe: "replace an existing file" }),
  handler: async (args) => {
    const { createDisk } = await import("../disk/create.ts");
    const bag = new DiagnosticBag();
    const bytes = await createDisk(
      { out: args.out, size: args.size, fat: args.fat as 12 | 16 | 32 | undefined, from: args.from, label: args.label, force: args.force },
      bag,
    );
    report(bag);
    if (bytes === undefined) return;
    const what = args.fat ? `FAT${args.fat}` : "blank";
    console.log(`${args.out}: ${what} disk image, ${bytes} bytes${args.from ? `, files from ${args.from}` : ""}`);
    console.log(`boot with it: neptune-gen run --disk ${args.out}`);
    const { diskSizeProblem } = await import("../run/qemu.ts");
    if (diskSizeProblem("rpi3", args.out, bytes))
      console.log(`note: ${bytes} bytes is not a power of two: fine for virtio-blk, but an SD card (rpi3, QEMU raspi3b) needs one (e.g. --size 64M)`);
  },
};

export const diskCommand: CommandModule<object, object> = {
  command: "disk <command>",
  describe: "disk images for run --disk",
  builder: (y) => y.command(createCommand).demandCommand(),
  handler: () => {},
};
