// SPDX-License-Identifier: BSD-2-Clause
/**
 * Escaping for the docs' templates, which run with `noEscape` (see emit/template.ts): the view
 * model is escaped once, as a whole, for its output format before it is rendered, so a template
 * cannot forget to. Strings under the keys `doc` and `summary` are prose from `///` comments:
 * in HTML their `code spans` become <code>; in Markdown they stay Markdown. Keys ending in `Raw`
 * (an inline SVG) pass through untouched.
 *
 *   escapeView({ name: "a<b", doc: ["uses `str<8>`"] }, "html")
 *     → { name: "a&lt;b", doc: ["uses <code>str&lt;8&gt;</code>"] }
 */

export type DocFormat = "html" | "md";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Markdown table cells and text: a `|` would end the cell, a newline the row. */
function escapeMd(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

function prose(s: string, format: DocFormat): string {
  if (format === "html") return escapeHtml(s).replace(/`([^`]+)`/g, "<code>$1</code>");
  // Outside code spans, `<` could open an HTML tag in a Markdown renderer.
  return escapeMd(s)
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") ? part : part.replace(/</g, "&lt;")))
    .join("");
}

const PROSE_KEYS = new Set(["doc", "summary"]);

/** A deep copy of `view` with every string escaped for `format`. */
export function escapeView<T>(view: T, format: DocFormat): T {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === "string") {
      if (key.endsWith("Raw")) return v;
      if (PROSE_KEYS.has(key)) return prose(v, format);
      return format === "html" ? escapeHtml(v) : escapeMd(v);
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  return walk(view, "") as T;
}
