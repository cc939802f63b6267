// SPDX-License-Identifier: BSD-2-Clause
/**
 * The resource-manager half of the POSIX personality (personality-posix/): the pathname manager,
 * tmpfs at /tmp and devfs at /dev (console on the PL011 driver, null, zero), and a test client
 * that uses nothing but the generated stubs: it resolves paths through pathmgr, receives the
 * managers' caps, opens run-time connections to them, and works with files and directories
 * there; then shows least privilege (it cannot register a prefix; a handle of another connection
 * fails with bad_handle; `thief`, receiving on the cap pathmgr hands out, takes a cap fault) and
 * failure handling (tmpfs faults, the root server restarts it, it
 * registers again, the old handle fails and /tmp works again).
 *
 *   neptune-gen run -s examples/posix/system.ts --expect "posixtest: done"
 *   neptune-gen run -s examples/posix/system.ts --target host --sanitize --expect "posixtest: done"
 */

import { defineSystem, server, driver } from "neptune-gen";

export default defineSystem({
  name: "posix",
  platform: "qemu-arm-virt",
  idl: ["../../idl", "idl"],
  servers: [
    driver({
      name: "uart",
      src: "../../drivers/pl011",
      serves: ["serial"],
      priority: 200,
      devices: [{ name: "pl011", compatible: "arm,pl011", size: "4K", irq: 33 }],
    }),
    // One table slot per registration: 64 prefixes need a CNode of 2^7 slots or more.
    server({ name: "pathmgr", src: "../../personality-posix/pathmgr", serves: ["pathmgr", "pathreg"], priority: 180, cnodeBits: 8 }),
    server({
      name: "tmpfs",
      src: "../../personality-posix/tmpfs",
      serves: ["fs", "faultinj"],
      uses: ["pathreg"],
      priority: 150,
      connections: 4,
      restart: { policy: "on-fault", maxRestarts: 3 },
    }),
    server({
      name: "devfs",
      src: "../../personality-posix/devfs",
      serves: ["fs"],
      uses: ["pathreg", "serial"],
      priority: 150,
      connections: 4,
      // Console reads wait for typing as saved replies.
      deferredReplies: 4,
    }),
    // No pathreg: it holds no cap that could register a prefix. faultinj: to crash tmpfs.
    server({ name: "posixtest", uses: ["pathmgr", "faultinj"], priority: 100, sharedMemory: "512K" }),
    // Receives on the cap pathmgr hands out: a cap fault (the cap has no Read right).
    server({ name: "thief", uses: ["pathmgr"], priority: 90 }),
  ],
});
