/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * shtest: runs the shell (/bin/sh) on each case of cases.c and compares what it prints (stdout
 * and stderr on one pipe) with the expected transcript line by line, and its exit status.
 * Prints `shtest: <case>: ok` or the differing lines and `FAILED`; the last line counts the
 * failures. Plain POSIX C: nothing here knows about seL4 or neptune-gen.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases.h"

#define TRANSCRIPT_MAX 4096

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n <= 0) return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    int r = write_all(fd, text, strlen(text));
    return close(fd) == 0 ? r : -1;
}

/* Starts the shell for case c with stdout and stderr on out; its stdin on in if in >= 0. */
static int start_shell(const shtest_case_t *c, int in, int out, pid_t *pid)
{
    static char args[128];
    char *argv[12];
    int argc = 0;
    argv[argc++] = "sh";
    if (c->how == RUN_SCRIPT) {
        argv[argc++] = "/tmp/case.sh";
        snprintf(args, sizeof args, "%s", c->args);
        for (char *a = strtok(args, " "); a != NULL && argc < 10; a = strtok(NULL, " ")) argv[argc++] = a;
    } else if (c->how == RUN_DASH_C) {
        argv[argc++] = "-c";
        argv[argc++] = (char *)c->script;
    }
    argv[argc] = NULL;
    char *envp[] = {"GREETING=hello", NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (in >= 0) posix_spawn_file_actions_adddup2(&fa, in, 0);
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_adddup2(&fa, out, 2);
    /* Only 0-2: a pipe end the shell held at another descriptor would go on to its jobs too. */
    if (in > 2) posix_spawn_file_actions_addclose(&fa, in);
    if (out > 2) posix_spawn_file_actions_addclose(&fa, out);
    int rc = posix_spawn(pid, "/bin/sh", &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* The expected transcript with %PID% replaced by pid. */
static void expected(const char *pattern, pid_t pid, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = pattern; *p && len + 16 < size;) {
        if (strncmp(p, "%PID%", 5) == 0) {
            len += (size_t)snprintf(out + len, size - len, "%d", (int)pid);
            p += 5;
        } else {
            out[len++] = *p++;
            out[len] = '\0';
        }
    }
}

/* Compares got with want line by line, printing each difference; 1 if they are equal. */
static int compare(const char *name, const char *got, const char *want)
{
    int same = 1;
    for (int line = 1; *got || *want; line++) {
        size_t g = strcspn(got, "\n"), w = strcspn(want, "\n");
        if (g != w || memcmp(got, want, g) != 0) {
            printf("shtest: %s: line %d: got \"%.*s\", expected \"%.*s\"\n", name, line, (int)g, got, (int)w, want);
            same = 0;
        }
        got += g + (got[g] == '\n');
        want += w + (want[w] == '\n');
    }
    return same;
}

/* Runs case c: 1 if its transcript and status are the expected ones. */
static int run_case(const shtest_case_t *c)
{
    if (c->how == RUN_SCRIPT && write_file("/tmp/case.sh", c->script) != 0) {
        printf("shtest: %s: cannot write /tmp/case.sh: %s\n", c->name, strerror(errno));
        return 0;
    }
    int out[2], in[2] = {-1, -1};
    if (pipe(out) != 0 || (c->how == RUN_STDIN && pipe(in) != 0)) {
        printf("shtest: %s: pipe: %s\n", c->name, strerror(errno));
        return 0;
    }
    /* Our ends stay ours: the shell must see end of file when it closes its own. */
    fcntl(out[0], F_SETFD, FD_CLOEXEC);
    if (in[1] >= 0) fcntl(in[1], F_SETFD, FD_CLOEXEC);
    pid_t pid;
    int rc = start_shell(c, in[0], out[1], &pid);
    close(out[1]);
    if (in[0] >= 0) close(in[0]);
    if (rc != 0) {
        printf("shtest: %s: posix_spawn /bin/sh: %s\n", c->name, strerror(rc));
        close(out[0]);
        if (in[1] >= 0) close(in[1]);
        return 0;
    }
    if (in[1] >= 0) {
        write_all(in[1], c->script, strlen(c->script));
        close(in[1]);
    }
    static char got[TRANSCRIPT_MAX], want[TRANSCRIPT_MAX];
    size_t have = 0;
    ssize_t n;
    while (have + 1 < sizeof got && (n = read(out[0], got + have, sizeof got - 1 - have)) > 0) have += (size_t)n;
    got[have] = '\0';
    close(out[0]);
    int status = -1;
    pid_t w = waitpid(pid, &status, 0);
    expected(c->expect, pid, want, sizeof want);
    int ok = compare(c->name, got, want);
    int code = w == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code != c->status) {
        printf("shtest: %s: exit status %d, expected %d\n", c->name, code, c->status);
        ok = 0;
    }
    return ok;
}

/* Waits until the file systems the cases use have registered (they start beside us). */
static int wait_for_mounts(void)
{
    static const char *const paths[] = {"/tmp", "/disk", "/bin/sh"};
    struct stat st;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int tries = 0;
        while (stat(paths[i], &st) != 0)
            if (++tries == 1000000) {
                printf("shtest: %s never appeared: %s\n", paths[i], strerror(errno));
                return -1;
            }
    }
    return 0;
}

int main(void)
{
    int failures = 0;
    if (wait_for_mounts() != 0) return 1;
    if (mkdir("/tmp/shdir", 0755) != 0) printf("shtest: mkdir /tmp/shdir: %s\n", strerror(errno));
    for (int i = 0; i < shtest_ncases; i++) {
        int ok = run_case(&shtest_cases[i]);
        printf("shtest: %s: %s\n", shtest_cases[i].name, ok ? "ok" : "FAILED");
        failures += !ok;
    }
    printf("shtest: done (%d failures)\n", failures);
    return failures ? 1 : 0;
}
