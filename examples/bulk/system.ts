// SPDX-License-Identifier: BSD-2-Clause
/**
 * Bulk data: 64 KiB payloads between two servers in one round trip. `writer` calls `store`
 * through the shared buffer the layout maps for it, then opens a run-time connection (the path a
 * spawned process takes: a shared-memory object from its own quota, handed to the server once)
 * and does the same through it, then checks that the server's connection table and the root
 * server's shared-memory accounting come back to where they were.
 */

import { defineSystem, server } from "neptune-gen";

export default defineSystem({
  name: "bulk",
  platform: "qemu-arm-virt",
  idl: ["idl"],
  servers: [
    server({ name: "store", serves: ["bulk"], priority: 150, connections: 4 }),
    server({ name: "writer", uses: ["bulk"], priority: 100, sharedMemory: "256K", heap: "256K" }),
  ],
});
