/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * touch file...: creates each missing file, empty. There is no utimes in the POSIX layer yet,
 * so an existing file's time is updated by rewriting its first byte in place (which makes the
 * file system stamp it); an existing empty file or a directory is left as it is.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int touch(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0; /* nothing to rewrite */
    int fd = open(path, O_RDWR | O_CREAT, 0644);
    if (fd < 0) return util_fail(path);
    char c;
    int bad = 0;
    ssize_t n = pread(fd, &c, 1, 0);
    if (n < 0 || (n == 1 && pwrite(fd, &c, 1, 0) != 1)) bad = util_fail(path);
    if (close(fd) != 0 && !bad) bad = util_fail(path);
    return bad;
}

int main(int argc, char **argv)
{
    char seen[128];
    int first = util_flags(argc, argv, "", seen);
    if (first < 0 || first == argc) return util_usage("touch file...");
    int bad = 0;
    for (int i = first; i < argc; i++) bad |= touch(argv[i]);
    return bad;
}
