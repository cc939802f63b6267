// SPDX-License-Identifier: BSD-2-Clause
/**
 * `neptune-gen docs` for every example system: the site is written (HTML and Markdown), every
 * server, interface, method and cap that system.json lists appears where a reader looks for it,
 * the HTML parses without a single error under parse5 (the WHATWG parser browsers implement),
 * and the SVG (parsed as XML) has one node per server and one edge per `uses` entry.
 * Also: the docs' escaping, and the templates' strict mode.
 */

import { existsSync, readdirSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { DOMParser, type Element as XmlElement } from "@xmldom/xmldom";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { compileSystem, writeGenerated } from "../src/compile.ts";
import { emitSystemJson } from "../src/emit/system-json.ts";
import { emitDocs } from "../src/docs/site.ts";
import { systemDot } from "../src/docs/diagram.ts";
import { escapeView } from "../src/docs/escape.ts";
import { render } from "../src/emit/template.ts";

type Node = DefaultTreeAdapterMap["node"];
type Elem = DefaultTreeAdapterMap["element"];

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(ROOT, "build/test/docs");
/** Every example system (hello, nt-posix, ipc-bench, launcher, …). */
const EXAMPLES = readdirSync(path.join(ROOT, "examples")).filter((d) => existsSync(path.join(ROOT, "examples", d, "system.ts"))).sort();

/** The subset of system.json the docs must cover. */
interface ProcessJson {
  name: string;
  uses: { interface: string; server: string; as: string }[];
}
interface SystemJson {
  system: { servers: ProcessJson[]; programs: ProcessJson[] };
  interfaces: { name: string; methods: { name: string }[] }[];
  layout: { servers: { name: string; slots: { slot: number; cname: string }[] }[]; programs: { name: string; slots: { slot: number; cname: string }[] }[] };
}

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

/**
 * Parses HTML with parse5 and fails on any parse error it reports (tokenizer level), then on
 * any element the parser had to close or invent (a missing end tag, a stray one, a misnested
 * tag): every element written with a start tag must have its own end tag (void and
 * self-closing SVG elements aside), and every end tag in the text must belong to one.
 */
function parseHtml(text: string, file: string) {
  const errors: string[] = [];
  const doc = parse(text, { sourceCodeLocationInfo: true, onParseError: (e) => errors.push(`${file}:${e.startLine}:${e.startCol}: ${e.code}`) });
  expect(errors, `HTML parse errors`).toEqual([]);
  let closed = 0;
  for (const e of elements(doc)) {
    const loc = e.sourceCodeLocation;
    if (!loc?.startTag) continue;
    const selfClosing = text.slice(loc.startTag.startOffset, loc.startTag.endOffset).endsWith("/>");
    if (VOID.has(e.tagName) || selfClosing) continue;
    expect(loc.endTag, `${file}:${loc.startLine}:${loc.startCol}: <${e.tagName}> closed by the parser, not by its end tag`).toBeDefined();
    closed++;
  }
  expect(closed, `${file}: end tags that close no element`).toBe(text.split("</").length - 1);
  return doc;
}

function* elements(n: Node): Generator<Elem> {
  if ("tagName" in n) yield n as Elem;
  if ("childNodes" in n) for (const c of n.childNodes) yield* elements(c);
  if ("content" in n && n.content) yield* elements(n.content as Node);
}

const attr = (e: Elem, name: string) => e.attrs.find((a) => a.name === name)?.value;

function text(n: Node): string {
  if (n.nodeName === "#text") return (n as DefaultTreeAdapterMap["textNode"]).value;
  return "childNodes" in n ? n.childNodes.map(text).join("") : "";
}

function byId(doc: Node, id: string): Elem {
  const e = [...elements(doc)].find((x) => attr(x, "id") === id);
  expect(e, `element #${id}`).toBeDefined();
  return e!;
}

/** Parses the SVG as XML; any error or warning fails. */
function parseSvg(text: string) {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => problems.push(`${level}: ${msg}`) }).parseFromString(text, "image/svg+xml");
  expect(problems).toEqual([]);
  return doc;
}

function svgGroups(doc: ReturnType<typeof parseSvg>, cls: string[]): XmlElement[] {
  return Array.from(doc.getElementsByTagName("g")).filter((g) => {
    const c = (g.getAttribute("class") ?? "").split(/\s+/);
    return cls.every((x) => c.includes(x));
  });
}

it("covers the examples the issue names", () => {
  expect(EXAMPLES).toEqual(expect.arrayContaining(["hello", "nt-posix", "ipc-bench"]));
});

describe.each(EXAMPLES)("docs of examples/%s", (example) => {
  it("covers every server, interface, method and cap of system.json, in HTML that parses, with a diagram of one node per server and one edge per use", async () => {
    const bag = new DiagnosticBag();
    const sys = await compileSystem(`examples/${example}/system.ts`, bag);
    expect(bag.format()).toBe("");
    const json = JSON.parse(emitSystemJson(sys!.model, sys!.layout)[0].text) as SystemJson;

    const files = await emitDocs(sys!, "html");
    const out = path.join(OUT, example, "html");
    await rm(out, { recursive: true, force: true });
    await writeGenerated(out, files);
    const read = (p: string) => readFile(path.join(out, p), "utf8");

    // The system page.
    const index = parseHtml(await read("index.html"), "index.html");
    const processes = [...json.system.servers, ...json.system.programs];
    const slotsOf = (name: string) => [...json.layout.servers, ...json.layout.programs].find((x) => x.name === name)!.slots;
    for (const s of processes) {
      const section = byId(index, `server-${s.name}`);
      expect(text(section)).toContain(s.name);
      const caps = [...elements(section)].find((e) => e.tagName === "table" && attr(e, "class") === "caps");
      expect(caps, `caps table of ${s.name}`).toBeDefined();
      const rows = [...elements(caps!)].filter((e) => e.tagName === "tr").map((r) => [...elements(r)].filter((c) => c.tagName === "td").map((c) => text(c)));
      const slots = slotsOf(s.name);
      // Every cap of the layout, in slot order: slot number and C constant in the same row.
      expect(rows.filter((r) => r.length).map((r) => [Number(r[0]), r[2]])).toEqual(slots.map((c) => [c.slot, c.cname]));
      for (const u of s.uses) expect(text(section)).toContain(`${u.interface} on ${u.server}`);
    }
    const links = new Set([...elements(index)].filter((e) => e.tagName === "a").map((a) => attr(a, "href")));
    for (const i of json.interfaces) expect(links, `link to ${i.name}`).toContain(`interfaces/${i.name}.html`);

    // One page per interface, a section per method.
    const pages = (await readdir(path.join(out, "interfaces"))).sort();
    expect(pages).toEqual(json.interfaces.map((i) => `${i.name}.html`).sort());
    for (const i of json.interfaces) {
      const page = parseHtml(await read(`interfaces/${i.name}.html`), `${i.name}.html`);
      expect(text(byId(page, "method-" + i.methods[0].name))).toBeTruthy();
      for (const m of i.methods) {
        const sec = byId(page, `method-${m.name}`);
        expect(text(sec)).toMatch(/request.*(fast path|registers|IPC buffer|shared buffer)/s);
        expect(text(sec)).toMatch(/label0x[0-9a-f]+/);
      }
    }

    // Every link of every page (the inline diagram's too) leads to a page of the site and, with
    // a fragment, to an element with that id.
    const pagesByPath = new Map<string, Node>([["index.html", index]]);
    for (const i of json.interfaces) pagesByPath.set(`interfaces/${i.name}.html`, parseHtml(await read(`interfaces/${i.name}.html`), i.name));
    const extra = new Set(["system.svg", "system.dot"]);
    for (const [from, doc] of pagesByPath) {
      const ids = (d: Node) => new Set([...elements(d)].map((e) => attr(e, "id")).filter(Boolean));
      // (Graphviz wraps a tooltip in an <a> without href.)
      for (const a of [...elements(doc)].filter((e) => e.tagName === "a" && attr(e, "href") !== undefined)) {
        const href = attr(a, "href")!;
        const [file, frag] = href.split("#");
        const target = file ? path.posix.normalize(path.posix.join(path.posix.dirname(from), file)) : from;
        if (extra.has(target) && !frag) continue;
        expect(pagesByPath.has(target), `${from}: link ${href}`).toBe(true);
        if (frag) expect(ids(pagesByPath.get(target)!).has(frag), `${from}: link ${href} (no element with that id)`).toBe(true);
      }
    }

    // The diagram: parsed as XML; nodes and edges found by the id/class Graphviz copied.
    const svg = parseSvg(await read("system.svg"));
    const nodes = svgGroups(svg, ["node", "server"]);
    expect(nodes.map((g) => g.getAttribute("id")).sort()).toEqual(json.system.servers.map((s) => `server:${s.name}`).sort());
    const programs = svgGroups(svg, ["node", "program"]);
    expect(programs.map((g) => g.getAttribute("id")).sort()).toEqual(json.system.programs.map((s) => `program:${s.name}`).sort());
    const nodeOf = (name: string) => (json.system.programs.some((p) => p.name === name) ? `program:${name}` : `server:${name}`);
    const uses = processes.flatMap((s) => s.uses.map((u) => ({ id: `use:${s.name}.${u.as}`, from: nodeOf(s.name), to: `server:${u.server}` })));
    const edges = svgGroups(svg, ["edge", "use"]);
    expect(edges.map((g) => g.getAttribute("id")).sort()).toEqual(uses.map((u) => u.id).sort());
    for (const e of edges) {
      // The edge's title is "from->to" in Graphviz's node names.
      const u = uses.find((x) => x.id === e.getAttribute("id"))!;
      expect(e.getElementsByTagName("title")[0].textContent).toBe(`${u.from}->${u.to}`);
    }
    expect(await read("system.dot")).toMatch(/^\/\/ Generated by neptune-gen from .*\ndigraph /);
    // The page shows the same drawing inline.
    expect([...elements(byId(index, "diagram"))].filter((e) => e.tagName === "svg")).toHaveLength(1);
  });

  it("writes the same facts as Markdown", async () => {
    const bag = new DiagnosticBag();
    const sys = await compileSystem(`examples/${example}/system.ts`, bag);
    const json = JSON.parse(emitSystemJson(sys!.model, sys!.layout)[0].text) as SystemJson;
    const files = await emitDocs(sys!, "md");
    const out = path.join(OUT, example, "md");
    await rm(out, { recursive: true, force: true });
    await writeGenerated(out, files);
    const index = await readFile(path.join(out, "index.md"), "utf8");
    expect(index).toContain("![Diagram of system");
    for (const s of [...json.layout.servers, ...json.layout.programs]) {
      expect(index).toContain(`<a id="server-${s.name}"></a>`);
      for (const c of s.slots) expect(index).toMatch(new RegExp(`^\\| ${c.slot} \\| \\w+ \\| \`${c.cname}\` \\|`, "m"));
    }
    // Every table row has as many cells as its header (an unescaped | would add one).
    const cells = (l: string) => l.replace(/\\\|/g, "").split("|").length;
    for (const f of files.filter((x) => x.path.endsWith(".md"))) {
      let header = 0;
      for (const line of f.text.split("\n")) {
        if (!line.startsWith("|")) header = 0;
        else if (header === 0) header = cells(line);
        else expect(cells(line), `${f.path}: ${line}`).toBe(header);
      }
    }
    for (const i of json.interfaces) {
      const page = await readFile(path.join(out, "interfaces", `${i.name}.md`), "utf8");
      for (const m of i.methods) expect(page).toContain(`<a id="method-${m.name}"></a>`);
    }
  });
});

describe("the README's diagram", () => {
  it("docs/system.svg and docs/system.dot are those of the default system (npm run docs:diagram redraws them)", async () => {
    const bag = new DiagnosticBag();
    const sys = await compileSystem("system.ts", bag);
    const dot = await readFile(path.join(ROOT, "docs/system.dot"), "utf8");
    expect(dot, "docs/system.dot is stale: run npm run docs:diagram").toBe(`// Generated by neptune-gen from system.ts. Do not edit.\n${systemDot(sys!, ".html")}`);
    const svg = parseSvg(await readFile(path.join(ROOT, "docs/system.svg"), "utf8"));
    expect(svgGroups(svg, ["node", "server"]).map((g) => g.getAttribute("id")).sort()).toEqual(sys!.model.servers.map((s) => `server:${s.name}`).sort());
    expect(svgGroups(svg, ["edge", "use"])).toHaveLength(sys!.model.servers.reduce((n, s) => n + s.uses.length, 0));
    expect(await readFile(path.join(ROOT, "README.md"), "utf8")).toContain("](docs/system.svg)");
  });
});

describe("docs escaping and templates", () => {
  it("escapes every string for HTML, code spans in prose become <code>", () => {
    const v = escapeView({ name: "a<b&c", n: 3, doc: ["uses `str<8>` & more"], svgRaw: "<svg/>" }, "html");
    expect(v).toEqual({ name: "a&lt;b&amp;c", n: 3, doc: ["uses <code>str&lt;8&gt;</code> &amp; more"], svgRaw: "<svg/>" });
  });

  it("escapes table pipes for Markdown and keeps code spans", () => {
    const v = escapeView({ comment: "a | b\nc", summary: "x <y> `z<1>`" }, "md");
    expect(v).toEqual({ comment: "a \\| b c", summary: "x &lt;y> `z<1>`" });
  });

  it("templates are strict: a missing field is an error, not an empty string", () => {
    expect(() => render("scaffold/CMakeLists.txt.hbs", {})).toThrow(/"name" not defined/);
    expect(render("scaffold/CMakeLists.txt.hbs", { name: "a&b" })).toContain("neptune_server(a&b SOURCES main.c)");
  });
});
