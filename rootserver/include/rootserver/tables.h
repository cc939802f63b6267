/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C shape of the tables neptune-gen emits for the root server (system_gen.c): the kernel
 * objects to create or obtain once, and per server its CNode size, priority, ELF name, the caps
 * to install at exact slots of its CSpace and the frames to map at exact virtual addresses.
 * The root server turns these into running servers and then supervises them.
 *
 * Plain data with no seL4 header, so generated tables also compile on the host (tests).
 * Indices, not pointers, link caps and mappings to objects: the tables are position independent
 * and a bad index is caught by rs_tables_validate() before anything is created.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define RS_TABLES_VERSION 2u

/* "No object": a slot that is left empty (receive and reply slots) or a reserved slot. */
#define RS_NO_OBJECT 0xffffffffu

typedef enum rs_object_type {
    RS_OBJ_ENDPOINT = 0,
    RS_OBJ_NOTIFICATION = 1,
    /* `pages` fresh frames of 2^size_bits bytes (shared buffers, regions) */
    RS_OBJ_FRAMES = 2,
    /* `pages` frames of 2^size_bits bytes at physical address `paddr`: device memory (MMIO), or
     * RAM a memory region pins */
    RS_OBJ_FRAMES_AT = 3,
    /* an IRQ handler for interrupt `irq` */
    RS_OBJ_IRQ_HANDLER = 4,
    /* `pages` frames of 2^size_bits bytes, physically contiguous (one untyped retyped in order):
     * a driver's DMA memory; its physical address is known only at run time */
    RS_OBJ_DMA = 5,
    /* one frame the root server fills with an ng_dma_info_t (<neptune/dma.h>) describing the
     * RS_OBJ_DMA object `of`; mapped read-only into the driver */
    RS_OBJ_DMA_INFO = 6,
    /* x86: the I/O ports io_base .. io_base + io_count - 1 of a device */
    RS_OBJ_IOPORT = 16,
} rs_object_type_t;

/* How the kernel's interrupt controller hands out an IRQ handler: the platform decides, and the
 * compiler writes it into each IRQ object (codegen/src/model/platforms.ts, `irqControl`). */
typedef enum rs_irq_control {
    /* seL4_IRQControl_Get: controllers without a configurable trigger (the Pi 3's BCM2836) */
    RS_IRQ_CONTROL_PLAIN = 0,
    /* seL4_IRQControl_GetTrigger with irq_edge: ARM GIC, RISC-V PLIC */
    RS_IRQ_CONTROL_TRIGGER = 1,
    /* seL4_IRQControl_GetIOAPIC on x86: `irq` is the pin of I/O APIC 0 and the vector offset */
    RS_IRQ_CONTROL_IOAPIC = 2,
} rs_irq_control_t;

typedef struct rs_object {
    const char *id; /* the layout's stable id, e.g. "ep:echo", "mmio:uart.pl011" */
    rs_object_type_t type;
    uint8_t size_bits; /* frames: log2 of one page */
    uint8_t irq_edge;  /* irq handlers: 1 = edge triggered, 0 = level */
    uint8_t irq_control; /* irq handlers: rs_irq_control_t */
    uint32_t pages;    /* frames: number of pages */
    uint64_t paddr;    /* frames at: physical address of the first page */
    uint32_t irq;      /* irq handlers: the kernel's interrupt number */
    uint32_t of;       /* DMA info pages: index of the DMA object it describes */
    uint32_t io_base;  /* I/O ports: the first */
    uint32_t io_count; /* I/O ports: how many */
} rs_object_t;

/* Objects that are frames (mapped, never installed as caps). */
static inline int rs_object_is_frames(rs_object_type_t t)
{
    return t == RS_OBJ_FRAMES || t == RS_OBJ_FRAMES_AT || t == RS_OBJ_DMA || t == RS_OBJ_DMA_INFO;
}

typedef enum rs_slot_kind {
    RS_SLOT_RESERVED = 0,
    RS_SLOT_SERVE_EP = 1,
    RS_SLOT_USE_EP = 2,
    RS_SLOT_NTFN = 3,
    RS_SLOT_SIGNAL = 4,
    RS_SLOT_IRQ_HANDLER = 5,
    RS_SLOT_RECV = 6,
    RS_SLOT_REPLY = 7,
    RS_SLOT_SPAWN_EP = 8,
    /* its own endpoint, unbadged (it mints run-time connection caps from it) */
    RS_SLOT_MINT_EP = 9,
    /* the root server's shared-memory service, for a server without RS_SLOT_SPAWN_EP */
    RS_SLOT_ROOT_EP = 10,
    /* empty: a run-time connection's minted cap or its client's shared-memory object */
    RS_SLOT_CONN = 11,
    /* x86: an I/O port cap (a copy of an RS_OBJ_IOPORT object) */
    RS_SLOT_IOPORT = 16,
} rs_slot_kind_t;

/* Rights bits of an installed cap (seL4_CapRights_t). */
#define RS_RIGHT_READ 0x1u
#define RS_RIGHT_WRITE 0x2u
#define RS_RIGHT_GRANT 0x4u
#define RS_RIGHT_GRANT_REPLY 0x8u

/* One slot of a server's CSpace. Only slots with an object get a cap; the others are listed so
 * the tables say what every slot is for. For an IRQ handler, `badge` is the badge its interrupts
 * carry on the server's own notification (RS_SLOT_NTFN): the root server binds them. */
typedef struct rs_cap {
    uint32_t slot;
    rs_slot_kind_t kind;
    uint32_t object; /* index into rs_system_t.objects, or RS_NO_OBJECT */
    uint64_t badge;  /* 0: unbadged (mint copies the cap as is) */
    uint8_t rights;  /* RS_RIGHT_* */
} rs_cap_t;

#define RS_PERM_READ 0x1u
#define RS_PERM_WRITE 0x2u
#define RS_PERM_EXEC 0x4u

/* A frame object mapped, whole, into a server's address space. */
typedef struct rs_mapping {
    uint32_t object; /* a frames object (rs_object_is_frames) */
    uint64_t vaddr;
    uint8_t perms;  /* RS_PERM_* */
    uint8_t cached; /* 0 for device memory */
} rs_mapping_t;

typedef enum rs_restart {
    RS_RESTART_NEVER = 0,
    RS_RESTART_ALWAYS = 1,
    RS_RESTART_ON_FAULT = 2,
} rs_restart_t;

typedef struct rs_server {
    const char *name;
    const char *elf; /* file name in the root server's CPIO archive */
    uint8_t priority;
    uint8_t cnode_bits;
    rs_restart_t restart;
    uint32_t max_restarts; /* RS_RESTART_ON_FAULT only */
    uint32_t stack_bytes;
    uint32_t heap_bytes;
    /* Reserved slots (0..7) the layout grants, as a bit mask; the root server deletes the rest
     * of what sel4utils puts there (own CNode, VSpace, ASID pool, TCB). Slot 2 always holds the
     * fault endpoint: a non-MCS kernel looks it up in the faulting thread's own CSpace. */
    uint8_t keep_reserved; /* on MCS, bit 7: give it a reply object in slot 7 */
    /* Badge of its fault endpoint cap (slot 2): how the root server tells who faulted. */
    uint64_t fault_badge;
    const rs_cap_t *caps;
    uint32_t ncaps;
    const rs_mapping_t *maps;
    uint32_t nmaps;
    const char *const *argv;
    uint32_t argc;
    /* Where its heap is mapped (heap_bytes of fresh frames; a program gets fresh ones per
     * process, a server those of its `heap:` object among its mappings). */
    uint64_t heap_vaddr;
    /* `spawn` in system.ts: how many live children it may have and how many bytes of untyped
     * memory they may use; 0 processes: it may not spawn. */
    uint32_t spawn_max_processes;
    uint64_t spawn_memory;
    /* Programs: the layout's estimate of what one process costs (checked against the budget
     * before creating it; the real cost is what is charged). */
    uint64_t spawn_cost;
    /* Bytes of run-time shared memory (idl/rootmem.idl) it may create; 0: none. It may map
     * objects it is handed whenever it holds a service cap. */
    uint64_t shared_memory;
    /* MCS kernel only (0 otherwise): its scheduling context, in microseconds, and whether it
     * gives it up at its first receive (a passive server runs on its callers' ones). */
    uint32_t budget_us;
    uint32_t period_us;
    uint8_t passive;
} rs_server_t;

typedef struct rs_system {
    uint32_t version; /* RS_TABLES_VERSION */
    const char *name;
    const rs_object_t *objects;
    uint32_t nobjects;
    /* The endpoint every server's faults (and exits) arrive on, or RS_NO_OBJECT: the root
     * server then creates one of its own. */
    uint32_t fault_ep;
    /* In start order: a server comes after every server it uses. */
    const rs_server_t *servers;
    uint32_t nservers;
    /* Programs spawned at run time (idl/root.idl), by name. Same record as a server: the caps
     * with RS_NO_OBJECT in kinds RS_SLOT_USE_EP and RS_SLOT_SIGNAL are the slots a spawner
     * fills; RS_SLOT_NTFN gets a fresh notification; RS_SLOT_SPAWN_EP a fresh service badge. */
    const rs_server_t *programs;
    uint32_t nprograms;
    /* Set in the badge of every cap to the process service (on the fault endpoint); the rest
     * of the badge is the caller's fault badge. */
    uint64_t service_badge;
    uint64_t untyped_budget; /* bytes the layout may use */
    uint64_t untyped_estimate; /* bytes the layout expects to use */
    /* 1: compiled for the MCS kernel (slot 7 and RS_SLOT_REPLY slots get reply objects, every
     * server a scheduling context); the root server refuses tables built for the other kernel. */
    uint8_t mcs;
} rs_system_t;

/* Defined by the generated system_gen.c. */
extern const rs_system_t rs_system;
