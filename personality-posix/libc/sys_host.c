/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host target's half of the POSIX layer. On the host every program is a shared object in
 * one Linux process whose C library is glibc, and glibc's own functions (fopen, printf…) reach
 * the kernel without a hook to catch them. So the program's shared object defines the POSIX
 * calls itself: linked with -Bsymbolic (runtime/host/system), its calls to open, read,
 * opendir, fopen, printf… bind to these definitions, which call the same vfs.c as the seL4
 * handlers. stdio streams are glibc FILEs made with fopencookie over the layer's descriptors,
 * and the program's stdin/stdout/stderr are such streams over descriptors 0-2. The program's
 * source is the same as on seL4.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <neptune/posix.h>

#include "vfs.h"
#include "vfs_calls.h"

static ssize_t console_write(const void *buf, size_t len)
{
    return syscall(SYS_write, 1, buf, len);
}

static long ret(long r)
{
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

int open(const char *path, int flags, ...)
{
    int mode = 0;
    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, int);
        va_end(ap);
    }
    return (int)ret(ng_vfs_open(path, flags, mode));
}

int creat(const char *path, mode_t mode) { return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode); }
int close(int fd) { return (int)ret(ng_vfs_close(fd)); }
ssize_t read(int fd, void *buf, size_t len) { return ret(ng_vfs_read(fd, buf, len)); }
ssize_t write(int fd, const void *buf, size_t len) { return ret(ng_vfs_write(fd, buf, len)); }
ssize_t pread(int fd, void *buf, size_t len, off_t off) { return ret(ng_vfs_pread(fd, buf, len, off)); }
ssize_t pwrite(int fd, const void *buf, size_t len, off_t off) { return ret(ng_vfs_pwrite(fd, buf, len, off)); }
off_t lseek(int fd, off_t off, int whence) { return ret(ng_vfs_lseek(fd, off, whence)); }
int fstat(int fd, struct stat *st) { return (int)ret(ng_vfs_fstat(fd, st)); }
int stat(const char *path, struct stat *st) { return (int)ret(ng_vfs_stat(path, st)); }
int lstat(const char *path, struct stat *st) { return (int)ret(ng_vfs_stat(path, st)); }
int mkdir(const char *path, mode_t mode) { return (int)ret(ng_vfs_mkdir(path, (int)mode)); }
int rmdir(const char *path) { return (int)ret(ng_vfs_unlink(path, 1)); }
int unlink(const char *path) { return (int)ret(ng_vfs_unlink(path, 0)); }
int rename(const char *from, const char *to) { return (int)ret(ng_vfs_rename(from, to)); }
int dup(int fd) { return (int)ret(ng_vfs_dup(fd, 0, 0)); }
int dup2(int fd, int to)
{
    if (fd == to) return ng_vfs_fcntl(fd, F_GETFD, 0) < 0 ? (int)ret(-EBADF) : to;
    return (int)ret(ng_vfs_dup(fd, to, 1));
}
int chdir(const char *path) { return (int)ret(ng_vfs_chdir(path)); }
int access(const char *path, int mode)
{
    struct stat st;
    (void)mode;
    return (int)ret(ng_vfs_stat(path, &st));
}
int isatty(int fd)
{
    long r = ng_vfs_isatty(fd);
    if (r < 0) errno = (int)-r;
    return r == 0;
}

char *getcwd(char *buf, size_t size)
{
    long r = ng_vfs_getcwd(buf, size);
    if (r < 0) {
        errno = (int)-r;
        return NULL;
    }
    return buf;
}

int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    long arg = va_arg(ap, long);
    va_end(ap);
    return (int)ret(ng_vfs_fcntl(fd, cmd, arg));
}

/* Directories: the layer's getdents64 records, handed out as glibc's struct dirent. */
struct __dirstream {
    int fd;
    size_t pos, len;
    char buf[2048];
    struct dirent ent;
};

DIR *opendir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return NULL;
    DIR *d = calloc(1, sizeof *d);
    if (d == NULL) {
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    d->fd = fd;
    return d;
}

struct dirent *readdir(DIR *d)
{
    if (d->pos >= d->len) {
        long n = ng_vfs_getdents64(d->fd, d->buf, sizeof d->buf);
        if (n <= 0) {
            if (n < 0) errno = (int)-n;
            return NULL;
        }
        d->len = (size_t)n;
        d->pos = 0;
    }
    const struct ng_dirent64 *w = (const struct ng_dirent64 *)(const void *)(d->buf + d->pos);
    d->pos += w->d_reclen;
    memset(&d->ent, 0, sizeof d->ent);
    d->ent.d_ino = w->d_ino;
    d->ent.d_off = w->d_off;
    d->ent.d_type = w->d_type;
    d->ent.d_reclen = sizeof d->ent;
    snprintf(d->ent.d_name, sizeof d->ent.d_name, "%s", w->d_name);
    return &d->ent;
}

int closedir(DIR *d)
{
    int r = close(d->fd);
    free(d);
    return r;
}

/* stdio: glibc FILEs whose bytes go through the layer's descriptors. */
static ssize_t c_read(void *c, char *buf, size_t n) { return read((int)(intptr_t)c, buf, n); }
static ssize_t c_write(void *c, const char *buf, size_t n) { return write((int)(intptr_t)c, buf, n); }
static int c_seek(void *c, off64_t *off, int whence)
{
    off_t r = lseek((int)(intptr_t)c, (off_t)*off, whence);
    if (r < 0) return -1;
    *off = r;
    return 0;
}
/* The streams this program opened (fopen/fdopen), so that its end flushes them and no other
 * program's: fflush(NULL) would take every stream's lock in the whole host process, and wait
 * forever on one another program holds while it is blocked in a read. */
#define STREAMS 64
static FILE *streams[STREAMS];

static void stream_add(FILE *f)
{
    for (int i = 0; i < STREAMS; i++)
        if (streams[i] == NULL) {
            streams[i] = f;
            return;
        }
}

int fclose(FILE *f)
{
    for (int i = 0; i < STREAMS; i++)
        if (streams[i] == f) streams[i] = NULL;
    int (*next)(FILE *) = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
    return next ? next(f) : EOF;
}

/* Flushes this program's streams and closes its descriptors: its end (exit, _exit skips the
 * flush, a return from main through the host root server's hook). */
static void flush_own(void)
{
    if (stdout) fflush(stdout);
    if (stderr) fflush(stderr);
    for (int i = 0; i < STREAMS; i++)
        if (streams[i] != NULL) fflush(streams[i]);
}

/* A return from main, through the host root server's hook: as exit() without its end. */
void ng_posix_host_exit(void)
{
    flush_own();
    ng_posix_at_exit();
}

static int c_close(void *c) { return close((int)(intptr_t)c); }

FILE *fdopen(int fd, const char *mode)
{
    cookie_io_functions_t io = {c_read, c_write, c_seek, c_close};
    if (ng_vfs_fcntl(fd, F_GETFL, 0) < 0) {
        errno = EBADF;
        return NULL;
    }
    FILE *f = fopencookie((void *)(intptr_t)fd, mode, io);
    if (f != NULL) stream_add(f);
    if (f != NULL && mode[0] == 'a') fseek(f, 0, SEEK_END);
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    int flags = strchr(mode, '+') ? O_RDWR : mode[0] == 'r' ? O_RDONLY : O_WRONLY;
    if (mode[0] == 'w') flags |= O_CREAT | O_TRUNC;
    if (mode[0] == 'a') flags |= O_CREAT | O_APPEND;
    int fd = open(path, flags, 0666);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, mode);
    if (f == NULL) close(fd);
    return f;
}

/* The program's own standard streams (its references to stdin/stdout/stderr bind here). */
FILE *stdin, *stdout, *stderr;

int vprintf(const char *fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }
int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return r;
}
int puts(const char *s) { return fputs(s, stdout) < 0 || fputc('\n', stdout) == EOF ? EOF : 1; }
int putchar(int c) { return fputc(c, stdout); }
void perror(const char *s)
{
    int e = errno;
    if (s != NULL && *s) fprintf(stderr, "%s: ", s);
    fprintf(stderr, "%s\n", strerror(e));
}

pid_t waitpid(pid_t pid, int *status, int options) { return (pid_t)ret(ng_proc_wait(pid, status, options)); }
pid_t wait(int *status) { return waitpid(-1, status, 0); }
int kill(pid_t pid, int sig) { return (int)ret(ng_proc_kill(pid, sig)); }
int pipe(int fds[2]) { return (int)ret(ng_vfs_pipe(fds, 0)); }
int pipe2(int fds[2], int flags) { return (int)ret(ng_vfs_pipe(fds, flags)); }

/* _exit and _Exit end the program without flushing stdio, as POSIX says: its descriptors
 * closed (pipes see their ends go), then its thread ended as the host runtime's exit does (the
 * next definition: libneptune_host's; glibc's would end the whole host process). exit() flushes
 * the program's own streams first. */
void _exit(int status)
{
    ng_posix_at_exit();
    void (*next)(int) = (void (*)(int))dlsym(RTLD_NEXT, "exit");
    if (next) next(status);
    syscall(SYS_exit_group, status);
    for (;;) {
    }
}

void _Exit(int status)
{
    _exit(status);
}

void exit(int status)
{
    flush_own();
    _exit(status);
}

/* With a timer in its layout, the system's clock; without one, the host's. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
    long r = ng_proc_nanosleep(req);
    if (r == -ENOSYS) return (int)syscall(SYS_nanosleep, req, rem);
    return (int)ret(r);
}

unsigned int sleep(unsigned int s)
{
    struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = 0};
    return nanosleep(&ts, NULL) == 0 ? 0 : s;
}

int usleep(useconds_t us)
{
    struct timespec ts = {.tv_sec = (time_t)(us / 1000000u), .tv_nsec = (long)(us % 1000000u) * 1000};
    return nanosleep(&ts, NULL);
}

int pause(void) { return (int)ret(ng_proc_pause()); }
pid_t getpid(void) { return (pid_t)ng_proc_getpid(); }
pid_t getppid(void) { return (pid_t)ng_proc_getppid(); }

/* The environment: a spawned program's, set by the host root server before main (on seL4 musl
 * has it from the process's first stack frame). glibc's own environ is the whole Linux
 * process's, so getenv/setenv here work on this program's copy. */
char **ng_posix_environ;

#define ENV_MAX 32
static char *env_own[ENV_MAX + 1];
static int env_copied;

static void env_copy(void)
{
    if (env_copied) return;
    env_copied = 1;
    for (int i = 0, n = 0; ng_posix_environ != NULL && ng_posix_environ[i] != NULL && n < ENV_MAX; i++) env_own[n++] = strdup(ng_posix_environ[i]);
}

static int env_find(const char *name, size_t len)
{
    for (int i = 0; i < ENV_MAX && env_own[i] != NULL; i++)
        if (strncmp(env_own[i], name, len) == 0 && env_own[i][len] == '=') return i;
    return -1;
}

char *getenv(const char *name)
{
    env_copy();
    int i = env_find(name, strlen(name));
    return i < 0 ? NULL : env_own[i] + strlen(name) + 1;
}

int setenv(const char *name, const char *value, int overwrite)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0 || strchr(name, '=') != NULL) {
        errno = EINVAL;
        return -1;
    }
    env_copy();
    int i = env_find(name, len);
    if (i >= 0 && !overwrite) return 0;
    char *s = malloc(len + strlen(value) + 2);
    if (s == NULL) {
        errno = ENOMEM;
        return -1;
    }
    sprintf(s, "%s=%s", name, value);
    if (i < 0) {
        for (i = 0; i < ENV_MAX && env_own[i] != NULL; i++) {
        }
        if (i == ENV_MAX) {
            free(s);
            errno = ENOMEM;
            return -1;
        }
    } else {
        free(env_own[i]);
    }
    env_own[i] = s;
    return 0;
}

int unsetenv(const char *name)
{
    env_copy();
    int i = env_find(name, strlen(name));
    if (i < 0) return 0;
    free(env_own[i]);
    for (; i < ENV_MAX && env_own[i] != NULL; i++) env_own[i] = env_own[i + 1];
    return 0;
}

void ng_posix_start(const ng_posix_config_t *cfg)
{
    ng_vfs_init(cfg, console_write);
    ng_proc_init(cfg);
    cookie_io_functions_t io = {c_read, c_write, NULL, NULL};
    stdin = fopencookie((void *)(intptr_t)0, "r", io);
    stdout = fopencookie((void *)(intptr_t)1, "w", io);
    stderr = fopencookie((void *)(intptr_t)2, "w", io);
    setvbuf(stdout, NULL, _IOLBF, BUFSIZ);
    setvbuf(stderr, NULL, _IONBF, 0);
}
