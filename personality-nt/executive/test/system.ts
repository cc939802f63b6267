// SPDX-License-Identifier: BSD-2-Clause
/**
 * The executive alone with two test processes of its own (no ddk, no file system): `probedrv`
 * speaks idl/ntdrv.idl by hand (malformed registrations, a completion for an IRP it never got,
 * calls to itself, then \Device\Probe with \??\P:, and a fault while it holds an IRP), `probe`
 * speaks idl/ntexec.idl (names, handles, access, directory objects, links, statistics, the
 * driver's death and restart, processes that fault or are terminated, events). codegen/test/nt-exec.test.ts runs it on the host target (and on
 * seL4 when a workspace is configured).
 */

import { defineSystem, server, driver, program } from "neptune-gen";

export default defineSystem({
  name: "ntexec_probe",
  platform: "qemu-arm-virt",
  idl: ["../../../idl"],
  servers: [
    driver({
      name: "uart",
      src: "../../../drivers/pl011",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "pl011", compatible: "arm,pl011", size: "4K", irq: 33 }],
    }),
    driver({
      name: "rtc",
      src: "../../../drivers/pl031",
      serves: ["timer"],
      priority: 190,
      devices: [{ name: "pl031", compatible: "arm,pl031", size: "4K", irq: 34 }],
    }),
    server({
      name: "ntexec",
      src: "..",
      serves: ["ntexec", "ntdrv"],
      uses: ["serial", "timer"],
      priority: 160,
      heap: "16M",
      deferredReplies: 32,
      connections: 4,
      sharedMemory: "1M",
      spawn: { maxProcesses: 2, memory: "4M" },
    }),
    server({ name: "probedrv", src: "probedrv", uses: ["ntdrv"], priority: 150, restart: "always" }),
    server({ name: "probe", src: "probe", uses: ["ntexec", "timer"], priority: 100 }),
  ],
  programs: [
    // Started by probe through NtCreateProcess: it faults, or blocks until terminated.
    program({ name: "probekid", src: "probekid", uses: ["ntexec"], priority: 90 }),
  ],
});
