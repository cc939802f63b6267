/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * grep [-vcn] string [file...]: the lines holding the fixed string (-v: not holding it) of
 * each file (none: standard input); -c prints only their count, -n their line numbers too;
 * "name:" before each line of several files. Status 0 if a line was selected, 1 if none,
 * 2 on an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "util.h"

static char seen[128];

static long scan(FILE *f, const char *pattern, const char *name)
{
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0, selected = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        if ((strstr(line, pattern) != NULL) == (seen['v'] != 0)) continue;
        selected++;
        if (seen['c']) continue;
        if (name) printf("%s:", name);
        if (seen['n']) printf("%ld:", lineno);
        fputs(line, stdout);
        if (line[0] == '\0' || line[strlen(line) - 1] != '\n') putchar('\n');
    }
    free(line);
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
    if (first == argc) selected = scan(stdin, pattern, NULL);
    for (int i = first; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (f == NULL) {
            bad = util_fail(argv[i]);
            continue;
        }
        selected += scan(f, pattern, argc - first > 1 ? argv[i] : NULL);
        fclose(f);
    }
    if (fflush(stdout) != 0) bad = util_fail("write error");
    return bad ? 2 : selected > 0 ? 0 : 1;
}
