// SPDX-License-Identifier: BSD-2-Clause
/**
 * The resolved IDL model: what the IDL front end (parse/idl + model/resolve-idl) produces and
 * every emitter consumes. Plain data (JSON-serialisable): types refer to each other by qualified
 * name, never by object reference, so system.json can carry the model as is.
 *
 * Naming: every declaration has a qualified name `ns.name` (or `name` at file top level).
 * An interface is one IDL `namespace` block.
 *
 * ## Wire format (placement rules shared by the resolver and the emitters)
 * A message is: a label, up to NG_MSG_MAX_WORDS (120) machine words, up to 3 capabilities, and,
 * for methods whose payload cannot fit, a shared buffer between client and server.
 * Words are 64-bit (the only word size this version targets; the C asserts it).
 *
 * Fields are placed in declaration order:
 *  - scalar (intN/uintN, bool, char, size, enum, alias of one): one word each (`where: "word"`);
 *    signed values are sign-extended; the decoder rejects out-of-range values, bools other than
 *    0/1 and enum values not declared.
 *  - struct or fixed array (`T[N]`): its C representation (natural C alignment, computed by
 *    `cLayout`) copied into ceil(size / 8) consecutive words (`where: "block"`).
 *  - `str`/`bytes`: one length word in the fixed part (`where: "var"`, `word` = the length word);
 *    the bytes follow the fixed part, each field starting on a word boundary, in declaration order.
 *    In shm mode (see MessageLayout.shm) the bytes go to the shared buffer instead, from offset 0,
 *    each field 8-byte aligned.
 *  - capabilities (`cap`, `endpoint`, `notification`, …): no words; `cap` is the index in the
 *    message's cap array, in declaration order.
 * A message with var fields has exactly fixedWords + sum(ceil(len_i / 8)) words (inline mode);
 * anything else is rejected as malformed.
 *
 * Labels: a request's label is the method label. A reply's label is an error code (0 = OK).
 * Method labels are explicit (`= N` after the declaration) or derived: FNV-1a 32-bit of
 * "<interface>.<method>", folded to 20 bits (so it fits seL4's label on every word size), and
 * moved into [0x100, 0xFFFFF] (labels below 0x100 are reserved for the runtime). Adding a method
 * never renumbers others; a collision within an interface, or between interfaces one server
 * serves, is an error.
 */

import type { SourcePos } from "../diag/diagnostics.ts";

export const WORD_BYTES = 8;
export const MSG_MAX_WORDS = 120;
export const MSG_MAX_CAPS = 3;
/** Labels below this are the runtime's (cap carriers, control messages). */
export const LABEL_RESERVED_BELOW = 0x100;
export const LABEL_MAX = 0xfffff;
/** First error code an interface may declare; below it are the runtime's generic errors. */
export const USER_ERROR_BASE = 16;

export type IntName =
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "bool"
  | "char"
  | "size";

/** Capability kinds an IDL can name. `cap` is any capability. */
export type CapKind = "cap" | "endpoint" | "notification" | "frame" | "untyped" | "irq";

export type TypeRef =
  | { kind: "int"; name: IntName }
  /** `name` is the qualified name of an EnumDecl. */
  | { kind: "enum"; name: string }
  /** `name` is the qualified name of a StructDecl. */
  | { kind: "struct"; name: string }
  /** `T[N]`. */
  | { kind: "array"; elem: TypeRef; length: number }
  /** `str` (bound undefined: limited by the message) or `str<N>` (at most N bytes). */
  | { kind: "str"; bound?: number }
  | { kind: "bytes"; bound?: number }
  | { kind: "cap"; cap: CapKind };

/** Aliases (`type fd = uint32;`) are resolved away in TypeRefs but kept for emitting typedefs. */
export interface AliasDecl {
  qname: string;
  name: string;
  target: TypeRef;
  doc?: string;
  pos: SourcePos;
}

export interface ConstDecl {
  qname: string;
  name: string;
  type: TypeRef;
  /** Integer constants only; bigint would not survive JSON, so values are kept as decimal strings. */
  value: string;
  doc?: string;
  pos: SourcePos;
}

export interface EnumMember {
  name: string;
  value: string;
  doc?: string;
  pos: SourcePos;
}

export interface EnumDecl {
  qname: string;
  name: string;
  /** Underlying integer type; `uint32` unless written `enum x: uint8 { … }`. */
  base: IntName;
  members: EnumMember[];
  doc?: string;
  pos: SourcePos;
}

export interface StructField {
  name: string;
  type: TypeRef;
  doc?: string;
  pos: SourcePos;
}

export interface StructDecl {
  qname: string;
  name: string;
  /** Only plain data: scalars, enums, structs, fixed arrays and bounded `str<N>` (stored inline). */
  fields: StructField[];
  doc?: string;
  pos: SourcePos;
}

export interface ErrorDecl {
  name: string;
  /** >= USER_ERROR_BASE. */
  code: number;
  doc?: string;
  pos: SourcePos;
}

export interface Field {
  name: string;
  type: TypeRef;
  pos: SourcePos;
}

export type Placement =
  | { where: "word"; word: number }
  | { where: "block"; word: number; words: number; bytes: number }
  | { where: "var"; word: number; index: number; maxBytes: number }
  | { where: "cap"; cap: number };

export interface PlacedField extends Field {
  placement: Placement;
}

export interface MessageLayout {
  fields: PlacedField[];
  /** Words before any variable payload: scalars, blocks and one length word per var field. */
  fixedWords: number;
  /** Largest number of words the message can have (fixed + largest inline payload). */
  maxWords: number;
  caps: number;
  /** Variable payloads travel in the shared buffer (they can exceed the IPC buffer). */
  shm: boolean;
  /** Largest shared-buffer use in bytes (0 unless shm). */
  shmBytes: number;
  /** Fits seL4's IPC fast path: at most 4 words (AArch64 message registers) and no caps. */
  fastPath: boolean;
}

export interface Method {
  name: string;
  kind: "rpc" | "oneway";
  label: number;
  labelExplicit: boolean;
  args: Field[];
  /** Empty for oneway. */
  results: Field[];
  /** Error names (of the interface's `errors` block) this rpc may return; empty: any. */
  raises: string[];
  request: MessageLayout;
  /** Undefined for oneway. */
  reply?: MessageLayout;
  doc?: string;
  pos: SourcePos;
}

export interface Interface {
  /** The namespace name; also the C prefix of everything generated for it. */
  name: string;
  /** The .idl file it came from (as given to the compiler). */
  file: string;
  doc?: string;
  consts: ConstDecl[];
  enums: EnumDecl[];
  structs: StructDecl[];
  aliases: AliasDecl[];
  errors: ErrorDecl[];
  methods: Method[];
  /** Bytes of the largest shared buffer any of its methods needs (0: none). */
  shmBytes: number;
  pos: SourcePos;
}

/** Everything the IDL files declare, resolved. Top-level (namespace-less) declarations live here. */
export interface IdlModel {
  files: string[];
  interfaces: Interface[];
  /** Declarations outside any namespace, visible to every interface. */
  globals: {
    consts: ConstDecl[];
    enums: EnumDecl[];
    structs: StructDecl[];
    aliases: AliasDecl[];
  };
}

/** C size and alignment of a type as the emitted C declares it (LP64 / AArch64 AAPCS64). */
export interface CLayout {
  size: number;
  align: number;
}
