// SPDX-License-Identifier: BSD-2-Clause
/**
 * The IDL syntax tree: what the parser builds and model/resolve-idl.ts resolves into the IdlModel.
 *
 * Names are unresolved (`fs.stat` is just two parts), sizes may still name constants, and every
 * node keeps the position of the token that starts it so any later error can point at it.
 */

import type { SourcePos } from "../../diag/diagnostics.ts";

/** A name as written: `mode` or `fs.mode`. */
export interface NameRef {
  parts: string[];
  pos: SourcePos;
}

/** An integer literal (already signed) or the name of a constant. */
export type ValueExpr = { kind: "int"; value: bigint; pos: SourcePos } | { kind: "ref"; name: NameRef; pos: SourcePos };

export type TypeExpr =
  /** `uint32`, `mode`, `fs.stat`, `str`, `str<N>`, `bytes<N>`, `endpoint`. */
  | { kind: "named"; name: NameRef; bound?: ValueExpr; pos: SourcePos }
  /** `T[N]`. */
  | { kind: "array"; elem: TypeExpr; length: ValueExpr; pos: SourcePos };

export interface Ident {
  text: string;
  pos: SourcePos;
}

interface DeclBase {
  name: Ident;
  doc?: string;
  pos: SourcePos;
}

export interface ConstNode extends DeclBase {
  kind: "const";
  type: TypeExpr;
  value: ValueExpr;
}

export interface AliasNode extends DeclBase {
  kind: "alias";
  target: TypeExpr;
}

export interface EnumMemberNode {
  name: Ident;
  value?: ValueExpr;
  doc?: string;
  pos: SourcePos;
}

export interface EnumNode extends DeclBase {
  kind: "enum";
  base?: TypeExpr;
  members: EnumMemberNode[];
}

export interface FieldNode {
  name: Ident;
  type: TypeExpr;
  doc?: string;
  pos: SourcePos;
}

export interface StructNode extends DeclBase {
  kind: "struct";
  fields: FieldNode[];
}

export interface ErrorNode {
  name: Ident;
  value?: ValueExpr;
  doc?: string;
  pos: SourcePos;
}

export interface ErrorsNode {
  kind: "errors";
  errors: ErrorNode[];
  pos: SourcePos;
}

export interface MethodNode extends DeclBase {
  kind: "method";
  method: "rpc" | "oneway";
  args: FieldNode[];
  /** Undefined for oneway. */
  results?: FieldNode[];
  raises: Ident[];
  label?: ValueExpr;
}

export type DeclNode = ConstNode | AliasNode | EnumNode | StructNode | ErrorsNode | MethodNode;

export interface NamespaceNode {
  kind: "namespace";
  name: Ident;
  doc?: string;
  decls: DeclNode[];
  pos: SourcePos;
}

export interface FileNode {
  file: string;
  /** Namespaces and top-level declarations, in source order. */
  items: (NamespaceNode | DeclNode)[];
}
