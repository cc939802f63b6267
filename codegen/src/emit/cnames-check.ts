// SPDX-License-Identifier: BSD-2-Clause
/**
 * Every C name the emitters generate, and the check that no two of them (nor one of them and a
 * name of the C library, the runtime or seL4) are the same. Generated names join namespace,
 * declaration and suffix with '_' and upper-case macros, so different IDL names can meet:
 *
 *   namespace a_b { rpc c(); }   namespace a { rpc b_c(); }     both give struct a_b_c_req
 *   namespace echo { struct add_req { … } rpc add(); }          both give echo_add_req_t
 *   namespace echo { const ADD_LABEL: … rpc add(); }            both give ECHO_ADD_LABEL
 *
 * Rather than mangle (names users type from their handlers), the compiler rejects such a model
 * with an error at the later declaration naming the earlier one. The families, as the emitters
 * print them (P = the namespace in lower case, N = in upper case; S/s = a server's name):
 *
 *   macros      N_<CONST>, N_<ENUM>_<MEMBER>, N_ERR_<ERROR>, N_SHM_BYTES, N_<M>_LABEL,
 *               N_<M>_REQ|REP_WORDS|MAX_WORDS|CAPS|SHM_BYTES; top level: <CONST>, <ENUM>_<MEMBER>;
 *               per server S_CNODE_BITS, S_CAP_…, S_VADDR_…(_SIZE, _OFFSET), S_SLOT_FREE_FIRST|END,
 *               S_BADGE_<CLIENT>_<IFACE>, S_DYNAMIC_BADGE_BASE, S_NTFN_BADGE_MARK, S_CONNECTIONS,
 *               S_CONN_BADGE_BASE, S_CONN_SHM_MIN; <PROGRAM>_PROGRAM
 *   ordinary    P_<type>_t, P_<enum|struct>_valid, P_<m>_req|rep_t, P_<m>_req|rep_encode|decode,
 *               P_client_t, P_<m> (stub), P_ops_t, P_<m>_raises|dispatch|reply, P_dispatch;
 *               top level <type>_t, <enum|struct>_valid; per server s_use_<as>, s_server_ops_t,
 *               s_server_init|shm|dispatch, s_serve, s_serve_generic, s_use_root, s_connect,
 *               s_disconnect, s_conn_… (run-time connections)
 *   tags        struct P_<struct>, P_<m>_req|rep, P_client, P_ops, s_server_ops
 *   files       include/P_gen.h, include/P_client_gen.h, include/P_server_gen.h
 *   fields      struct fields, method arguments and results, method names (ops members)
 *
 * Macros clash with every name (a macro replaces any token); ordinary names with ordinary ones;
 * tags with tags; files with files. A field may not be a macro's name, and an argument or result
 * (a stub parameter) may not be an ordinary name either (it would hide a function the stub
 * calls). Names in the prefixes of the runtime and seL4 (ng_, NG_, seL4_, CONFIG_, …) are
 * rejected too. The C headers every generated file includes (<stdbool.h>, <stddef.h>,
 * <stdint.h>, <string.h>, libsel4) contribute the reserved names below.
 */

import { type DiagnosticBag, type SourcePos, formatPos } from "../diag/diagnostics.ts";
import type { IdlModel, Interface, Method } from "../model/idl.ts";
import type { ServerLayout, ServerModel, SystemLayout, SystemModel } from "../model/system.ts";
import { lowerIdent, upperIdent } from "./cprinter.ts";
import { cBaseName, cTypeName, macroName, needsCheck } from "./ctypes.ts";
import { labelMacro, msgNames } from "./marshal.ts";
import { clientType } from "./client.ts";
import { errMacro, isFastMethod, opsType } from "./server.ts";
import { badgeMacro } from "./server-wrapper.ts";
import { connSlots } from "./server-conn.ts";

type Space = "macro" | "ordinary" | "tag" | "file";

interface Owner {
  /** `method 'echo.add'`, `the C library (<stdint.h>)`. */
  what: string;
  pos?: SourcePos;
}

interface Generated {
  name: string;
  space: Space;
  /** What the name is for its owner: `request struct`, `label macro`. */
  role: string;
  owner: Owner;
  /** A C library function a stub never calls: a parameter may hide it. */
  unusedByStubs?: boolean;
}

const STD_TYPES = [
  "bool", "size_t", "ptrdiff_t", "wchar_t", "max_align_t", "wint_t", "locale_t", "intptr_t", "uintptr_t",
  "intmax_t", "uintmax_t",
  ...[8, 16, 32, 64].flatMap((b) => [`int${b}_t`, `uint${b}_t`, `int_least${b}_t`, `uint_least${b}_t`, `int_fast${b}_t`, `uint_fast${b}_t`]),
];
const STD_MACROS = [
  "NULL", "offsetof", "true", "false", "__bool_true_false_are_defined",
  "INTPTR_MIN", "INTPTR_MAX", "UINTPTR_MAX", "INTMAX_MIN", "INTMAX_MAX", "UINTMAX_MAX", "INTMAX_C", "UINTMAX_C",
  "PTRDIFF_MIN", "PTRDIFF_MAX", "SIZE_MAX", "SIG_ATOMIC_MIN", "SIG_ATOMIC_MAX", "WCHAR_MIN", "WCHAR_MAX", "WINT_MIN", "WINT_MAX",
  ...[8, 16, 32, 64].flatMap((b) => [
    `INT${b}_MIN`, `INT${b}_MAX`, `UINT${b}_MAX`, `INT${b}_C`, `UINT${b}_C`, `INT${b}_WIDTH`, `UINT${b}_WIDTH`,
    `INT_LEAST${b}_MIN`, `INT_LEAST${b}_MAX`, `UINT_LEAST${b}_MAX`, `INT_FAST${b}_MIN`, `INT_FAST${b}_MAX`, `UINT_FAST${b}_MAX`,
  ]),
  // libsel4 (the seL4 transport includes <sel4/sel4.h>)
  "CONST", "PURE", "MCS_PARAM", "MCS_PARAM_DECL", "DEBUG_MESSAGE_MAXLEN", "DEBUG_MESSAGE_START",
];
const STD_FUNCTIONS = [
  "memcpy", "memmove", "memset", "memcmp", "memchr", "memccpy", "memmem", "mempcpy", "memrchr",
  "strcpy", "strncpy", "strcat", "strncat", "strcmp", "strncmp", "strcoll", "strxfrm", "strchr", "strrchr", "strcspn",
  "strspn", "strpbrk", "strstr", "strtok", "strlen", "strerror", "strtok_r", "strerror_r", "strcoll_l", "strxfrm_l",
  "strerror_l", "stpcpy", "stpncpy", "strnlen", "strdup", "strndup", "strsignal", "strsep", "strlcpy", "strlcat",
  "strcasecmp", "strncasecmp", "strcasecmp_l", "strncasecmp_l", "bcmp", "bcopy", "bzero", "index", "rindex", "ffs",
  "ffsl", "ffsll", "explicit_bzero", "strverscmp", "strchrnul", "strcasestr",
  // libsel4
  "object_t", "api_object_t",
];
/** Prefixes of the runtime's, seL4's and the kernel configuration's names. */
const RESERVED_PREFIX = /^(ng_|NG_|seL4_|sel4_|SEL4_|LIBSEL4_|CONFIG_|arm_sys_)/;

const STD_OWNER = (header: string): Owner => ({ what: `the C library's ${header}` });

/** The table of generated names, reporting each clash once per pair of owners. */
class NameTable {
  private readonly byName = new Map<string, Generated[]>();
  private readonly reported = new Set<string>();

  constructor(private readonly bag: DiagnosticBag) {
    for (const n of STD_TYPES) this.seed(n, "ordinary", "a typedef", STD_OWNER("<stdint.h>/<stddef.h>"));
    for (const n of STD_FUNCTIONS) this.seed(n, "ordinary", "a function", STD_OWNER("<string.h> (or libsel4)"), n !== "memcpy");
    for (const n of STD_MACROS) this.seed(n, "macro", "a macro", STD_OWNER("<stdint.h> (or libsel4)"));
  }

  private seed(name: string, space: Space, role: string, owner: Owner, unusedByStubs = false): void {
    this.byName.set(name, [{ name, space, role, owner, unusedByStubs }]);
  }

  /** Adds a generated name; reports it if it meets an earlier one it may not meet. */
  add(name: string, space: Space, role: string, owner: Owner): void {
    const g: Generated = { name, space, role, owner };
    if (space !== "file" && RESERVED_PREFIX.test(name)) {
      this.report(g, undefined, `C name '${name}' (${role} of ${owner.what}) is in a prefix reserved for the runtime and seL4 (ng_, seL4_, CONFIG_, …)`, `rename ${owner.what}`);
    }
    const prev = this.byName.get(name);
    if (!prev) {
      this.byName.set(name, [g]);
      return;
    }
    for (const p of prev) {
      if (p.owner === owner || !meets(p.space, space)) continue;
      this.clash(p, g);
      break;
    }
    prev.push(g);
  }

  /** A field or parameter name: it must not be a macro (nor, for a parameter, an ordinary name). */
  field(name: string, role: string, owner: Owner, parameter: boolean): void {
    for (const p of this.byName.get(name) ?? []) {
      if (p.space === "macro" || (parameter && p.space === "ordinary" && !p.unusedByStubs)) {
        const hides = p.space === "macro" ? "a macro replaces it" : "as a parameter it would hide that name in the stub";
        this.report(
          { name, space: "macro", role, owner },
          p,
          `${role} '${name}' of ${owner.what} is also the C name of ${p.role} of ${p.owner.what}${p.owner.pos ? ` at ${formatPos(p.owner.pos)}` : ""} (${hides})`,
          `rename the ${role.replace(/ \(.*/, "")} '${name}'`,
        );
        return;
      }
    }
  }

  private clash(first: Generated, second: Generated): void {
    const at = first.owner.pos ? ` at ${formatPos(first.owner.pos)}` : "";
    const kind = second.space === "file" && second.name.includes("/") ? "generated file" : "C name";
    this.report(second, first, `${kind} '${second.name}' (${second.role} of ${second.owner.what}) is also ${first.role} of ${first.owner.what}${at}`);
  }

  private report(g: Generated, other: Generated | undefined, message: string, fieldHint?: string): void {
    // One error per pair of declarations (a pair that meets usually meets in many names).
    const key = `${g.owner.what}|${fieldHint && other ? `${g.role}|${g.name}` : ""}|${other?.owner.what ?? "prefix"}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const hint = fieldHint ?? (other && !other.owner.pos
      ? `rename ${g.owner.what}: the name is taken by C headers every generated file includes`
      : "rename one of them: generated C names join namespace, declaration and suffix with '_' (macros in upper case), so different IDL names can meet");
    this.bag.error(g.owner.pos, message, hint);
  }
}

function meets(a: Space, b: Space): boolean {
  if (a === "file" || b === "file") return a === b;
  return a === "macro" || b === "macro" || a === b;
}

function qualified(ns: string | undefined, name: string): string {
  return ns === undefined ? name : `${ns}.${name}`;
}

/** The names of the declarations of one scope (an interface, or the top level). */
function addDecls(t: NameTable, idl: IdlModel, d: IdlModel["globals"], ns: string | undefined): void {
  for (const c of d.consts) t.add(macroName(c.qname), "macro", "the macro", { what: `constant '${c.qname}'`, pos: c.pos });
  for (const e of d.enums) {
    const owner = { what: `enum '${e.qname}'`, pos: e.pos };
    t.add(cTypeName(e.qname), "ordinary", "the typedef", owner);
    t.add(`${cBaseName(e.qname)}_valid`, "ordinary", "the check function", owner);
    for (const m of e.members) t.add(macroName(e.qname, m.name), "macro", "the macro", { what: `enum member '${e.qname}.${m.name}'`, pos: m.pos });
  }
  for (const s of d.structs) {
    const owner = { what: `struct '${s.qname}'`, pos: s.pos };
    t.add(cBaseName(s.qname), "tag", "the struct tag", owner);
    t.add(cTypeName(s.qname), "ordinary", "the typedef", owner);
    if (s.fields.some((f) => needsCheck(f.type, idl))) t.add(`${cBaseName(s.qname)}_valid`, "ordinary", "the check function", owner);
  }
  for (const a of d.aliases) t.add(cTypeName(a.qname), "ordinary", "the typedef", { what: `type '${qualified(ns, a.name)}'`, pos: a.pos });
}

function addInterface(t: NameTable, iface: Interface): void {
  const P = lowerIdent(iface.name);
  const owner = { what: `namespace '${iface.name}'`, pos: iface.pos };
  for (const f of ["gen", "client_gen", "server_gen"]) t.add(`include/${P}_${f}.h`, "file", "a header file", owner);
  t.add(`${P}_client`, "tag", "the client struct tag", owner);
  t.add(clientType(iface), "ordinary", "the client typedef", owner);
  t.add(`${P}_ops`, "tag", "the ops struct tag", owner);
  t.add(opsType(iface), "ordinary", "the ops typedef", owner);
  t.add(`${P}_dispatch`, "ordinary", "the dispatcher", owner);
  if (iface.shmBytes > 0) t.add(upperIdent(iface.name, "shm", "bytes"), "macro", "the shared-buffer macro", owner);
  for (const e of iface.errors) t.add(errMacro(iface, e.name), "macro", "the macro", { what: `error '${iface.name}.${e.name}'`, pos: e.pos });
  for (const m of iface.methods) addMethod(t, iface, m);
}

function addMethod(t: NameTable, iface: Interface, m: Method): void {
  const P = lowerIdent(iface.name);
  const owner = { what: `method '${iface.name}.${m.name}'`, pos: m.pos };
  t.add(labelMacro(iface, m), "macro", "the label macro", owner);
  t.add(`${P}_${m.name}`, "ordinary", "the client stub", owner);
  t.add(`${P}_${m.name}_dispatch`, "ordinary", "the dispatcher", owner);
  if (m.kind === "rpc") {
    t.add(`${P}_${m.name}_raises`, "ordinary", "the error check", owner);
    t.add(`${P}_${m.name}_reply`, "ordinary", "the deferred-reply sender", owner);
  }
  for (const [dir, layout] of [["req", m.request], ["rep", m.reply]] as const) {
    if (!layout) continue;
    const n = msgNames(iface, m, dir, layout);
    const what = dir === "req" ? "request" : "reply";
    for (const suffix of ["WORDS", "MAX_WORDS", "CAPS", ...(layout.shm ? ["SHM_BYTES"] : [])]) t.add(`${n.macro}_${suffix}`, "macro", `the ${what} size macro`, owner);
    if (n.type) {
      t.add(n.base, "tag", `the ${what} struct tag`, owner);
      t.add(n.type, "ordinary", `the ${what} typedef`, owner);
    }
    t.add(`${n.base}_encode`, "ordinary", `the ${what} encoder`, owner);
    t.add(`${n.base}_decode`, "ordinary", `the ${what} decoder`, owner);
  }
}

/** Field-like names: struct fields, arguments and results, method names (ops members). */
function addFields(t: NameTable, idl: IdlModel): void {
  const structs = [...idl.globals.structs, ...idl.interfaces.flatMap((i) => i.structs)];
  for (const s of structs) for (const f of s.fields) t.field(f.name, "field", { what: `struct '${s.qname}'`, pos: f.pos }, false);
  for (const iface of idl.interfaces) {
    for (const m of iface.methods) {
      const owner = { what: `method '${iface.name}.${m.name}'`, pos: m.pos };
      t.field(m.name, "method name (a member of the ops struct)", owner, false);
      for (const f of m.args) t.field(f.name, "argument", { ...owner, pos: f.pos }, true);
      for (const f of m.results) t.field(f.name, "result", { ...owner, pos: f.pos }, true);
    }
  }
}

function idlTable(idl: IdlModel, bag: DiagnosticBag): NameTable {
  const t = new NameTable(bag);
  addDecls(t, idl, idl.globals, undefined);
  for (const iface of idl.interfaces) {
    addDecls(t, idl, iface, iface.name);
    addInterface(t, iface);
  }
  return t;
}

/** Reports every clash among the C names an IDL model generates (see the file comment). */
export function checkIdlCNames(idl: IdlModel, bag: DiagnosticBag): void {
  addFields(idlTable(idl, bag), idl);
}

/** The names a server's wrapper header (server_gen.h) adds. */
function addServer(t: NameTable, server: ServerModel, layout: ServerLayout, idl: IdlModel): void {
  const S = upperIdent(server.name);
  const s = lowerIdent(server.name);
  const owner = { what: `server '${server.name}'`, pos: server.pos };
  for (const m of [`${S}_CNODE_BITS`, `${S}_SLOT_FREE_FIRST`, `${S}_SLOT_FREE_END`, `${S}_DYNAMIC_BADGE_BASE`, `${S}_NTFN_BADGE_MARK`]) t.add(m, "macro", "a layout macro", owner);
  for (const slot of layout.slots) t.add(slot.cname, "macro", "a slot macro", owner);
  for (const v of layout.vaddrs) {
    t.add(v.cname, "macro", "an address macro", owner);
    t.add(`${v.cname}_SIZE`, "macro", "an address macro", owner);
    if (v.offset) t.add(`${v.cname}_OFFSET`, "macro", "an address macro", owner);
  }
  for (const b of layout.badges) t.add(badgeMacro(server, b), "macro", "a badge macro", owner);
  for (const u of server.uses) t.add(`${s}_use_${lowerIdent(u.as)}`, "ordinary", "a client context function", { what: `use '${u.as}' of server '${server.name}'`, pos: u.pos });
  if (server.serves.length > 0) {
    t.add(`${s}_server_ops`, "tag", "the server ops struct tag", owner);
    for (const f of ["server_ops_t", "server_init", "server_shm", "server_dispatch", "serve"]) t.add(`${s}_${f}`, "ordinary", "a serve-loop name", owner);
    const served = idl.interfaces.filter((i) => server.serves.includes(i.name));
    if (served.some((i) => i.methods.some(isFastMethod))) t.add(`${s}_serve_generic`, "ordinary", "a serve-loop name", owner);
  }
  // Run-time connections (server-conn.ts) and the root server's services.
  if (connSlots(layout)) {
    for (const m of ["CONNECTIONS", "CONN_BADGE_BASE", "CONN_SHM_MIN"]) t.add(`${S}_${m}`, "macro", "a connection macro", owner);
    for (const f of ["conn", "conn_t", "conns", "conn_ep_slots", "conn_obj_slots", "conn_evict", "conn_shm", "conn_drop", "conn_dispatch"]) t.add(`${s}_${f}`, "ordinary", "a connection name", owner);
  }
  const rootSlot = layout.slots.find((x) => x.kind === "root_ep" || x.kind === "spawn_ep");
  if (rootSlot && idl.interfaces.some((i) => i.name === "rootmem")) for (const f of ["connect", "disconnect"]) t.add(`${s}_${f}`, "ordinary", "a connection function", owner);
  if (layout.slots.some((x) => x.kind === "spawn_ep")) t.add(`${s}_use_root`, "ordinary", "the root service's client context function", owner);
  t.add(upperIdent("RS_SERVER_INDEX", server.name), "file", "its root-table index macro", owner);
}

/**
 * Reports clashes between the names of each server's wrapper header and those of the
 * interfaces (and among servers: two servers whose names differ only in case share macros).
 */
export function checkSystemCNames(model: SystemModel, layout: SystemLayout, bag: DiagnosticBag): void {
  const t = idlTable(model.idl, bag);
  const layouts = [...layout.servers, ...(layout.programs ?? [])];
  for (const server of [...model.servers, ...(model.programs ?? [])]) {
    const l = layouts.find((x) => x.name === server.name);
    if (l) addServer(t, server, l, model.idl);
  }
  for (const prog of model.programs ?? []) t.add(`${upperIdent(prog.name)}_PROGRAM`, "macro", "the program-name macro", { what: `program '${prog.name}'`, pos: prog.pos });
  addFields(t, model.idl);
}
