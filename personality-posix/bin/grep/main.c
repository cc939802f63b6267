/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * grep [-vcn] string [file...]: the lines holding the fixed string (-v: not holding it) of
 * each file (none: standard input); -c prints only their count, -n their line numbers too;
 * "name:" before each line of several files. Status 0 if a line was selected, 1 if none,
 * 2 on an error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static char seen[128];

/* Lines are read with read(), not stdio: on the host target every program shares one glibc,
 * and a program blocked inside a stdio read of a pipe holds that FILE's lock, which another
 * program's exit (fflush of every stream) would then wait for. */
typedef struct {
    int fd;
    char *buf;
    size_t cap, start, end;
} lines_t;

/* The next line without its newline (NUL-terminated in place), or NULL at the end; *err is set
 * on a read error. The buffer keeps a byte past `end` for the NUL of a last line without one. */
static char *next_line(lines_t *in, int *err)
{
    for (;;) {
        char *line = in->buf + in->start;
        char *nl = memchr(line, '\n', in->end - in->start);
        if (nl != NULL) {
            *nl = '\0';
            in->start = (size_t)(nl - in->buf) + 1;
            return line;
        }
        if (in->fd < 0) {
            if (in->start == in->end) return NULL;
            in->buf[in->end] = '\0';
            in->start = in->end;
            return line;
        }
        if (in->start > 0) { /* the partial line to the front */
            memmove(in->buf, line, in->end - in->start);
            in->end -= in->start;
            in->start = 0;
        }
        if (in->end + 1 >= in->cap) {
            char *more = realloc(in->buf, in->cap * 2);
            if (more == NULL) {
                *err = 1;
                return NULL;
            }
            in->buf = more;
            in->cap *= 2;
        }
        ssize_t n = read(in->fd, in->buf + in->end, in->cap - 1 - in->end);
        if (n < 0) {
            *err = 1;
            return NULL;
        }
        if (n == 0) in->fd = -1; /* end of file: what is left is the last line */
        in->end += (size_t)n;
    }
}

static long scan(int fd, const char *pattern, const char *name, int *bad)
{
    lines_t in = {fd, malloc(4096), 4096, 0, 0};
    if (in.buf == NULL) return 0;
    long lineno = 0, selected = 0;
    char *line;
    int err = 0;
    while ((line = next_line(&in, &err)) != NULL) {
        lineno++;
        if ((strstr(line, pattern) != NULL) == (seen['v'] != 0)) continue;
        selected++;
        if (seen['c']) continue;
        if (name) printf("%s:", name);
        if (seen['n']) printf("%ld:", lineno);
        printf("%s\n", line);
    }
    free(in.buf);
    if (err) *bad = util_fail(name ? name : "-");
    if (seen['c']) {
        if (name) printf("%s:", name);
        printf("%ld\n", selected);
    }
    return selected;
}

int main(int argc, char **argv)
{
    int first = util_flags(argc, argv, "vcn", seen);
    if (first < 0 || first == argc) return util_usage("grep [-vcn] string [file...]");
    const char *pattern = argv[first++];
    long selected = 0;
    int bad = 0;
    if (first == argc) selected = scan(0, pattern, NULL, &bad);
    for (int i = first; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            bad = util_fail(argv[i]);
            continue;
        }
        selected += scan(fd, pattern, argc - first > 1 ? argv[i] : NULL, &bad);
        close(fd);
    }
    if (fflush(stdout) != 0) bad = util_fail("write error");
    return bad ? 2 : selected > 0 ? 0 : 1;
}
