// SPDX-License-Identifier: BSD-2-Clause
/**
 * Message placement: where each argument (or result) of a message travels, following the wire
 * format documented in idl.ts.
 *
 *   rpc write(handle: fd, off: uint64, data: bytes<4096>, ep: endpoint) -> ();
 *   request: handle → word 0, off → word 1, data → length in word 2 + 512 payload words,
 *            ep → cap 0; fixedWords 3, maxWords 3 + 512 > 120 so the payload goes to the
 *            shared buffer (shm, 4096 bytes) and maxWords is 3.
 *
 * Modes:
 *  - inline: the var payloads follow the fixed part. Bounded fields may each use their bound;
 *    unbounded ones share what is left of the 120 words ((120 - fixedWords) * 8 bytes).
 *  - shm: when fixedWords + the words of the largest payload exceed 120 and every var field is
 *    bounded, all var payloads go to the shared buffer from offset 0, each 8-byte aligned;
 *    shmBytes = sum of roundup(bound, 8). An unbounded field in such a message is an error.
 */

import type { DiagnosticBag, SourcePos } from "../diag/diagnostics.ts";
import { MSG_MAX_CAPS, MSG_MAX_WORDS, WORD_BYTES, type Field, type IdlModel, type MessageLayout, type PlacedField } from "./idl.ts";
import { alignUp, cLayoutOf } from "./clayout.ts";

export interface MessageContext {
  /** e.g. "request of 'fs.open'" */
  what: string;
  pos: SourcePos;
}

export function placeMessage(fields: Field[], idl: IdlModel, ctx: MessageContext, bag: DiagnosticBag): MessageLayout {
  let word = 0;
  let caps = 0;
  let vars = 0;
  const placed: PlacedField[] = fields.map((f) => {
    const t = f.type;
    switch (t.kind) {
      case "int":
      case "enum":
        return { ...f, placement: { where: "word", word: word++ } };
      case "struct":
      case "array": {
        const bytes = cLayoutOf(t, idl).size;
        const words = Math.ceil(bytes / WORD_BYTES);
        const p: PlacedField = { ...f, placement: { where: "block", word, words, bytes } };
        word += words;
        return p;
      }
      case "str":
      case "bytes":
        // maxBytes is settled below, once the fixed part is known.
        return { ...f, placement: { where: "var", word: word++, index: vars++, maxBytes: t.bound ?? 0 } };
      case "cap":
        return { ...f, placement: { where: "cap", cap: caps++ } };
    }
  });

  const fixedWords = word;
  const layout: MessageLayout = { fields: placed, fixedWords, maxWords: fixedWords, caps, shm: false, shmBytes: 0, fastPath: false };

  if (fixedWords > MSG_MAX_WORDS) {
    bag.error(
      ctx.pos,
      `${ctx.what} needs ${fixedWords} fixed words, more than the ${MSG_MAX_WORDS} a message holds (even with a shared buffer)`,
      "pass large data as a bounded bytes<N> or str<N> (it moves to the shared buffer), or split the method",
    );
  }

  const varFields = placed.filter((f) => f.placement.where === "var");
  const unbounded = varFields.filter((f) => boundOf(f) === undefined);
  const boundedWords = varFields.reduce((n, f) => n + Math.ceil((boundOf(f) ?? 0) / WORD_BYTES), 0);
  const room = Math.max(0, MSG_MAX_WORDS - fixedWords);

  if (unbounded.length > 0) {
    if (boundedWords > room) {
      const f = unbounded[0];
      bag.error(
        f.pos,
        `unbounded '${f.type.kind}' field '${f.name}' in ${ctx.what}, which needs the shared buffer`,
        `give it a bound (e.g. ${f.type.kind}<4096>): only bounded payloads can move to the shared buffer`,
      );
    }
    for (const f of unbounded) if (f.placement.where === "var") f.placement.maxBytes = room * WORD_BYTES;
    layout.maxWords = fixedWords + room;
  } else if (fixedWords + boundedWords > MSG_MAX_WORDS) {
    layout.shm = true;
    layout.shmBytes = varFields.reduce((n, f) => n + alignUp(boundOf(f) ?? 0, WORD_BYTES), 0);
  } else {
    layout.maxWords = fixedWords + boundedWords;
  }

  if (caps > MSG_MAX_CAPS) {
    bag.error(
      ctx.pos,
      `${ctx.what} carries ${caps} capabilities; seL4 transfers at most ${MSG_MAX_CAPS} per message (seL4_MsgMaxExtraCaps)`,
      "pass fewer capabilities per message, e.g. split the method in two",
    );
  } else if (caps > 1) {
    bag.warning(
      ctx.pos,
      `${ctx.what} carries ${caps} capabilities; seL4 delivers only one per IPC into the receiver's single receive slot (the others arrive only as unwrapped badges)`,
      "send one capability per message to be portable; the host runtime transfers up to 3",
    );
  }

  layout.fastPath = layout.maxWords <= 4 && caps === 0;
  return layout;
}

function boundOf(f: PlacedField): number | undefined {
  return f.type.kind === "str" || f.type.kind === "bytes" ? f.type.bound : undefined;
}
