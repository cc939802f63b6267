// SPDX-License-Identifier: BSD-2-Clause
/**
 * Run-time processes (idl/root.idl): a launcher that spawns programs through the root server's
 * process service and waits for them. It spawns 100 children in turn (each prints its argv and
 * exits with its index) and checks their statuses; a child that dereferences NULL, reported to
 * it as a vm fault; a child given no caps, which cannot reach any server; the quota and the
 * typed errors (unknown program, a cap it does not hold, past the process and memory limits, a
 * pid that is not its child); and 1000 spawn/reap cycles after which the root server's free
 * untyped memory and free slots are exactly where they were. A child that spawns a grandchild
 * and is killed while it waits for it takes the grandchild with it.
 */

import { defineSystem, server, program } from "neptune-gen";

export default defineSystem({
  name: "launcher",
  platform: "qemu-arm-virt",
  idl: ["../../idl"],
  servers: [
    server({ name: "echo", src: "../hello/servers/echo", serves: ["echo"], priority: 150 }),
    server({ name: "launcher", uses: ["echo"], priority: 100, spawn: { maxProcesses: 3, memory: "4M" } }),
  ],
  programs: [
    // Prints its argv, calls echo through the cap it was given, exits with its index.
    program({ name: "child", uses: ["echo"], priority: 90 }),
    // Dereferences NULL.
    program({ name: "crasher", priority: 90 }),
    // Spawned with no caps: tries its echo slot and every free slot.
    program({ name: "probe", uses: ["echo"], priority: 90 }),
    // Exits at once: the spawn/reap loop and the benchmark.
    program({ name: "trivial", priority: 90, heap: "0" }),
    // Waits on its own notification until killed.
    program({ name: "blocker", priority: 90 }),
    // Spawns a blocker and waits for it (a program with a quota of its own); killed while it waits.
    program({ name: "nester", priority: 110, spawn: { maxProcesses: 1, memory: "1M" } }),
    // Asks for more heap than the launcher's whole budget.
    program({ name: "big", priority: 90, heap: "8M" }),
  ],
});
