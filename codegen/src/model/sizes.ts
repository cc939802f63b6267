// SPDX-License-Identifier: BSD-2-Clause
/**
 * Sizes as system.ts writes them: a byte count, or a string with an optional K/M/G suffix
 * ("16K", "2M", "4096"). Binary units (K = 1024). Also the page-size helpers the layout shares.
 */

export const PAGE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_BITS;
export const LARGE_PAGE_BITS = 21;

const UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 * 1024, G: 1024 * 1024 * 1024 };

/**
 * Parses a size. Returns the byte count, or a message saying what is wrong (never throws).
 * Fractions are accepted when they give whole bytes ("1.5K" = 1536).
 */
export function parseSize(value: unknown): { bytes: number } | { error: string } {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0)
      return { error: `size ${value} is not a whole, non-negative number of bytes` };
    return { bytes: value };
  }
  if (typeof value !== "string") return { error: `a size must be a number or a string such as "16K"` };
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)\s*$/i.exec(value);
  if (!m) return { error: `'${value}' is not a size; write a byte count or a number with K, M or G ("16K", "2M")` };
  const bytes = Number(m[1]) * UNITS[m[2].toUpperCase()];
  if (!Number.isSafeInteger(bytes)) return { error: `size '${value}' is not a whole number of bytes` };
  return { bytes };
}

/** "16K", "2M", "1G", or plain bytes: the shortest exact spelling, for layout.txt. */
export function formatSize(bytes: number): string {
  for (const [suffix, unit] of [
    ["G", UNITS.G],
    ["M", UNITS.M],
    ["K", UNITS.K],
  ] as const) {
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return `${bytes}`;
}

/** A size for people: exact when it can be ("16K"), else one decimal ("374.5K"). */
export function approxSize(bytes: number): string {
  const exact = formatSize(bytes);
  if (!/^\d+$/.test(exact) || bytes < 1024) return exact;
  const [unit, suffix] = bytes >= UNITS.M ? [UNITS.M, "M"] : [UNITS.K, "K"];
  return `${(bytes / unit).toFixed(1)}${suffix}`;
}

export function isPageAligned(n: number, pageBits = PAGE_BITS): boolean {
  return n % 2 ** pageBits === 0;
}

export function roundUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

export function pagesOf(bytes: number, pageBits = PAGE_BITS): number {
  return Math.ceil(bytes / 2 ** pageBits);
}

export function hex(n: number): string {
  return "0x" + n.toString(16);
}
