/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Root server start-up: seL4_libs' allocators over the boot info, as sel4test's driver sets
 * them up (simple over the boot info, allocman bootstrapped from a static pool, a sel4utils
 * vspace for the root server's own address space), plus a vka wrapper that counts the untyped
 * memory handed out, for the boot summary.
 */
#include <stdio.h>
#include <stdlib.h>

#include <allocman/bootstrap.h>
#include <allocman/vka.h>
#include <sel4platsupport/bootinfo.h>
#include <sel4utils/vspace.h>
#include <simple-default/simple-default.h>
#include <utils/util.h>
#include <vka/object.h>

#include "env.h"

/* Memory allocman uses for its own book-keeping before it can map more. */
#define RS_ALLOCATOR_STATIC_POOL_SIZE (BIT(seL4_PageBits) * 40)
/* Virtual memory of the root server allocman may map for book-keeping later. */
#define RS_ALLOCATOR_VIRTUAL_POOL_SIZE (BIT(seL4_PageBits) * 2048)

static char rs_allocator_pool[RS_ALLOCATOR_STATIC_POOL_SIZE];

static rs_env_t *rs_counting_env;

static int rs_count_alloc(void *data, const cspacepath_t *dest, seL4_Word type, seL4_Word size_bits,
                          seL4_Word *res)
{
    int err = rs_counting_env->raw_vka.utspace_alloc(data, dest, type, size_bits, res);
    if (!err) {
        rs_counting_env->untyped_used += BIT(vka_get_object_size(type, size_bits));
    }
    return err;
}

static int rs_count_alloc_maybe_device(void *data, const cspacepath_t *dest, seL4_Word type,
                                       seL4_Word size_bits, bool can_use_dev, seL4_Word *res)
{
    int err = rs_counting_env->raw_vka.utspace_alloc_maybe_device(data, dest, type, size_bits,
                                                                  can_use_dev, res);
    /* vka_get_object_size() gives log2 bytes. Counted even when device memory was allowed:
     * allocman takes RAM first. */
    if (!err) {
        rs_counting_env->untyped_used += BIT(vka_get_object_size(type, size_bits));
    }
    return err;
}

static void rs_count_free(void *data, seL4_Word type, seL4_Word size_bits, seL4_Word target)
{
    rs_counting_env->raw_vka.utspace_free(data, type, size_bits, target);
    rs_counting_env->untyped_used -= BIT(vka_get_object_size(type, size_bits));
}

static int rs_count_cspace_alloc(void *data, seL4_CPtr *res)
{
    int err = rs_counting_env->raw_vka.cspace_alloc(data, res);
    if (!err) {
        rs_counting_env->slots_used++;
    }
    return err;
}

static void rs_count_cspace_free(void *data, seL4_CPtr slot)
{
    rs_counting_env->raw_vka.cspace_free(data, slot);
    rs_counting_env->slots_used--;
}

void rs_env_init(rs_env_t *env, const rs_system_t *sys)
{
    env->sys = sys;
    env->bootinfo = platsupport_get_bootinfo();
    ZF_LOGF_IF(env->bootinfo == NULL, "no boot info");
    simple_default_init_bootinfo(&env->simple, env->bootinfo);

    env->allocman = bootstrap_use_current_simple(&env->simple, sizeof(rs_allocator_pool),
                                                 rs_allocator_pool);
    ZF_LOGF_IF(env->allocman == NULL, "allocman bootstrap failed");
    allocman_make_vka(&env->raw_vka, env->allocman);

    int err = sel4utils_bootstrap_vspace_with_bootinfo_leaky(&env->vspace, &env->vspace_data,
                                                             simple_get_pd(&env->simple),
                                                             &env->raw_vka, env->bootinfo);
    ZF_LOGF_IF(err, "root vspace bootstrap failed");

    void *vaddr;
    reservation_t pool = vspace_reserve_range(&env->vspace, RS_ALLOCATOR_VIRTUAL_POOL_SIZE,
                                              seL4_AllRights, 1, &vaddr);
    ZF_LOGF_IF(pool.res == NULL, "no virtual memory for the allocator pool");
    bootstrap_configure_virtual_pool(env->allocman, vaddr, RS_ALLOCATOR_VIRTUAL_POOL_SIZE,
                                     simple_get_pd(&env->simple));

    /* From here on every allocation goes through the counting vka. */
    env->vka = env->raw_vka;
    env->vka.utspace_alloc = rs_count_alloc;
    env->vka.utspace_alloc_maybe_device = rs_count_alloc_maybe_device;
    env->vka.utspace_free = rs_count_free;
    env->vka.cspace_alloc = rs_count_cspace_alloc;
    env->vka.cspace_free = rs_count_cspace_free;
    rs_counting_env = env;
    env->untyped_used = 0;
}

uint64_t rs_env_untyped_free_at_boot(const rs_env_t *env)
{
    const seL4_BootInfo *bi = env->bootinfo;
    uint64_t total = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice) {
            total += BIT(bi->untypedList[i].sizeBits);
        }
    }
    return total;
}
