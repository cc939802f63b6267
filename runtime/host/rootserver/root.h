/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host root server's private state: the objects of the generated tables as host-kernel
 * objects (endpoints, notifications, IRQ handlers), memfd-backed frames and device windows, and
 * one record per server (its CSpace, its loaded shared object, its thread, what happened to it),
 * so it can be reported on and restarted as the seL4 root server does.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <neptune/host.h>
#include <neptune/host_dev.h>
#include <rootserver/common.h>
#include <rootserver/tables.h>

#define HR_PREFIX "neptune host: "

/* A device model: what it emulates and how to make one for a window. */
typedef struct hr_model {
    const char *platform; /* NULL: any */
    uint64_t paddr;
    const char *name;
    const ng_host_dev_ops_t *ops;
    /* A new instance; irq is the window's IRQ handler (NULL if the layout gives it none). */
    void *(*create)(ng_host_object_t *irq);
    /* Instead of create, for a model that needs the window's extent (a window over a run of
     * devices, system.ts `count`): paddr and size of the window, and a lookup of the IRQ
     * handler given for interrupt number `irq` with the window (NULL if none). */
    void *(*create_window)(uint64_t paddr, uint64_t bytes,
                           ng_host_object_t *(*irq_of)(const void *ctx, uint32_t irq),
                           const void *ctx);
} hr_model_t;

/* A table object as the host root server holds it. */
typedef struct hr_obj {
    ng_host_object_t *kobj; /* endpoint, notification, IRQ handler */
    int memfd;              /* frames: -1 if not backed (private areas, device windows) */
    uint64_t bytes;         /* frames: pages << size_bits */
    const hr_model_t *model; /* device window: its model, or NULL */
    void *dev;               /* device window: the model instance */
    void *view;              /* DMA memory: the root server's own mapping, whose address is the
                              * "physical" one the driver is told and device models use */
} hr_obj_t;

typedef enum hr_status {
    HR_NOT_STARTED = 0,
    HR_RUNNING,
    HR_STOPPED, /* faulted or exited, not restarted */
} hr_status_t;

typedef struct hr_server {
    uint32_t index;
    const rs_server_t *s;
    ng_host_cspace_t *cs;
    ng_host_thread_t *thread;
    int (*entry)(int argc, char **argv);
    /* Every copy of its ELF it was loaded from (one per start; never unloaded). */
    void **handles;
    uint32_t nhandles;
    int status; /* what main returned */
    hr_status_t state;
    rs_restart_state_t restart; /* rootserver/common/restart.c's count and window */
    uint32_t caps_installed;
    uint32_t maps_done; /* mappings made (kept across restarts) */
    /* Start gate: the thread waits until the root server has bound its notification. */
    pthread_mutex_t gate_lock;
    pthread_cond_t gate_cond;
    bool go;
    /* Set by the exit hook (under the supervisor's lock), taken by the supervisor. */
    bool ended;
    ng_host_exit_t exit;
    /* A spawned program (procs.c): its pid and fault badge, its private copy of the ELF. Its end
     * goes to the process service, not to the supervisor. */
    bool spawned;
    int32_t pid;
    uint32_t pno;
    void *dl;
    int argc;
    char **argv;
    /* A spawned process's environment (NULL-terminated); a shared object that defines
     * ng_posix_environ (the POSIX layer's getenv) is given it before main. */
    char **envp;
} hr_server_t;

typedef struct hr_env {
    const rs_system_t *sys;
    const char *platform;
    const char *servers_dir;
    hr_obj_t *objects;
    hr_server_t *servers;
    /* ELF names already opened by path: a second instance (a shared ELF, or a restart) loads a
     * fresh copy, so it gets globals of its own. */
    const char **opened;
    uint32_t nopened;
} hr_env_t;

/* shm.c: run-time shared memory (idl/rootmem.idl) on the process service's thread. */
struct rootmem_ops;
extern const struct rootmem_ops hr_rootmem_ops;
void hr_shm_init(hr_env_t *env, ng_host_cspace_t *service_cs, ng_cptr_t first_free_slot);
void hr_shm_client_gone(uint32_t pno);

/* The table check (rs_tables_validate), restart policy and report wording are shared with the
 * seL4 root server: rootserver/common/include/rootserver/common.h. */

/* objects.c: endpoints, notifications, IRQ handlers, memfd frames, device windows. */
int hr_objects_create(hr_env_t *env);
/* Whether a frame object is one of a server's private areas (IPC buffer, stack, heap): on the
 * host a server's thread and libc provide those, so they are not mapped. */
bool hr_object_is_private(const rs_object_t *o);
/* The IRQ handler object that belongs to a device window (mmio:<s>.<d> ↔ irq:<s>.<d>), or -1. */
int hr_object_irq_of(const hr_env_t *env, uint32_t window);

/* The DMA memory [paddr, paddr + len) as the root server sees it (for device models), or NULL
 * if that range is not inside one DMA object: a device given a bad address does not touch
 * anything else. */
void *hr_dma_at(uint64_t paddr, uint64_t len);

/* devices.c: the model registry. */
const hr_model_t *hr_model_find(const char *platform, uint64_t paddr);

/* server.c: build, load and start one server; its restart. */
int hr_server_start(hr_env_t *env, uint32_t index);

/* server.c: pieces procs.c builds a program from. */
void hr_server_thread(void *arg);

/* procs.c: the process service (idl/root.idl) on its own thread; a spawned program ended. */
int hr_service_start(hr_env_t *env);
void hr_service_ended(hr_server_t *srv);

/* supervise.c: the exit hook and the supervisor loop (returns the process exit status). */
rs_end_t hr_end_decode(const hr_server_t *srv);
void hr_supervise_init(hr_env_t *env);
int hr_supervise(hr_env_t *env, double timeout_sec);
