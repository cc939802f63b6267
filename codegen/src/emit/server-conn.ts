// SPDX-License-Identifier: BSD-2-Clause
/**
 * Run-time bulk connections, the server's half: how a server whose interfaces move payloads in a
 * shared buffer (placement.ts shm mode) serves clients the layout does not know — processes
 * spawned at run time. The layout gives such a server (model/layout.ts, `connections`):
 *
 *   <S>_CAP_EP_MINT        its own endpoint, unbadged, all rights: what it mints connection caps from
 *   <S>_CAP_ROOT           the root server's service endpoint (rootmem.map / unmap)
 *   <S>_CAP_CONN_EP_<k>    empty: the cap minted for connection k (the client holds a copy)
 *   <S>_CAP_CONN_OBJ_<k>   empty: the client's shared-memory object while connection k is open
 *
 * Protocol (runtime labels, <neptune/msg.h>):
 *   NG_LABEL_CONNECT, no words, caps[0] = a rootmem object the client created (its buffer)
 *       → the server maps the object (one call to the root server, its reply saved meanwhile),
 *         mints a cap of its own endpoint with a fresh connection badge, without Read (the client
 *         can call through it, never receive: ng_cap_mint_send), and answers with it.
 *         From then on every call through that cap finds its shared buffer by badge:
 *         one call is one round trip and the payload is copied at most once on each side.
 *   NG_LABEL_DISCONNECT through the connection cap → unmapped, its cap revoked.
 * A full table evicts its oldest connection (whose later calls then fail: the client connects
 * again). Badges carry a generation, so an evicted client's stale badge never finds a new buffer.
 *
 *   C   static inline int echo_conn_shm(ng_msg_t *m, ng_badge_t badge);     (from echo_server_shm)
 *       static int echo_conn_dispatch(ng_server_t *s, ng_msg_t *m, ng_badge_t badge);
 */

import type { ServerLayout, ServerModel } from "../model/system.ts";
import { CONN_BADGE_BASE } from "../model/layout.ts";
import { CPrinter, hexLiteral, lowerIdent, upperIdent } from "./cprinter.ts";

export interface ConnSlots {
  mint: string;
  root: string;
  eps: string[];
  objs: string[];
  /** Bytes the largest shared buffer of a served method needs. */
  shmBytes: number;
}

/** The connection slots of a server's layout, or undefined when it takes no run-time connections. */
export function connSlots(layout: ServerLayout): ConnSlots | undefined {
  const mint = layout.slots.find((s) => s.kind === "mint_ep");
  const root = layout.slots.find((s) => s.kind === "root_ep" || s.kind === "spawn_ep");
  const eps = layout.slots.filter((s) => s.kind === "conn_ep").map((s) => s.cname);
  const objs = layout.slots.filter((s) => s.kind === "conn_obj").map((s) => s.cname);
  if (!mint || !root || eps.length === 0 || eps.length !== objs.length) return undefined;
  return { mint: mint.cname, root: root.cname, eps, objs, shmBytes: layout.connShmBytes ?? 0 };
}

export function printConnections(p: CPrinter, server: ServerModel, c: ConnSlots): void {
  const prefix = lowerIdent(server.name);
  const S = upperIdent(server.name);
  const n = c.eps.length;
  p.comment(
    `Run-time connections (${n}): clients the layout does not know (spawned processes) hand over a\n` +
      "shared-memory object once (NG_LABEL_CONNECT) and get a cap with a badge of their own.",
  );
  p.define(`${S}_CONNECTIONS`, `${n}u`);
  p.define(`${S}_CONN_BADGE_BASE`, hexLiteral(CONN_BADGE_BASE), "connection badges: base | generation << 8 | index");
  p.define(`${S}_CONN_SHM_MIN`, `${c.shmBytes}ul`, "bytes the largest shared buffer of a served method needs");
  p.line(`static const ng_cptr_t ${prefix}_conn_ep_slots[${S}_CONNECTIONS] = { ${c.eps.join(", ")} };`);
  p.line(`static const ng_cptr_t ${prefix}_conn_obj_slots[${S}_CONNECTIONS] = { ${c.objs.join(", ")} };`);
  p.block(`typedef struct ${prefix}_conn`, () => {
    p.line("ng_badge_t badge; /* 0: free */");
    p.line("uint8_t *shm;");
    p.line("size_t size;");
    p.line("uint8_t gen;");
  }, ` ${prefix}_conn_t;`);
  p.line(`static ${prefix}_conn_t ${prefix}_conns[${S}_CONNECTIONS];`);
  p.line(`static unsigned ${prefix}_conn_evict;`);
  p.blank();

  p.doc(
    "Whether a badge still names a client: 0 only for a connection badge whose connection has\n" +
      "closed or been evicted (resource managers drop such a client's open files: resmgr_live_fn).",
  );
  p.fn(`static inline int ${prefix}_conn_live(uint64_t badge, void *ctx)`, () => {
    p.line("unsigned k = (unsigned)(badge & 0xffu);");
    p.line("(void)ctx;");
    p.line(`if ((badge & ~(uint64_t)0xffffu) != ${S}_CONN_BADGE_BASE) return 1;`);
    p.line(`return k < ${S}_CONNECTIONS && ${prefix}_conns[k].badge == badge;`);
  });
  p.blank();

  p.doc("The shared buffer of a run-time connection's badge; 0 if the badge names none.");
  p.fn(`static inline int ${prefix}_conn_shm(ng_msg_t *m, ng_badge_t badge)`, () => {
    p.line(`unsigned k = (unsigned)(badge & 0xffu);`);
    p.block(`if ((badge & ~(ng_badge_t)0xffffu) == ${S}_CONN_BADGE_BASE && k < ${S}_CONNECTIONS && ${prefix}_conns[k].badge == badge)`, () => {
      p.line(`ng_msg_set_shm(m, ${prefix}_conns[k].shm, ${prefix}_conns[k].size);`);
      p.line("return 1;");
    });
    p.line("return 0;");
  });
  p.blank();

  p.doc("Close connection k: unmap its buffer, revoke the client's cap, free both slots.");
  p.fn(`static void ${prefix}_conn_drop(unsigned k)`, () => {
    p.line(`rootmem_client_t root = { ${c.root}, NULL, 0 };`);
    p.line(`(void)rootmem_unmap(&root, ${prefix}_conn_obj_slots[k]);`);
    p.line(`(void)ng_cap_revoke(${prefix}_conn_ep_slots[k]);`);
    p.line(`(void)ng_cap_delete(${prefix}_conn_ep_slots[k]);`);
    p.line(`(void)ng_cap_delete(${prefix}_conn_obj_slots[k]);`);
    p.line(`${prefix}_conns[k].badge = 0;`);
    p.line(`${prefix}_conns[k].shm = NULL;`);
    p.line(`${prefix}_conns[k].size = 0;`);
  });
  p.blank();

  p.doc(
    "NG_LABEL_CONNECT: map the client's object, mint its connection cap and answer with it (the\n" +
      "reply is saved across the call to the root server). NG_LABEL_DISCONNECT: close the caller's.\n" +
      "Returns an NG_DISPATCH_* code; NG_DISPATCH_NONE for any other label.",
  );
  p.fn(`static __attribute__((noinline, unused)) int ${prefix}_conn_dispatch(ng_server_t *s, ng_msg_t *m, ng_badge_t badge)`, () => {
    p.line(`rootmem_client_t root = { ${c.root}, NULL, 0 };`);
    p.line("ng_reply_t r;");
    p.line("ng_msg_t out;");
    p.line("uint64_t vaddr = 0, bytes = 0;");
    p.line("unsigned k;");
    p.line("int err;");
    p.blank();
    p.block("if (m->label == NG_LABEL_DISCONNECT)", () => {
      p.line("k = (unsigned)(badge & 0xffu);");
      p.block(`if (m->len != 0 || m->ncaps != 0 || (badge & ~(ng_badge_t)0xffffu) != ${S}_CONN_BADGE_BASE || k >= ${S}_CONNECTIONS || ${prefix}_conns[k].badge != badge)`, () => {
        p.line("ng_msg_set_error(m, NG_EBADMSG);");
        p.line("return NG_DISPATCH_REPLY;");
      });
      p.line(`${prefix}_conn_drop(k);`);
      p.line("ng_msg_set_error(m, NG_OK);");
      p.line("return NG_DISPATCH_REPLY;");
    });
    p.line("if (m->label != NG_LABEL_CONNECT) return NG_DISPATCH_NONE;");
    p.block("if (m->len != 0 || m->ncaps != 1 || m->caps[0] == 0)", () => {
      p.comment("Decode: one real cap (an unwrapped badge of our own endpoint is no buffer).");
      p.line("ng_msg_set_error(m, NG_EBADMSG);");
      p.line("return NG_DISPATCH_REPLY;");
    });
    p.line(`for (k = 0; k < ${S}_CONNECTIONS && ${prefix}_conns[k].badge != 0; k++) {}`);
    p.block(`if (k == ${S}_CONNECTIONS)`, () => {
      p.line(`k = ${prefix}_conn_evict++ % ${S}_CONNECTIONS;`);
      p.line(`${prefix}_conn_drop(k);`);
    });
    p.block(`if (ng_cap_move(s, m->caps[0], ${prefix}_conn_obj_slots[k]) != NG_OK)`, () => {
      p.line("ng_msg_set_error(m, NG_EBADMSG);");
      p.line("return NG_DISPATCH_REPLY;");
    });
    p.block("if (ng_reply_save(s, &r) != NG_OK)", () => {
      p.line(`(void)ng_cap_delete(${prefix}_conn_obj_slots[k]);`);
      p.line("ng_msg_set_error(m, NG_EAGAIN);");
      p.line("return NG_DISPATCH_REPLY;");
    });
    p.line(`err = rootmem_map(&root, ${prefix}_conn_obj_slots[k], true, &vaddr, &bytes);`);
    p.block(`if (err == NG_OK && bytes < ${S}_CONN_SHM_MIN)`, () => {
      p.line(`(void)rootmem_unmap(&root, ${prefix}_conn_obj_slots[k]);`);
      p.line("err = NG_EBADMSG;");
    });
    p.line(`${prefix}_conns[k].gen = (uint8_t)(${prefix}_conns[k].gen + 1u);`);
    p.line(`badge = ${S}_CONN_BADGE_BASE | ((ng_badge_t)${prefix}_conns[k].gen << 8) | k;`);
    p.block(`if (err == NG_OK && ng_cap_mint_send(${c.mint}, ${prefix}_conn_ep_slots[k], badge) != NG_OK)`, () => {
      p.line(`(void)rootmem_unmap(&root, ${prefix}_conn_obj_slots[k]);`);
      p.line("err = NG_ENOMEM;");
    });
    p.line(`ng_msg_start(&out, (ng_word_t)(err == NG_OK ? NG_OK : (err == NG_EBADMSG || err == NG_ENOMEM ? err : NG_EDENIED)));`);
    p.block("if (err == NG_OK)", () => {
      p.line(`${prefix}_conns[k].badge = badge;`);
      p.line(`${prefix}_conns[k].shm = (uint8_t *)(uintptr_t)vaddr;`);
      p.line(`${prefix}_conns[k].size = (size_t)bytes;`);
      p.line("out.ncaps = 1;");
      p.line(`out.caps[0] = ${prefix}_conn_ep_slots[k];`);
    }, " else {");
    p.indented(() => p.line(`(void)ng_cap_delete(${prefix}_conn_obj_slots[k]);`));
    p.line("}");
    p.line("(void)ng_reply_send(s, r, &out);");
    p.line("return NG_DISPATCH_NOREPLY;");
  });
  p.blank();
}

/**
 * The client's half, in the wrapper of every server or program that holds a root-service cap:
 * open a run-time connection to a server it holds a cap to, for an interface whose methods move
 * payloads in a shared buffer.
 *
 *   C   echo_client_t c = { 0 };
 *       int err = writer_connect(WRITER_CAP_BULK, BULK_SHM_BYTES, obj_slot, conn_slot, &c.ep, &c.shm, &c.shm_size);
 *       … bulk_roundtrip(&c, …) …      (one round trip per call, payload in the shared buffer)
 *       writer_disconnect(c.ep, obj_slot);
 *
 * `obj_slot` and `conn_slot` are empty slots of the caller's (e.g. from <S>_SLOT_FREE_FIRST up):
 * the buffer's shared-memory object lands in the first, the connection cap in the second.
 */
export function printClientConnect(p: CPrinter, server: ServerModel, rootSlot: string, recvSlot: string | undefined): void {
  const prefix = lowerIdent(server.name);
  p.doc(
    "Open a run-time bulk connection through `ep`: create a shared buffer of at least `bytes` from\n" +
      "this process's shared-memory quota, hand it to the server, and get the connection cap (in\n" +
      "conn_slot) and the buffer back for an <iface>_client_t. NG_OK or an error code.",
  );
  p.fn(
    `static inline int ${prefix}_connect(ng_cptr_t ep, size_t bytes, ng_cptr_t obj_slot, ng_cptr_t conn_slot, ng_cptr_t *conn_ep, uint8_t **shm, size_t *shm_size)`,
    () => {
      p.line(`rootmem_client_t root = { ${rootSlot}, NULL, 0 };`);
      p.line("ng_cptr_t obj = 0;");
      p.line("uint64_t vaddr = 0, got = 0;");
      p.line("ng_msg_t m;");
      p.line("int err;");
      p.blank();
      p.line("if (bytes == 0 || bytes > (size_t)ROOTMEM_MAX_PAGES * 4096u) return NG_EBADMSG;");
      p.line("ng_recv_path_set(obj_slot);");
      p.line("err = rootmem_create(&root, (uint32_t)((bytes + 4095u) / 4096u), &obj, &vaddr, &got);");
      p.block("if (err == NG_OK)", () => {
        p.line("ng_recv_path_set(conn_slot);");
        p.line("ng_msg_start(&m, NG_LABEL_CONNECT);");
        p.line("m.ncaps = 1;");
        p.line("m.caps[0] = obj_slot;");
        p.line("err = ng_call(ep, &m);");
        p.line("if (err == NG_OK && m.label != NG_OK) err = ng_reply_error(&m);");
        p.line("else if (err == NG_OK && (m.ncaps != 1 || m.caps[0] != conn_slot)) err = NG_EBADMSG;");
        p.block("if (err != NG_OK)", () => {
          p.line("(void)rootmem_destroy(&root, obj_slot);");
          p.line("(void)ng_cap_delete(obj_slot);");
          p.line("(void)ng_cap_delete(conn_slot);");
        });
      });
      p.line(`ng_recv_path_set(${recvSlot ?? "0"});`);
      p.line("if (err != NG_OK) return err;");
      p.line("*conn_ep = conn_slot;");
      p.line("*shm = (uint8_t *)(uintptr_t)vaddr;");
      p.line("*shm_size = (size_t)got;");
      p.line("return NG_OK;");
    },
  );
  p.blank();
  p.doc("Close a connection opened with _connect: the server unmaps the buffer, then it is destroyed.");
  p.fn(`static inline int ${prefix}_disconnect(ng_cptr_t conn_ep, ng_cptr_t obj_slot)`, () => {
    p.line(`rootmem_client_t root = { ${rootSlot}, NULL, 0 };`);
    p.line("ng_msg_t m;");
    p.line("int err;");
    p.blank();
    p.line("ng_msg_start(&m, NG_LABEL_DISCONNECT);");
    p.line("err = ng_call(conn_ep, &m);");
    p.line("if (err == NG_OK && m.label != NG_OK) err = ng_reply_error(&m);");
    p.line("(void)ng_cap_delete(conn_ep);");
    p.line("if (rootmem_destroy(&root, obj_slot) == NG_OK) (void)ng_cap_delete(obj_slot);");
    p.line("return err;");
  });
  p.blank();
}
