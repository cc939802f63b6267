/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The seL4 half of the POSIX layer: musl's system calls reach sel4muslcsys' table
 * (muslcsys_install_syscall), and this file puts the personality's handlers in it before main
 * runs, so a program written against the ordinary headers (open, read, opendir, fopen,
 * fprintf…) is served by the file systems it has mounted (vfs.c). Each handler takes its
 * arguments from a va_list as the table hands them over and returns -errno or a result.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#include <muslcsys/vsyscall.h>
#include <sel4runtime.h>
#include <stdio.h>
#include <neptune/posix.h>

#include "vfs.h"
#include "vfs_calls.h"

size_t __arch_write(char *data, size_t count);

static ssize_t console_write(const void *buf, size_t len)
{
    return (ssize_t)__arch_write((char *)buf, len);
}

/* Only paths relative to the working directory (AT_FDCWD) or absolute ones. */
static int at_ok(int dirfd, const char *path)
{
    return dirfd == AT_FDCWD || (path != NULL && path[0] == '/');
}

static long s_openat(va_list ap)
{
    int dirfd = va_arg(ap, int);
    const char *path = va_arg(ap, const char *);
    int flags = va_arg(ap, int);
    int mode = va_arg(ap, int);
    return at_ok(dirfd, path) ? ng_vfs_open(path, flags, mode) : -ENOSYS;
}

static long s_close(va_list ap) { return ng_vfs_close(va_arg(ap, int)); }

static long s_read(va_list ap)
{
    int fd = va_arg(ap, int);
    void *buf = va_arg(ap, void *);
    return ng_vfs_read(fd, buf, va_arg(ap, size_t));
}

static long s_write(va_list ap)
{
    int fd = va_arg(ap, int);
    const void *buf = va_arg(ap, const void *);
    return ng_vfs_write(fd, buf, va_arg(ap, size_t));
}

static long s_pread64(va_list ap)
{
    int fd = va_arg(ap, int);
    void *buf = va_arg(ap, void *);
    size_t len = va_arg(ap, size_t);
    return ng_vfs_pread(fd, buf, len, va_arg(ap, int64_t));
}

static long s_pwrite64(va_list ap)
{
    int fd = va_arg(ap, int);
    const void *buf = va_arg(ap, const void *);
    size_t len = va_arg(ap, size_t);
    return ng_vfs_pwrite(fd, buf, len, va_arg(ap, int64_t));
}

static long vector(int fd, const struct iovec *iov, int n, int write)
{
    long total = 0;
    for (int i = 0; i < n; i++) {
        if (iov[i].iov_len == 0) continue;
        long r = write ? ng_vfs_write(fd, iov[i].iov_base, iov[i].iov_len) : ng_vfs_read(fd, iov[i].iov_base, iov[i].iov_len);
        if (r < 0) return total ? total : r;
        total += r;
        if ((size_t)r < iov[i].iov_len) break;
    }
    return total;
}

static long s_readv(va_list ap)
{
    int fd = va_arg(ap, int);
    const struct iovec *iov = va_arg(ap, const struct iovec *);
    return vector(fd, iov, va_arg(ap, int), 0);
}

static long s_writev(va_list ap)
{
    int fd = va_arg(ap, int);
    const struct iovec *iov = va_arg(ap, const struct iovec *);
    return vector(fd, iov, va_arg(ap, int), 1);
}

static long s_lseek(va_list ap)
{
    int fd = va_arg(ap, int);
    int64_t off = va_arg(ap, int64_t);
    return ng_vfs_lseek(fd, off, va_arg(ap, int));
}

static long s_fstat(va_list ap)
{
    int fd = va_arg(ap, int);
    return ng_vfs_fstat(fd, va_arg(ap, struct stat *));
}

static long s_newfstatat(va_list ap)
{
    int dirfd = va_arg(ap, int);
    const char *path = va_arg(ap, const char *);
    struct stat *st = va_arg(ap, struct stat *);
    int flags = va_arg(ap, int);
    if ((flags & AT_EMPTY_PATH) && path != NULL && path[0] == '\0') return ng_vfs_fstat(dirfd, st);
    return at_ok(dirfd, path) ? ng_vfs_stat(path, st) : -ENOSYS;
}

static long s_faccessat(va_list ap)
{
    int dirfd = va_arg(ap, int);
    const char *path = va_arg(ap, const char *);
    struct stat st;
    /* Existence only: the file systems keep no owners, so every mode is granted. */
    return at_ok(dirfd, path) ? ng_vfs_stat(path, &st) : -ENOSYS;
}

static long s_getdents64(va_list ap)
{
    int fd = va_arg(ap, int);
    void *buf = va_arg(ap, void *);
    return ng_vfs_getdents64(fd, buf, va_arg(ap, size_t));
}

static long s_mkdirat(va_list ap)
{
    int dirfd = va_arg(ap, int);
    const char *path = va_arg(ap, const char *);
    int mode = va_arg(ap, int);
    return at_ok(dirfd, path) ? ng_vfs_mkdir(path, mode) : -ENOSYS;
}

static long s_unlinkat(va_list ap)
{
    int dirfd = va_arg(ap, int);
    const char *path = va_arg(ap, const char *);
    int flags = va_arg(ap, int);
    return at_ok(dirfd, path) ? ng_vfs_unlink(path, (flags & AT_REMOVEDIR) != 0) : -ENOSYS;
}

static long s_renameat(va_list ap)
{
    int d1 = va_arg(ap, int);
    const char *from = va_arg(ap, const char *);
    int d2 = va_arg(ap, int);
    const char *to = va_arg(ap, const char *);
    return at_ok(d1, from) && at_ok(d2, to) ? ng_vfs_rename(from, to) : -ENOSYS;
}

static long s_dup(va_list ap) { return ng_vfs_dup(va_arg(ap, int), 0, 0); }

static long s_dup3(va_list ap)
{
    int fd = va_arg(ap, int);
    int to = va_arg(ap, int);
    return ng_vfs_dup(fd, to, 1);
}

static long s_getcwd(va_list ap)
{
    char *buf = va_arg(ap, char *);
    return ng_vfs_getcwd(buf, va_arg(ap, size_t));
}

static long s_chdir(va_list ap) { return ng_vfs_chdir(va_arg(ap, const char *)); }

static long s_ioctl(va_list ap)
{
    int fd = va_arg(ap, int);
    int req = va_arg(ap, int);
    if (req != TIOCGWINSZ) return -ENOTTY;
    struct winsize *ws = va_arg(ap, struct winsize *);
    long r = ng_vfs_isatty(fd);
    if (r == 0 && ws != NULL) *ws = (struct winsize){.ws_row = 24, .ws_col = 80};
    return r;
}

static long s_fcntl(va_list ap)
{
    int fd = va_arg(ap, int);
    int cmd = va_arg(ap, int);
    return ng_vfs_fcntl(fd, cmd, va_arg(ap, long));
}

static long s_wait4(va_list ap)
{
    int pid = va_arg(ap, int);
    int *status = va_arg(ap, int *);
    int options = va_arg(ap, int);
    return ng_proc_wait(pid, status, options);
}

static long s_kill(va_list ap)
{
    int pid = va_arg(ap, int);
    return ng_proc_kill(pid, va_arg(ap, int));
}

/* pause() is ppoll with no descriptors and no timeout. */
static long s_ppoll(va_list ap)
{
    void *fds = va_arg(ap, void *);
    unsigned long nfds = va_arg(ap, unsigned long);
    void *timeout = va_arg(ap, void *);
    if (fds == NULL && nfds == 0 && timeout == NULL) return ng_proc_pause();
    return -ENOSYS;
}

static long s_pipe2(va_list ap)
{
    int *fds = va_arg(ap, int *);
    return ng_vfs_pipe(fds, va_arg(ap, int));
}

static long s_nanosleep(va_list ap)
{
    return ng_proc_nanosleep(va_arg(ap, const struct timespec *));
}

static long s_clock_nanosleep(va_list ap)
{
    int clk = va_arg(ap, int);
    int flags = va_arg(ap, int);
    const struct timespec *req = va_arg(ap, const struct timespec *);
    if (flags != 0 || (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)) return -EINVAL; /* no absolute sleeps */
    return ng_proc_nanosleep(req);
}

static long s_clock_gettime(va_list ap)
{
    int clk = va_arg(ap, int);
    return ng_proc_clock_gettime(clk, va_arg(ap, struct timespec *));
}

static long s_getpid(va_list ap)
{
    (void)ap;
    return ng_proc_getpid();
}

static long s_getppid(va_list ap)
{
    (void)ap;
    return ng_proc_getppid();
}

/* exit() ends in exit_group (and then exit): the process ends as when main returns, through
 * the exit callback sel4runtime holds (the report to the root server). sel4muslcsys would ignore
 * exit_group and spin in exit. */
static long s_exit_group(va_list ap)
{
    int code = va_arg(ap, int);
    ng_posix_at_exit();
    sel4runtime_exit_cb *cb = sel4runtime_set_exit(NULL);
    sel4runtime_set_exit(cb);
    if (cb != NULL) cb(code);
    return -ENOSYS; /* the callback does not return */
}

/* Returning from main ends in sel4runtime_exit, which knows nothing of stdio: flush every
 * stream first, as exit() does. */
static int flush_at_exit(int code)
{
    fflush(NULL);
    ng_posix_at_exit();
    return code;
}

void ng_posix_start(const ng_posix_config_t *cfg)
{
    sel4runtime_set_pre_exit(flush_at_exit);
    ng_vfs_init(cfg, console_write);
    ng_proc_init(cfg);
    muslcsys_install_syscall(__NR_openat, s_openat);
    muslcsys_install_syscall(__NR_close, s_close);
    muslcsys_install_syscall(__NR_read, s_read);
    muslcsys_install_syscall(__NR_write, s_write);
    muslcsys_install_syscall(__NR_readv, s_readv);
    muslcsys_install_syscall(__NR_pread64, s_pread64);
    muslcsys_install_syscall(__NR_pwrite64, s_pwrite64);
    muslcsys_install_syscall(__NR_writev, s_writev);
    muslcsys_install_syscall(__NR_lseek, s_lseek);
    muslcsys_install_syscall(__NR_fstat, s_fstat);
    muslcsys_install_syscall(__NR_newfstatat, s_newfstatat);
    muslcsys_install_syscall(__NR_faccessat, s_faccessat);
    muslcsys_install_syscall(__NR_getdents64, s_getdents64);
    muslcsys_install_syscall(__NR_mkdirat, s_mkdirat);
    muslcsys_install_syscall(__NR_unlinkat, s_unlinkat);
    muslcsys_install_syscall(__NR_renameat, s_renameat);
    muslcsys_install_syscall(__NR_dup, s_dup);
    muslcsys_install_syscall(__NR_dup3, s_dup3);
    muslcsys_install_syscall(__NR_getcwd, s_getcwd);
    muslcsys_install_syscall(__NR_chdir, s_chdir);
    muslcsys_install_syscall(__NR_ioctl, s_ioctl);
    muslcsys_install_syscall(__NR_fcntl, s_fcntl);
    muslcsys_install_syscall(__NR_exit_group, s_exit_group);
    muslcsys_install_syscall(__NR_exit, s_exit_group);
    muslcsys_install_syscall(__NR_wait4, s_wait4);
    muslcsys_install_syscall(__NR_kill, s_kill);
    muslcsys_install_syscall(__NR_getpid, s_getpid);
    muslcsys_install_syscall(__NR_ppoll, s_ppoll);
    muslcsys_install_syscall(__NR_pipe2, s_pipe2);
    muslcsys_install_syscall(__NR_nanosleep, s_nanosleep);
    muslcsys_install_syscall(__NR_clock_nanosleep, s_clock_nanosleep);
    muslcsys_install_syscall(__NR_clock_gettime, s_clock_gettime);
    muslcsys_install_syscall(__NR_getppid, s_getppid);
}
