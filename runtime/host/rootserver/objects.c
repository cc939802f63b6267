/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The objects of the tables, created once, as the seL4 root server creates them from untyped
 * memory: endpoints, notifications and IRQ handlers become host-kernel objects; frames become
 * memfd files (mapped by every server that maps them, at the table's address: server.c); frames
 * at a physical address that are an MMIO window ("mmio:<server>.<device>") get the device model
 * the platform has at that address, or none (every access is then a reported vm fault).
 * A server's IPC buffer, stack and heap are not created: on the host its thread and libc
 * provide them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "root.h"

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
    h->dev = h->model->create(irq >= 0 ? env->objects[irq].kobj : NULL);
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
        }
        if (err) {
            return err;
        }
    }
    return 0;
}
