// SPDX-License-Identifier: BSD-2-Clause
/**
 * Everything generated for one IDL interface (namespace): its types-and-marshalling header
 * `include/<iface>_gen.h`, plus the client and server headers (client.ts, server.ts).
 *
 *   IDL   namespace echo {
 *             errors { overflow = 16; }
 *             rpc add(a: uint64, b: uint64) -> (sum: uint64) raises (overflow);
 *         }
 *   C     include/echo_gen.h         #define ECHO_ERR_OVERFLOW 16
 *                                    #define ECHO_ADD_LABEL 0x…u
 *                                    echo_add_req_t, echo_add_rep_t, _encode/_decode for both
 *         include/echo_client_gen.h  echo_client_t, echo_add()
 *         include/echo_server_gen.h  echo_ops_t, echo_dispatch(), echo_add_reply()
 *
 * `<iface>_gen.h` includes nothing but the C library and <neptune/msg.h> (and the `_gen.h` of
 * namespaces whose types it uses), so marshalling compiles, runs and is fuzzed on the host.
 * Top-level IDL declarations (outside any namespace) are printed into every interface header
 * under one include guard, so headers of the same model can be included together.
 */

import type { IdlModel, Interface } from "../model/idl.ts";
import { banner, type GeneratedFile } from "./files.ts";
import { CPrinter, lowerIdent, upperIdent } from "./cprinter.ts";
import { foreignNamespaces, printDecls } from "./ctypes.ts";
import { printLabels, printMessage } from "./marshal.ts";
import { emitClientHeader } from "./client.ts";
import { emitServerHeader, errMacro } from "./server.ts";

function globalsEmpty(idl: IdlModel): boolean {
  const g = idl.globals;
  return g.consts.length + g.enums.length + g.structs.length + g.aliases.length === 0;
}

export function emitTypesHeader(iface: Interface, idl: IdlModel): GeneratedFile {
  const p = new CPrinter();
  const prefix = lowerIdent(iface.name);
  p.raw(banner(iface.file));
  p.comment(iface.doc ? `Interface ${iface.name}: ${iface.doc}` : `Interface ${iface.name}: types, labels, errors and marshalling.`);
  p.line("#pragma once");
  p.blank();
  for (const h of ["stdbool.h", "stddef.h", "stdint.h", "string.h", "neptune/msg.h"]) p.include(h);
  for (const ns of foreignNamespaces(iface)) {
    if (ns !== iface.name) p.include(`${lowerIdent(ns)}_gen.h`, false);
  }
  p.blank();
  p.staticAssert("sizeof(bool) == 1 && sizeof(size_t) == 8 && sizeof(ng_cptr_t) == 8", "the wire format assumes LP64");
  p.blank();
  if (!globalsEmpty(idl)) {
    p.comment("Top-level declarations, shared by every interface of this IDL model.");
    p.line("#ifndef NG_IDL_GLOBALS_GEN_");
    p.line("#define NG_IDL_GLOBALS_GEN_");
    printDecls(p, idl.globals, idl);
    p.line("#endif /* NG_IDL_GLOBALS_GEN_ */");
    p.blank();
  }
  if (iface.errors.length > 0) {
    p.comment(`Errors ${iface.name}'s methods answer with (a reply's label).`);
    for (const e of iface.errors) {
      p.doc(e.doc);
      p.define(errMacro(iface, e.name), `${e.code}`);
    }
    p.blank();
  }
  if (iface.shmBytes > 0) {
    p.define(upperIdent(iface.name, "shm", "bytes"), `${iface.shmBytes}`, "shared buffer a client of this interface needs");
    p.blank();
  }
  printDecls(p, iface, idl);
  printLabels(p, iface);
  for (const m of iface.methods) {
    p.comment(`${iface.name}.${m.name}`);
    printMessage(p, iface, m, "req", idl);
    if (m.reply) printMessage(p, iface, m, "rep", idl);
  }
  return { path: `include/${prefix}_gen.h`, text: p.text() };
}

/** The three headers of one interface. */
export function emitInterface(iface: Interface, idl: IdlModel): GeneratedFile[] {
  return [emitTypesHeader(iface, idl), emitClientHeader(iface, idl), emitServerHeader(iface, idl)];
}

/** Headers of every interface of the model, in the model's (deterministic) order. */
export function emitAllInterfaces(idl: IdlModel): GeneratedFile[] {
  return idl.interfaces.flatMap((i) => emitInterface(i, idl));
}
