/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Builds one server from its table entry and starts it, as the seL4 root server does: a CSpace
 * of the table's size with exactly the table's caps minted into exactly its slots (badges,
 * rights), its frames mapped at the table's addresses (memfd, MAP_FIXED_NOREPLACE: every
 * server shares this process's address space, so the layout gives those mappings system-wide
 * unique addresses), its device windows registered with their models for its CSpace only, IRQs
 * and its own notification bound, then its program: a shared object loaded with
 * dlopen(RTLD_NOW | RTLD_LOCAL) whose main() runs on a host thread that owns the CSpace.
 *
 * A server is loaded from <servers dir>/<elf>.so the first time; a second instance of the same
 * ELF (two servers sharing it, or a restart) loads a fresh copy of the file, so every instance
 * starts with globals of its own, as a freshly loaded ELF does on seL4 (see load()).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "root.h"

#define HR_MAX_ARGS 16

static unsigned host_rights(uint8_t r)
{
    return ((r & RS_RIGHT_READ) ? NG_HOST_RIGHT_READ : 0u) |
           ((r & RS_RIGHT_WRITE) ? NG_HOST_RIGHT_WRITE : 0u) |
           ((r & RS_RIGHT_GRANT) ? NG_HOST_RIGHT_GRANT : 0u) |
           ((r & RS_RIGHT_GRANT_REPLY) ? NG_HOST_RIGHT_GRANT_REPLY : 0u);
}

static int install_caps(hr_env_t *env, hr_server_t *srv)
{
    const rs_server_t *s = srv->s;
    srv->caps_installed = 0;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const rs_cap_t *c = &s->caps[i];
        if (c->kind == RS_SLOT_RESERVED || c->object == RS_NO_OBJECT) {
            continue;
        }
        /* An IRQ handler cap is copied as is; its badge is the one its interrupts carry. */
        ng_badge_t badge = c->kind == RS_SLOT_IRQ_HANDLER ? 0 : (ng_badge_t)c->badge;
        int err = ng_host_cap_mint(srv->cs, c->slot, env->objects[c->object].kobj, badge,
                                   host_rights(c->rights));
        if (err) {
            printf(HR_PREFIX "%s: cannot install %s in slot %u (error %d)\n", s->name,
                   env->sys->objects[c->object].id, (unsigned)c->slot, err);
            return err;
        }
        srv->caps_installed++;
    }
    return 0;
}

static int map_prot(uint8_t perms)
{
    return ((perms & RS_PERM_READ) ? PROT_READ : 0) | ((perms & RS_PERM_WRITE) ? PROT_WRITE : 0) |
           ((perms & RS_PERM_EXEC) ? PROT_EXEC : 0);
}

static int map_at(const rs_server_t *s, const rs_object_t *o, uint64_t vaddr, uint64_t bytes,
                  int prot, int flags, int fd)
{
    void *want = (void *)(uintptr_t)vaddr;
    void *got = mmap(want, (size_t)bytes, prot, flags | MAP_FIXED_NOREPLACE, fd, 0);
    if (got == want) {
        return 0;
    }
    int e = got == MAP_FAILED ? errno : EEXIST;
    if (got != MAP_FAILED) {
        munmap(got, (size_t)bytes); /* a kernel that ignores MAP_FIXED_NOREPLACE */
    }
    printf(HR_PREFIX "%s: cannot map %s at 0x%llx: %s%s\n", s->name, o->id,
           (unsigned long long)vaddr, strerror(e),
           e == EEXIST ? " (the host target needs every MMIO window, shared buffer and region "
                         "mapping at an address no other server or the process uses)"
                       : "");
    return -1;
}

/* Frames mapped once (they stay across restarts, as the objects do); device windows registered
 * on every start, for the CSpace of the server's current incarnation. */
static int map_frames(hr_env_t *env, hr_server_t *srv)
{
    const rs_server_t *s = srv->s;
    for (uint32_t i = 0; i < s->nmaps; i++) {
        const rs_mapping_t *m = &s->maps[i];
        const rs_object_t *o = &env->sys->objects[m->object];
        hr_obj_t *h = &env->objects[m->object];
        if (hr_object_is_private(o)) {
            continue;
        }
        bool first = i >= srv->maps_done;
        if (h->memfd >= 0) {
            if (first && map_at(s, o, m->vaddr, h->bytes, map_prot(m->perms), MAP_SHARED, h->memfd)) {
                return -1;
            }
        } else {
            /* A device window: nothing behind it but the model, so a stray pointer faults. */
            if (first && map_at(s, o, m->vaddr, h->bytes, PROT_NONE,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1)) {
                return -1;
            }
            if (h->model &&
                ng_host_dev_map(srv->cs, (uintptr_t)m->vaddr, h->bytes, h->model->ops, h->dev)) {
                printf(HR_PREFIX "%s: cannot register the %s model at 0x%llx\n", s->name,
                       h->model->name, (unsigned long long)m->vaddr);
                return -1;
            }
        }
        if (first) {
            srv->maps_done = i + 1;
        }
    }
    return 0;
}

/* A private copy of a shared object, so dlopen loads it again (new globals). */
static int copy_to_memfd(const char *path, const char *name)
{
    int in = open(path, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        return -1;
    }
    int out = memfd_create(name, 0);
    char buf[1 << 16];
    ssize_t n = 0;
    while (out >= 0 && (n = read(in, buf, sizeof buf)) > 0) {
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w <= 0) {
                n = -1;
                break;
            }
            done += w;
        }
        if (n < 0) {
            break;
        }
    }
    close(in);
    if (out >= 0 && n < 0) {
        close(out);
        out = -1;
    }
    return out;
}

static bool opened_before(hr_env_t *env, const char *elf)
{
    for (uint32_t i = 0; i < env->nopened; i++) {
        if (strcmp(env->opened[i], elf) == 0) {
            return true;
        }
    }
    env->opened[env->nopened++] = elf;
    return false;
}

/* Whether h is a copy some server runs, or ran (its own earlier incarnation included). */
static bool handle_in_use(const hr_env_t *env, const void *h)
{
    for (uint32_t i = 0; i < env->sys->nservers; i++) {
        const hr_server_t *other = &env->servers[i];
        for (uint32_t j = 0; j < other->nhandles; j++) {
            if (other->handles[j] == h) {
                return true;
            }
        }
    }
    return false;
}

/*
 * The first instance of an ELF is loaded from its file; every later one (a second server of the
 * same ELF, every restart) from a private copy in a memfd, named /proc/self/fd/<n>. The memfd
 * stays open as long as the process: glibc finds an already loaded object by its name, so a
 * closed memfd's number, reused for the next copy, would hand back the copy loaded under that
 * name before — another server's code, which is what a restart used to run. Each handle is
 * checked to be new.
 */
static int load(hr_env_t *env, hr_server_t *srv)
{
    const rs_server_t *s = srv->s;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.so", env->servers_dir, s->elf);
    void *h = NULL;
    int fd = -1;
    if (!opened_before(env, s->elf)) {
        h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    } else {
        fd = copy_to_memfd(path, s->elf);
        if (fd >= 0) {
            char alias[64];
            snprintf(alias, sizeof alias, "/proc/self/fd/%d", fd);
            h = dlopen(alias, RTLD_NOW | RTLD_LOCAL);
        }
    }
    if (!h) {
        const char *why = dlerror();
        printf(HR_PREFIX "%s: cannot load %s: %s\n", s->name, path, why ? why : strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    if (handle_in_use(env, h)) {
        printf(HR_PREFIX "%s: loading %s gave a copy already in use, not a fresh one\n", s->name,
               path);
        return -1;
    }
    void **grown = realloc(srv->handles, (srv->nhandles + 1) * sizeof *grown);
    if (!grown) {
        printf(HR_PREFIX "%s: out of memory\n", s->name);
        return -1;
    }
    srv->handles = grown;
    srv->handles[srv->nhandles++] = h;
    srv->entry = (int (*)(int, char **))dlsym(h, "main");
    if (!srv->entry) {
        printf(HR_PREFIX "%s: %s has no main()\n", s->name, path);
        return -1;
    }
    return 0;
}

/* A program on the POSIX layer flushes its own streams and closes its descriptors when main
 * returns (exit() does it itself), on its own thread, which still has its CSpace. */
static void hr_posix_at_exit(hr_server_t *srv)
{
    void (*at_exit)(void) = srv->dl ? (void (*)(void))dlsym(srv->dl, "ng_posix_host_exit") : NULL;
    if (at_exit) {
        at_exit();
    }
}

void hr_server_thread(void *arg)
{
    hr_server_t *srv = arg;
    pthread_mutex_lock(&srv->gate_lock);
    while (!srv->go) {
        pthread_cond_wait(&srv->gate_cond, &srv->gate_lock);
    }
    pthread_mutex_unlock(&srv->gate_lock);

    char *argv[HR_MAX_ARGS + 1];
    int argc = 0;
    if (srv->spawned) {
        char ***environ_of = srv->dl ? dlsym(srv->dl, "ng_posix_environ") : NULL;
        if (environ_of != NULL) {
            *environ_of = srv->envp;
        }
        srv->status = srv->entry(srv->argc, srv->argv); /* procs.c set them */
        hr_posix_at_exit(srv);
        return;
    }
    argv[argc++] = (char *)srv->s->name;
    for (uint32_t i = 0; i < srv->s->argc && argc < HR_MAX_ARGS; i++) {
        argv[argc++] = (char *)srv->s->argv[i];
    }
    argv[argc] = NULL;
    srv->status = srv->entry(argc, argv);
    hr_posix_at_exit(srv);
}

/* Its own notification bound to its thread, its IRQ handlers to that notification. */
static int bind(hr_env_t *env, hr_server_t *srv)
{
    const rs_server_t *s = srv->s;
    ng_host_object_t *ntfn = NULL;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        if (s->caps[i].kind == RS_SLOT_NTFN && s->caps[i].object != RS_NO_OBJECT) {
            ntfn = env->objects[s->caps[i].object].kobj;
        }
    }
    if (ntfn && ng_host_ntfn_bind(ntfn, srv->thread) != NG_OK) {
        printf(HR_PREFIX "%s: cannot bind its notification\n", s->name);
        return -1;
    }
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const rs_cap_t *c = &s->caps[i];
        if (c->kind == RS_SLOT_IRQ_HANDLER && c->object != RS_NO_OBJECT && c->badge != 0 &&
            (!ntfn || ng_host_irq_set_notification(env->objects[c->object].kobj, ntfn,
                                                   (ng_badge_t)c->badge) != NG_OK)) {
            printf(HR_PREFIX "%s: cannot bind IRQ handler %s\n", s->name,
                   env->sys->objects[c->object].id);
            return -1;
        }
    }
    return 0;
}

int hr_server_start(hr_env_t *env, uint32_t index)
{
    hr_server_t *srv = &env->servers[index];
    const rs_server_t *s = srv->s;
    srv->cs = ng_host_cspace_new(s->cnode_bits);
    if (!srv->cs) {
        printf(HR_PREFIX "%s: cannot create its CSpace (%u bits)\n", s->name,
               (unsigned)s->cnode_bits);
        return -1;
    }
    if (install_caps(env, srv) || map_frames(env, srv) || load(env, srv)) {
        return -1;
    }
    srv->go = false;
    srv->thread = ng_host_thread_start(s->name, srv->cs, hr_server_thread, srv);
    if (!srv->thread) {
        printf(HR_PREFIX "%s: cannot start its thread\n", s->name);
        return -1;
    }
    int err = bind(env, srv);
    srv->state = HR_RUNNING;
    pthread_mutex_lock(&srv->gate_lock);
    srv->go = true;
    pthread_cond_signal(&srv->gate_cond);
    pthread_mutex_unlock(&srv->gate_lock);
    return err;
}
