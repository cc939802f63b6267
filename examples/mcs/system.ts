// SPDX-License-Identifier: BSD-2-Clause
/**
 * Scheduling contexts on seL4's MCS kernel: a passive server and two clients with different
 * budgets.
 *  - `calc` serves echo.add and is passive: it initialises on a scheduling context of its own,
 *    which the root server takes away at its first receive; from then on every call runs on the
 *    caller's scheduling context (and takes the kernel's fast path). echo.add(a, b) with b > 0
 *    spins b thousand iterations first, so a call can be made to cost time.
 *  - `fast` has the default budget (1 ms every 1 ms: all the CPU it wants at its priority);
 *  - `slow` has 200 us every 10 ms (2 %): the kernel throttles it, and as the root server is its
 *    timeout handler, the log shows each time it runs out (the first and every 64th).
 * Both clients spin through the same five rounds and call calc after each; `fast` finishes
 * long before `slow`. slow's last call is a heavy one, so calc runs out of slow's budget while
 * serving it: the root server's timeout report names calc running on slow's scheduling context.
 *
 *   neptune-gen run -s examples/mcs/system.ts --expect "slow: done"
 */

import { defineSystem, server } from "neptune-gen";

export default defineSystem({
  name: "mcs",
  platform: "qemu-arm-virt",
  kernel: { mcs: true },
  idl: ["../../idl"],
  servers: [
    server({ name: "calc", serves: ["echo"], priority: 150, passive: true, deferredReplies: 0 }),
    server({ name: "fast", uses: [{ interface: "echo", server: "calc" }], priority: 100 }),
    server({ name: "slow", uses: [{ interface: "echo", server: "calc" }], priority: 100, budget: "200us", period: "10ms" }),
  ],
});
