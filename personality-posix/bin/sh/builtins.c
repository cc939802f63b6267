/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Builtins: cd, pwd, exit, export, jobs, wait, kill (which takes %n), true, false and `:`.
 * Each writes its errors as `sh: name: …` and returns the usual status.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "builtins.h"
#include "sh.h"

static int b_cd(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : sh_var_get("HOME");
    if (dir == NULL || *dir == '\0') dir = "/";
    if (argc > 2) {
        sh_error("cd: too many arguments");
        return 1;
    }
    if (chdir(dir) != 0) {
        sh_error("cd: %s: %s", dir, strerror(errno));
        return 1;
    }
    char cwd[256];
    if (getcwd(cwd, sizeof cwd) != NULL) sh_var_set("PWD", 3, cwd, 0);
    return 0;
}

static int b_pwd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char cwd[256];
    if (getcwd(cwd, sizeof cwd) == NULL) {
        sh_error("pwd: %s", strerror(errno));
        return 1;
    }
    sh_printf(1, "%s\n", cwd);
    return 0;
}

/* A whole decimal number in s, or -1. */
static int number(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *s && !*end && v >= 0 && v < 1000000 ? (int)v : -1;
}

static int b_exit(int argc, char **argv)
{
    SH.exiting = 1;
    if (argc < 2) return SH.status;
    int n = number(argv[1]);
    if (n < 0) {
        sh_error("exit: %s: numeric argument required", argv[1]);
        return 2;
    }
    return n & 0xff;
}

static int b_export(int argc, char **argv)
{
    int status = 0;
    if (argc == 1) sh_var_print_exported();
    for (int i = 1; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        if (!sh_var_name_ok(argv[i], len)) {
            sh_error("export: `%s': not a valid identifier", argv[i]);
            status = 1;
        } else if (eq ? sh_var_set(argv[i], len, eq + 1, 1) : sh_var_export(argv[i])) {
            sh_error("export: too many variables");
            status = 1;
        }
    }
    return status;
}

static int b_jobs(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    sh_jobs_report(1);
    return 0;
}

static int b_wait(int argc, char **argv)
{
    if (argc == 1) return sh_jobs_wait_all();
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int n = sh_job_find(argv[i]);
        if (n > 0) {
            status = sh_job_wait(n);
            continue;
        }
        int ws, pid = argv[i][0] == '%' ? -1 : number(argv[i]);
        if (pid > 0 && waitpid(pid, &ws, 0) == pid) {
            status = sh_status_of(ws);
        } else {
            sh_error("wait: %s: no such job", argv[i]);
            status = 127;
        }
    }
    return status;
}

static int signal_named(const char *s)
{
    static const struct {
        const char *name;
        int sig;
    } sigs[] = {{"TERM", SIGTERM}, {"INT", SIGINT}, {"KILL", SIGKILL}, {"HUP", SIGHUP}, {"QUIT", SIGQUIT}};
    if (strncmp(s, "SIG", 3) == 0) s += 3;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (strcmp(s, sigs[i].name) == 0) return sigs[i].sig;
    return number(s);
}

static int b_kill(int argc, char **argv)
{
    int sig = SIGTERM, i = 1;
    if (i < argc && argv[i][0] == '-') {
        const char *name = argv[i][1] == 's' && argv[i][2] == '\0' && i + 1 < argc ? argv[++i] : argv[i] + 1;
        sig = signal_named(name);
        if (sig <= 0) {
            sh_error("kill: %s: invalid signal specification", name);
            return 1;
        }
        i++;
    }
    if (i == argc) {
        sh_error("kill: usage: kill [-s SIG | -SIG] pid | %%job ...");
        return 2;
    }
    int status = 0;
    for (; i < argc; i++) {
        if (argv[i][0] == '%') {
            int n = sh_job_find(argv[i]);
            if (n < 0) {
                sh_error("kill: %s: no such job", argv[i]);
                status = 1;
            } else if (sh_job_kill(n, sig) != 0) {
                sh_error("kill: %s: %s", argv[i], strerror(errno));
                status = 1;
            }
            continue;
        }
        int pid = number(argv[i]);
        if (pid <= 0) {
            sh_error("kill: %s: arguments must be process or job IDs", argv[i]);
            status = 1;
        } else if (kill(pid, sig) != 0) {
            sh_error("kill: (%d) - %s", pid, strerror(errno));
            status = 1;
        }
    }
    return status;
}

static int b_true(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static int b_false(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 1;
}

static const sh_builtin_t builtins[] = {
    {"cd", b_cd},     {"pwd", b_pwd},   {"exit", b_exit}, {"export", b_export}, {"jobs", b_jobs},
    {"wait", b_wait}, {"kill", b_kill}, {"true", b_true}, {"false", b_false},   {":", b_true},
};

const sh_builtin_t *sh_builtin_find(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0) return &builtins[i];
    return NULL;
}
