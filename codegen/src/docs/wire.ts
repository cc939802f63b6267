// SPDX-License-Identifier: BSD-2-Clause
/**
 * How a message travels, in words for the interface pages: read from the placement the IDL
 * resolver computed (model/idl.ts, MessageLayout), never recomputed here.
 *
 *   rpc add(a: uint64, b: uint64) -> (sum: uint64);
 *   request: "fast path: 2 words, all in registers, no caps"
 *     a: "word 0 (register)"   b: "word 1 (register)"
 *   rpc read(handle: fd, len: uint32) -> (data: bytes<65536>);   (too big for the IPC buffer)
 *   reply: "shared buffer: 1 fixed word in registers, up to 64K of payload in the client's shared buffer"
 *     data: "length in word 0 (register); bytes in the shared buffer (at most 65536)"
 */

import type { MessageLayout, Placement } from "../model/idl.ts";
import { formatSize } from "../model/sizes.ts";

/** Message registers that travel in CPU registers on AArch64 (seL4_FastMessageRegisters). */
export const REGISTER_WORDS = 4;

function wordWhere(w: number): string {
  return `word ${w} (${w < REGISTER_WORDS ? "register" : "IPC buffer"})`;
}

/** Where one field of a message travels. */
export function placementText(p: Placement, shm: boolean): string {
  switch (p.where) {
    case "word":
      return wordWhere(p.word);
    case "block":
      return `words ${p.word}–${p.word + p.words - 1} (${p.bytes} bytes copied, ${p.word + p.words - 1 < REGISTER_WORDS ? "registers" : "IPC buffer"})`;
    case "var":
      return `length in ${wordWhere(p.word)}; bytes ${shm ? "in the shared buffer" : "after the fixed words in the IPC buffer"} (at most ${p.maxBytes})`;
    case "cap":
      return `capability ${p.cap} of the message (an seL4 extra cap)`;
  }
}

/** The transport class of a message: "fast path", "registers", "IPC buffer" or "shared buffer". */
export function transportOf(m: MessageLayout): string {
  if (m.shm) return "shared buffer";
  if (m.fastPath) return "fast path";
  if (m.maxWords <= REGISTER_WORDS) return "registers";
  return "IPC buffer";
}

/** One line on how the whole message travels. */
export function messageText(m: MessageLayout): string {
  const caps = m.caps === 0 ? "no caps" : `${m.caps} cap${m.caps === 1 ? "" : "s"} (seL4 extra caps)`;
  const words = (n: number) => `${n} word${n === 1 ? "" : "s"}`;
  if (m.shm) {
    return `shared buffer: ${words(m.fixedWords)} in the message, up to ${formatSize(m.shmBytes)} of payload in the buffer the layout maps into client and server; ${caps}`;
  }
  if (m.fastPath) {
    return m.maxWords === 0 ? "fast path: label only, no words, no caps" : `fast path: ${words(m.maxWords)}, all in registers, ${caps}`;
  }
  if (m.maxWords <= REGISTER_WORDS) {
    return `registers: ${m.maxWords === 0 ? "label only" : words(m.maxWords)} and ${caps}, off the fast path (seL4's fast path carries no caps)`;
  }
  const inline = m.maxWords - m.fixedWords;
  return (
    `IPC buffer: up to ${words(m.maxWords)} (the first ${REGISTER_WORDS} in registers)` +
    (inline > 0 ? `, ${words(m.fixedWords)} fixed and up to ${words(inline)} of payload` : "") +
    `, ${caps}`
  );
}
