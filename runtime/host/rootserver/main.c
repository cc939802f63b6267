/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host root server: runs a whole generated system as one Linux program. It reads the same
 * tables the seL4 root server boots from (system_gen.c, `rs_system`) and follows the same order:
 * table check, objects, each server in table order (servers before their clients), a boot
 * summary, then the supervisor loop (supervise.c) until no server is left running or the
 * timeout runs out.
 *
 *   <build>/neptune-host [--timeout SECONDS] [--servers DIR] [--platform NAME]
 *                        [--disk IMAGE [--virtio-modern]]
 *
 * Servers are shared objects (<elf>.so) in DIR, by default the `servers` folder beside this
 * program; see server.c for how they are loaded and runtime/host/README.md for what differs
 * from seL4.
 */
#define _GNU_SOURCE
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models.h"
#include "root.h"

#ifndef NEPTUNE_HOST_PLATFORM
#define NEPTUNE_HOST_PLATFORM "qemu-arm-virt"
#endif

static hr_env_t hr_env;

static _Noreturn void hr_exit(int status)
{
    fflush(stdout);
    fflush(stderr);
    /* Server threads are still blocked in the host kernel: leave without running destructors
     * under them. */
    _exit(status);
}

static _Noreturn void usage(const char *prog, int status)
{
    fprintf(status ? stderr : stdout,
            "usage: %s [--timeout SECONDS] [--servers DIR] [--platform NAME] [--disk IMAGE "
            "[--virtio-modern]]\n"
            "  --timeout SECONDS  stop after this long (default: run until no server is left)\n"
            "  --servers DIR      where the servers' shared objects are (default: servers/ beside "
            "this program)\n"
            "  --platform NAME    which device models to attach (default: %s)\n"
            "  --disk IMAGE       a disk backed by this file: virtio-blk (qemu-arm-virt), the SD "
            "card (rpi3)\n"
            "  --virtio-modern    virtio-mmio version 2 registers (default: legacy, as QEMU)\n",
            prog, NEPTUNE_HOST_PLATFORM);
    hr_exit(status);
}

static const char *default_servers_dir(void)
{
    static char dir[PATH_MAX];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        return "servers";
    }
    exe[n] = '\0';
    snprintf(dir, sizeof dir, "%s/servers", dirname(exe));
    return dir;
}

static void print_summary(const hr_env_t *env)
{
    const rs_system_t *sys = env->sys;
    uint32_t caps = 0, running = 0;
    for (uint32_t i = 0; i < sys->nservers; i++) {
        const hr_server_t *srv = &env->servers[i];
        caps += srv->caps_installed;
        running += srv->state == HR_RUNNING;
        printf(HR_PREFIX "  %-16s prio %3u  cnode %2u bits  %2u caps  %u mappings\n",
               sys->servers[i].name, (unsigned)sys->servers[i].priority,
               (unsigned)sys->servers[i].cnode_bits, (unsigned)srv->caps_installed,
               (unsigned)sys->servers[i].nmaps);
    }
    printf(HR_PREFIX "system %s: %u servers started, %u objects, %u caps installed\n", sys->name,
           (unsigned)running, (unsigned)sys->nobjects, (unsigned)caps);
    printf(HR_PREFIX "untyped: layout estimate %llu KiB of a %llu KiB budget (not used on the "
                     "host)\n",
           (unsigned long long)(sys->untyped_estimate >> 10),
           (unsigned long long)(sys->untyped_budget >> 10));
}

int main(int argc, char **argv)
{
    hr_env_t *env = &hr_env;
    double timeout = 0;
    env->sys = &rs_system;
    env->platform = NEPTUNE_HOST_PLATFORM;
    env->servers_dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(argv[0], 0);
        } else if (strcmp(a, "--timeout") == 0 && i + 1 < argc) {
            char *end;
            timeout = strtod(argv[++i], &end);
            if (*end || timeout < 0) {
                usage(argv[0], 2);
            }
        } else if (strcmp(a, "--servers") == 0 && i + 1 < argc) {
            env->servers_dir = argv[++i];
        } else if (strcmp(a, "--platform") == 0 && i + 1 < argc) {
            env->platform = argv[++i];
        } else if (strcmp(a, "--disk") == 0 && i + 1 < argc) {
            hr_virtio_disk_path = hr_sd_disk_path = argv[++i];
        } else if (strcmp(a, "--virtio-modern") == 0) {
            hr_virtio_version = 2;
        } else {
            usage(argv[0], 2);
        }
    }
    if (!env->servers_dir) {
        env->servers_dir = default_servers_dir();
    }
    /* Servers print with printf: whole lines, in order, even through a pipe. */
    setvbuf(stdout, NULL, _IOLBF, 0);

    printf(HR_PREFIX "hello\n");
    if (rs_tables_validate(env->sys) != 0) {
        printf(HR_PREFIX "boot failed: the generated tables are inconsistent\n");
        hr_exit(1);
    }
    if (hr_objects_create(env) != 0) {
        printf(HR_PREFIX "boot failed: cannot create the objects\n");
        hr_exit(1);
    }
    uint32_t n = env->sys->nservers;
    env->servers = calloc(n ? n : 1, sizeof *env->servers);
    env->opened = calloc(n ? n : 1, sizeof *env->opened);
    if (!env->servers || !env->opened) {
        printf(HR_PREFIX "boot failed: out of memory\n");
        hr_exit(1);
    }
    for (uint32_t i = 0; i < n; i++) {
        hr_server_t *srv = &env->servers[i];
        srv->index = i;
        srv->s = &env->sys->servers[i];
        pthread_mutex_init(&srv->gate_lock, NULL);
        pthread_cond_init(&srv->gate_cond, NULL);
    }
    hr_supervise_init(env);
    if (hr_service_start(env) != 0) {
        printf(HR_PREFIX "boot failed: cannot start the process service\n");
        hr_exit(1);
    }

    printf(HR_PREFIX "booting system %s (%u servers) on the host, %s devices\n", env->sys->name,
           (unsigned)n, env->platform);
    for (uint32_t i = 0; i < n; i++) {
        if (hr_server_start(env, i) != 0) {
            printf(HR_PREFIX "server %s failed to start\n", env->sys->servers[i].name);
        }
    }
    print_summary(env);
    hr_exit(hr_supervise(env, timeout));
}
