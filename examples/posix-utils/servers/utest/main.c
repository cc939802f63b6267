/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runs each utility of personality-posix/bin as /bin/<name> through posix_spawn, its standard
 * output and error redirected into files of /tmp (file actions) or chained through pipes, and
 * checks what it printed and its exit status, error cases included. Plain POSIX C. Each check
 * prints one line ending in "ok" or "FAILED" (then what the program printed); the last line
 * counts the failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUT "/tmp/utest.out"
#define ERR "/tmp/utest.err"

typedef struct {
    int status; /* exit status, or 128 + the signal that ended it */
    char out[4096];
    char err[1024];
} result_t;

static int failures;
static result_t last;

static void check(int ok, const char *what)
{
    printf("utest: %s: %s\n", what, ok ? "ok" : "FAILED");
    if (ok) return;
    failures++;
    printf("utest:   status %d, stdout [%s], stderr [%s]\n", last.status, last.out, last.err);
}

/* Prints a program's output, one "utest: | " line each (for the log). */
static void show(const char *text)
{
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        printf("utest: | %.*s\n", len, p);
        p += len + (nl != NULL);
    }
}

/* The whole file into buf (NUL-terminated); its length, or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    size_t have = 0;
    ssize_t n;
    while (have + 1 < size && (n = read(fd, buf + have, size - 1 - have)) > 0) have += (size_t)n;
    buf[have] = '\0';
    close(fd);
    return (long)have;
}

static int put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ssize_t len = (ssize_t)strlen(text);
    int ok = fd >= 0 && write(fd, text, (size_t)len) == len;
    return close(fd) == 0 && ok;
}

static int holds(const char *path, const char *text)
{
    char buf[512];
    return slurp(path, buf, sizeof buf) >= 0 && strcmp(buf, text) == 0;
}

static int gone(const char *path)
{
    struct stat st;
    return stat(path, &st) == -1 && errno == ENOENT;
}

static int status_of(int st)
{
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

/* Spawns /bin/argv[0] with stdin from `in` (NULL: inherited) and stdout, stderr into `out`
 * (NULL: OUT) and ERR; waits for it and fills `last`. Returns its status. */
static int run_io(const char *in, const char *out, char *argv[])
{
    char path[64];
    snprintf(path, sizeof path, "/bin/%s", argv[0]);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (in) posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out ? out : OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, ERR, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int st = 0, rc = posix_spawn(&pid, path, &fa, NULL, argv, NULL);
    posix_spawn_file_actions_destroy(&fa);
    memset(&last, 0, sizeof last);
    if (rc != 0 || waitpid(pid, &st, 0) != pid) {
        last.status = -1;
        snprintf(last.err, sizeof last.err, "spawn/wait of %s failed: %s", path, strerror(rc ? rc : errno));
        return -1;
    }
    last.status = status_of(st);
    if (out == NULL) slurp(OUT, last.out, sizeof last.out);
    slurp(ERR, last.err, sizeof last.err);
    return last.status;
}

#define RUN(...) run_io(NULL, NULL, (char *[]){__VA_ARGS__, NULL})
#define RUN_TO(out, ...) run_io(NULL, out, (char *[]){__VA_ARGS__, NULL})

/* Did the last run exit with `status`, print `out` and `err` exactly? */
static int said(int status, const char *out, const char *err)
{
    return last.status == status && strcmp(last.out, out) == 0 && strcmp(last.err, err) == 0;
}

static int usage_error(const char *prefix)
{
    return last.status == 2 && last.out[0] == '\0' && strstr(last.err, prefix) != NULL;
}

/* cmds[0] | cmds[1] | ... > out: every stage spawned first, then waited for; statuses of all. */
static int pipeline(char **cmds[], int n, const char *out, int status[])
{
    int fds[8][2];
    pid_t pid[8];
    for (int i = 0; i < n - 1; i++)
        if (pipe(fds[i]) != 0) return -1;
    for (int i = 0; i < n; i++) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        if (i > 0) posix_spawn_file_actions_adddup2(&fa, fds[i - 1][0], 0);
        if (i < n - 1) posix_spawn_file_actions_adddup2(&fa, fds[i][1], 1);
        else posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        for (int k = 0; k < n - 1; k++) {
            posix_spawn_file_actions_addclose(&fa, fds[k][0]);
            posix_spawn_file_actions_addclose(&fa, fds[k][1]);
        }
        char path[64];
        snprintf(path, sizeof path, "/bin/%s", cmds[i][0]);
        int rc = posix_spawn(&pid[i], path, &fa, NULL, cmds[i], NULL);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) return -1;
    }
    for (int k = 0; k < n - 1; k++) {
        close(fds[k][0]);
        close(fds[k][1]);
    }
    for (int i = 0; i < n; i++) {
        int st = 0;
        if (waitpid(pid[i], &st, 0) != pid[i]) return -1;
        status[i] = status_of(st);
    }
    return 0;
}

static void test_files(void)
{
    check(RUN("echo", "hello", "world") == 0 && said(0, "hello world\n", ""), "echo hello world");
    check(RUN("echo", "-n", "a", "b") == 0 && said(0, "a b", ""), "echo -n a b");
    check(RUN_TO("/tmp/x", "echo", "a", "b") == 0 && holds("/tmp/x", "a b\n"), "echo a b > /tmp/x");
    int st[3];
    char buf[256];
    check(pipeline((char **[]){(char *[]){"cat", "/tmp/x", NULL}, (char *[]){"wc", "-c", NULL}}, 2, OUT, st) == 0 && st[0] == 0 && st[1] == 0 &&
              slurp(OUT, buf, sizeof buf) == 2 && strcmp(buf, "4\n") == 0,
          "cat /tmp/x | wc -c gives 4");
    check(RUN("cat", "/tmp/x", "/nope") == 1 && said(1, "a b\n", "cat: /nope: No such file or directory\n"),
          "cat of a missing file: the message and status 1");
    check(RUN("cat", "/tmp") == 1 && said(1, "", "cat: /tmp: Is a directory\n"), "cat of a directory: EISDIR");
    check(run_io("/tmp/x", NULL, (char *[]){"cat", NULL}) == 0 && said(0, "a b\n", ""), "cat < /tmp/x");

    check(RUN("mkdir", "-p", "/tmp/a/b/c") == 0 && said(0, "", "") && RUN("ls", "/tmp/a/b") == 0 && said(0, "c\n", ""), "mkdir -p /tmp/a/b/c");
    check(RUN("mkdir", "-p", "/tmp/a/b") == 0 && said(0, "", ""), "mkdir -p of an existing directory is no error");
    check(RUN("mkdir", "/tmp/a") == 1 && said(1, "", "mkdir: /tmp/a: File exists\n"), "mkdir of an existing directory: EEXIST, status 1");
    check(RUN("mkdir") == 2 && usage_error("usage: mkdir"), "mkdir without operands: usage, status 2");
    check(RUN("rmdir", "/tmp/a") == 1 && strncmp(last.err, "rmdir: /tmp/a: ", 15) == 0, "rmdir of a non-empty directory fails");
    check(RUN("rmdir", "/tmp/a/b/c") == 0 && gone("/tmp/a/b/c"), "rmdir /tmp/a/b/c");

    /* ls: sorted names, -l as "<type><mode> <size> <name>", -a, errors. */
    check(RUN("mkdir", "/tmp/l", "/tmp/l/d") == 0 && put("/tmp/l/f1", "twelve bytes") && put("/tmp/l/.hidden", ""), "make /tmp/l with d, f1, .hidden");
    check(RUN("ls", "/tmp/l") == 0 && said(0, "d\nf1\n", ""), "ls /tmp/l: d f1, sorted, no dot files");
    RUN("ls", "-l", "/tmp/l");
    show(last.out);
    char m1[16] = "", m2[16] = "", n1[16] = "", n2[16] = "";
    long long s1 = -1, s2 = -1;
    check(last.status == 0 && sscanf(last.out, "%15s %lld %15s\n%15s %lld %15s", m1, &s1, n1, m2, &s2, n2) == 6 && strlen(m1) == 10 && m1[0] == 'd' &&
              strcmp(n1, "d") == 0 && strlen(m2) == 10 && m2[0] == '-' && s2 == 12 && strcmp(n2, "f1") == 0,
          "ls -l: type and mode, size, name");
    check(RUN("ls", "-a", "/tmp/l") == 0 && strstr(last.out, ".hidden\n") && strstr(last.out, "f1\n"), "ls -a shows .hidden");
    check(RUN("ls", "-l", "/tmp/l/f1") == 0 && strstr(last.out, "      12 /tmp/l/f1\n") && last.out[0] == '-', "ls -l of a file");
    check(RUN("ls", "/nope") == 1 && said(1, "", "ls: /nope: No such file or directory\n"), "ls /nope: the message and status 1");
    check(RUN("ls", "-z") == 2 && usage_error("ls: unknown option -- z\nusage: ls"), "ls -z: usage, status 2");

    /* touch */
    check(RUN("touch", "/tmp/t") == 0 && holds("/tmp/t", ""), "touch creates an empty file");
    check(RUN("touch", "/tmp/l/f1") == 0 && holds("/tmp/l/f1", "twelve bytes"), "touch of a file keeps its bytes");
    check(RUN("touch", "/nodir/x") == 1 && said(1, "", "touch: /nodir/x: No such file or directory\n"), "touch in a missing directory: status 1");
}

static void test_text(void)
{
    static const char fruit[] = "apple\nbanana\ncherry\napple pie\n";
    check(put("/tmp/fruit", fruit), "write /tmp/fruit");
    char want[64];
    snprintf(want, sizeof want, "4 5 %d /tmp/fruit\n", (int)strlen(fruit));
    check(RUN("wc", "/tmp/fruit") == 0 && said(0, want, ""), "wc: lines, words, bytes");
    check(RUN("wc", "-l", "-w", "/tmp/fruit") == 0 && said(0, "4 5 /tmp/fruit\n", ""), "wc -l -w");
    check(RUN("wc", "-l", "/tmp/fruit", "/tmp/x") == 0 && said(0, "4 /tmp/fruit\n1 /tmp/x\n5 total\n", ""), "wc -l of two files: a total");
    check(RUN("head", "-n", "2", "/tmp/fruit") == 0 && said(0, "apple\nbanana\n", ""), "head -n 2");
    check(RUN("head", "-n1", "/tmp/fruit", "/tmp/x") == 0 && said(0, "==> /tmp/fruit <==\napple\n\n==> /tmp/x <==\na b\n", ""), "head -n1 of two files");
    check(RUN("head", "-n", "x", "/tmp/fruit") == 2 && usage_error("usage: head"), "head -n x: usage, status 2");
    check(RUN("grep", "apple", "/tmp/fruit") == 0 && said(0, "apple\napple pie\n", ""), "grep apple");
    check(RUN("grep", "-v", "apple", "/tmp/fruit") == 0 && said(0, "banana\ncherry\n", ""), "grep -v apple");
    check(RUN("grep", "-c", "apple", "/tmp/fruit") == 0 && said(0, "2\n", ""), "grep -c apple");
    check(RUN("grep", "-n", "an", "/tmp/fruit") == 0 && said(0, "2:banana\n", ""), "grep -n an");
    check(RUN("grep", "zzz", "/tmp/fruit") == 1 && said(1, "", ""), "grep without a match: status 1");
    check(RUN("grep", "a", "/nope") == 2 && said(2, "", "grep: /nope: No such file or directory\n"), "grep of a missing file: status 2");
    check(RUN("grep") == 2 && usage_error("usage: grep"), "grep without a pattern: usage, status 2");
    int st[3];
    char buf[64];
    check(pipeline((char **[]){(char *[]){"cat", "/tmp/fruit", NULL}, (char *[]){"grep", "apple", NULL}, (char *[]){"wc", "-l", NULL}}, 3, OUT, st) == 0 &&
              st[0] == 0 && st[1] == 0 && st[2] == 0 && slurp(OUT, buf, sizeof buf) >= 0 && strcmp(buf, "2\n") == 0,
          "cat /tmp/fruit | grep apple | wc -l gives 2");
    check(put("/tmp/h", "hello\n") && RUN("hexdump", "-C", "/tmp/h") == 0 &&
              said(0, "00000000  68 65 6c 6c 6f 0a                                 |hello.|\n00000006\n", ""),
          "hexdump -C of hello");
    check(put("/tmp/h", "0123456789abcdef\001") && RUN("hexdump", "/tmp/h") == 0 &&
              said(0,
                   "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n"
                   "00000010  01                                                |.|\n00000011\n",
                   ""),
          "hexdump of 17 bytes: two rows");
    check(RUN("sleep", "x") == 2 && usage_error("usage: sleep"), "sleep x: usage, status 2");
    check(RUN("sleep", "0") == 0 && said(0, "", ""), "sleep 0");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int slept = RUN("sleep", "1");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("utest: sleep 1 took %.2f s\n", took);
    check(slept == 0 && said(0, "", "") && took >= 0.9 && took < 5, "sleep 1 takes a second or two");
}

static int same_tree(const char *a, const char *b)
{
    static const char *files[] = {"a.txt", "sub/b.txt", "sub/deeper/c.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char pa[128], pb[128], ta[128], tb[128];
        snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
        if (slurp(pa, ta, sizeof ta) <= 0 || slurp(pb, tb, sizeof tb) <= 0 || strcmp(ta, tb) != 0) return 0;
    }
    return 1;
}

static void test_trees(void)
{
    RUN("rm", "-rf", "/disk/utree", "/disk/utree2", "/disk/y"); /* a previous run's */
    check(RUN("mkdir", "-p", "/disk/utree/sub/deeper") == 0 && RUN_TO("/disk/utree/a.txt", "echo", "alpha") == 0 &&
              RUN_TO("/disk/utree/sub/b.txt", "echo", "beta") == 0 && RUN_TO("/disk/utree/sub/deeper/c.txt", "echo", "gamma") == 0,
          "make a tree on /disk with mkdir -p and echo");
    check(RUN("cp", "/disk/utree", "/tmp/z") == 1 && said(1, "", "cp: /disk/utree: Is a directory\n"), "cp of a directory without -r: status 1");
    check(RUN("cp", "-r", "/disk/utree", "/tmp/utree") == 0 && said(0, "", "") && same_tree("/disk/utree", "/tmp/utree"), "cp -r /disk/utree /tmp/utree");
    check(RUN("cp", "-r", "/tmp/utree", "/disk/utree2") == 0 && same_tree("/tmp/utree", "/disk/utree2"), "cp -r /tmp/utree /disk/utree2: the same files");
    check(RUN("cp", "/tmp/x", "/tmp/l") == 0 && holds("/tmp/l/x", "a b\n"), "cp a file into a directory");
    check(RUN("cp", "/tmp/x") == 2 && usage_error("usage: cp"), "cp with one operand: usage, status 2");
    check(RUN("mv", "/tmp/x", "/tmp/y") == 0 && gone("/tmp/x") && holds("/tmp/y", "a b\n"), "mv /tmp/x /tmp/y");
    check(RUN("mv", "/tmp/y", "/disk/y") == 0 && gone("/tmp/y") && holds("/disk/y", "a b\n"), "mv /tmp/y /disk/y: across file systems");
    check(RUN("mv", "/nope", "/tmp/q") == 1 && said(1, "", "mv: /nope: No such file or directory\n"), "mv of a missing file: status 1");
    check(RUN("rm", "/disk/utree") == 1 && said(1, "", "rm: /disk/utree: Is a directory\n"), "rm of a directory without -r: status 1");
    check(RUN("rm", "/nope") == 1 && said(1, "", "rm: /nope: No such file or directory\n"), "rm /nope: the message and status 1");
    check(RUN("rm", "-f", "/nope") == 0 && said(0, "", ""), "rm -f /nope: silent, status 0");
    check(RUN("rm", "-r", "/disk/utree", "/disk/utree2", "/tmp/utree", "/disk/y") == 0 && gone("/disk/utree") && gone("/disk/utree2") && gone("/tmp/utree") &&
              gone("/disk/y"),
          "rm -r of the three trees and a file");
    check(RUN("rm", "-r", "/tmp/a", "/tmp/l", "/tmp/t", "/tmp/h", "/tmp/fruit") == 0 && gone("/tmp/a") && gone("/tmp/l"), "rm -r of the rest in /tmp");
    check(RUN("ls", "/tmp") == 0 && said(0, "utest.err\nutest.out\n", ""), "ls /tmp: only the driver's own files left");
}

static void test_system(void)
{
    check(RUN("mount") == 0 && strstr(last.out, "/tmp type directory") && strstr(last.out, "/dev type") && strstr(last.out, "/bin type") &&
              strstr(last.out, "/disk type"),
          "mount lists /tmp /dev /bin /disk");
    show(last.out);
    check(RUN("mount", "-a") == 2 && usage_error("usage: mount"), "mount -a: usage, status 2");

    /* A child blocked reading a pipe: ps sees it, kill (the utility) may probe it but not end it. */
    int in[2];
    pid_t kid;
    check(pipe(in) == 0, "pipe for a blocked cat");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_addclose(&fa, in[0]);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    check(posix_spawn(&kid, "/bin/cat", &fa, NULL, (char *[]){"cat", NULL}, NULL) == 0, "spawn cat reading a pipe");
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    RUN("ps");
    show(last.out);
    char me[64], child[64];
    snprintf(me, sizeof me, "\n%5d %5d waiting utest\n", (int)getpid(), (int)getppid());
    snprintf(child, sizeof child, "\n%5d %5d running cat\n", (int)kid, (int)getpid());
    check(last.status == 0 && strncmp(last.out, "  PID  PPID STATE   NAME\n", 25) == 0 && strstr(last.out, me) && strstr(last.out, child) &&
              strstr(last.out, "running ps\n"),
          "ps shows the driver (waiting), the blocked cat and itself");
    char pid[16];
    snprintf(pid, sizeof pid, "%d", (int)kid);
    char err[64];
    snprintf(err, sizeof err, "kill: %s: Operation not permitted\n", pid);
    check(RUN("kill", pid) == 1 && said(1, "", err), "kill of another's child: EPERM, status 1");
    check(RUN("kill", "-0", pid) == 0 && said(0, "", ""), "kill -0 probes it: status 0");
    check(RUN("kill", "-9", "99999") == 1 && said(1, "", "kill: 99999: No such process\n"), "kill -9 of a missing process: ESRCH, status 1");
    check(RUN("kill", "-BOGUS", pid) == 2 && usage_error("kill: BOGUS: invalid signal\nusage: kill"), "kill -BOGUS: usage, status 2");
    check(RUN("kill") == 2 && usage_error("usage: kill"), "kill without a pid: usage, status 2");
    int st = 0;
    check(kill(kid, SIGTERM) == 0 && waitpid(kid, &st, 0) == kid && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "the parent's kill ends the cat");
    close(in[1]);
    check(RUN("nothere") == -1, "posix_spawn of a missing utility fails");
}

/* The file systems register with the pathname manager as they start, concurrently with utest
 * on the host target: wait (at most ~10 s) until every one the tests use answers. */
static void wait_for_mounts(void)
{
    static const char *const mounts[] = {"/tmp", "/dev", "/bin", "/disk"};
    const char *missing = NULL;
    for (int tries = 0; tries < 10; tries++) {
        struct stat st;
        missing = NULL;
        for (size_t i = 0; i < sizeof mounts / sizeof mounts[0] && missing == NULL; i++)
            if (stat(mounts[i], &st) != 0) missing = mounts[i];
        if (missing == NULL) return;
        nanosleep(&(struct timespec){0, 100000000L}, NULL);
    }
    printf("utest: %s is not up; the checks go on\n", missing);
}

int main(void)
{
    wait_for_mounts();
    test_files();
    test_text();
    test_trees();
    test_system();
    unlink(OUT);
    unlink(ERR);
    printf("utest: done (%d failures)\n", failures);
    return failures ? 1 : 0;
}
