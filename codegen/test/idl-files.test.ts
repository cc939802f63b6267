// SPDX-License-Identifier: BSD-2-Clause
/** The project's own interfaces in idl/: they compile cleanly together and keep their shape. */

import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../src/diag/diagnostics.ts";
import { compileIdl } from "../src/model/resolve-idl.ts";
import { findInterface } from "../src/model/lookup.ts";
import { deriveLabel } from "../src/model/labels.ts";
import { typeName } from "../src/model/idl-scope.ts";
import { isFastMethod } from "../src/emit/server.ts";

const root = path.join(import.meta.dirname, "../../idl");
const files = readdirSync(root).filter((f) => f.endsWith(".idl")).sort();
const bag = new DiagnosticBag();
const model = compileIdl(files.map((f) => ({ file: `idl/${f}`, text: readFileSync(path.join(root, f), "utf8") })), bag);

function signature(iface: string, method: string): string {
  const m = findInterface(model, iface)?.methods.find((x) => x.name === method);
  if (!m) return "(missing)";
  const list = (fs: { name: string; type: Parameters<typeof typeName>[0] }[]) => fs.map((f) => `${f.name}: ${typeName(f.type)}`).join(", ");
  return m.kind === "oneway" ? `oneway ${m.name}(${list(m.args)})` : `rpc ${m.name}(${list(m.args)}) -> (${list(m.results)})`;
}

describe("idl/", () => {
  it("holds the system's interfaces", () => {
    expect(files).toEqual(["blockdev.idl", "echo.idl", "fs.idl", "ntdrv.idl", "ntexec.idl", "pathmgr.idl", "pipe.idl", "procmgr.idl", "root.idl", "rootmem.idl", "serial.idl", "timer.idl"]);
    expect(model.interfaces.map((i) => i.name)).toEqual(["blockdev", "echo", "fs", "ntdrv", "ntexec", "pathmgr", "pathreg", "pipe", "procmgr", "root", "rootmem", "serial", "timer"]);
  });

  it("compiles with no errors and no warnings", () => {
    expect(bag.format()).toBe("");
  });

  it("documents every interface and method", () => {
    const undocumented = model.interfaces.flatMap((i) => [...(i.doc ? [] : [i.name]), ...i.methods.filter((m) => !m.doc).map((m) => `${i.name}.${m.name}`)]);
    expect(undocumented).toEqual([]);
  });

  it("keeps the root service's scalar calls on the register fast path", () => {
    expect(signature("root", "wait")).toBe("rpc wait(pid: int32, nohang: bool) -> (child: int32, how: root.end, code: int64, addr: uint64)");
    const root = findInterface(model, "root")!;
    const fast = root.methods.filter((m) => isFastMethod(m)).map((m) => m.name);
    expect(fast).toEqual(["wait", "kill", "exit", "stats"]);
  });

  it("keeps echo's methods as the boot example and the benchmark use them", () => {
    expect(findInterface(model, "echo")!.methods.map((m) => signature("echo", m.name))).toEqual([
      "rpc add(a: uint64, b: uint64) -> (sum: uint64)",
      "rpc echo_str(s: str<256>) -> (s: str<256>)",
      "rpc echo_bytes(data: bytes<512>) -> (data: bytes<512>)",
      "oneway ping(seq: uint64)",
      "rpc share_ntfn(n: notification) -> (ok: bool)",
      "rpc bench(a: uint64, b: uint64) -> (r: uint64)",
    ]);
    const echo = findInterface(model, "echo")!;
    expect(echo.methods.every((m) => m.label === deriveLabel("echo", m.name))).toBe(true);
    expect(echo.methods.find((m) => m.name === "add")!.label).toBe(0xb406a);
    expect(echo.methods.find((m) => m.name === "bench")!.request.fastPath).toBe(true);
  });

  it("passes capabilities where the personalities need them", () => {
    expect(signature("pathmgr", "resolve")).toBe("rpc resolve(path: str<256>, after: uint32) -> (server: endpoint, rest: str<256>, kind: pathmgr.prefix_kind, id: uint32)");
    expect(signature("pathreg", "register_prefix")).toBe("rpc register_prefix(prefix: str<256>, kind: pathmgr.prefix_kind, ep: endpoint) -> (id: uint32)");
    expect(signature("procmgr", "spawn")).toBe("rpc spawn(path: str<128>, argv: str<512>, env: str<256>, suspended: bool, stdio: endpoint) -> (pid: int32)");
    expect(signature("serial", "rx_notify")).toBe("oneway rx_notify(n: notification)");
    expect(signature("timer", "set_notification")).toBe("rpc set_notification(n: notification) -> ()");
  });

  it("uses the shared buffer only for the bulk transfers", () => {
    const shm = model.interfaces.flatMap((i) =>
      i.methods.flatMap((m) => [
        ...(m.request.shm ? [`${i.name}.${m.name} request ${m.request.shmBytes}`] : []),
        ...(m.reply?.shm ? [`${i.name}.${m.name} reply ${m.reply.shmBytes}`] : []),
      ]),
    );
    expect(shm).toEqual([
      "blockdev.read_blocks reply 65536",
      "blockdev.write_blocks request 65536",
      "fs.read reply 65536",
      "fs.write request 65536",
      "ntdrv.next_irp request 65536",
      "ntdrv.next_irp reply 65536",
      "ntdrv.call_driver request 65536",
      "ntdrv.call_driver reply 65536",
      "ntexec.read_file reply 65536",
      "ntexec.write_file request 65536",
      "pipe.read reply 65536",
      "pipe.write request 65536",
    ]);
  });

  it("places the NT structures as blocks of words", () => {
    const create = findInterface(model, "ntexec")!.methods.find((m) => m.name === "create_file")!;
    // root_directory@0 (8), object_name@8 (char[261]) → 269, attributes@272 → 276, size 280 = 35 words
    expect(create.request.fields.find((f) => f.name === "attrs")!.placement).toEqual({ where: "block", word: 1, words: 35, bytes: 280 });
    // status@0, file@1, then the IO_STATUS_BLOCK
    expect(create.reply!.fields.find((f) => f.name === "iosb")!.placement).toEqual({ where: "block", word: 2, words: 2, bytes: 16 });
  });
});
