// SPDX-License-Identifier: BSD-2-Clause
/**
 * Stable message labels (see the wire format in idl.ts).
 *
 * A method without an explicit `= N` gets FNV-1a 32-bit of "<interface>.<method>", folded to
 * 20 bits ((h >> 20) ^ (h & 0xFFFFF)) so it fits seL4's message-info label on every word size,
 * and moved out of the runtime's reserved range [0, 0x100) by adding 0x100. The label depends on
 * nothing but the two names, so adding or reordering methods never renumbers the others.
 */

import { LABEL_MAX, LABEL_RESERVED_BELOW, type Interface } from "./idl.ts";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(s)) {
    h ^= byte;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** The derived label of `iface.method`: in [LABEL_RESERVED_BELOW, LABEL_MAX]. */
export function deriveLabel(iface: string, method: string): number {
  const h = fnv1a32(`${iface}.${method}`);
  let label = (h >>> 20) ^ (h & 0xfffff);
  if (label < LABEL_RESERVED_BELOW) label += LABEL_RESERVED_BELOW;
  return label;
}

/** Whether an explicit label is allowed. */
export function labelInRange(label: number): boolean {
  return label >= LABEL_RESERVED_BELOW && label <= LABEL_MAX;
}

export interface LabelCollision {
  label: number;
  /** The two methods as "iface.method", the first in the order given. */
  first: string;
  second: string;
}

/**
 * Label collisions among interfaces served on one endpoint (a server serving several
 * interfaces dispatches on the label alone). Within one interface the IDL resolver already
 * reports collisions; the system resolver calls this with the interfaces of each server.
 */
export function findLabelCollisions(interfaces: Interface[]): LabelCollision[] {
  const seen = new Map<number, string>();
  const out: LabelCollision[] = [];
  for (const iface of interfaces) {
    for (const m of iface.methods) {
      const who = `${iface.name}.${m.name}`;
      const prev = seen.get(m.label);
      if (prev !== undefined) out.push({ label: m.label, first: prev, second: who });
      else seen.set(m.label, who);
    }
  }
  return out;
}
