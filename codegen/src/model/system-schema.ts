// SPDX-License-Identifier: BSD-2-Clause
/**
 * The shape of a system description, as zod schemas: strict objects (an unknown property is an
 * error), C identifiers for names, sizes that parse, numbers in range. Rules that relate several
 * places (unique names, interfaces that exist, devices that do not overlap…) are checked by
 * model/resolve-system.ts once the shape is known to be right.
 *
 * A message may carry a hint after a newline: "what is wrong\nwhat to do"; `schemaIssues` splits
 * the two so diagnostics print `error: what is wrong` and `hint: what to do`.
 */

import { z } from "zod";
import { parseSize } from "./sizes.ts";
import { MAX_NAME_LENGTH } from "./cnames.ts";
import { parseTimeUs } from "./kernel.ts";

export const C_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const PRIORITY_MIN = 1;
export const PRIORITY_MAX = 254;
export const DEFERRED_REPLIES_MAX = 64;
export const CNODE_BITS_MIN = 4;
export const CNODE_BITS_MAX = 20;

const strict = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `unknown property '${(iss as { keys: string[] }).keys.join("', '")}'\nremove it, or check its spelling against the neptune-gen API`
        : undefined,
  });

const cIdent = (what: string) =>
  z
    .string()
    .regex(C_IDENT, {
      error: (iss) =>
        `${what} '${String(iss.input)}' is not a C identifier\nuse letters, digits and '_', not starting with a digit (it names C constants and a CMake target)`,
    })
    .max(MAX_NAME_LENGTH, { error: `${what} is longer than ${MAX_NAME_LENGTH} characters\ngive it a shorter name (it names C constants, a folder and a CMake target)` });

const size = (what: string) =>
  z.union([z.number(), z.string()]).superRefine((v, ctx) => {
    const r = parseSize(v);
    if ("error" in r) ctx.addIssue({ code: "custom", message: `${what}: ${r.error}` });
  });

const time = (what: string) =>
  z.union([z.number(), z.string()]).superRefine((v, ctx) => {
    const r = parseTimeUs(v);
    if ("error" in r) ctx.addIssue({ code: "custom", message: `${what}: ${r.error}` });
  });

const intIn = (what: string, min: number, max: number, hint: string) => {
  const msg = (i: { input: unknown }) => `${what} ${String(i.input)} is out of range ${min}..${max}\n${hint}`;
  return z
    .number()
    .int({ error: (i) => `${what} ${String(i.input)} is not a whole number\n${hint}` })
    .min(min, { error: msg })
    .max(max, { error: msg });
};

const rights = z.enum(["r", "rw", "rx", "rwx"], {
  error: (i) => `'${String(i.input)}' is not a permission\nuse "r", "rw", "rx" or "rwx"`,
});

export const useSchema = z.union(
  [
    z.string(),
    strict({
      interface: z.string(),
      server: z.string().optional(),
      as: cIdent("slot name").optional(),
    }),
  ],
  { error: () => `a use is an interface name or { interface, server?, as? }` },
);

export const mappingSchema = strict({
  region: z.string(),
  vaddr: z.number().int().nonnegative().optional(),
  perms: rights.optional(),
  as: cIdent("mapping name").optional(),
});

/** Restart policies: "never", "always" or { policy: "on-fault", maxRestarts }. */
export const restartSchema = z.unknown().superRefine((v, ctx) => {
  const shape = `restart must be "never", "always" or { policy: "on-fault", maxRestarts: N }`;
  if (v === "never" || v === "always") return;
  if (typeof v === "string") {
    ctx.addIssue({ code: "custom", message: `unknown restart policy '${v}'\n${shape}` });
    return;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    ctx.addIssue({ code: "custom", message: `restart policy has the wrong shape\n${shape}` });
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== "policy" && k !== "maxRestarts")
      ctx.addIssue({ code: "custom", path: [k], message: `unknown property '${k}' in restart policy\n${shape}` });
  }
  if (o.policy !== "on-fault") {
    ctx.addIssue({
      code: "custom",
      path: "policy" in o ? ["policy"] : [],
      message: `an object restart policy needs policy: "on-fault"\n${shape}`,
    });
  }
  const n = o.maxRestarts;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 1000) {
    ctx.addIssue({
      code: "custom",
      path: "maxRestarts" in o ? ["maxRestarts"] : [],
      message: `maxRestarts must be a whole number 1..1000, not ${JSON.stringify(n)}\nuse "never" to leave the server stopped, or "always" for no limit`,
    });
  }
});

export const spawnSchema = z.union([
  z.boolean(),
  strict({
    maxProcesses: intIn("spawn.maxProcesses", 1, 256, "how many processes it may have alive at once").optional(),
    memory: size("spawn.memory").optional(),
  }),
]);

const serverShape = {
  kind: z.literal("server"),
  name: cIdent("server name"),
  elf: z.string().min(1).optional(),
  src: z.string().min(1).optional(),
  priority: intIn("priority", PRIORITY_MIN, PRIORITY_MAX, "seL4 priorities for servers are 1..254; the root server runs at 255").optional(),
  stack: size("stack").optional(),
  heap: size("heap").optional(),
  serves: z.array(z.string()).optional(),
  uses: z.array(useSchema).optional(),
  notifies: z.array(z.string()).optional(),
  maps: z.array(mappingSchema).optional(),
  restart: restartSchema.optional(),
  spawn: spawnSchema.optional(),
  connections: intIn("connections", 0, 256, "each connection costs two CNode slots and a mapping of the client's buffer").optional(),
  sharedMemory: size("sharedMemory").optional(),
  deferredReplies: intIn(
    "deferredReplies",
    0,
    DEFERRED_REPLIES_MAX,
    `each one costs a CNode slot; a server rarely holds more than a few callers waiting`,
  ).optional(),
  cnodeBits: intIn("cnodeBits", CNODE_BITS_MIN, CNODE_BITS_MAX, "leave it out to get the smallest CNode that fits").optional(),
  args: z.array(z.string()).optional(),
  budget: time("budget").optional(),
  period: time("period").optional(),
  passive: z.boolean().optional(),
};

export const programSchema = strict({
  kind: z.literal("program"),
  name: cIdent("program name"),
  elf: z.string().min(1).optional(),
  src: z.string().min(1).optional(),
  priority: serverShape.priority,
  stack: size("stack").optional(),
  heap: size("heap").optional(),
  uses: z.array(useSchema).optional(),
  notifies: z.array(z.string()).optional(),
  spawn: spawnSchema.optional(),
  sharedMemory: serverShape.sharedMemory,
  args: z.array(z.string()).optional(),
  cnodeBits: serverShape.cnodeBits,
});

export const deviceSchema = strict({
  name: cIdent("device name"),
  compatible: z.string().optional(),
  paddr: z.number().int().nonnegative().optional(),
  size: size("device size").optional(),
  irq: intIn("irq", 0, 1023, "the kernel's interrupt number; for a GIC SPI that is 32 + the SPI number").optional(),
  irqTrigger: z.enum(["level", "edge"]).optional(),
  count: intIn("count", 1, 64, "how many devices of the family, from this one").optional(),
});

/** A driver's DMA memory: a size, or { size, cached }. */
export const DMA_MAX_BYTES = 32 * 1024 * 1024;
export const dmaSchema = z.unknown().superRefine((v, ctx) => {
  const shape = `dma is a size ("64K") or { size: "64K", cached?: boolean }`;
  const checkSize = (s: unknown, path: string[]) => {
    const r = parseSize(s);
    if ("error" in r) ctx.addIssue({ code: "custom", path, message: `dma size: ${r.error}\n${shape}` });
    else if (r.bytes === 0 || r.bytes % 4096 !== 0)
      ctx.addIssue({ code: "custom", path, message: `dma size ${String(s)} is not a whole number of 4K pages\nround it up, e.g. "64K"` });
    else if (r.bytes > DMA_MAX_BYTES)
      ctx.addIssue({ code: "custom", path, message: `dma size ${String(s)} is larger than 32M\nit must come from one untyped; split large buffers or use a memoryRegion with a fixed paddr` });
  };
  if (typeof v === "number" || typeof v === "string") return checkSize(v, []);
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    ctx.addIssue({ code: "custom", message: `dma has the wrong shape\n${shape}` });
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== "size" && k !== "cached") ctx.addIssue({ code: "custom", path: [k], message: `unknown property '${k}' in dma\n${shape}` });
  }
  if (!("size" in o)) ctx.addIssue({ code: "custom", message: `dma needs a size\n${shape}` });
  else checkSize(o.size, ["size"]);
  if ("cached" in o && typeof o.cached !== "boolean")
    ctx.addIssue({ code: "custom", path: ["cached"], message: `dma.cached must be true or false\n${shape}` });
});

export const serverSchema = strict(serverShape);
export const driverSchema = strict({ ...serverShape, kind: z.literal("driver"), devices: z.array(deviceSchema), dma: dmaSchema.optional() });

export const memoryRegionSchema = strict({
  kind: z.literal("memory"),
  name: cIdent("memory region name"),
  size: size("region size"),
  paddr: z.number().int().nonnegative().optional(),
  pageSize: z.enum(["4K", "2M"]).optional(),
});

export const kernelSchema = strict({
  mcs: z.boolean().optional(),
  hypervisor: z.boolean().optional(),
  debug: z.boolean().optional(),
  printing: z.boolean().optional(),
});

export const systemSchema = strict({
  kind: z.literal("system"),
  name: cIdent("system name"),
  platform: z.string().optional(),
  kernel: kernelSchema.optional(),
  idl: z.array(z.string()).optional(),
  untyped: size("untyped").optional(),
  disk: z.string().min(1, { error: () => "disk is the path of a raw disk image\nleave it out, or name a file made by neptune-gen disk create" }).optional(),
  servers: z.array(
    z.discriminatedUnion("kind", [serverSchema, driverSchema], {
      error: () => `servers holds server(...) and driver(...) results only\nwrap each entry in server({...}) or driver({...})`,
    }),
  ),
  programs: z
    .array(programSchema, { error: () => `programs holds program(...) results only\nwrap each entry in program({...})` })
    .optional(),
  memory: z
    .array(memoryRegionSchema, { error: () => `memory holds memoryRegion(...) results\nwrap each entry in memoryRegion({...})` })
    .optional(),
});

export interface SchemaIssue {
  path: (string | number)[];
  message: string;
  hint?: string;
}

/** Validates the shape; returns the issues (empty when it is fine), each with its path. */
export function schemaIssues(spec: unknown): SchemaIssue[] {
  const r = systemSchema.safeParse(spec);
  if (r.success) return [];
  return r.error.issues.map((iss) => {
    let path = iss.path.filter((k): k is string | number => typeof k !== "symbol");
    let text = iss.message;
    if (iss.code === "unrecognized_keys") path = [...path, iss.keys[0]];
    if (iss.code === "invalid_type") {
      const where = path.length ? `'${path.join(".")}'` : "value";
      text = `${where} must be ${iss.expected === "array" ? "an array" : `a ${iss.expected}`}`;
    }
    const nl = text.indexOf("\n");
    return nl < 0 ? { path, message: text } : { path, message: text.slice(0, nl), hint: text.slice(nl + 1) };
  });
}
