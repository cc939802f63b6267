// SPDX-License-Identifier: BSD-2-Clause
/**
 * Handlebars templates for the generator's mostly static outputs: the `new server` scaffold, the
 * CMake fragments and the documentation pages. They live in one folder, codegen/templates/, and
 * are compiled with `noEscape: true` (HTML escaping would break `&` and `<` in C and CMake; the
 * docs escape their data for HTML or Markdown themselves, see docs/escape.ts) and `strict: true`
 * (a missing field is an error, not an empty string: view models spell out every field).
 *
 *   render("scaffold/main.c.hbs", { name: "kv", upper: "KV" })
 *
 * Generated C with structure (types, marshalling, dispatch, tables) stays with the typed printer
 * in cprinter.ts: templates are for text whose shape does not depend on the model.
 */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import Handlebars from "handlebars";

export const TEMPLATE_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));

const hb = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** `{{join list ", "}}`: the list's items joined (an empty list gives ""). */
hb.registerHelper("join", (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === "string" ? sep : ", ") : ""));

/** Renders codegen/templates/<name> with `data`; throws (a bug, not a user error) on a missing field. */
export function render(name: string, data: object): string {
  let t = compiled.get(name);
  if (!t) {
    const text = readFileSync(path.join(TEMPLATE_DIR, name), "utf8");
    t = hb.compile(text, { noEscape: true, strict: true });
    compiled.set(name, t);
  }
  return t(data);
}
