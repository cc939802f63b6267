// SPDX-License-Identifier: BSD-2-Clause
/**
 * A server's handler tables against the IDL, before any build: C zero-fills what a designated
 * initializer leaves out, and the dispatcher answers a NULL handler with NG_ENOSYS, so after an
 * IDL change a forgotten handler would build silently. Both builds (seL4 and host) call this
 * from serverSourceDirs; it reads the server's top-level .c files.
 *
 *   static const echo_ops_t echo_ops = { .add = do_add };        (echo.idl also has `bench`)
 *   servers/echo/main.c:3:25: error: ops table 'echo_ops' (echo_ops_t) has no handler for
 *       method echo.bench (idl/echo.idl:9:5)
 *   hint: write a handler and add `.bench = <function>`, or `.bench = NULL` to answer NG_ENOSYS
 *
 * Tables are found as `<iface>_ops_t <name> = { … }` and `<server>_server_ops_t <name> = { … }`
 * (after qualifiers); designators name members (`.add = …`), positional entries take members in
 * order. A member set to NULL explicitly is fine. A designator that names no member (a method
 * the IDL renamed or removed) is reported too, with a suggestion. Tables built at run time are
 * not seen (the C compiler still checks their types).
 */

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { type DiagnosticBag, formatPos, type SourcePos, suggestionHint } from "../diag/diagnostics.ts";
import { displayPath } from "../compile.ts";
import { cIdent, lowerIdent } from "../emit/cprinter.ts";
import type { ServerModel, SystemModel } from "../model/system.ts";

/** C source with comments and string/char literals blanked (same offsets, same newlines). */
export function blankCommentsAndStrings(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, " "));
}

function posAt(text: string, offset: number, file: string): SourcePos {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, col: offset - lineStart + 1 };
}

/** The top-level entries of the initializer whose `{` is at `open`, with their offsets. */
function entries(text: string, open: number): { text: string; at: number }[] | undefined {
  const out: { text: string; at: number }[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") {
      depth--;
      if (depth === 0) {
        if (text.slice(start, i).trim()) out.push({ text: text.slice(start, i).trim(), at: start + text.slice(start, i).search(/\S/) });
        return out;
      }
    } else if (c === "," && depth === 1) {
      out.push({ text: text.slice(start, i).trim(), at: start + text.slice(start, i).search(/\S/) });
      start = i + 1;
    }
  }
  return undefined;
}

interface Expected {
  /** `echo_ops_t` */
  type: string;
  members: { name: string; what: string; pos?: SourcePos }[];
  /** Members a table may leave out. */
  optional: Set<string>;
}

function expectedTables(server: ServerModel, sys: SystemModel): Map<string, Expected> {
  const tables = new Map<string, Expected>();
  const served = sys.idl.interfaces.filter((i) => server.serves.includes(i.name));
  for (const i of served) {
    tables.set(`${lowerIdent(i.name)}_ops_t`, {
      type: `${lowerIdent(i.name)}_ops_t`,
      members: i.methods.map((m) => ({ name: cIdent(m.name), what: `method ${i.name}.${m.name}`, pos: m.pos })),
      optional: new Set(),
    });
  }
  if (served.length > 0) {
    const type = `${lowerIdent(server.name)}_server_ops_t`;
    tables.set(type, {
      type,
      members: [...served.map((i) => ({ name: lowerIdent(i.name), what: `interface ${i.name}, which '${server.name}' serves`, pos: i.pos })), { name: "notify", what: "notifications" }],
      optional: new Set(["notify"]),
    });
  }
  return tables;
}

const TABLE = /\b([A-Za-z_]\w*_ops_t)\s+(?:const\s+)?([A-Za-z_]\w*)\s*=\s*\{/g;

/** Checks every handler table in `dir`'s .c files against what `server` serves. */
export async function checkOpsTables(server: ServerModel, sys: SystemModel, dir: string, bag: DiagnosticBag): Promise<void> {
  const tables = expectedTables(server, sys);
  if (tables.size === 0) return;
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".c")).sort();
  for (const f of files) {
    const file = path.join(dir, f);
    const shown = displayPath(file);
    const text = blankCommentsAndStrings(await readFile(file, "utf8").catch(() => ""));
    for (const m of text.matchAll(TABLE)) {
      const want = tables.get(m[1]);
      if (!want) continue;
      const items = entries(text, m.index + m[0].length - 1);
      if (!items) continue;
      const set = new Set<string>();
      items.forEach((item, k) => {
        const d = /^\.\s*([A-Za-z_]\w*)\s*=/.exec(item.text);
        if (!d) {
          if (want.members[k]) set.add(want.members[k].name);
          return;
        }
        const name = d[1];
        if (want.members.some((x) => x.name === name)) {
          set.add(name);
          return;
        }
        bag.error(
          posAt(text, item.at, shown),
          `ops table '${m[2]}' (${want.type}) sets '.${name}', which is not one of its members`,
          suggestionHint(name, want.members.map((x) => x.name)) ?? `its members are: ${want.members.map((x) => x.name).join(", ")} (did the IDL rename or remove it?)`,
        );
      });
      const at = posAt(text, m.index + m[0].indexOf(m[2], m[1].length), shown);
      const missing = want.members.filter((x) => !set.has(x.name) && !want.optional.has(x.name));
      if (missing.length === 0) continue;
      const first = missing[0];
      const list = missing.map((x) => `${x.what}${x.pos ? ` (${formatPos(x.pos)})` : ""}`);
      bag.error(
        at,
        `ops table '${m[2]}' (${want.type}) has no handler for ${list.length === 1 ? list[0] : `${list.length} members: ${list.join(", ")}`}`,
        `write a handler and add \`.${first.name} = <function>\`, or \`.${first.name} = NULL\` to answer NG_ENOSYS on purpose`,
      );
    }
  }
}
