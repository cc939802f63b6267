/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The objects of the tables, created once, as the seL4 root server creates them from untyped
 * memory: endpoints, notifications and IRQ handlers become host-kernel objects; frames become
 * memfd files (mapped by every server that maps them, at the table's address: server.c); frames
 * at a physical address that are an MMIO window ("mmio:<server>.<device>") get the device model
 * the platform has at that address, or none (every access is then a reported vm fault).
 * A server's IPC buffer, stack and heap are not created: on the host its thread and libc
 * provide them. DMA memory is a memfd too, also mapped into the root server at an address of
 * its choosing: that address is the "physical" one the driver's info page gives (<neptune/dma.h>)
 * and the device models (hr_dma_at) use.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <neptune/dma.h>

#include "root.h"

static hr_env_t *hr_dma_env;

static bool has_prefix(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

bool hr_object_is_private(const rs_object_t *o)
{
    return has_prefix(o->id, "ipcbuf:") || has_prefix(o->id, "stack:") || has_prefix(o->id, "heap:");
}

static bool is_window(const rs_object_t *o)
{
    return o->type == RS_OBJ_FRAMES_AT && has_prefix(o->id, "mmio:");
}

int hr_object_irq_of(const hr_env_t *env, uint32_t window)
{
    const char *dev = env->sys->objects[window].id + strlen("mmio:");
    for (uint32_t i = 0; i < env->sys->nobjects; i++) {
        const rs_object_t *o = &env->sys->objects[i];
        if (o->type == RS_OBJ_IRQ_HANDLER && has_prefix(o->id, "irq:") &&
            strcmp(o->id + strlen("irq:"), dev) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int create_kernel_object(hr_obj_t *h, const rs_object_t *o)
{
    ng_host_obj_type_t type = o->type == RS_OBJ_ENDPOINT       ? NG_HOST_OBJ_ENDPOINT
                              : o->type == RS_OBJ_NOTIFICATION ? NG_HOST_OBJ_NOTIFICATION
                                                               : NG_HOST_OBJ_IRQ_HANDLER;
    h->kobj = ng_host_object_new(type);
    return h->kobj ? 0 : -1;
}

static int create_frames(hr_obj_t *h, const rs_object_t *o)
{
    h->bytes = (uint64_t)o->pages << o->size_bits;
    if (hr_object_is_private(o)) {
        return 0;
    }
    h->memfd = memfd_create(o->id, MFD_CLOEXEC);
    if (h->memfd < 0 || ftruncate(h->memfd, (off_t)h->bytes) != 0) {
        printf(HR_PREFIX "cannot create %s (%llu bytes): %s\n", o->id,
               (unsigned long long)h->bytes, strerror(errno));
        return -1;
    }
    return 0;
}

void *hr_dma_at(uint64_t paddr, uint64_t len)
{
    const hr_env_t *env = hr_dma_env;
    for (uint32_t i = 0; env && i < env->sys->nobjects; i++) {
        const hr_obj_t *h = &env->objects[i];
        uint64_t base = (uint64_t)(uintptr_t)h->view;
        if (env->sys->objects[i].type == RS_OBJ_DMA && h->view && paddr >= base &&
            len <= h->bytes && paddr - base <= h->bytes - len) {
            return (char *)h->view + (paddr - base);
        }
    }
    return NULL;
}

/* Where the "physical" views of DMA memory go: below 1G, so a legacy virtio device (32-bit page
 * numbers) reaches them, clear of the layout's areas (from 0x40000000) and of AddressSanitizer's
 * shadow (from 0x7fff8000). */
#define HR_DMA_VIEW_BASE 0x30000000ull
#define HR_DMA_VIEW_END 0x40000000ull

static int create_dma(hr_env_t *env, uint32_t index)
{
    static uint64_t next = HR_DMA_VIEW_BASE;
    const rs_object_t *o = &env->sys->objects[index];
    hr_obj_t *h = &env->objects[index];
    if (create_frames(h, o) != 0) {
        return -1;
    }
    h->view = MAP_FAILED;
    if (next + h->bytes <= HR_DMA_VIEW_END) {
        void *want = (void *)(uintptr_t)next;
        h->view = mmap(want, (size_t)h->bytes, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_FIXED_NOREPLACE, h->memfd, 0);
        if (h->view != MAP_FAILED && h->view != want) {
            munmap(h->view, (size_t)h->bytes);
            h->view = MAP_FAILED;
        }
        next += h->bytes + 0x1000u;
    }
    if (h->view == MAP_FAILED) {
        h->view = NULL;
        printf(HR_PREFIX "cannot map %s into the root server: %s\n", o->id, strerror(errno));
        return -1;
    }
    hr_dma_env = env;
    return 0;
}

static int create_dma_info(hr_env_t *env, uint32_t index)
{
    const rs_object_t *o = &env->sys->objects[index];
    hr_obj_t *h = &env->objects[index];
    if (create_frames(h, o) != 0) {
        return -1;
    }
    const hr_obj_t *dma = &env->objects[o->of];
    ng_dma_info_t info = {
        .magic = NG_DMA_INFO_MAGIC,
        .paddr = (uint64_t)(uintptr_t)dma->view,
        .bytes = dma->bytes,
    };
    if (pwrite(h->memfd, &info, sizeof info, 0) != (ssize_t)sizeof info) {
        printf(HR_PREFIX "cannot write %s: %s\n", o->id, strerror(errno));
        return -1;
    }
    return 0;
}

typedef struct window_ctx {
    hr_env_t *env;
    uint32_t window;
} window_ctx_t;

/* The IRQ handler for interrupt `irq` among the window's: irq:<s>.<d> or irq:<s>.<d>.<k>. */
static ng_host_object_t *window_irq(const void *arg, uint32_t irq)
{
    const window_ctx_t *c = arg;
    const char *dev = c->env->sys->objects[c->window].id + strlen("mmio:");
    size_t n = strlen(dev);
    for (uint32_t i = 0; i < c->env->sys->nobjects; i++) {
        const rs_object_t *o = &c->env->sys->objects[i];
        const char *rest = o->id + strlen("irq:");
        if (o->type == RS_OBJ_IRQ_HANDLER && o->irq == irq && has_prefix(o->id, "irq:") &&
            strncmp(rest, dev, n) == 0 && (rest[n] == '\0' || rest[n] == '.')) {
            return c->env->objects[i].kobj;
        }
    }
    return NULL;
}

static int create_window(hr_env_t *env, uint32_t index)
{
    const rs_object_t *o = &env->sys->objects[index];
    hr_obj_t *h = &env->objects[index];
    h->bytes = (uint64_t)o->pages << o->size_bits;
    h->model = hr_model_find(env->platform, o->paddr);
    if (!h->model) {
        printf(HR_PREFIX "no device model for %s at paddr 0x%llx on %s: its registers fault\n",
               o->id, (unsigned long long)o->paddr, env->platform);
        return 0;
    }
    int irq = hr_object_irq_of(env, index);
    if (h->model->create_window) {
        window_ctx_t ctx = { env, index };
        h->dev = h->model->create_window(o->paddr, h->bytes, window_irq, &ctx);
    } else {
        h->dev = h->model->create(irq >= 0 ? env->objects[irq].kobj : NULL);
    }
    if (!h->dev) {
        printf(HR_PREFIX "cannot create the %s model for %s\n", h->model->name, o->id);
        return -1;
    }
    return 0;
}

int hr_objects_create(hr_env_t *env)
{
    const rs_system_t *sys = env->sys;
    env->objects = calloc(sys->nobjects ? sys->nobjects : 1, sizeof *env->objects);
    if (!env->objects) {
        return -1;
    }
    for (uint32_t i = 0; i < sys->nobjects; i++) {
        env->objects[i].memfd = -1;
    }
    /* Kernel objects first: a device model needs its IRQ handler. */
    for (uint32_t i = 0; i < sys->nobjects; i++) {
        const rs_object_t *o = &sys->objects[i];
        if ((o->type == RS_OBJ_ENDPOINT || o->type == RS_OBJ_NOTIFICATION ||
             o->type == RS_OBJ_IRQ_HANDLER) &&
            create_kernel_object(&env->objects[i], o) != 0) {
            printf(HR_PREFIX "cannot create %s\n", o->id);
            return -1;
        }
    }
    for (uint32_t i = 0; i < sys->nobjects; i++) {
        const rs_object_t *o = &sys->objects[i];
        int err = 0;
        if (is_window(o)) {
            err = create_window(env, i);
        } else if (o->type == RS_OBJ_FRAMES || o->type == RS_OBJ_FRAMES_AT) {
            err = create_frames(&env->objects[i], o);
        } else if (o->type == RS_OBJ_DMA) {
            err = create_dma(env, i);
        }
        if (err) {
            return err;
        }
    }
    /* Info pages once every DMA object has its address. */
    for (uint32_t i = 0; i < sys->nobjects; i++) {
        if (sys->objects[i].type == RS_OBJ_DMA_INFO && create_dma_info(env, i) != 0) {
            return -1;
        }
    }
    return 0;
}
