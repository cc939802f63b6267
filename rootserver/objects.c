/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Creates (or, for device frames and IRQs, obtains) every kernel object of the tables, once.
 * Servers then get badged copies of these caps and mappings of these frames; a restarted server
 * gets the same objects again, so its clients keep working.
 */
#include <stdio.h>
#include <stdlib.h>

#include <sel4/sel4.h>
#include <vka/capops.h>
#include <vka/object.h>

#include "env.h"

static int rs_irq_handler_get(rs_env_t *env, const rs_object_t *o, seL4_CPtr *out)
{
    cspacepath_t path;
    int err = vka_cspace_alloc_path(&env->vka, &path);
    if (err) {
        return err;
    }
#if defined(CONFIG_ARCH_ARM)
    err = seL4_IRQControl_GetTrigger(seL4_CapIRQControl, o->irq, o->irq_edge, path.root,
                                     path.capPtr, path.capDepth);
#else
    err = seL4_IRQControl_Get(seL4_CapIRQControl, o->irq, path.root, path.capPtr, path.capDepth);
#endif
    *out = path.capPtr;
    return err;
}

static int rs_frames_create(rs_env_t *env, const rs_object_t *o, rs_obj_state_t *st)
{
    st->pages = calloc(o->pages, sizeof(*st->pages));
    if (st->pages == NULL) {
        return -1;
    }
    for (uint32_t p = 0; p < o->pages; p++) {
        int err;
        if (o->type == RS_OBJ_FRAMES_AT) {
            uintptr_t paddr = (uintptr_t)o->paddr + ((uintptr_t)p << o->size_bits);
            err = vka_alloc_frame_at(&env->vka, o->size_bits, paddr, &st->pages[p]);
        } else {
            err = vka_alloc_frame(&env->vka, o->size_bits, &st->pages[p]);
        }
        if (err) {
            return err;
        }
    }
    return 0;
}

int rs_objects_create(rs_env_t *env)
{
    const rs_system_t *sys = env->sys;
    env->objects = calloc(sys->nobjects ? sys->nobjects : 1, sizeof(*env->objects));
    if (env->objects == NULL) {
        return -1;
    }
    for (uint32_t i = 0; i < sys->nobjects; i++) {
        const rs_object_t *o = &sys->objects[i];
        rs_obj_state_t *st = &env->objects[i];
        vka_object_t obj;
        int err = 0;
        switch (o->type) {
        case RS_OBJ_ENDPOINT:
            err = vka_alloc_endpoint(&env->vka, &obj);
            st->cap = obj.cptr;
            break;
        case RS_OBJ_NOTIFICATION:
            err = vka_alloc_notification(&env->vka, &obj);
            st->cap = obj.cptr;
            break;
        case RS_OBJ_FRAMES:
        case RS_OBJ_FRAMES_AT:
            err = rs_frames_create(env, o, st);
            break;
        case RS_OBJ_IRQ_HANDLER:
            err = rs_irq_handler_get(env, o, &st->cap);
            break;
        default:
            err = -1;
            break;
        }
        if (err) {
            printf("neptune rootserver: cannot create object %s (error %d)\n", o->id, err);
            return err;
        }
    }
    return 0;
}
