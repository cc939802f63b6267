/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Devices on the host: emulated IRQ handlers (an interrupt is delivered to the bound
 * notification, then masked until the driver acknowledges it, as seL4 does) and the registry of
 * device models behind MMIO windows that ng_reg_read32/ng_reg_write32 dispatch to. Windows are
 * few and registered at boot, so the registry is a small array under a read-write lock; a model
 * is called without any kernel lock held (it may raise its interrupt).
 */
#include "kernel.h"

#include <neptune/dev.h>
#include <neptune/host_dev.h>

#include <stdio.h>

#define MAX_WINDOWS 64

typedef struct window {
    uintptr_t base;
    size_t size;
    ng_host_cspace_t *owner;
    const ng_host_dev_ops_t *ops;
    void *dev;
} window_t;

static pthread_rwlock_t windows_lock = PTHREAD_RWLOCK_INITIALIZER;
static window_t windows[MAX_WINDOWS];
static unsigned nwindows;

/* Lock held: deliver a pending interrupt unless one is waiting for its acknowledgement. */
static void irq_update(ng_host_object_t *irq)
{
    if (irq->irq_masked || !irq->irq_ntfn || !(irq->irq_line || irq->irq_latched)) {
        return;
    }
    irq->irq_masked = 1;
    irq->irq_latched = 0;
    ng_host_signal_locked(irq->irq_ntfn, irq->irq_badge);
}

int ng_host_irq_set_notification(ng_host_object_t *irq, ng_host_object_t *ntfn, ng_badge_t badge)
{
    if (!irq || irq->type != NG_HOST_OBJ_IRQ_HANDLER || !ntfn ||
        ntfn->type != NG_HOST_OBJ_NOTIFICATION) {
        return NG_EBADMSG;
    }
    pthread_mutex_lock(&ng_host_lock);
    irq->irq_ntfn = ntfn;
    irq->irq_badge = badge;
    irq_update(irq);
    pthread_mutex_unlock(&ng_host_lock);
    return NG_OK;
}

void ng_host_irq_set_level(ng_host_object_t *irq, int asserted)
{
    if (!irq || irq->type != NG_HOST_OBJ_IRQ_HANDLER) {
        return;
    }
    pthread_mutex_lock(&ng_host_lock);
    irq->irq_line = asserted != 0;
    irq_update(irq);
    pthread_mutex_unlock(&ng_host_lock);
}

void ng_host_irq_pulse(ng_host_object_t *irq)
{
    if (!irq || irq->type != NG_HOST_OBJ_IRQ_HANDLER) {
        return;
    }
    pthread_mutex_lock(&ng_host_lock);
    irq->irq_latched = 1;
    irq_update(irq);
    pthread_mutex_unlock(&ng_host_lock);
}

int ng_irq_ack(ng_cptr_t irq_handler)
{
    ng_host_thread_t *t = ng_host_current("ng_irq_ack");
    int err = NG_EIPC;
    ng_host_kernel_enter(t);
    ng_host_slot_t *s = ng_host_lookup(t, irq_handler);
    if (s && s->obj && s->obj->type == NG_HOST_OBJ_IRQ_HANDLER) {
        s->obj->irq_masked = 0;
        irq_update(s->obj);
        err = NG_OK;
    }
    ng_host_kernel_exit(t);
    return err;
}

int ng_host_dev_map(ng_host_cspace_t *owner, uintptr_t vaddr, size_t size,
                    const ng_host_dev_ops_t *ops, void *dev)
{
    int err = NG_OK;
    if (!ops || size == 0 || vaddr + size < vaddr) {
        return NG_EBADMSG;
    }
    pthread_rwlock_wrlock(&windows_lock);
    window_t *w = NULL;
    for (unsigned i = 0; i < nwindows; i++) {
        window_t *o = &windows[i];
        if (o->base == vaddr && o->size == size) {
            w = o; /* the same window again: a restarted driver */
        } else if (vaddr < o->base + o->size && o->base < vaddr + size) {
            err = NG_EBADMSG;
        }
    }
    if (err == NG_OK && !w) {
        if (nwindows == MAX_WINDOWS) {
            err = NG_ENOMEM;
        } else {
            w = &windows[nwindows++];
        }
    }
    if (err == NG_OK) {
        *w = (window_t){ .base = vaddr, .size = size, .owner = owner, .ops = ops, .dev = dev };
    }
    pthread_rwlock_unlock(&windows_lock);
    return err;
}

/* Decode: the window a 4-byte access at addr by t falls in, or NULL with why set. */
static const window_t *window_find(ng_host_thread_t *t, uintptr_t addr, const char **why)
{
    if (addr & 3) {
        *why = "is not 4-byte aligned";
        return NULL;
    }
    for (unsigned i = 0; i < nwindows; i++) {
        const window_t *w = &windows[i];
        if (addr >= w->base && addr - w->base <= w->size - 4) {
            if (w->owner != t->cspace) {
                *why = "is in another server's device window";
                return NULL;
            }
            return w;
        }
    }
    *why = "is outside every device window (no device model is mapped there)";
    return NULL;
}

static _Noreturn void bad_access(ng_host_thread_t *t, const char *op, uintptr_t addr,
                                 uintptr_t pc, const char *why)
{
    char msg[160];
    snprintf(msg, sizeof msg, "register %s at 0x%lx %s", op, (unsigned long)addr, why);
    ng_host_thread_vm_fault(t, addr, pc, msg);
}

uint32_t ng_reg_read32(uintptr_t addr)
{
    ng_host_thread_t *t = ng_host_current("ng_reg_read32");
    const char *why = NULL;
    pthread_rwlock_rdlock(&windows_lock);
    const window_t *w = window_find(t, addr, &why);
    window_t copy = w ? *w : (window_t){ 0 };
    pthread_rwlock_unlock(&windows_lock);
    if (!w) {
        bad_access(t, "read", addr, (uintptr_t)__builtin_return_address(0), why);
    }
    return copy.ops->read32 ? copy.ops->read32(copy.dev, addr - copy.base) : 0;
}

void ng_reg_write32(uintptr_t addr, uint32_t value)
{
    ng_host_thread_t *t = ng_host_current("ng_reg_write32");
    const char *why = NULL;
    pthread_rwlock_rdlock(&windows_lock);
    const window_t *w = window_find(t, addr, &why);
    window_t copy = w ? *w : (window_t){ 0 };
    pthread_rwlock_unlock(&windows_lock);
    if (!w) {
        bad_access(t, "write", addr, (uintptr_t)__builtin_return_address(0), why);
    }
    if (copy.ops->write32) {
        copy.ops->write32(copy.dev, addr - copy.base, value);
    }
}
