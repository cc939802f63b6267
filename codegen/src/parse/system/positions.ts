// SPDX-License-Identifier: BSD-2-Clause
/**
 * Precise source positions inside system.ts: given a builder result (which carries `ORIGIN`, the
 * call site of `server(...)`, `driver(...)`, …) and a path below it (as zod reports issues), finds
 * the builder's call expression in the ts-morph AST and walks its object-literal argument along
 * the path to the most specific property or element. When the path leaves literal syntax (a
 * spread, a computed value, a function call), the last node reached is used, down to the call
 * site itself.
 */

import { Node, type SourceFile, type CallExpression } from "ts-morph";
import type { SourcePos } from "../../diag/diagnostics.ts";
import { ORIGIN, type Origin } from "../../api/index.ts";

export type PathKey = string | number;

export function originOf(value: unknown): Origin | undefined {
  if (value === null || typeof value !== "object") return undefined;
  return (value as { [ORIGIN]?: Origin })[ORIGIN];
}

/** The call expression starting at `origin`, if the file has one there. */
export function callAt(sf: SourceFile, origin: Origin): CallExpression | undefined {
  let pos: number;
  try {
    pos = sf.compilerNode.getPositionOfLineAndCharacter(origin.line - 1, origin.col - 1);
  } catch {
    return undefined;
  }
  let node: Node | undefined = sf.getDescendantAtPos(pos);
  while (node && !(Node.isCallExpression(node) && node.getStart() === pos)) node = node.getParent();
  return node && Node.isCallExpression(node) ? node : undefined;
}

/** Strips `( … )`, `as T`, `satisfies T`, `x!` and follows a `const` to its initializer. */
function unwrap(node: Node, depth = 0): Node {
  if (depth > 8) return node;
  if (
    Node.isParenthesizedExpression(node) ||
    Node.isAsExpression(node) ||
    Node.isSatisfiesExpression(node) ||
    Node.isNonNullExpression(node)
  )
    return unwrap(node.getExpression(), depth + 1);
  if (Node.isIdentifier(node)) {
    const decl = node.getSymbol()?.getValueDeclaration();
    if (decl && Node.isVariableDeclaration(decl)) {
      const init = decl.getInitializer();
      if (init) return unwrap(init, depth + 1);
    }
  }
  return node;
}

/**
 * Walks `path` from a builder call's argument. Returns the node to report at: the property
 * assignment (its name) for an object key, the element for an array index.
 */
export function walkPath(call: CallExpression, path: readonly PathKey[]): Node {
  let at: Node = call;
  let cur: Node | undefined = call.getArguments()[0];
  for (const key of path) {
    if (!cur) break;
    const node = unwrap(cur);
    if (Node.isCallExpression(node) && node !== call) {
      // A nested call (a builder whose result lacks an origin): continue in its argument.
      const arg = node.getArguments()[0];
      if (!arg) break;
      cur = arg;
      const inner = unwrap(arg);
      if (!Node.isObjectLiteralExpression(inner) && !Node.isArrayLiteralExpression(inner)) break;
    }
    const lit = unwrap(cur);
    if (Node.isObjectLiteralExpression(lit) && typeof key === "string") {
      const prop = lit.getProperty(key);
      if (!prop) break;
      at = prop;
      cur = Node.isPropertyAssignment(prop) ? prop.getInitializer() : Node.isShorthandPropertyAssignment(prop) ? prop.getNameNode() : undefined;
      continue;
    }
    if (Node.isArrayLiteralExpression(lit) && typeof key === "number") {
      const elems = lit.getElements();
      if (elems.slice(0, key + 1).some((e) => Node.isSpreadElement(e))) break;
      const el = elems[key];
      if (!el) break;
      at = el;
      cur = el;
      continue;
    }
    // A string, number or other scalar at a path that goes deeper: the value itself is wrong.
    at = cur;
    break;
  }
  return at;
}

export function posOfNode(node: Node, file: string): SourcePos {
  const sf = node.getSourceFile();
  const lc = sf.getLineAndColumnAtPos(node.getStart());
  return { file, line: lc.line, col: lc.column };
}
