/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes on the POSIX layer, over the root server's process service (idl/root.idl):
 * posix_spawn/posix_spawnp of a program of the system (by its name under /bin), each of the
 * parent's mounts handed to the child in the slot the child declares for the same use (so the
 * child connects to the same file systems, through connections of its own); waitpid with
 * WNOHANG; kill with SIGTERM, SIGINT, SIGKILL (a child ends at once; its status says the
 * signal its parent sent); getpid and getppid. Errors are -errno (errno values for spawn).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include <neptune/posix.h>

#include "root_client_gen.h"
#include "timer_client_gen.h"
#include "vfs.h"
#include "vfs_calls.h"

#define KILLED_MAX 16

static struct {
    ng_cptr_t root, ntfn, pathmgr, timer;
    int can_spawn;
    const ng_posix_program_use_t *uses;
    uint32_t nuses;
    int32_t pid;
    /* The signal this process sent to a child it killed, for that child's wait status. */
    struct {
        int32_t pid;
        int sig;
    } killed[KILLED_MAX];
} P;

void ng_proc_init(const ng_posix_config_t *cfg)
{
    memset(&P, 0, sizeof P);
    P.root = cfg->root;
    P.ntfn = cfg->ntfn;
    P.pathmgr = cfg->pathmgr;
    P.timer = cfg->timer;
    P.can_spawn = cfg->can_spawn;
    P.uses = cfg->program_uses;
    P.nuses = cfg->nprogram_uses;
}

static root_client_t root(void)
{
    root_client_t c = {P.root, NULL, 0};
    return c;
}

static int errno_of(int err)
{
    switch (err) {
    case ROOT_ERR_UNKNOWN_PROGRAM: return ENOENT;
    case ROOT_ERR_NO_PROCESSES: return EAGAIN;
    case ROOT_ERR_NO_MEMORY: return ENOMEM;
    case ROOT_ERR_BAD_ARGS: return E2BIG;
    case ROOT_ERR_NO_SUCH_PROCESS: return ESRCH;
    case ROOT_ERR_NOT_A_CHILD: return ECHILD;
    case ROOT_ERR_NO_CHILD: return ECHILD;
    case ROOT_ERR_NO_SUCH_CAP:
    case ROOT_ERR_BAD_SLOT: return EINVAL;
    default: return EIO;
    }
}

/* NUL-separated strings of v (from v[from]) into out; -1 if they do not fit. */
static int pack(char *const v[], int from, char *out, size_t size, size_t *len)
{
    size_t n = 0;
    for (int i = from; v != NULL && v[i] != NULL; i++) {
        size_t l = strlen(v[i]) + 1;
        if (n + l > size) return -1;
        memcpy(out + n, v[i], l);
        n += l;
    }
    *len = n;
    return 0;
}

/* File actions: our own list behind the type's __actions pointer (musl's and glibc's types
 * both have one), applied in order to the parent's descriptors to make the child's. */
typedef struct action {
    struct action *next;
    enum { A_CLOSE, A_DUP2, A_OPEN } op;
    int fd, from, flags, mode;
    char path[];
} action_t;

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
    memset(fa, 0, sizeof *fa);
    return 0;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
    for (action_t *a = (action_t *)(void *)fa->__actions, *n; a != NULL; a = n) {
        n = a->next;
        free(a);
    }
    fa->__actions = NULL;
    return 0;
}

static int add_action(posix_spawn_file_actions_t *fa, int op, int fd, int from, int flags, int mode, const char *path)
{
    if (fd < 0 || fd >= NG_POSIX_MAX_FDS || (op == A_DUP2 && (from < 0 || from >= NG_POSIX_MAX_FDS))) return EBADF;
    size_t plen = path ? strlen(path) + 1 : 1;
    action_t *n = malloc(sizeof *n + plen);
    if (n == NULL) return ENOMEM;
    n->next = NULL;
    n->op = op;
    n->fd = fd;
    n->from = from;
    n->flags = flags;
    n->mode = mode;
    memcpy(n->path, path ? path : "", plen);
    action_t **end = (action_t **)(void *)&fa->__actions;
    while (*end) end = &(*end)->next;
    *end = n;
    return 0;
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
    return add_action(fa, A_CLOSE, fd, 0, 0, 0, NULL);
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int from, int fd)
{
    return add_action(fa, A_DUP2, fd, from, 0, 0, NULL);
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd, const char *path, int flags, mode_t mode)
{
    if (strlen(path) >= NG_POSIX_PATH_MAX) return ENAMETOOLONG;
    return add_action(fa, A_OPEN, fd, 0, flags, (int)mode, path);
}

/* The child's descriptors: the parent's (those without FD_CLOEXEC), then the file actions. An
 * open action's relative path is the parent's, as the child starts in the parent's directory. */
static int plan_fds(const posix_spawn_file_actions_t *fa, ng_fd_plan_t plan[NG_POSIX_MAX_FDS], int *opened, int *nopened)
{
    for (int fd = 0; fd < NG_POSIX_MAX_FDS; fd++) {
        long fl = ng_vfs_fcntl(fd, F_GETFD, 0);
        plan[fd] = fl >= 0 && !(fl & FD_CLOEXEC) ? (ng_fd_plan_t){.kind = NG_FD_INHERIT, .from = fd} : (ng_fd_plan_t){.kind = NG_FD_NONE};
    }
    for (const action_t *a = fa ? (const action_t *)(const void *)fa->__actions : NULL; a != NULL; a = a->next) {
        switch (a->op) {
        case A_CLOSE: plan[a->fd].kind = NG_FD_NONE; break;
        case A_DUP2:
            if (plan[a->from].kind == NG_FD_NONE) return EBADF;
            plan[a->fd] = plan[a->from];
            break;
        case A_OPEN: {
            /* Opened here, as the child would (creating or truncating it once), so a failure
             * fails the spawn as POSIX says; the child gets it like any inherited file. */
            long fd = ng_vfs_open(a->path, a->flags & ~O_CLOEXEC, a->mode);
            if (fd < 0) return (int)-fd;
            opened[(*nopened)++] = (int)fd;
            plan[a->fd] = (ng_fd_plan_t){.kind = NG_FD_INHERIT, .from = (int)fd};
            break;
        }
        }
    }
    return 0;
}

/* 1 if v has an argv[0] to skip (a separate function: the C library declares argv non-null). */
static int has_first(char *const v[])
{
    return v != NULL && v[0] != NULL;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                char *const argv[], char *const envp[])
{
    (void)attr;
    if (!P.can_spawn) return ENOSYS;
    char abs[NG_POSIX_PATH_MAX];
    if (ng_path_normalize("/", path, abs, sizeof abs)) return ENAMETOOLONG;
    const char *name = ng_path_below(abs, "/bin");
    if (name == NULL || *name == '\0' || strchr(name, '/') != NULL || strlen(name) > ROOT_MAX_NAME) return ENOENT;

    char args[ROOT_MAX_ARGV], env[ROOT_MAX_ENV];
    size_t alen, elen;
    /* argv[0] is the program's name, which the root server puts first itself. */
    if (pack(argv, has_first(argv), args, sizeof args, &alen)) return E2BIG;
    if (pack(envp, 0, env, sizeof env, &elen)) return E2BIG;
    /* The caller's environment may hold our own variable (from its parent): not passed on. */
    for (size_t at = 0; at < elen;) {
        size_t n = strlen(env + at) + 1;
        if (strncmp(env + at, "NG_POSIX_FDS=", 13) == 0) {
            memmove(env + at, env + at + n, elen - at - n);
            elen -= n;
        } else {
            at += n;
        }
    }
    /* Its descriptors, as one more environment string. */
    static ng_fd_plan_t plan[NG_POSIX_MAX_FDS];
    uint64_t tickets[NG_POSIX_MAX_FDS];
    int ntickets = 0;
    int opened[NG_POSIX_MAX_FDS], nopened = 0;
    int perr = plan_fds(fa, plan, opened, &nopened);
    long flen = perr ? -perr : ng_vfs_child_fds(plan, env + elen, sizeof env - elen, tickets, &ntickets);
    /* The files the open actions made here have been described to the child: closed again. */
    for (int i = 0; i < nopened; i++) ng_vfs_close(opened[i]);
    if (flen < 0) {
        ng_vfs_cancel_tickets(tickets, ntickets);
        return (int)-flen;
    }
    elen += (size_t)flen + 1;

    root_grant_t caps[ROOT_MAX_CAPS];
    memset(caps, 0, sizeof caps);
    uint8_t ncaps = 0;
    /* The pathname manager, and each mount from the layout, go to the slot the child declares
     * for a use of the same name (mounts the pathname manager resolved: it resolves its own). */
    for (uint32_t u = 0; u < P.nuses; u++) {
        if (strcmp(P.uses[u].program, name) != 0) continue;
        ng_cptr_t from = 0;
        if (P.pathmgr != 0 && strcmp(P.uses[u].use, "pathmgr") == 0) from = P.pathmgr;
        if (P.timer != 0 && strcmp(P.uses[u].use, "timer") == 0) from = P.timer;
        for (uint32_t m = 0; from == 0 && ng_vfs_mount(m) != NULL; m++) {
            const ng_posix_mount_t *mt = ng_vfs_mount(m);
            if (mt->use != NULL && strcmp(P.uses[u].use, mt->use) == 0) from = mt->cap;
        }
        if (from == 0) continue;
        if (ncaps == ROOT_MAX_CAPS) return E2BIG;
        caps[ncaps++] = (root_grant_t){.to = P.uses[u].slot, .from = (uint32_t)from};
    }
    root_client_t c = root();
    int32_t child = 0;
    int err = NG_POSIX_COUNT(root_spawn)(&c, ng_str(name), (ng_str_t){args, alen}, (ng_str_t){env, elen}, ncaps, caps, &child);
    if (err != NG_OK) {
        ng_vfs_cancel_tickets(tickets, ntickets);
        return errno_of(err);
    }
    if (pid != NULL) *pid = child;
    return 0;
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                 char *const argv[], char *const envp[])
{
    /* Every program lives in /bin: a bare name is looked up there. */
    char path[NG_POSIX_PATH_MAX];
    if (strchr(file, '/') == NULL) {
        if (strlen(file) + 6 > sizeof path) return ENAMETOOLONG;
        strcpy(path, "/bin/");
        strcat(path, file);
        file = path;
    }
    return posix_spawn(pid, file, fa, attr, argv, envp);
}

static int signal_of(int32_t pid)
{
    for (int i = 0; i < KILLED_MAX; i++)
        if (P.killed[i].pid == pid) {
            P.killed[i].pid = 0;
            return P.killed[i].sig;
        }
    return SIGKILL;
}

long ng_proc_wait(int pid, int *status, int options)
{
    if (P.root == 0 || !P.can_spawn) return -ECHILD;
    if (pid < -1 || pid == 0) return -EINVAL; /* no process groups */
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED)) return -EINVAL;
    root_client_t c = root();
    int32_t child = 0;
    root_end_t how = 0;
    int64_t code = 0;
    uint64_t addr = 0;
    int err = NG_POSIX_COUNT(root_wait)(&c, pid == -1 ? 0 : pid, (options & WNOHANG) != 0, &child, &how, &code, &addr);
    if (err == ROOT_ERR_WOULD_BLOCK) return 0;
    if (err != NG_OK) return -errno_of(err);
    int st;
    switch (how) {
    case ROOT_END_EXITED: st = (int)((code & 0xff) << 8); break;
    case ROOT_END_KILLED: st = signal_of(child); break;
    case ROOT_END_VM_FAULT:
    case ROOT_END_CAP_FAULT: st = SIGSEGV; break;
    case ROOT_END_UNKNOWN_SYSCALL: st = SIGSYS; break;
    case ROOT_END_USER_EXCEPTION: st = SIGILL; break;
    default: st = SIGABRT; break;
    }
    if (status != NULL) *status = st;
    return child;
}

long ng_proc_kill(int pid, int sig)
{
    if (P.root == 0 || !P.can_spawn) return -EPERM;
    if (pid <= 0) return -EINVAL; /* no process groups */
    root_client_t c = root();
    root_end_t how;
    int32_t parent;
    ng_str_t name;
    if (sig == 0) {
        int err = NG_POSIX_COUNT(root_query)(&c, pid, &how, &parent, &name);
        return err == NG_OK ? 0 : -errno_of(err);
    }
    if (sig != SIGKILL && sig != SIGTERM && sig != SIGINT && sig != SIGHUP && sig != SIGQUIT) return -EINVAL;
    int err = NG_POSIX_COUNT(root_kill)(&c, pid);
    if (err == ROOT_ERR_NOT_A_CHILD) return -EPERM;
    if (err != NG_OK) return -errno_of(err);
    for (int i = 0; i < KILLED_MAX; i++)
        if (P.killed[i].pid == 0 || i == KILLED_MAX - 1) {
            P.killed[i].pid = pid;
            P.killed[i].sig = sig;
            break;
        }
    return 0;
}

long ng_proc_getpid(void)
{
    if (P.pid > 0) return P.pid;
    if (P.root != 0) {
        root_client_t c = root();
        int32_t me;
        uint64_t ut, slots;
        uint32_t n;
        if (NG_POSIX_COUNT(root_stats)(&c, &me, &ut, &slots, &n) == NG_OK) P.pid = me;
    }
    return P.pid > 0 ? P.pid : 1;
}

long ng_proc_getppid(void)
{
    if (P.root == 0) return 0;
    root_client_t c = root();
    root_end_t how;
    int32_t parent = 0;
    ng_str_t name;
    return NG_POSIX_COUNT(root_query)(&c, (int32_t)ng_proc_getpid(), &how, &parent, &name) == NG_OK ? parent : 0;
}

long ng_proc_pause(void)
{
    /* No signal handlers yet: nothing wakes it but its end (kill), as pause() without them. */
    if (P.ntfn == 0) return -EINTR;
    for (;;) ng_wait(P.ntfn);
}

long ng_proc_nanosleep(const struct timespec *req)
{
    if (req == NULL) return -EFAULT;
    if (req->tv_sec < 0 || req->tv_nsec < 0 || req->tv_nsec >= 1000000000L) return -EINVAL;
    if (P.timer == 0) return -ENOSYS; /* no timer in its layout */
    timer_client_t c = {P.timer, NULL, 0};
    uint64_t ns = (uint64_t)req->tv_sec * 1000000000u + (uint64_t)req->tv_nsec;
    if (ns == 0) return 0;
    int err = NG_POSIX_COUNT(timer_sleep)(&c, ns);
    if (err == NG_EIPC) {
        /* Its timer slot is empty (the parent had none to hand on): no timer from now on. */
        P.timer = 0;
        return -ENOSYS;
    }
    return err == NG_OK ? 0 : -EINVAL;
}

long ng_proc_clock_gettime(int clk, struct timespec *ts)
{
    if (ts == NULL) return -EFAULT;
    if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC) return -EINVAL;
    if (P.timer == 0) return -ENOSYS;
    timer_client_t c = {P.timer, NULL, 0};
    uint64_t ns = 0;
    int err = NG_POSIX_COUNT(timer_now)(&c, &ns);
    if (err == NG_EIPC) P.timer = 0; /* an empty timer slot, as in nanosleep */
    if (err != NG_OK) return err == NG_EIPC ? -ENOSYS : -EIO;
    ts->tv_sec = (time_t)(ns / 1000000000u);
    ts->tv_nsec = (long)(ns % 1000000000u);
    return 0;
}
