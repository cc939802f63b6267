// SPDX-License-Identifier: BSD-2-Clause
/**
 * The IPC benchmark (scripts/bench-ipc.ts, `npm run bench:ipc`): one client, `bench`, times round
 * trips of echo.bench (two words in, one out) to two servers that serve the same interface:
 *  - `gensrv` answers through the generated dispatch (echo_serve with a `bench` handler);
 *  - `rawsrv` answers with hand-written loops: libsel4's seL4_Recv/seL4_ReplyRecv, then, after a
 *    control message, a loop of inline `svc` with the message in registers (the floor).
 * Both servers run above the client, so every call and reply can stay on the kernel's fast path.
 */

import { defineSystem, server } from "neptune-gen";

export default defineSystem({
  name: "ipc_bench",
  platform: "qemu-arm-virt",
  idl: ["../../idl"],
  servers: [
    server({ name: "gensrv", serves: ["echo"], priority: 150, deferredReplies: 1 }),
    server({ name: "rawsrv", serves: ["echo"], priority: 150, deferredReplies: 1 }),
    server({
      name: "bench",
      priority: 100,
      uses: [
        { interface: "echo", server: "gensrv", as: "gen" },
        { interface: "echo", server: "rawsrv", as: "raw" },
      ],
    }),
  ],
});
