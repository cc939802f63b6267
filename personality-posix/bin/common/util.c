/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shared helpers of the utilities (util.h): messages, flags, whole writes and copies,
 * path joining.
 */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *util_prog = "?";

int util_fail(const char *what)
{
    fprintf(stderr, "%s: %s: %s\n", util_prog, what, strerror(errno));
    return 1;
}

int util_say(const char *what)
{
    fprintf(stderr, "%s: %s\n", util_prog, what);
    return 1;
}

int util_usage(const char *text)
{
    fprintf(stderr, "usage: %s\n", text);
    return 2;
}

int util_flags(int argc, char **argv, const char *allowed, char seen[128])
{
    memset(seen, 0, 128);
    if (argc > 0 && argv[0] != NULL) {
        const char *slash = strrchr(argv[0], '/');
        util_prog = slash ? slash + 1 : argv[0];
    }
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (strcmp(argv[i], "--") == 0) return i + 1;
        for (const char *c = argv[i] + 1; *c; c++) {
            if ((unsigned char)*c >= 128 || strchr(allowed, *c) == NULL) {
                fprintf(stderr, "%s: unknown option -- %c\n", util_prog, *c);
                return -1;
            }
            seen[(unsigned char)*c] = 1;
        }
    }
    return i;
}

int util_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int util_copy_fd(int in, int out)
{
    static char buf[8192];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (util_write_all(out, buf, (size_t)n) != 0) return -1;
    }
    return 0;
}

int util_join(char *out, size_t size, const char *dir, const char *name)
{
    size_t dl = strlen(dir);
    const char *sep = dl > 0 && dir[dl - 1] == '/' ? "" : "/";
    if ((size_t)snprintf(out, size, "%s%s%s", dir, sep, name) >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

void util_basename(char *out, size_t size, const char *path)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/') end--;
    size_t start = end;
    while (start > 0 && path[start - 1] != '/') start--;
    if (end == start && end > 0) start = end - 1; /* "/" itself */
    snprintf(out, size, "%.*s", (int)(end - start), path + start);
}
