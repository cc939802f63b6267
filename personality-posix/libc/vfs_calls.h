/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vfs.c's calls, for the target halves that route a program's system calls to them
 * (sys_sel4.c through musl's hooks, sys_host.c as the program's own definitions). Each returns
 * a result or -errno.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <neptune/posix.h>

#include "vfs.h"

/* A directory record as Linux's getdents64 writes it (musl's readdir reads these). */
struct ng_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

void ng_vfs_init(const ng_posix_config_t *cfg, ssize_t (*console_write)(const void *, size_t));
long ng_vfs_open(const char *path, int flags, int mode);
long ng_vfs_close(int fd);
long ng_vfs_read(int fd, void *buf, size_t len);
long ng_vfs_write(int fd, const void *buf, size_t len);
long ng_vfs_pread(int fd, void *buf, size_t len, int64_t off);
long ng_vfs_pwrite(int fd, const void *buf, size_t len, int64_t off);
long ng_vfs_lseek(int fd, int64_t off, int whence);
long ng_vfs_fstat(int fd, struct stat *st);
long ng_vfs_stat(const char *path, struct stat *st);
long ng_vfs_getdents64(int fd, void *buf, size_t len);
long ng_vfs_mkdir(const char *path, int mode);
long ng_vfs_unlink(const char *path, int dir);
long ng_vfs_rename(const char *from, const char *to);
/* exact: onto `to` (dup2/dup3), else the lowest free descriptor >= to (dup, F_DUPFD). */
long ng_vfs_dup(int fd, int to, int exact);
long ng_vfs_getcwd(char *buf, size_t size);
long ng_vfs_chdir(const char *path);
/* 0 for the console, -ENOTTY for anything else, -EBADF. */
long ng_vfs_isatty(int fd);
long ng_vfs_fcntl(int fd, int cmd, long arg);
long ng_vfs_pipe(int fds[2], int flags);

/* What a child's descriptor fd is to be (posix_spawn's plan: the parent's descriptors after the
 * file actions; an open action is done by the parent and inherited like any other file). */
typedef struct {
    enum { NG_FD_NONE = 0, NG_FD_INHERIT } kind;
    int from; /* NG_FD_INHERIT: the parent's descriptor */
} ng_fd_plan_t;
/* The environment string handing a child the plan (pipe ends through tickets, kept in
 * tickets[] for ng_vfs_cancel_tickets if the spawn fails): its length, or -errno. */
long ng_vfs_child_fds(const ng_fd_plan_t plan[NG_POSIX_MAX_FDS], char *out, size_t size, uint64_t *tickets, int *ntickets);
void ng_vfs_cancel_tickets(const uint64_t *tickets, int n);
/* Closes every descriptor: called as the process ends. */
void ng_posix_at_exit(void);

/* Mount i as configured (NULL past the last), and an empty slot of this process (0: none). */
const ng_posix_mount_t *ng_vfs_mount(uint32_t i);
ng_cptr_t ng_vfs_slot_alloc(void);

/* proc.c: processes through the root server's process service (idl/root.idl). */
void ng_proc_init(const ng_posix_config_t *cfg);
long ng_proc_wait(int pid, int *status, int options);
long ng_proc_kill(int pid, int sig);
long ng_proc_getpid(void);
long ng_proc_getppid(void);
/* Blocks until the process is ended (pause() with no signal handlers). */
long ng_proc_pause(void);
/* Sleeps through the timer service (-ENOSYS without one). */
long ng_proc_nanosleep(const struct timespec *req);
/* CLOCK_REALTIME and CLOCK_MONOTONIC: the timer service's now() (-ENOSYS without one). */
long ng_proc_clock_gettime(int clk, struct timespec *ts);
