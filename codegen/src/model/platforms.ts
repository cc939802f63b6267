// SPDX-License-Identifier: BSD-2-Clause
/**
 * What the compiler knows of each platform's devices: device-tree `compatible` strings mapped to
 * physical MMIO windows and interrupt numbers (the kernel's numbering), so a driver in system.ts
 * can say `compatible: "arm,pl011"` instead of an address. Taken from the boards' public memory
 * maps and device trees (QEMU's `virt` machine; the BCM2837 peripherals at 0x3f000000, the
 * BCM2711's at 0xfe000000); codegen/test/platform-dts.test.ts checks the Pi tables against the
 * device trees the seL4 kernel ships.
 *
 * A device whose registers do not start on a page boundary (virtio-mmio slots are 0x200 apart,
 * the Pi's mini UART sits 0x40 into the AUX page) is described by its page-aligned window plus
 * `offset`, the distance of its registers from the window's start.
 *
 * `kernel: true` marks devices the seL4 kernel keeps for itself (the generic timer, the interrupt
 * controller): a driver asking for one is an error.
 */

export interface PlatformDevice {
  compatible: string;
  /** Page-aligned physical address of the MMIO window. */
  paddr: number;
  size: number;
  /** Registers start this many bytes into the window. */
  offset: number;
  irq?: number;
  irqTrigger?: "level" | "edge";
  /** For a family of identical devices (virtio-mmio transports): which one. */
  index?: number;
  kernel?: boolean;
  /** Input clock in Hz the driver divides (UART baud rates), where the board fixes it. */
  clockHz?: number;
  /** x86: reached through these I/O ports instead of MMIO (paddr and size are 0). */
  ioport?: { base: number; count: number };
  note?: string;
}

/**
 * How the kernel's interrupt controller hands out IRQ handler caps, which the root server follows
 * (rs_irq_control_t in rootserver/include/rootserver/tables.h):
 * - `trigger`: seL4_IRQControl_GetTrigger, level or edge (ARM GIC, RISC-V PLIC);
 * - `plain`: seL4_IRQControl_Get, no trigger setting (the Pi 3's BCM2836 controller answers
 *   GetTrigger with seL4_IllegalOperation);
 * - `ioapic`: seL4_IRQControl_GetIOAPIC on x86, the IRQ being the I/O APIC pin.
 */
export type IrqControl = "trigger" | "plain" | "ioapic";

export interface Platform {
  name: string;
  irqControl: IrqControl;
  /** Other names system.ts may use for it. */
  aliases: string[];
  devices: PlatformDevice[];
  /**
   * How to pick among several devices with one compatible string when the device name does not
   * end in an index: the order QEMU fills them in.
   */
  fillOrder: "ascending" | "descending";
}

const K4 = 0x1000;

/** QEMU `virt`: 32 virtio-mmio transports at 0x0a000000, 0x200 apart, SPIs 16..47. */
function virtioMmioSlots(): PlatformDevice[] {
  const out: PlatformDevice[] = [];
  for (let i = 0; i < 32; i++) {
    const addr = 0x0a000000 + 0x200 * i;
    out.push({
      compatible: "virtio,mmio",
      paddr: addr - (addr % K4),
      size: K4,
      offset: addr % K4,
      irq: 48 + i,
      irqTrigger: "edge",
      index: i,
    });
  }
  return out;
}

export const PLATFORMS: readonly Platform[] = [
  {
    name: "qemu-arm-virt",
    aliases: ["virt", "qemu-virt"],
    irqControl: "trigger",
    // QEMU plugs the first -device virtio-*-device into the highest transport.
    fillOrder: "descending",
    devices: [
      { compatible: "arm,pl011", paddr: 0x09000000, size: K4, offset: 0, irq: 33, irqTrigger: "level", clockHz: 24_000_000 },
      { compatible: "arm,pl031", paddr: 0x09010000, size: K4, offset: 0, irq: 34, irqTrigger: "level" },
      { compatible: "arm,pl061", paddr: 0x09030000, size: K4, offset: 0, irq: 39, irqTrigger: "level" },
      ...virtioMmioSlots(),
      {
        compatible: "arm,armv8-timer",
        paddr: 0,
        size: 0,
        offset: 0,
        kernel: true,
        note: "the kernel's timer; ask a timer server (or the root server) for time instead",
      },
      {
        compatible: "arm,cortex-a15-gic",
        paddr: 0x08000000,
        size: 0x20000,
        offset: 0,
        kernel: true,
        note: "the interrupt controller belongs to the kernel; drivers get IRQ handler caps",
      },
    ],
  },
  {
    name: "rpi3",
    aliases: ["bcm2837", "raspi3b"],
    irqControl: "plain",
    fillOrder: "ascending",
    devices: [
      {
        compatible: "brcm,bcm2835-aux-uart",
        paddr: 0x3f215000,
        size: K4,
        offset: 0x40,
        irq: 64 + 29,
        irqTrigger: "level",
        // The core clock, which enable_uart=1 fixes at 250 MHz on the Pi 3.
        clockHz: 250_000_000,
        note: "the mini UART (console on the Pi 3)",
      },
      { compatible: "arm,pl011", paddr: 0x3f201000, size: K4, offset: 0, irq: 64 + 57, irqTrigger: "level", clockHz: 48_000_000 },
      { compatible: "brcm,bcm2835-pl011", paddr: 0x3f201000, size: K4, offset: 0, irq: 64 + 57, irqTrigger: "level", clockHz: 48_000_000 },
      { compatible: "brcm,bcm2835-system-timer", paddr: 0x3f003000, size: K4, offset: 0, irq: 64 + 1, irqTrigger: "level" },
      { compatible: "brcm,bcm2835-gpio", paddr: 0x3f200000, size: K4, offset: 0, irq: 64 + 49, irqTrigger: "level" },
      {
        compatible: "brcm,bcm2835-sdhci",
        paddr: 0x3f300000,
        size: K4,
        offset: 0,
        irq: 64 + 62,
        irqTrigger: "level",
        // The EMMC clock the firmware sets (250 MHz at most on the Pi 3; its capabilities register
        // does not say): drivers/sdhci divides it, so a slower real clock only slows the card.
        clockHz: 250_000_000,
        note: "the Arasan SD host controller (SD card on GPIO 48-53 at ALT3)",
      },
      {
        compatible: "arm,armv7-timer",
        paddr: 0,
        size: 0,
        offset: 0,
        kernel: true,
        note: "the kernel's timer; ask a timer server (or the root server) for time instead",
      },
    ],
  },
  {
    name: "rpi4",
    aliases: ["bcm2711", "rpi4b"],
    irqControl: "trigger",
    fillOrder: "ascending",
    // BCM2711 in low-peripheral mode: the VideoCore bus 0x7e000000 appears at 0xfe000000; IRQs are
    // GIC-400 SPIs (kernel number 32 + SPI), as the board's device tree (seL4's tools/dts/rpi4.dts
    // with the address-mapping overlay) gives them.
    devices: [
      {
        compatible: "brcm,bcm2835-aux-uart",
        paddr: 0xfe215000,
        size: K4,
        offset: 0x40,
        irq: 32 + 93,
        irqTrigger: "level",
        // The VPU core clock, which enable_uart=1 fixes at 500 MHz on the Pi 4.
        clockHz: 500_000_000,
        note: "the mini UART (console on the Pi 4)",
      },
      { compatible: "arm,pl011", paddr: 0xfe201000, size: K4, offset: 0, irq: 32 + 121, irqTrigger: "level", clockHz: 48_000_000 },
      // Channel 1 (SPI 65): the firmware keeps channels 0 and 2.
      { compatible: "brcm,bcm2835-system-timer", paddr: 0xfe003000, size: K4, offset: 0, irq: 32 + 65, irqTrigger: "level" },
      { compatible: "brcm,bcm2711-gpio", paddr: 0xfe200000, size: K4, offset: 0, irq: 32 + 113, irqTrigger: "level" },
      { compatible: "brcm,bcm2711-emmc2", paddr: 0xfe340000, size: K4, offset: 0, irq: 32 + 126, irqTrigger: "level" },
      {
        compatible: "arm,armv8-timer",
        paddr: 0,
        size: 0,
        offset: 0,
        kernel: true,
        note: "the kernel's timer; ask a timer server (or the root server) for time instead",
      },
      {
        compatible: "arm,gic-400",
        paddr: 0xff841000,
        size: 0x7000,
        offset: 0,
        kernel: true,
        note: "the interrupt controller belongs to the kernel; drivers get IRQ handler caps",
      },
    ],
  },
  {
    name: "qemu-riscv-virt",
    aliases: ["riscv-virt", "riscv64"],
    irqControl: "trigger",
    // QEMU plugs the first -device virtio-*-device into the highest transport.
    fillOrder: "descending",
    // QEMU's RISC-V `virt` machine (its dumped device tree, which the seL4 build also reads):
    // interrupts are PLIC sources, the kernel's numbers as they are.
    devices: [
      { compatible: "ns16550a", paddr: 0x10000000, size: K4, offset: 0, irq: 10, irqTrigger: "level", clockHz: 3_686_400 },
      { compatible: "google,goldfish-rtc", paddr: 0x00101000, size: K4, offset: 0, irq: 11, irqTrigger: "level" },
      ...Array.from({ length: 8 }, (_, i): PlatformDevice => ({
        compatible: "virtio,mmio",
        paddr: 0x10001000 + i * K4,
        size: K4,
        offset: 0,
        irq: 1 + i,
        irqTrigger: "level",
        index: i,
      })),
      {
        compatible: "riscv,plic0",
        paddr: 0x0c000000,
        size: 0x600000,
        offset: 0,
        kernel: true,
        note: "the interrupt controller belongs to the kernel; drivers get IRQ handler caps",
      },
      {
        compatible: "riscv,clint0",
        paddr: 0x02000000,
        size: 0x10000,
        offset: 0,
        kernel: true,
        note: "the kernel's timer; ask a timer server (or the root server) for time instead",
      },
    ],
  },
  {
    name: "x86_64",
    aliases: ["pc99", "pc"],
    irqControl: "ioapic",
    fillOrder: "ascending",
    // A PC (QEMU `pc`): the legacy devices are I/O ports, their interrupts I/O APIC pins (ISA IRQ
    // n is pin n, except the PIT's IRQ 0, which QEMU and the ACPI tables route to pin 2).
    devices: [
      { compatible: "ns16550a", paddr: 0, size: 0, offset: 0, ioport: { base: 0x3f8, count: 8 }, irq: 4, irqTrigger: "edge", clockHz: 1_843_200, note: "COM1" },
      { compatible: "intel,8254", paddr: 0, size: 0, offset: 0, ioport: { base: 0x40, count: 4 }, irq: 2, irqTrigger: "edge", note: "the PIT" },
      {
        compatible: "intel,ioapic",
        paddr: 0xfec00000,
        size: K4,
        offset: 0,
        kernel: true,
        note: "the interrupt controller belongs to the kernel; drivers get IRQ handler caps",
      },
    ],
  },
];

export function findPlatform(name: string): Platform | undefined {
  return PLATFORMS.find((p) => p.name === name || p.aliases.includes(name));
}

export function platformNames(): string[] {
  return PLATFORMS.map((p) => p.name);
}

/** Every compatible string a platform knows (for "did you mean"). */
export function compatibles(p: Platform): string[] {
  return [...new Set(p.devices.map((d) => d.compatible))];
}

/** The platforms that have a device with this compatible string. */
export function platformsWith(compatible: string): string[] {
  return PLATFORMS.filter((p) => p.devices.some((d) => d.compatible === compatible)).map((p) => p.name);
}
