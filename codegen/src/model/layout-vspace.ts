// SPDX-License-Identifier: BSD-2-Clause
/**
 * The fixed virtual address map of every server (AArch64, 48-bit user address space), and the
 * page-table estimate that follows from it. Each kind of mapping has its own 256M area, so a
 * bigger stack or one more device never moves anything else:
 *
 *   0x0000_0000_0040_0000  the server's ELF (linked there by the build; not placed here)
 *   0x0000_0010_0000_0000  IPC buffer (one page)
 *   0x0000_0010_1000_0000  stack area: the stack ends at 0x10_2000_0000 and grows down; the page
 *                          below its lowest page stays unmapped (guard page)
 *   0x0000_0010_2000_0000  heap (grows up)
 *   0x0000_0010_3000_0000  MMIO windows, device-name order, uncached, a guard page after each
 *   0x0000_0010_4000_0000  shared buffers: server side per badge, then client side per use
 *                          (`as` order), a guard page after each
 *   0x0000_0010_8000_0000  memory regions without a fixed vaddr (mapping `as` order), aligned
 *                          to their page size, a guard page after each
 *
 * A mapping with a fixed `vaddr` (system.ts) is placed there; it must not overlap the areas
 * above or another mapping.
 */

import type { VaddrModel } from "./system.ts";
import { PAGE_SIZE, roundUp } from "./sizes.ts";

export const VADDR = {
  elf: 0x40_0000,
  ipcBuffer: 0x10_0000_0000,
  stackArea: 0x10_1000_0000,
  stackTop: 0x10_2000_0000,
  heap: 0x10_2000_0000,
  mmio: 0x10_3000_0000,
  shm: 0x10_4000_0000,
  regions: 0x10_8000_0000,
  /** End of the areas above (regions may use up to here). */
  end: 0x18_0000_0000,
} as const;

/** Size of each area but the last; a stack, heap, MMIO or shm total beyond it is an error. */
export const AREA_BYTES = 0x1000_0000;

/** Bytes of ELF image (code + data) assumed per server in the untyped estimate. */
export const ELF_ESTIMATE_BYTES = 256 * 1024;

/** Places mappings one after another from `base`, with a guard page after each. */
export class AreaCursor {
  private next: number;
  constructor(
    readonly base: number,
    readonly limit: number,
  ) {
    this.next = base;
  }
  place(sizeBytes: number, align = PAGE_SIZE): number | undefined {
    const at = roundUp(this.next, align);
    if (at + sizeBytes > this.limit) return undefined;
    this.next = at + roundUp(sizeBytes, PAGE_SIZE) + PAGE_SIZE;
    return at;
  }
}

/**
 * Page-table objects a VSpace needs for these mappings plus the ELF (assumed to fit in one 2M
 * block at VADDR.elf): one top-level table (the VSpace itself, counted separately), then one table
 * per distinct 512G, 1G and 2M block that holds a 4K mapping (2M mappings need no last-level table).
 */
export function pageTablesFor(vaddrs: VaddrModel[], largePage: (v: VaddrModel) => boolean): number {
  const l1 = new Set<number>(); // 512G blocks: a PUD each
  const l2 = new Set<number>(); // 1G blocks: a PD each
  const l3 = new Set<number>(); // 2M blocks: a PT each
  const add = (start: number, bytes: number, large: boolean) => {
    const end = start + Math.max(bytes, 1) - 1;
    for (let b = Math.floor(start / 2 ** 39); b <= Math.floor(end / 2 ** 39); b++) l1.add(b);
    for (let b = Math.floor(start / 2 ** 30); b <= Math.floor(end / 2 ** 30); b++) l2.add(b);
    if (!large) for (let b = Math.floor(start / 2 ** 21); b <= Math.floor(end / 2 ** 21); b++) l3.add(b);
  };
  add(VADDR.elf, 2 * 1024 * 1024 - 1, false);
  for (const v of vaddrs) add(v.vaddr, v.sizeBytes, largePage(v));
  return l1.size + l2.size + l3.size;
}
