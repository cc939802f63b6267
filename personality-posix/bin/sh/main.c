/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sh: a small POSIX-flavoured shell for the POSIX personality, plain POSIX C.
 *
 *   sh SCRIPT [ARG...]   runs the script's lines ($0 is SCRIPT, $1… the arguments)
 *   sh -c COMMAND        runs COMMAND
 *   sh                   reads lines from descriptor 0: with the prompt `$ ` and line editing
 *                        when it is a terminal
 *
 * Each line is parsed and run before the next is read; the shell's status is the last
 * command's, or exit's argument. A syntax error ends a script or -c with status 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

sh_state_t SH;

void sh_printf(int fd, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    for (size_t at = 0; at < len;) {
        ssize_t w = write(fd, buf + at, len - at);
        if (w <= 0) return;
        at += (size_t)w;
    }
}

void sh_error(const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sh_printf(2, "sh: %s\n", msg);
}

/* Runs text line by line (a script's or -c's); stops at exit or a syntax error. */
static void run_text(char *text)
{
    for (char *line = text; line != NULL && !SH.exiting;) {
        char *nl = strchr(line, '\n');
        if (nl != NULL) *nl = '\0';
        if (sh_run_line(line) < 0) return;
        line = nl != NULL ? nl + 1 : NULL;
    }
}

static char *read_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return NULL;
    size_t len = 0, cap = 1024;
    char *text = malloc(cap);
    ssize_t n;
    while (text != NULL && (n = read(fd, text + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 256) {
            char *bigger = realloc(text, cap * 2);
            if (bigger == NULL) free(text);
            text = bigger;
            cap *= 2;
        }
    }
    int e = errno;
    close(fd);
    if (text != NULL) text[len] = '\0';
    errno = e;
    return text;
}

static void interact(void)
{
    int tty = isatty(0);
    SH.interactive = tty;
    /* Non-blocking reads only while a foreground job runs (to see ^C); the prompt blocks. */
    if (tty) SH.nonblock_in = sh_edit_nonblock(1) == 0 && sh_edit_nonblock(0) == 0;
    char line[SH_LINE_MAX];
    while (!SH.exiting) {
        if (SH.interactive) sh_jobs_report(0);
        if (sh_edit_line(line, sizeof line, "$ ", tty) < 0) break;
        sh_run_line(line);
    }
}

int main(int argc, char **argv)
{
    SH.pid = getpid();
    SH.argc = argc;
    SH.argv = argv;
    sh_vars_init();
    if (argc > 2 && strcmp(argv[1], "-c") == 0) {
        /* sh -c COMMAND [NAME [ARG...]]: $0 is NAME. */
        if (argc > 3) {
            SH.argc = argc - 3;
            SH.argv = argv + 3;
        } else {
            SH.argc = 1;
        }
        char *text = strdup(argv[2]);
        if (text == NULL) return 2;
        run_text(text);
        free(text);
    } else if (argc > 1 && strcmp(argv[1], "-c") == 0) {
        sh_error("-c: option requires an argument");
        return 2;
    } else if (argc > 1) {
        SH.argc = argc - 1;
        SH.argv = argv + 1;
        char *text = read_file(argv[1]);
        if (text == NULL) {
            sh_error("%s: %s", argv[1], strerror(errno));
            return 127;
        }
        run_text(text);
        free(text);
    } else {
        interact();
    }
    return SH.status;
}
