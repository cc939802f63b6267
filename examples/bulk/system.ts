// SPDX-License-Identifier: BSD-2-Clause
/**
 * Bulk data and run-time shared memory. `writer` moves 64 KiB each way through `store` over the
 * shared buffer the layout maps for it, then over run-time connections (a shared-memory object
 * from its own quota, handed to store once), spawns `kid`, a process store never heard of, which
 * does the same through the cap it was given, and checks that the root server's untyped memory,
 * slots and shared-memory accounting come back to where they were. Last, it hands `peer` an object,
 * destroys it, and `peer`'s next read of its mapping faults (reported by the root server) while
 * the writer goes on.
 */

import { defineSystem, server, program } from "neptune-gen";

export default defineSystem({
  name: "bulk",
  platform: "qemu-arm-virt",
  idl: ["idl"],
  servers: [
    server({ name: "store", serves: ["bulk"], priority: 150, connections: 4 }),
    server({ name: "peer", serves: ["holder"], priority: 140, sharedMemory: "4K" }),
    server({
      name: "writer",
      uses: ["bulk", "holder"],
      priority: 100,
      heap: "256K",
      sharedMemory: "256K",
      spawn: { maxProcesses: 1, memory: "2M" },
    }),
  ],
  programs: [
    // Connects to store at run time through the cap its spawner passes (64K of shared memory by default).
    program({ name: "kid", uses: ["bulk"], priority: 90 }),
  ],
});
