// SPDX-License-Identifier: BSD-2-Clause
/**
 * The C API shape the generated headers promise (what handwritten servers and clients code
 * against), and the printer's literal/identifier helpers.
 */

import { describe, expect, it } from "vitest";
import { emitInterface } from "../src/emit/interface.ts";
import { cIdent, intLiteral, upperIdent } from "../src/emit/cprinter.ts";
import { fixtureIdl } from "./emit-helpers.ts";

describe("generated API", () => {
  const idl = fixtureIdl();
  const echo = idl.interfaces.find((i) => i.name === "echo")!;
  const [types, client, server] = emitInterface(echo, idl).map((f) => f.text);

  it("declares labels, errors, message structs and codecs", () => {
    expect(types).toContain(`#define ECHO_ADD_LABEL 0x${echo.methods[0].label.toString(16)}u`);
    expect(types).toContain("#define ECHO_ERR_OVERFLOW 16");
    expect(types).toMatch(/typedef struct echo_add_req \{\n {4}uint64_t a;\n {4}uint64_t b;\n\} echo_add_req_t;/);
    expect(types).toContain("static inline int echo_add_req_encode(ng_msg_t *m, const echo_add_req_t *in)");
    expect(types).toContain("static inline int echo_add_rep_decode(const ng_msg_t *m, echo_add_rep_t *out)");
    expect(types).not.toMatch(/#include <sel4/);
  });

  it("client stubs take the client context, arguments by value and results by pointer", () => {
    expect(client).toContain("static inline int echo_add(const echo_client_t *c, uint64_t a, uint64_t b, uint64_t *sum)");
    expect(client).toContain("static inline int echo_echo(const echo_client_t *c, ng_str_t s, ng_str_t *s_out)");
    expect(client).toMatch(/static inline int echo_log\([^)]*\)\n\{[^}]*return ng_send\(c->ep, &m\);/);
  });

  it("server ops, dispatch and deferred replies", () => {
    expect(server).toContain("int (*add)(void *ctx, ng_call_t *call, const echo_add_req_t *req, echo_add_rep_t *rep);");
    expect(server).toContain("void (*log)(void *ctx, ng_call_t *call, const echo_log_req_t *req);");
    expect(server).toContain("int (*ping)(void *ctx, ng_call_t *call);");
    expect(server).toContain("static inline int echo_dispatch(const echo_ops_t *ops, void *ctx, ng_call_t *call)");
    expect(server).toContain("static inline int echo_add_reply(ng_server_t *s, ng_reply_t r, int err, const echo_add_rep_t *rep)");
  });
});

describe("printer helpers", () => {
  it("spells integer literals that -pedantic accepts", () => {
    expect(intLiteral(3000000000n, false, 32)).toBe("3000000000u");
    expect(intLiteral(-2147483648n, true, 32)).toBe("(-2147483647 - 1)");
    expect(intLiteral(-(2n ** 63n), true, 64)).toBe("(-INT64_MAX - 1)");
    expect(intLiteral(-5n, true, 64)).toBe("(-INT64_C(5))");
    expect(intLiteral(18446744073709551615n, false, 64)).toBe("UINT64_C(18446744073709551615)");
  });

  it("makes identifiers safe", () => {
    expect(cIdent("default")).toBe("default_");
    expect(cIdent("9lives")).toBe("_9lives");
    expect(upperIdent("echo", "add", "label")).toBe("ECHO_ADD_LABEL");
  });
});
