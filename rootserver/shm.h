/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run-time shared memory (idl/rootmem.idl): objects of N frames the root server allocates from a
 * process's quota, named by a rights-less badged copy of the root server's service endpoint, and
 * mapped into any process that hands that cap back. The root server keeps every frame and every
 * mapping, so destroying an object (or the death of its creator) unmaps it everywhere, revokes
 * every copy of its cap and returns exactly the memory and slots it took.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <sel4/sel4.h>
#include <vspace/vspace.h>

/* A process as the shared-memory service sees it: where its mappings go and what it may use.
 * Embedded in the root server's record of every boot server and spawned process. */
typedef struct rs_mem_client {
    const char *name;      /* for reports */
    vspace_t *vspace;      /* its address space (the root server's sel4utils view of it) */
    uint64_t next_vaddr;   /* bump cursor in its run-time mapping area */
    uint32_t pages_quota;  /* pages it may have created and not destroyed */
    uint32_t pages_used;
    bool may_use;          /* granted root services in system.ts */
} rs_mem_client_t;

/* Where run-time mappings go in every address space: far above the layout's areas and the heap,
 * below the smallest user address space seL4 gives a 64-bit target (39 bits). */
#define RS_SHM_VADDR_BASE 0x0000004000000000ull
#define RS_SHM_VADDR_END 0x0000007000000000ull

/* Badges of object caps: bit 62 set, then object index and a generation (so a stale badge from a
 * destroyed object can never name its successor in the same slot). */
#define RS_SHM_BADGE_FLAG (1ull << 62)

struct rs_env;

/* Takes the endpoint object caps are minted from (the one the service is received on). */
void rs_shm_init(struct rs_env *env, seL4_CPtr service_ep);
bool rs_shm_is_object_badge(seL4_Word badge);
void rs_mem_client_init(rs_mem_client_t *c, const char *name, vspace_t *vspace, uint32_t pages_quota,
                        bool may_use);

/* The service calls. Each returns NG_OK or a ROOTMEM_ERR_* / NG_E* code and changes nothing on
 * error. `obj_badge` is the unwrapped badge of the object cap the caller sent (0 if it sent
 * something else). */
int rs_shm_create(struct rs_env *env, rs_mem_client_t *c, uint32_t pages, seL4_CPtr *obj_cap,
                  uint64_t *vaddr, uint64_t *bytes);
int rs_shm_map(struct rs_env *env, rs_mem_client_t *c, seL4_Word obj_badge, bool writable, uint64_t *vaddr,
               uint64_t *bytes);
int rs_shm_unmap(struct rs_env *env, rs_mem_client_t *c, seL4_Word obj_badge);
int rs_shm_destroy(struct rs_env *env, rs_mem_client_t *c, seL4_Word obj_badge);
void rs_shm_stats(const rs_mem_client_t *c, uint32_t *objects, uint32_t *pages_used, uint32_t *pages_quota);

/* A process is going away (exit, fault, kill, restart): drop its mappings and destroy every
 * object it created. Call before its address space is torn down. */
void rs_shm_client_gone(struct rs_env *env, rs_mem_client_t *c);
