/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kill [-SIGNAME | -N | -s SIGNAME] pid...: sends the signal (default TERM) to each process.
 * The POSIX layer ends a child on TERM, INT, KILL, HUP and QUIT (no handlers yet), and only
 * a parent may signal its child: for anyone else's process kill says "Operation not permitted".
 */
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define USAGE "kill [-SIGNAME | -N | -s SIGNAME] pid..."

static const struct {
    const char *name;
    int sig;
} SIGNALS[] = {{"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"KILL", SIGKILL}, {"TERM", SIGTERM}};

/* A signal's name (with or without SIG) or number; -1 if it is neither. */
static int signal_of(const char *s)
{
    if (strncasecmp(s, "SIG", 3) == 0) s += 3;
    for (size_t i = 0; i < sizeof SIGNALS / sizeof SIGNALS[0]; i++)
        if (strcasecmp(s, SIGNALS[i].name) == 0) return SIGNALS[i].sig;
    char *end;
    long n = strtol(s, &end, 10);
    return *s && isdigit((unsigned char)*s) && *end == '\0' && n < 65 ? (int)n : -1;
}

int main(int argc, char **argv)
{
    util_prog = "kill";
    int sig = SIGTERM, i = 1;
    if (i < argc && strcmp(argv[i], "-s") == 0) {
        if (i + 1 >= argc || (sig = signal_of(argv[i + 1])) < 0) return util_usage(USAGE);
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0) {
        if ((sig = signal_of(argv[i] + 1)) < 0) {
            fprintf(stderr, "kill: %s: invalid signal\n", argv[i] + 1);
            return util_usage(USAGE);
        }
        i++;
    }
    if (i < argc && strcmp(argv[i], "--") == 0) i++;
    if (i == argc) return util_usage(USAGE);
    int bad = 0;
    for (; i < argc; i++) {
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (*argv[i] == '\0' || *end != '\0' || pid <= 0) {
            fprintf(stderr, "kill: %s: not a process id\n", argv[i]);
            bad = 1;
        } else if (kill((pid_t)pid, sig) != 0) {
            bad |= util_fail(argv[i]);
        }
    }
    return bad;
}
