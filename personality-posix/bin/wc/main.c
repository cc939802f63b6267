/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * wc [-lwc] [file...]: newlines, words (runs of non-space) and bytes of each file (none:
 * standard input), the chosen counts (default all three) separated by a space, then the name;
 * a "total" line after several files.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "util.h"

static char seen[128];
static long total[3];

static void show(const long n[3], const char *name)
{
    const char *sep = "";
    for (int k = 0; k < 3; k++) {
        if (!seen[(unsigned char)"lwc"[k]]) continue;
        printf("%s%ld", sep, n[k]);
        sep = " ";
    }
    printf(name ? " %s\n" : "\n", name);
}

static int count(int fd, const char *name)
{
    static char buf[8192];
    long n[3] = {0, 0, 0};
    int inword = 0;
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        n[2] += got;
        for (ssize_t i = 0; i < got; i++) {
            unsigned char c = (unsigned char)buf[i];
            n[0] += c == '\n';
            if (isspace(c)) inword = 0;
            else if (!inword) {
                inword = 1;
                n[1]++;
            }
        }
    }
    if (got < 0) return util_fail(name ? name : "-");
    show(n, name);
    for (int k = 0; k < 3; k++) total[k] += n[k];
    return 0;
}

int main(int argc, char **argv)
{
    int first = util_flags(argc, argv, "lwc", seen);
    if (first < 0) return util_usage("wc [-lwc] [file...]");
    if (!seen['l'] && !seen['w'] && !seen['c']) seen['l'] = seen['w'] = seen['c'] = 1;
    if (first == argc) return count(0, NULL);
    int bad = 0;
    for (int i = first; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            bad |= util_fail(argv[i]);
            continue;
        }
        bad |= count(fd, argv[i]);
        close(fd);
    }
    if (argc - first > 1) show(total, "total");
    return bad;
}
