// SPDX-License-Identifier: BSD-2-Clause
/**
 * The IPC benchmark (scripts/bench-ipc.ts, `npm run bench:ipc`): one client, `bench`, times round
 * trips of echo.bench (two words in, one out) to two servers that serve the same interface:
 *  - `gensrv` answers through the generated dispatch (echo_serve with a `bench` handler);
 *  - `rawsrv` answers with hand-written loops: libsel4's seL4_Recv/seL4_ReplyRecv, then, after a
 *    control message, a loop of inline `svc` with the message in registers (the floor).
 * Both servers run above the client, so every call and reply can stay on the kernel's fast path;
 * on the MCS kernel both are passive (they run on the client's scheduling context), which the
 * MCS fast path requires. The benchmark builds it for each kernel configuration with -D
 * overrides (KernelIsMCS, KernelArmHypervisorSupport); a non-MCS build warns that `passive`
 * has no effect there.
 */

import { defineSystem, server } from "neptune-gen";

export default defineSystem({
  name: "ipc_bench",
  platform: "qemu-arm-virt",
  kernel: { mcs: true },
  idl: ["../../idl"],
  servers: [
    server({ name: "gensrv", serves: ["echo"], priority: 150, deferredReplies: 1, passive: true }),
    server({ name: "rawsrv", serves: ["echo"], priority: 150, deferredReplies: 1, passive: true }),
    server({
      name: "bench",
      priority: 100,
      // Long enough that a timed loop (about 10 ms of guest time) is rarely cut by a refill.
      budget: "20ms",
      period: "20ms",
      uses: [
        { interface: "echo", server: "gensrv", as: "gen" },
        { interface: "echo", server: "rawsrv", as: "raw" },
      ],
    }),
  ],
});
