/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Creates (or, for device frames and IRQs, obtains) every kernel object of the tables, once.
 * Servers then get badged copies of these caps and mappings of these frames; a restarted server
 * gets the same objects again, so its clients keep working.
 *
 * DMA memory is one untyped of the next power-of-two size retyped into 4K frames in order, so
 * they are physically contiguous from the untyped's address (each frame's address is checked);
 * its info page gets that address before any server starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <neptune/dma.h>
#include <sel4/sel4.h>
#include <utils/util.h>
#include <vka/capops.h>
#include <vka/kobject_t.h>
#include <vka/object.h>
#include <vspace/vspace.h>

#include "env.h"

/* Gets the IRQ handler cap the way the platform's interrupt controller takes it: the tables say
 * which (irq_control, from the compiler's platform table), so nothing is found out by trial. */
static int rs_irq_handler_get(rs_env_t *env, const rs_object_t *o, seL4_CPtr *out)
{
    cspacepath_t path;
    int err = vka_cspace_alloc_path(&env->vka, &path);
    if (err) {
        return err;
    }
    switch (o->irq_control) {
    case RS_IRQ_CONTROL_PLAIN:
        err = seL4_IRQControl_Get(seL4_CapIRQControl, o->irq, path.root, path.capPtr, path.capDepth);
        break;
#if defined(CONFIG_ARCH_ARM) || defined(CONFIG_ARCH_RISCV)
    case RS_IRQ_CONTROL_TRIGGER:
        err = seL4_IRQControl_GetTrigger(seL4_CapIRQControl, o->irq, o->irq_edge, path.root,
                                         path.capPtr, path.capDepth);
        break;
#endif
#if defined(CONFIG_ARCH_X86)
    case RS_IRQ_CONTROL_IOAPIC:
        /* I/O APIC 0, pin `irq`, active high; the vector is the pin too (the kernel adds its
         * offset), so the handler's number is the one the tables name. */
        err = seL4_IRQControl_GetIOAPIC(seL4_CapIRQControl, path.root, path.capPtr, path.capDepth, 0, o->irq,
                                        o->irq_edge ? 0 : 1, 0, o->irq);
        break;
#endif
    default:
        printf("neptune rootserver: %s: IRQ control method %u is not one this kernel has (tables built "
               "for another platform?)\n",
               o->id, (unsigned)o->irq_control);
        err = -1;
        break;
    }
    *out = path.capPtr;
    return err;
}

/* x86: a cap to a device's I/O ports, issued from the I/O port control cap. */
static int rs_ioport_get(rs_env_t *env, const rs_object_t *o, seL4_CPtr *out)
{
#if defined(CONFIG_ARCH_X86)
    cspacepath_t path;
    int err = vka_cspace_alloc_path(&env->vka, &path);
    if (err) {
        return err;
    }
    err = seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, o->io_base, o->io_base + o->io_count - 1,
                                       path.root, path.capPtr, path.capDepth);
    *out = path.capPtr;
    return err;
#else
    (void)env;
    (void)out;
    printf("neptune rootserver: %s: I/O ports exist on x86 only (tables built for another platform?)\n", o->id);
    return -1;
#endif
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

static int rs_dma_create(rs_env_t *env, const rs_object_t *o, rs_obj_state_t *st)
{
    uint64_t bytes = (uint64_t)o->pages << o->size_bits;
    uint32_t bits = o->size_bits;
    while ((1ull << bits) < bytes) {
        bits++;
    }
    vka_object_t ut;
    int err = vka_alloc_untyped(&env->vka, bits, &ut);
    if (err) {
        printf("neptune rootserver: %s: no free untyped of %llu KiB\n", o->id,
               (unsigned long long)(BIT(bits) >> 10));
        return err;
    }
    st->paddr = vka_object_paddr(&env->vka, &ut);
    st->pages = calloc(o->pages, sizeof(*st->pages));
    if (st->pages == NULL) {
        return -1;
    }
    seL4_Word type = kobject_get_type(KOBJECT_FRAME, o->size_bits);
    for (uint32_t p = 0; p < o->pages; p++) {
        cspacepath_t path;
        err = vka_cspace_alloc_path(&env->vka, &path);
        if (!err) {
            err = vka_untyped_retype(&ut, (int)type, (int)o->size_bits, 1, &path);
        }
        if (err) {
            return err;
        }
        st->pages[p].cptr = path.capPtr;
        st->pages[p].type = type;
        st->pages[p].size_bits = o->size_bits;
        seL4_ARCH_Page_GetAddress_t a = seL4_ARCH_Page_GetAddress(path.capPtr);
        if (a.error || a.paddr != st->paddr + ((uint64_t)p << o->size_bits)) {
            printf("neptune rootserver: %s: page %u is not where the untyped says\n", o->id,
                   (unsigned)p);
            return -1;
        }
    }
    return 0;
}

/* The info page: mapped into the root server just long enough to write it. */
static int rs_dma_info_create(rs_env_t *env, const rs_object_t *o, rs_obj_state_t *st)
{
    st->pages = calloc(1, sizeof(*st->pages));
    if (st->pages == NULL) {
        return -1;
    }
    int err = vka_alloc_frame(&env->vka, seL4_PageBits, &st->pages[0]);
    if (err) {
        return err;
    }
    seL4_CPtr cap = st->pages[0].cptr;
    ng_dma_info_t *info = vspace_map_pages(&env->vspace, &cap, NULL, seL4_AllRights, 1,
                                           seL4_PageBits, 1);
    if (info == NULL) {
        return -1;
    }
    const rs_object_t *dma = &env->sys->objects[o->of];
    uint64_t paddr = env->objects[o->of].paddr;
    uint64_t bytes = (uint64_t)dma->pages << dma->size_bits;
    memset(info, 0, BIT(seL4_PageBits));
    info->paddr = paddr;
    info->bytes = bytes;
    info->magic = NG_DMA_INFO_MAGIC;
    vspace_unmap_pages(&env->vspace, info, 1, seL4_PageBits, VSPACE_PRESERVE);
    printf("neptune rootserver: %s: %llu KiB, physically contiguous at 0x%llx\n", dma->id,
           (unsigned long long)(bytes >> 10), (unsigned long long)paddr);
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
        case RS_OBJ_DMA:
            err = rs_dma_create(env, o, st);
            break;
        case RS_OBJ_DMA_INFO:
            err = 0; /* below, once every DMA object has its address */
            break;
        case RS_OBJ_IOPORT:
            err = rs_ioport_get(env, o, &st->cap);
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
    for (uint32_t i = 0; i < sys->nobjects; i++) {
        const rs_object_t *o = &sys->objects[i];
        if (o->type == RS_OBJ_DMA_INFO && rs_dma_info_create(env, o, &env->objects[i]) != 0) {
            printf("neptune rootserver: cannot create object %s\n", o->id);
            return -1;
        }
    }
    return 0;
}
