// SPDX-License-Identifier: BSD-2-Clause
/**
 * Build failures say what is wrong (issue 15, class 5): the excerpt of a failed build is the
 * compiler's first error with its context, not configure chatter that merely contains "error";
 * a handler table that no longer matches the IDL (a forgotten handler, a removed method) stops
 * the build before CMake with the file, line and the method; a handler whose signature no longer
 * matches is a C error (-Werror=incompatible-pointer-types) shown as such. The host build runs
 * here; the seL4 build shares the same checks (serverSourceDirs, cmake/neptune-warnings.cmake).
 */

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { buildErrorExcerpt } from "../src/build/excerpt.ts";
import { BuildFailure } from "../src/build/sel4.ts";
import { buildHost } from "../src/build/host.ts";
import { hasCompiler } from "./emit-helpers.ts";


const MUSL_CHATTER = [
  "[12/266] Performing configure step for 'muslc'",
  "checking for C compiler... aarch64-linux-gnu-gcc",
  "checking whether C compiler works... yes",
  "checking whether compiler accepts -Werror=implicit-function-declaration... yes",
  "checking whether compiler accepts -Werror=implicit-int... yes",
  "checking for -Werror... no",
];
const GCC_ERROR = [
  "FAILED: servers/echo/CMakeFiles/server.echo.dir/main.c.obj",
  "/usr/bin/aarch64-linux-gnu-gcc -DNEPTUNE_HEAP_VADDR=0x800000 -I/x/include -O2 -c main.c -o main.c.obj",
  "/p/servers/echo/main.c: In function 'main':",
  "/p/servers/echo/main.c:70:5: error: implicit declaration of function 'echo_frob' [-Werror=implicit-function-declaration]",
  "   70 |     echo_frob(&srv);",
  "      |     ^~~~~~~~~",
  "cc1: some warnings being treated as errors",
  "ninja: build stopped: subcommand failed.",
];

describe("the excerpt of a failed build", () => {
  it("shows the compiler's error, not musl's configure chatter", () => {
    const out = [...MUSL_CHATTER, "[13/266] Building C object ...", ...GCC_ERROR].join("\n");
    const tail = new BuildFailure("the build failed", out).tail();
    expect(tail).not.toMatch(/checking/);
    expect(tail.split("\n").slice(0, 3)).toEqual([
      "FAILED: servers/echo/CMakeFiles/server.echo.dir/main.c.obj",
      "/p/servers/echo/main.c: In function 'main':",
      "/p/servers/echo/main.c:70:5: error: implicit declaration of function 'echo_frob' [-Werror=implicit-function-declaration]",
    ]);
  });

  it("shows a link error, a CMake error, or else the last lines", () => {
    expect(buildErrorExcerpt([...MUSL_CHATTER, "FAILED: echo", "ld: main.o: in function `main':", "main.c:(.text+0x8): undefined reference to `echo_frob'"].join("\n"))).toMatch(
      /^FAILED: echo\nmain\.c:\(\.text\+0x8\): undefined reference to `echo_frob'/,
    );
    expect(buildErrorExcerpt(["-- Configuring", "CMake Error at CMakeLists.txt:3 (message):", "  no such thing"].join("\n"))).toBe("CMake Error at CMakeLists.txt:3 (message):\n  no such thing");
    expect(buildErrorExcerpt("a\nb\nc", 2)).toBe("b\nc");
  });
});

const cc = ["gcc", "cmake", "ninja"].every(hasCompiler);

/** A one-server project on the host: idl/t.idl with two methods, servers/t/main.c as given. */
function project(table: string, handlers: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "neptune-builderr-"));
  mkdirSync(path.join(dir, "idl"));
  mkdirSync(path.join(dir, "servers/t"), { recursive: true });
  writeFileSync(path.join(dir, "idl/t.idl"), "namespace t {\n    rpc a(x: uint64) -> (y: uint64);\n    rpc b() -> ();\n}\n");
  writeFileSync(
    path.join(dir, "system.ts"),
    `import { defineSystem, server } from "neptune-gen";\nexport default defineSystem({ name: "t", servers: [server({ name: "t", serves: ["t"] })] });\n`,
  );
  writeFileSync(
    path.join(dir, "servers/t/main.c"),
    `#include "server_gen.h"\n\n${handlers}\n\n${table}\nstatic const t_server_ops_t ops = { .t = &t_ops };\n\nint main(void)\n{\n    static ng_server_t srv;\n    t_server_init(&srv);\n    t_serve(&srv, &ops, NULL);\n    return 0;\n}\n`,
  );
  return dir;
}

const DO_A = "static int do_a(void *ctx, ng_call_t *call, const t_a_req_t *req, t_a_rep_t *rep)\n{\n    (void)ctx;\n    (void)call;\n    rep->y = req->x;\n    return NG_OK;\n}";

describe.skipIf(!cc)("host build of a server that no longer matches its IDL", () => {
  it("a forgotten handler stops the build before CMake, at the table", async () => {
    const dir = project("static const t_ops_t t_ops = {\n    .a = do_a,\n};", DO_A);
    const bag = new DiagnosticBag();
    const built = await buildHost({ systemFile: path.join(dir, "system.ts"), buildDir: path.join(dir, "build"), bag });
    expect(built).toBeUndefined();
    const lines = bag.format().replaceAll(`${dir}/`, "").split("\n");
    expect(lines[0]).toMatch(/servers\/t\/main\.c:11:22: error: ops table 't_ops' \(t_ops_t\) has no handler for method t\.b \(.*idl\/t\.idl:3:5\)$/);
    expect(lines[1]).toBe("hint: write a handler and add `.b = <function>`, or `.b = NULL` to answer NG_ENOSYS on purpose");
  });

  it("a handler of a removed method is named, with a suggestion", async () => {
    const dir = project("static const t_ops_t t_ops = {\n    .a = do_a,\n    .bb = NULL,\n};", DO_A);
    const bag = new DiagnosticBag();
    await buildHost({ systemFile: path.join(dir, "system.ts"), buildDir: path.join(dir, "build"), bag });
    expect(bag.format().replaceAll(`${dir}/`, "")).toMatch(/servers\/t\/main\.c:13:5: error: ops table 't_ops' \(t_ops_t\) sets '\.bb', which is not one of its members\nhint: did you mean 'b'\?/);
  });

  it("a handler whose signature changed is a C error, shown as the compiler says it", async () => {
    const dir = project("static const t_ops_t t_ops = {\n    .a = do_a,\n    .b = NULL,\n};", DO_A.replace("const t_a_req_t *req", "const t_b_req_t *req"));
    const bag = new DiagnosticBag();
    const built = await buildHost({ systemFile: path.join(dir, "system.ts"), buildDir: path.join(dir, "build"), bag });
    expect(built).toBeUndefined();
    const text = bag.format();
    expect(text).toMatch(/host build: ninja failed \(exit 1\)\nFAILED: /);
    expect(text).toMatch(/main\.c:\d+:\d+: error: .*t_b_req_t|main\.c:\d+:\d+: error: initialization of .* from incompatible pointer type/);
  }, 120_000);

  it("a complete table builds", async () => {
    const dir = project("static const t_ops_t t_ops = {\n    .a = do_a,\n    .b = NULL,\n};", DO_A);
    const bag = new DiagnosticBag();
    const built = await buildHost({ systemFile: path.join(dir, "system.ts"), buildDir: path.join(dir, "build"), bag });
    expect(bag.format()).toBe("");
    expect(built?.executable).toBeTruthy();
  }, 120_000);
});

