// SPDX-License-Identifier: BSD-2-Clause
/**
 * How each platform's image boots under QEMU: the command line cmake-tool's `simulate` script
 * would use, plus the options `neptune-gen run` adds (deterministic instruction counting for
 * benchmarks, extra devices).
 */

import path from "node:path";

export interface QemuPlatform {
  /** neptune-gen platform name (sel4-config/platforms/<name>.cmake). */
  name: string;
  binary: string;
  /** Debian package that provides the binary. */
  apt: string;
  args(image: string): string[];
  /** The machine options for a kernel at EL2 (QEMU must emulate EL2 and start the guest there). */
  hypArgs?(image: string): string[];
  /** How a raw disk image is attached (default: virtio-blk on virtio-mmio, as on `virt`). */
  diskArgs?(disk: string): string[];
  /** The board's disk is an SD card: QEMU's SD model takes only images whose size is a power of two. */
  sdCard?: boolean;
}

export const QEMU_PLATFORMS: Record<string, QemuPlatform> = {
  "qemu-arm-virt": {
    name: "qemu-arm-virt",
    binary: "qemu-system-aarch64",
    apt: "qemu-system-arm",
    args: (image) => ["-machine", "virt", "-cpu", "cortex-a53", "-nographic", "-m", "size=2G", "-kernel", image],
    // The kernel's device tree is QEMU's own with virtualization=on (seL4's platform config);
    // cortex-a57 as in seL4's EL2 test configurations (QEMU's a53 has EL2 too).
    hypArgs: (image) => ["-machine", "virt,virtualization=on", "-cpu", "cortex-a57", "-nographic", "-m", "size=2G", "-kernel", image],
  },
  rpi3: {
    name: "rpi3",
    binary: "qemu-system-aarch64",
    apt: "qemu-system-arm",
    // The Pi 3's console is the second UART (the mini UART); the first goes nowhere.
    args: (image) => ["-machine", "raspi3b", "-nographic", "-serial", "null", "-serial", "mon:stdio", "-m", "size=1024M", "-kernel", image],
    // The disk is the SD card of the Arasan SD host controller (drivers/sdhci).
    diskArgs: (disk) => ["-drive", `if=sd,format=raw,file=${qemuValue(disk)}`],
    sdCard: true,
  },
  x86_64: {
    name: "x86_64",
    binary: "qemu-system-x86_64",
    apt: "qemu-system-x86",
    // The kernel boots by multiboot (-kernel) with the root server as its module (-initrd); the
    // CPU is cmake-tool's choice for seL4's simulation settings.
    args: (image) => [
      "-cpu",
      "Nehalem,-vme,+pdpe1gb,-xsave,-xsaveopt,-xsavec,-fsgsbase,-invpcid,+syscall,+lm,enforce",
      "-nographic",
      "-serial",
      "mon:stdio",
      "-m",
      "size=3G",
      "-kernel",
      path.join(path.dirname(image), path.basename(image).replace(/^rootserver-image-/, "kernel-")),
      "-initrd",
      image,
    ],
  },
  "qemu-riscv-virt": {
    name: "qemu-riscv-virt",
    binary: "qemu-system-riscv64",
    apt: "qemu-system-misc",
    // The image is OpenSBI with the system as its payload: no other firmware (-bios none).
    // 3 GiB: the memory size the kernel's build dumped QEMU's device tree with.
    args: (image) => ["-machine", "virt", "-cpu", "rv64", "-m", "size=3072M", "-nographic", "-bios", "none", "-kernel", image],
  },
};

export interface QemuOptions {
  /**
   * Count guest instructions instead of time (`-icount shift=0`): the cycle counter then counts
   * instructions, so benchmark figures repeat exactly from run to run.
   */
  icount?: boolean;
  extraArgs?: string[];
  /** A raw disk image: a virtio-blk device (on the highest virtio-mmio transport), or the SD card
   * on boards with one (rpi3). */
  disk?: string;
  /** virtio-mmio version 2 (modern) instead of QEMU's default, legacy (version 1). */
  virtioModern?: boolean;
  /** The image's kernel runs at EL2: QEMU needs virtualization=on. */
  hypervisor?: boolean;
}

/** A value in QEMU's option syntax, which doubles commas. */
function qemuValue(v: string): string {
  return v.replace(/,/g, ",,");
}

/** QEMU options for a raw disk image on a virtio-blk device (virtio-mmio on `virt`). */
export function diskArgs(image: string, modern = false): string[] {
  const file = qemuValue(image);
  const args = ["-drive", `file=${file},if=none,format=raw,id=hd0`, "-device", "virtio-blk-device,drive=hd0"];
  if (modern) args.push("-global", "virtio-mmio.force-legacy=false");
  return args;
}

export function qemuCommand(platform: string, image: string, opts: QemuOptions = {}): { cmd: string; args: string[] } | undefined {
  const p = QEMU_PLATFORMS[platform];
  if (!p) return undefined;
  if (opts.hypervisor && !p.hypArgs) return undefined;
  const args = opts.hypervisor ? p.hypArgs!(image) : p.args(image);
  if (opts.icount) args.push("-icount", "shift=0,sleep=off,align=off");
  if (opts.disk) args.push(...(p.diskArgs ? p.diskArgs(opts.disk) : diskArgs(opts.disk, opts.virtioModern)));
  if (opts.extraArgs) args.push(...opts.extraArgs);
  return { cmd: p.binary, args };
}

/**
 * Why QEMU would refuse `bytes` as platform's disk, with the fix; undefined when it takes it.
 * QEMU's SD card model (raspi3b) takes only images whose size is a power of two.
 */
export function diskSizeProblem(platform: string, disk: string, bytes: number): { message: string; hint: string } | undefined {
  if (!QEMU_PLATFORMS[platform]?.sdCard || isPow2(bytes)) return undefined;
  let next = 512;
  while (next < bytes) next *= 2;
  const size = next >= 2 ** 30 ? `${next / 2 ** 30}G` : next >= 2 ** 20 ? `${next / 2 ** 20}M` : `${next / 1024}K`;
  return {
    message: `disk image ${disk} is ${bytes} bytes: QEMU's SD card (${platform}) takes only a power of two`,
    hint: `grow it (the file system in it keeps its size): truncate -s ${size} ${disk}; or make it so: neptune-gen disk create --size ${size} ...`,
  };
}

function isPow2(n: number): boolean {
  if (!Number.isSafeInteger(n) || n <= 0) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
