/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Run-time processes on the host target: the process service (idl/root.idl) runs the same
 * handlers (rootserver/common/procs.c) and the same generated receive loop (root_service_gen.h)
 * as on seL4, on a host thread of the root server's own that receives on the system's root
 * endpoint (`ep:root.fault`, where the spawners' service caps point). A program is built like a
 * boot server (server.c): a CSpace of its table size with exactly its table's caps, a fresh
 * notification bound to its thread, a service cap badged for it if it may spawn, the spawner's
 * caps copied from the spawner's CSpace into its declared slots, and a private copy of its shared
 * object (a fresh name each time, so every process starts with fresh globals) run on a host
 * thread. When its thread ends, the exit hook queues it here and signals the service thread's
 * bound notification; the service thread reports it and answers the waiting parent. Reaping joins
 * the thread, frees its CSpace and unloads its copy.
 *
 * Stats on the host: "untyped" is the system's untyped budget less the layout's cost estimate of
 * every live process (the host has no untyped memory), "slots" the free slots of the service
 * thread's CSpace. A kill ends a process blocked in the host kernel at once, one running its own
 * code at its next IPC (runtime/host/README.md).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "root.h"
#include <rootserver/procs.h>
#include "root_service_gen.h"

/* The service thread's CSpace: its endpoint cap, then the slots for saved replies (waits), then
 * the original caps of shared-memory objects (shm.c). */
#define HR_SERVICE_BITS 8u
#define HR_SERVICE_EP 1u
#define HR_SERVICE_REPLIES 64u
/* The bound notification's badge that says "processes have ended" (no service badge bit). */
#define HR_ENDS_BIT ((ng_badge_t)1 << 40)
#define HR_ENDS_MAX 256u

static hr_env_t *hr_env;
static rs_procs_t hr_procs;
static hr_server_t hr_spawned[RS_PROCS_MAX];
static ng_host_object_t *hr_ntfns[RS_PROCS_MAX]; /* one per slot, reused */
static uint64_t hr_charged;

static ng_host_cspace_t *hr_service_cs;
static ng_host_object_t *hr_service_ntfn;
static ng_server_t hr_server;
static ng_cptr_t hr_reply_slots[HR_SERVICE_REPLIES];

static pthread_mutex_t hr_ends_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    uint32_t pno;
    int32_t pid;
} hr_ends[HR_ENDS_MAX];
static unsigned hr_nends;

static unsigned host_rights(uint8_t r)
{
    return ((r & RS_RIGHT_READ) ? NG_HOST_RIGHT_READ : 0u) |
           ((r & RS_RIGHT_WRITE) ? NG_HOST_RIGHT_WRITE : 0u) |
           ((r & RS_RIGHT_GRANT) ? NG_HOST_RIGHT_GRANT : 0u) |
           ((r & RS_RIGHT_GRANT_REPLY) ? NG_HOST_RIGHT_GRANT_REPLY : 0u);
}

static hr_server_t *hr_srv_of(const rs_proc_t *p)
{
    return p->boot ? &hr_env->servers[p->pno - 1] : &hr_spawned[p->pno - hr_env->sys->nservers - 1];
}

/* A private copy of the program's shared object under a name never used before. */
static int hr_load_copy(hr_server_t *srv)
{
    const char *elf = srv->s->elf;
    char src[4096], dir[] = "/tmp/neptune-host-XXXXXX", dst[4096 + 64];
    snprintf(src, sizeof src, "%s/%s.so", hr_env->servers_dir, elf);
    if (mkdtemp(dir) == NULL) {
        return -1;
    }
    snprintf(dst, sizeof dst, "%s/%s.so", dir, elf);
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
    char buf[1 << 16];
    ssize_t n = out < 0 ? -1 : 0;
    while (out >= 0 && (n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) != n) {
            n = -1;
            break;
        }
    }
    if (in >= 0) {
        close(in);
    }
    if (out >= 0) {
        close(out);
    }
    void *h = n == 0 ? dlopen(dst, RTLD_NOW | RTLD_LOCAL) : NULL;
    const char *why = h ? NULL : (n == 0 ? dlerror() : strerror(errno));
    unlink(dst);
    rmdir(dir);
    if (h == NULL) {
        printf(HR_PREFIX "%s: cannot load %s: %s\n", srv->s->name, src, why ? why : "?");
        return -1;
    }
    srv->dl = h;
    srv->entry = (int (*)(int, char **))dlsym(h, "main");
    if (!srv->entry) {
        printf(HR_PREFIX "%s: %s has no main()\n", srv->s->name, src);
        return -1;
    }
    return 0;
}

static void hr_free_srv(hr_server_t *srv)
{
    if (srv->cs) {
        ng_host_cspace_free(srv->cs);
    }
    if (srv->dl) {
        dlclose(srv->dl);
    }
    for (int i = 0; srv->argv && i < srv->argc; i++) {
        free(srv->argv[i]);
    }
    free(srv->argv);
    for (int i = 0; srv->envp && srv->envp[i]; i++) {
        free(srv->envp[i]);
    }
    free(srv->envp);
    pthread_mutex_destroy(&srv->gate_lock);
    pthread_cond_destroy(&srv->gate_cond);
    memset(srv, 0, sizeof(*srv));
}

static int hr_install(rs_proc_t *p, hr_server_t *srv, uint32_t i, const rs_proc_t *parent,
                      const rs_grant_t *grants, unsigned ngrants)
{
    const rs_server_t *s = p->spec;
    for (uint32_t k = 0; k < s->ncaps; k++) {
        const rs_cap_t *c = &s->caps[k];
        int err = NG_OK;
        if (c->kind == RS_SLOT_NTFN) {
            if (hr_ntfns[i] == NULL) {
                hr_ntfns[i] = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
            }
            err = hr_ntfns[i] ? ng_host_cap_mint(srv->cs, c->slot, hr_ntfns[i], 0, host_rights(c->rights))
                              : NG_ENOMEM;
        } else if ((c->kind == RS_SLOT_SPAWN_EP || c->kind == RS_SLOT_ROOT_EP) &&
                   (s->spawn_max_processes > 0 || s->shared_memory > 0)) {
            err = ng_host_cap_mint(srv->cs, c->slot, hr_env->objects[hr_env->sys->fault_ep].kobj,
                                   (ng_badge_t)(hr_env->sys->service_badge | p->pno), host_rights(c->rights));
        }
        if (err != NG_OK) {
            return ROOT_ERR_FAILED;
        }
    }
    ng_host_cspace_t *from = hr_srv_of(parent)->cs;
    for (unsigned k = 0; k < ngrants; k++) {
        ng_host_object_t *obj;
        ng_badge_t badge;
        unsigned rights;
        if (grants[k].from == 0 || !ng_host_cap_query(from, grants[k].from, &obj, &badge, &rights)) {
            return ROOT_ERR_NO_SUCH_CAP;
        }
        if (ng_host_cap_mint(srv->cs, grants[k].to, obj, badge, rights) != NG_OK) {
            return ROOT_ERR_FAILED;
        }
    }
    return 0;
}

/* A program's executable is its shared object in the servers folder. */
static int hr_image_read(rs_procs_t *t, const rs_server_t *prog, uint64_t offset, void *buf, uint32_t len,
                         uint32_t *got, uint64_t *size)
{
    (void)t;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.so", hr_env->servers_dir, prog->elf);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) {
            close(fd);
        }
        return ROOT_ERR_FAILED;
    }
    *size = (uint64_t)st.st_size;
    *got = 0;
    if (len > 0 && offset < *size) {
        ssize_t n = pread(fd, buf, len, (off_t)offset);
        *got = n > 0 ? (uint32_t)n : 0;
    }
    close(fd);
    return 0;
}

static int hr_create(rs_procs_t *t, rs_proc_t *p, const rs_proc_t *parent, const rs_grant_t *grants,
                     unsigned ngrants, int argc, char **argv, char **envp)
{
    uint32_t i = p->pno - t->sys->nservers - 1;
    hr_server_t *srv = &hr_spawned[i];
    memset(srv, 0, sizeof(*srv));
    pthread_mutex_init(&srv->gate_lock, NULL);
    pthread_cond_init(&srv->gate_cond, NULL);
    srv->s = p->spec;
    srv->index = UINT32_MAX;
    srv->spawned = true;
    srv->pid = p->pid;
    srv->pno = p->pno;
    srv->cs = ng_host_cspace_new(p->spec->cnode_bits);
    srv->argv = calloc((size_t)argc + 1, sizeof(char *));
    int err = srv->cs && srv->argv ? 0 : ROOT_ERR_FAILED;
    for (int k = 0; !err && k < argc; k++) {
        srv->argv[k] = strdup(argv[k]);
        srv->argc = k + 1;
        err = srv->argv[k] ? 0 : ROOT_ERR_FAILED;
    }
    int envc = 0;
    while (envp != NULL && envp[envc] != NULL) {
        envc++;
    }
    srv->envp = err ? NULL : calloc((size_t)envc + 1, sizeof(char *));
    err = err ? err : srv->envp ? 0 : ROOT_ERR_FAILED;
    for (int k = 0; !err && k < envc; k++) {
        srv->envp[k] = strdup(envp[k]);
        err = srv->envp[k] ? 0 : ROOT_ERR_FAILED;
    }
    if (!err) {
        err = hr_install(p, srv, i, parent, grants, ngrants);
    }
    if (!err && hr_load_copy(srv) != 0) {
        err = ROOT_ERR_FAILED;
    }
    if (!err) {
        srv->thread = ng_host_thread_start(p->spec->name, srv->cs, hr_server_thread, srv);
        if (!srv->thread || ng_host_ntfn_bind(hr_ntfns[i], srv->thread) != NG_OK) {
            /* A started thread waits at its gate: kill it there. */
            if (srv->thread) {
                ng_host_thread_kill(srv->thread);
                pthread_mutex_lock(&srv->gate_lock);
                srv->go = true;
                pthread_cond_signal(&srv->gate_cond);
                pthread_mutex_unlock(&srv->gate_lock);
                ng_host_thread_join(srv->thread);
            }
            err = ROOT_ERR_FAILED;
        }
    }
    if (err) {
        hr_free_srv(srv);
        return err;
    }
    srv->state = HR_RUNNING;
    p->target = srv;
    p->charged = p->spec->spawn_cost;
    hr_charged += p->charged;
    pthread_mutex_lock(&srv->gate_lock);
    srv->go = true;
    pthread_cond_signal(&srv->gate_cond);
    pthread_mutex_unlock(&srv->gate_lock);
    return 0;
}

static void hr_stop(rs_procs_t *t, rs_proc_t *p)
{
    (void)t;
    hr_server_t *srv = hr_srv_of(p);
    if (srv->thread) {
        ng_host_thread_kill(srv->thread); /* NG_EBADMSG if it has ended already */
        ng_host_thread_join(srv->thread);
    }
    srv->state = HR_STOPPED;
}

static void hr_reap(rs_procs_t *t, rs_proc_t *p)
{
    (void)t;
    hr_charged -= p->charged;
    hr_shm_client_gone(p->pno);
    hr_free_srv(hr_srv_of(p));
}

static void hr_stats(rs_procs_t *t, uint64_t *untyped_free, uint64_t *slots_free)
{
    *untyped_free = t->sys->untyped_budget - hr_charged;
    uint64_t n = 0;
    for (ng_cptr_t s = 1; s < (1u << HR_SERVICE_BITS); s++) {
        n += !ng_host_cap_query(hr_service_cs, s, NULL, NULL, NULL);
    }
    *slots_free = n;
}

static const rs_procs_ops_t hr_procs_ops = {
    .create = hr_create,
    .image_read = hr_image_read,
    .stop = hr_stop,
    .reap = hr_reap,
    .stats = hr_stats,
};

/* On the dying program's thread (exit hook): queue it for the service thread. */
void hr_service_ended(hr_server_t *srv)
{
    pthread_mutex_lock(&hr_ends_lock);
    if (hr_nends < HR_ENDS_MAX) {
        hr_ends[hr_nends].pno = srv->pno;
        hr_ends[hr_nends].pid = srv->pid;
        hr_nends++;
    } else {
        printf(HR_PREFIX "too many ended processes queued; pid %d dropped\n", (int)srv->pid);
    }
    pthread_mutex_unlock(&hr_ends_lock);
    ng_host_ntfn_signal(hr_service_ntfn, HR_ENDS_BIT);
}

static void hr_service_fault(void *ctx, ng_badge_t badge, ng_word_t tag, const ng_word_t w[4])
{
    rs_procs_t *t = ctx;
    (void)tag;
    (void)w;
    if (!(badge & HR_ENDS_BIT)) {
        printf(HR_PREFIX "message with unknown badge %lu ignored\n", (unsigned long)badge);
        return;
    }
    for (;;) {
        pthread_mutex_lock(&hr_ends_lock);
        if (hr_nends == 0) {
            pthread_mutex_unlock(&hr_ends_lock);
            return;
        }
        uint32_t pno = hr_ends[0].pno;
        int32_t pid = hr_ends[0].pid;
        memmove(&hr_ends[0], &hr_ends[1], (hr_nends - 1) * sizeof(hr_ends[0]));
        hr_nends--;
        pthread_mutex_unlock(&hr_ends_lock);
        rs_proc_t *p = rs_procs_by_pno(t, pno);
        if (p == NULL || p->pid != pid || p->state != RS_PROC_RUNNING) {
            continue; /* killed (and perhaps reaped) already */
        }
        hr_server_t *srv = hr_srv_of(p);
        ng_host_thread_join(srv->thread);
        rs_end_t e = hr_end_decode(srv);
        rs_procs_ended(t, pno, &e);
    }
}

static const rs_service_ops_t hr_services = {
    .root = &rs_root_ops,
    .rootmem = &hr_rootmem_ops,
    .fault = hr_service_fault,
};

static void *hr_service_main(void *arg)
{
    (void)arg;
    ng_host_thread_t *self = ng_host_thread_adopt("rootserver", hr_service_cs);
    if (!self || ng_host_ntfn_bind(hr_service_ntfn, self) != NG_OK) {
        printf(HR_PREFIX "cannot start the process service\n");
        return NULL;
    }
    ng_server_init(&hr_server, HR_SERVICE_EP, 0, hr_reply_slots, HR_SERVICE_REPLIES);
    hr_procs.server = &hr_server;
    rs_service_serve(&hr_server, &hr_services, &hr_procs);
    return NULL;
}

int hr_service_start(hr_env_t *env)
{
    hr_env = env;
    rs_procs_init(&hr_procs, env->sys, &hr_procs_ops, env);
    bool spawners = false; /* anything holding a cap to the root services */
    for (uint32_t i = 0; i < env->sys->nservers; i++) {
        const rs_server_t *s = &env->sys->servers[i];
        for (uint32_t k = 0; k < s->ncaps; k++) {
            spawners |= s->caps[k].kind == RS_SLOT_SPAWN_EP || s->caps[k].kind == RS_SLOT_ROOT_EP;
        }
    }
    if (env->sys->fault_ep == RS_NO_OBJECT || !spawners) {
        return 0; /* nobody holds a service cap */
    }
    hr_service_cs = ng_host_cspace_new(HR_SERVICE_BITS);
    hr_service_ntfn = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    if (!hr_service_cs || !hr_service_ntfn ||
        ng_host_cap_mint(hr_service_cs, HR_SERVICE_EP, env->objects[env->sys->fault_ep].kobj, 0,
                         NG_HOST_RIGHT_READ | NG_HOST_RIGHT_GRANT) != NG_OK) {
        return -1;
    }
    /* Grant on the receive cap: replies carry caps (rootmem.create's object). */
    hr_shm_init(env, hr_service_cs, HR_SERVICE_EP + 1 + HR_SERVICE_REPLIES);
    for (unsigned i = 0; i < HR_SERVICE_REPLIES; i++) {
        hr_reply_slots[i] = HR_SERVICE_EP + 1 + i;
    }
    uint64_t ut, slots;
    hr_stats(&hr_procs, &ut, &slots);
    printf(HR_PREFIX "process service up: %u programs, %llu KiB untyped and %llu slots free\n",
           (unsigned)env->sys->nprograms, (unsigned long long)(ut >> 10), (unsigned long long)slots);
    pthread_t th;
    if (pthread_create(&th, NULL, hr_service_main, NULL) != 0) {
        return -1;
    }
    pthread_detach(th);
    return 0;
}
