/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cat [file...]: each file ("-" or none: standard input) onto standard output, in order. A file
 * that cannot be read is reported and skipped; the status is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int cat_one(const char *path)
{
    if (strcmp(path, "-") == 0) return util_copy_fd(0, 1) == 0 ? 0 : util_fail("-");
    int fd = open(path, O_RDONLY);
    if (fd < 0) return util_fail(path);
    struct stat st;
    int bad = 0;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        bad = util_fail(path);
    } else if (util_copy_fd(fd, 1) != 0) {
        bad = util_fail(path);
    }
    close(fd);
    return bad;
}

int main(int argc, char **argv)
{
    char seen[128];
    int first = util_flags(argc, argv, "", seen);
    if (first < 0) return util_usage("cat [file...]");
    if (first == argc) return cat_one("-");
    int bad = 0;
    for (int i = first; i < argc; i++) bad |= cat_one(argv[i]);
    return bad;
}
