// SPDX-License-Identifier: BSD-2-Clause
/**
 * `neptune-gen new server NAME`: a new server starts with a new IDL file. Writes
 *   <idl dir>/NAME.idl            an interface with one rpc to grow from
 *   servers/NAME/main.c           the server: handlers and its receive loop
 *   servers/NAME/CMakeLists.txt   neptune_server(NAME SOURCES main.c)
 * and adds `server({ name: "NAME", serves: ["NAME"] })` to the system description (ts-morph
 * edits the servers array in place, keeping the file's formatting). The result builds and
 * boots without further edits. Nothing is overwritten: an existing file is an error.
 * The three files come from handlebars templates in codegen/templates/scaffold/.
 *
 * `neptune-gen new server --resmgr NAME`: a resource manager of the POSIX personality instead —
 * no IDL file (it serves idl/fs.idl), a main.c over the resource-manager library
 * (personality-posix/lib/resmgr) that registers /NAME with the pathname manager and serves one
 * read-only file, and `server({ name: "NAME", serves: ["fs"], uses: ["pathreg"], connections: 4 })`;
 * a system with no server serving pathreg also gets personality-posix's pathmgr.
 */

import { access, mkdir, readFile, writeFile, stat } from "node:fs/promises";
import path from "node:path";
import { Node, Project, SyntaxKind, type ArrayLiteralExpression, type ObjectLiteralExpression } from "ts-morph";
import type { DiagnosticBag } from "../diag/diagnostics.ts";
import { cNameProblem } from "../model/cnames.ts";
import { displayPath } from "../compile.ts";
import type { GeneratedFile } from "../emit/files.ts";
import { render } from "../emit/template.ts";
import { PROJECT_ROOT } from "../build/workspace.ts";

export interface NewServerResult {
  written: string[];
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** idl/NAME.idl: an interface with one rpc (codegen/templates/scaffold/interface.idl.hbs). */
export function idlTemplate(name: string): string {
  return render("scaffold/interface.idl.hbs", { name });
}

/** servers/NAME/main.c: the handler and the receive loop (codegen/templates/scaffold/main.c.hbs). */
export function mainTemplate(name: string): string {
  return render("scaffold/main.c.hbs", { name, upper: name.toUpperCase() });
}

/** servers/NAME/CMakeLists.txt (codegen/templates/scaffold/CMakeLists.txt.hbs). */
export function cmakeTemplate(name: string): string {
  return render("scaffold/CMakeLists.txt.hbs", { name });
}

/** The files `new server NAME` writes, relative to system.ts's folder (`idlDir` relative too). */
export function scaffoldFiles(name: string, idlDir: string): GeneratedFile[] {
  return [
    { path: `${idlDir}/${name}.idl`, text: idlTemplate(name) },
    { path: `servers/${name}/main.c`, text: mainTemplate(name) },
    { path: `servers/${name}/CMakeLists.txt`, text: cmakeTemplate(name) },
  ];
}

/** The files `new server --resmgr NAME` writes, relative to system.ts's folder. */
export function resmgrScaffoldFiles(name: string): GeneratedFile[] {
  return [
    { path: `servers/${name}/main.c`, text: render("scaffold/resmgr-main.c.hbs", { name, upper: name.toUpperCase() }) },
    { path: `servers/${name}/CMakeLists.txt`, text: render("scaffold/resmgr-CMakeLists.txt.hbs", { name }) },
  ];
}

/**
 * Appends elements after the array's last one, as a person would: same indentation, and a
 * trailing comma if the array has one.
 */
function insertServer(text: string, arr: ArrayLiteralExpression, elements: string[], insert: (pos: number, t: string) => void): void {
  const last = arr.getElements().at(-1);
  if (!last) {
    insert(arr.getStart() + 1, `\n    ${elements.join(",\n    ")},\n  `);
    return;
  }
  const lineStart = text.lastIndexOf("\n", last.getStart()) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart))![0];
  const element = elements.join(`,\n${indent}`);
  const after = text.slice(last.getEnd(), arr.getEnd() - 1);
  const comma = after.indexOf(",");
  if (comma >= 0) insert(last.getEnd() + comma + 1, `\n${indent}${element},`);
  else insert(last.getEnd(), `,\n${indent}${element}`);
}

/** The first folder of the system's `idl` list, resolved against system.ts. */
async function idlDir(systemFile: string, spec: ObjectLiteralExpression): Promise<string> {
  const base = path.dirname(systemFile);
  const idlProp = spec.getProperty("idl");
  if (idlProp && Node.isPropertyAssignment(idlProp)) {
    const arr = idlProp.getInitializerIfKind(SyntaxKind.ArrayLiteralExpression);
    for (const el of arr?.getElements() ?? []) {
      if (!Node.isStringLiteral(el)) continue;
      const dir = path.resolve(base, el.getLiteralValue());
      if (await stat(dir).then((s) => s.isDirectory(), () => false)) return dir;
    }
  }
  return path.resolve(base, "idl");
}

export interface NewServerOptions {
  /** A resource manager of the POSIX personality (fs.idl, registered at /NAME) instead of a new interface. */
  resmgr?: boolean;
}

export async function newServer(systemFile: string, name: string, bag: DiagnosticBag, opts: NewServerOptions = {}): Promise<NewServerResult | undefined> {
  const problem = cNameProblem(name);
  if (problem) {
    bag.error(undefined, `cannot name a server '${name}': ${problem}`, "server names are C identifiers: letters, digits and '_'");
    return undefined;
  }
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    bag.error(undefined, `cannot name a server '${name}'`, "use lower case letters, digits and '_', starting with a letter (it prefixes C symbols and names the IDL namespace)");
    return undefined;
  }
  const text = await readFile(systemFile, "utf8").catch(() => undefined);
  if (text === undefined) {
    bag.error(undefined, `no system description at ${displayPath(systemFile)}`, "pass the one to extend with --system");
    return undefined;
  }
  const project = new Project({ useInMemoryFileSystem: true });
  const src = project.createSourceFile("system.ts", text);
  const call = src
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .find((c) => c.getExpression().getText() === "defineSystem");
  const spec = call?.getArguments()[0];
  if (!spec || !Node.isObjectLiteralExpression(spec)) {
    bag.error({ file: displayPath(systemFile), line: 1, col: 1 }, "no defineSystem({ … }) call to add the server to", "add the entry by hand: server({ name, serves: [name] })");
    return undefined;
  }
  const serversProp = spec.getProperty("servers");
  const servers = serversProp && Node.isPropertyAssignment(serversProp) ? serversProp.getInitializerIfKind(SyntaxKind.ArrayLiteralExpression) : undefined;
  if (!servers) {
    const pos = src.getLineAndColumnAtPos(spec.getStart());
    bag.error({ file: displayPath(systemFile), line: pos.line, col: pos.column }, "the system's `servers` is not an array literal this command can extend", "add the entry by hand: server({ name, serves: [name] })");
    return undefined;
  }
  if (servers.getElements().some((e) => new RegExp(`name:\\s*["'\`]${name}["'\`]`).test(e.getText()))) {
    const pos = src.getLineAndColumnAtPos(servers.getStart());
    bag.error({ file: displayPath(systemFile), line: pos.line, col: pos.column }, `the system already has a server named '${name}'`, "pick another name");
    return undefined;
  }

  const base = path.dirname(systemFile);
  const idlRel = path.relative(base, await idlDir(systemFile, spec)) || ".";
  const scaffold = opts.resmgr ? resmgrScaffoldFiles(name) : scaffoldFiles(name, idlRel.split(path.sep).join("/"));
  const files: [string, string][] = scaffold.map((f) => [path.join(base, f.path), f.text]);
  for (const [p] of files) {
    if (await exists(p)) {
      bag.error(undefined, `${displayPath(p)} already exists`, "remove it or pick another name; nothing was written");
    }
  }
  if (bag.hasErrors) return undefined;

  const entries = [opts.resmgr ? `server({ name: "${name}", serves: ["fs"], uses: ["pathreg"], connections: 4 })` : `server({ name: "${name}", serves: ["${name}"] })`];
  if (opts.resmgr && !servers.getElements().some((e) => /serves:\s*\[[^\]]*["'`]pathreg["'`]/.test(e.getText()))) {
    // Registering needs a pathname manager: personality-posix's, from where neptune-gen lives.
    const dir = path.relative(base, path.join(PROJECT_ROOT, "personality-posix/pathmgr")).split(path.sep).join("/");
    entries.unshift(`server({ name: "pathmgr", src: "${dir}", serves: ["pathmgr", "pathreg"], priority: 180, cnodeBits: 8 })`);
  }
  insertServer(src.getFullText(), servers, entries, (pos, t) => src.insertText(pos, t));
  const imp = src.getImportDeclaration((d) => d.getModuleSpecifierValue() === "neptune-gen");
  if (imp && !imp.getNamedImports().some((n) => n.getName() === "server")) imp.addNamedImport("server");

  for (const [p, content] of files) {
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, content);
  }
  await writeFile(systemFile, src.getFullText());
  return { written: [...files.map(([p]) => displayPath(p)), displayPath(systemFile)] };
}
