// SPDX-License-Identifier: BSD-2-Clause
/**
 * The fixed virtual address map of every server (AArch64, 48-bit user address space), and the
 * page-table estimate that follows from it. Each kind of mapping has its own area, so a bigger
 * stack or one more device never moves anything else:
 *
 *   0x0000_0000_0040_0000  the server's ELF (linked there by the build; not placed here)
 *   0x0000_0000_4000_0000  MMIO windows, uncached, a guard page after each (256M)
 *   0x0000_0000_5000_0000  shared buffers: per server, its side per badge, then its side per
 *                          use (`as` order), a guard page after each (256M)
 *   0x0000_0000_6000_0000  memory regions without a fixed vaddr (mapping `as` order), aligned
 *                          to their page size, a guard page after each (up to 0x7fe0_0000)
 *   0x0000_0000_1000_0000  IPC buffer and stack: placed by sel4utils' process loader at
 *                          addresses it picks (so the layout names no constant for them)
 *   0x0000_0010_2000_0000  heap (grows up)
 *
 * The heap sits at the same address in every server. MMIO windows, shared
 * buffers and regions are placed system-wide (servers in name order, one cursor per area for the
 * whole system, see SystemAreas), so no two servers use an address for them twice: the host
 * target runs every server in one Linux process and maps each at its address there (and tells a
 * driver's register accesses apart by address). They sit below 2G because that is the only range
 * every target can map at a fixed address: a 40-bit (hyp) or Sv39 user address space, and Linux
 * under AddressSanitizer, whose shadow memory takes 0x7fff_8000 up to 16T on x86_64. On seL4 the
 * split costs a few more page tables, nothing else.
 *
 * A mapping with a fixed `vaddr` (system.ts) is placed there; it must not overlap the areas
 * above or another mapping of the same server.
 */

import type { VaddrModel } from "./system.ts";
import { PAGE_SIZE, roundUp } from "./sizes.ts";

export const VADDR = {
  elf: 0x40_0000,
  mmio: 0x4000_0000,
  shm: 0x5000_0000,
  regions: 0x6000_0000,
  /** End of the region area (below AddressSanitizer's shadow memory at 0x7fff_8000 on x86_64). */
  regionsEnd: 0x7fe0_0000,
  /** Where sel4utils' process loader places the IPC buffer and stack (it picks from here up). */
  loader: 0x1000_0000,
  heap: 0x10_2000_0000,
} as const;

/** Size of the stack, heap, MMIO and shared-buffer areas; a total beyond it is an error. */
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

/** The areas every server's MMIO windows, shared buffers and regions are placed in, one after
 * another across the whole system. */
export interface SystemAreas {
  mmio: AreaCursor;
  shm: AreaCursor;
  regions: AreaCursor;
}

export function systemAreas(): SystemAreas {
  return {
    mmio: new AreaCursor(VADDR.mmio, VADDR.mmio + AREA_BYTES),
    shm: new AreaCursor(VADDR.shm, VADDR.shm + AREA_BYTES),
    regions: new AreaCursor(VADDR.regions, VADDR.regionsEnd),
  };
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
  add(VADDR.loader, 2 * 1024 * 1024 - 1, false); // IPC buffer and stack
  for (const v of vaddrs) add(v.vaddr, v.sizeBytes, largePage(v));
  return l1.size + l2.size + l3.size;
}
