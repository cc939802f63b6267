// SPDX-License-Identifier: BSD-2-Clause
/**
 * A hostile client against an echo server, and what the system does about each thing it tries
 * (docs/transport.md specifies every case). Runs unchanged on seL4 and on the host target, and
 * prints one outcome line per case, the same on both (codegen/test/hostile.test.ts compares them
 * with expected-outcomes.txt):
 *
 * - `hostile` sends malformed requests (unknown label, wrong length, a cap where none is
 *   declared, a length of 100,000 words, 4 caps, a label too wide), calls through an empty slot
 *   and the null slot, sends a oneway with call, hands over an endpoint, nothing, an unwrapped
 *   cap or an empty slot where a notification is declared, and floods `target` with oneways and
 *   calls; then checks that `target` still answers.
 * - `badslot` calls through a slot beyond its CSpace and `badcap` sends a cap from one: a cap
 *   fault of the sender on both targets, reported by the root server; both stay stopped.
 * - `storm` exits as soon as it starts, with `restart: "always"`: restarted at most 5 times in
 *   10 s, then given up on, with a report (and, on the host, its own code and fresh globals in
 *   every run).
 */

import { defineSystem, server } from "neptune-gen";

export default defineSystem({
  name: "hostile",
  platform: "qemu-arm-virt",
  idl: ["../../idl"],
  servers: [
    server({ name: "target", serves: ["echo"], priority: 150 }),
    // A second echo endpoint: the endpoint cap hostile hands over where a notification belongs.
    server({ name: "bystander", serves: ["echo"], priority: 140 }),
    server({
      name: "hostile",
      uses: [
        { interface: "echo", server: "target", as: "echo" },
        { interface: "echo", server: "bystander", as: "other" },
      ],
      priority: 100,
    }),
    server({ name: "badslot", uses: [{ interface: "echo", server: "target" }], priority: 90 }),
    server({ name: "badcap", uses: [{ interface: "echo", server: "target" }], priority: 90 }),
    server({ name: "storm", priority: 80, restart: "always" }),
  ],
});
