/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Plain POSIX C: nothing here knows about seL4 or neptune-gen. Each check prints one line
 * ending in "ok" or "FAILED"; the last line counts the failures.
 */
#include <dirent.h>
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

static int failures;

static void check(int ok, const char *what)
{
    printf("ptest: %s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

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

int main(void)
{
    static char big[10000], back[10000];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (char)('a' + i % 26);

    check(isatty(1) == 1, "isatty(1) is the console");
    check(mkdir("/disk/pdir", 0755) == 0, "mkdir /disk/pdir");
    check(mkdir("/disk/pdir", 0755) == -1 && errno == EEXIST, "mkdir again fails with EEXIST");

    int fd = open("/disk/pdir/data.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    check(fd >= 3, "open(O_CREAT) gives a descriptor above stdio");
    check(isatty(fd) == 0 && errno == ENOTTY, "isatty(file) is 0 with ENOTTY");
    check(write_all(fd, big, sizeof big) == 0, "write 10000 bytes");
    check(close(fd) == 0, "close");
    check(close(fd) == -1 && errno == EBADF, "close again fails with EBADF");

    struct stat st;
    check(stat("/disk/pdir/data.bin", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 10000, "stat: a regular file of 10000 bytes");
    check(stat("/disk/pdir", &st) == 0 && S_ISDIR(st.st_mode), "stat: /disk/pdir is a directory");
    check(stat("/disk/nope", &st) == -1 && errno == ENOENT, "stat of a missing file fails with ENOENT");
    check(open("/nowhere/x", O_RDONLY) == -1 && errno == ENOENT, "open outside every mount fails with ENOENT");

    fd = open("/disk/pdir/data.bin", O_RDONLY);
    ssize_t got = read(fd, back, sizeof back);
    check(got == 10000 && memcmp(big, back, sizeof big) == 0, "read back 10000 identical bytes");
    check(read(fd, back, 10) == 0, "read at the end gives 0");
    check(lseek(fd, 4096, SEEK_SET) == 4096 && read(fd, back, 4) == 4 && memcmp(back, big + 4096, 4) == 0, "lseek + read");
    check(lseek(fd, -4, SEEK_END) == 9996, "lseek from the end");
    check(fstat(fd, &st) == 0 && st.st_size == 10000, "fstat");
    check(write(fd, "x", 1) == -1 && errno == EBADF, "write to a read-only descriptor fails with EBADF");
    close(fd);

    /* dup2 onto stdout: printf now lands in the file. */
    fd = open("/disk/pdir/out.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    int saved = dup(1);
    fflush(stdout);
    int duped = saved >= 3 && dup2(fd, 1) == 1;
    printf("written through stdout\n");
    fflush(stdout);
    duped = duped && dup2(saved, 1) == 1;
    check(duped, "dup + dup2 onto stdout and back");
    close(saved);
    close(fd);

    FILE *f = fopen("/disk/pdir/out.txt", "r");
    char line[64] = "";
    check(f && fgets(line, sizeof line, f) && strcmp(line, "written through stdout\n") == 0, "fopen + fgets read what stdout wrote");
    if (f) fclose(f);

    f = fopen("/disk/pdir/notes.txt", "w");
    check(f && fprintf(f, "%s %d\n", "answer", 42) > 0 && fclose(f) == 0, "fopen(w) + fprintf + fclose");
    f = fopen("/disk/pdir/notes.txt", "a");
    check(f && fputs("more\n", f) >= 0 && fclose(f) == 0, "fopen(a) appends");
    f = fopen("/disk/pdir/notes.txt", "r");
    int n = -1;
    char word[16] = "", tail[16] = "";
    check(f && fscanf(f, "%15s %d %15s", word, &n, tail) == 3 && n == 42 && strcmp(tail, "more") == 0, "fscanf reads both lines");
    if (f) fclose(f);

    check(chdir("/disk/pdir") == 0, "chdir /disk/pdir");
    char cwd[64];
    check(getcwd(cwd, sizeof cwd) && strcmp(cwd, "/disk/pdir") == 0, "getcwd");
    check(rename("notes.txt", "../renamed.txt") == 0 && access("/disk/renamed.txt", F_OK) == 0, "rename with relative paths");

    DIR *d = opendir(".");
    int seen = 0, entries = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        entries++;
        if (strcmp(e->d_name, "data.bin") == 0 || strcmp(e->d_name, "out.txt") == 0) seen++;
    }
    if (d) closedir(d);
    check(seen == 2, "opendir/readdir list data.bin and out.txt");
    printf("ptest: readdir gave %d entries\n", entries);

    check(rmdir("/disk/pdir") == -1 && (errno == ENOTEMPTY || errno == EEXIST), "rmdir of a non-empty directory fails");
    check(unlink("data.bin") == 0 && unlink("out.txt") == 0, "unlink both files");
    check(unlink("data.bin") == -1 && errno == ENOENT, "unlink again fails with ENOENT");
    check(chdir("/") == 0 && rmdir("/disk/pdir") == 0, "rmdir the empty directory");
    check(unlink("/disk/renamed.txt") == 0, "unlink the renamed file");

    /* /tmp (tmpfs), /dev (devfs): found through the pathname manager. */
    fd = open("/tmp/t.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    check(fd >= 0 && write_all(fd, big, 5000) == 0 && lseek(fd, 0, SEEK_SET) == 0 && read(fd, back, sizeof back) == 5000 &&
              memcmp(big, back, 5000) == 0,
          "/tmp: write 5000 bytes and read them back");
    close(fd);
    check(mkdir("/tmp/d", 0755) == 0 && stat("/tmp/d", &st) == 0 && S_ISDIR(st.st_mode), "/tmp: mkdir and stat a directory");
    d = opendir("/tmp");
    seen = 0;
    while (d && (e = readdir(d)) != NULL) seen += strcmp(e->d_name, "t.txt") == 0 || strcmp(e->d_name, "d") == 0;
    if (d) closedir(d);
    check(seen == 2, "/tmp: readdir lists t.txt and d");
    check(rename("/tmp/t.txt", "/tmp/d/u.txt") == 0 && stat("/tmp/d/u.txt", &st) == 0 && st.st_size == 5000, "/tmp: rename into a directory");
    check(rename("/tmp/d/u.txt", "/disk/u.txt") == -1 && errno == EXDEV, "rename from /tmp to /disk fails with EXDEV");
    check(unlink("/tmp/d/u.txt") == 0 && rmdir("/tmp/d") == 0, "/tmp: unlink and rmdir");
    check(stat("/", &st) == 0 && S_ISDIR(st.st_mode), "stat / is a directory");
    fd = open("/dev/null", O_RDWR);
    check(fd >= 0 && write(fd, big, 100) == 100 && read(fd, back, 10) == 0, "/dev/null swallows writes and reads as empty");
    close(fd);
    fd = open("/dev/zero", O_RDONLY);
    memset(back, 1, 64);
    check(fd >= 0 && read(fd, back, 64) == 64 && back[0] == 0 && back[63] == 0, "/dev/zero reads zeros");
    close(fd);
    fd = open("/dev/console", O_WRONLY);
    static const char hello[] = "ptest: a line written to /dev/console\n";
    check(fd >= 0 && write(fd, hello, sizeof hello - 1) == (ssize_t)(sizeof hello - 1), "/dev/console takes a write");
    close(fd);

    /* /bin: the system's programs, read-only. */
    d = opendir("/bin");
    seen = 0;
    while (d && (e = readdir(d)) != NULL) seen += strcmp(e->d_name, "pchild") == 0 || strcmp(e->d_name, "pupper") == 0;
    if (d) closedir(d);
    check(seen == 2, "/bin lists the programs pchild and pupper");
    check(stat("/bin/pupper", &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 1000, "stat /bin/pupper: a file of its executable's size");
    fd = open("/bin/pupper", O_RDONLY);
    check(fd >= 0 && read(fd, back, 4) == 4 && memcmp(back, "\177ELF", 4) == 0 && lseek(fd, 0, SEEK_END) == st.st_size,
          "/bin/pupper reads as an ELF file");
    close(fd);
    check(unlink("/bin/pupper") == -1 && errno == EROFS && open("/bin/new", O_CREAT | O_WRONLY, 0644) == -1 && errno == EROFS,
          "/bin is read-only (EROFS)");

    /* Time: the system's timer behind nanosleep and clock_gettime. */
    struct timespec t0, t1, nap = {.tv_sec = 0, .tv_nsec = 50 * 1000 * 1000};
    int slept = clock_gettime(CLOCK_MONOTONIC, &t0) == 0 && nanosleep(&nap, NULL) == 0 && clock_gettime(CLOCK_MONOTONIC, &t1) == 0;
    long ms = (long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    check(slept && ms >= 50 && ms < 5000, "nanosleep of 50 ms: clock_gettime moved on by 50 ms or more");

    /* The console as standard input: nobody types here, so a non-blocking read says EAGAIN. */
    int fl = fcntl(0, F_GETFL);
    check(fl >= 0 && fcntl(0, F_SETFL, fl | O_NONBLOCK) == 0 && read(0, back, 1) == -1 && errno == EAGAIN,
          "non-blocking read of stdin (the console) with nothing typed: EAGAIN");
    fcntl(0, F_SETFL, fl);

    /* Processes: a child that writes a file and exits with a status; one killed while it runs. */
    pid_t me = getpid(), kid = -1;
    char *args[] = {"pchild", "/disk/child.txt", "7", NULL};
    char *env[] = {"GREETING=hello from ptest", NULL};
    int rc = posix_spawn(&kid, "/bin/pchild", NULL, NULL, args, env);
    check(rc == 0 && kid > 0 && kid != me, "posix_spawn /bin/pchild");
    int status = 0;
    check(waitpid(kid, &status, 0) == kid && WIFEXITED(status) && WEXITSTATUS(status) == 7, "waitpid: pchild exited with status 7");
    char want[96];
    snprintf(want, sizeof want, "pchild pid %d parent %d: hello from ptest\n", (int)kid, (int)me);
    f = fopen("/disk/child.txt", "r");
    check(f && fgets(line, sizeof line, f) && strcmp(line, want) == 0, "the child wrote its pid, its parent's and its environment's GREETING into /disk");
    if (f) fclose(f);
    check(unlink("/disk/child.txt") == 0, "unlink the child's file");
    char *bargs[] = {"pblock", NULL};
    check(posix_spawnp(&kid, "pblock", NULL, NULL, bargs, NULL) == 0, "posix_spawnp pblock");
    check(waitpid(kid, &status, WNOHANG) == 0, "waitpid(WNOHANG) on a running child gives 0");
    check(kill(kid, SIGTERM) == 0, "kill(SIGTERM)");
    check(waitpid(kid, &status, 0) == kid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "waitpid: pblock ended by SIGTERM");
    check(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "waitpid with no child left fails with ECHILD");
    check(posix_spawn(&kid, "/bin/nope", NULL, NULL, args, NULL) == ENOENT, "posix_spawn of a missing program gives ENOENT");
    check(kill(99999, SIGTERM) == -1 && errno == ESRCH, "kill of a missing process fails with ESRCH");

    /* A child between two pipes: what the parent writes comes back upper-cased. */
    int in[2], out[2];
    check(pipe(in) == 0 && pipe(out) == 0, "pipe twice");
    check(fstat(in[0], &st) == 0 && S_ISFIFO(st.st_mode) && lseek(in[0], 0, SEEK_CUR) == -1 && errno == ESPIPE, "a pipe is a FIFO and cannot seek");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[0]);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addclose(&fa, out[1]);
    char *uargs[] = {"pupper", NULL};
    rc = posix_spawn(&kid, "/bin/pupper", &fa, NULL, uargs, NULL);
    posix_spawn_file_actions_destroy(&fa);
    check(rc == 0, "posix_spawn pupper with its stdin and stdout on pipes");
    close(in[0]);
    close(out[1]);
    static const char msg[] = "hello pipe\nsecond line\n";
    check(write(in[1], msg, sizeof msg - 1) == (ssize_t)(sizeof msg - 1) && close(in[1]) == 0, "write to the child's stdin and close it");
    char text[64];
    size_t have = 0;
    ssize_t r;
    while ((r = read(out[0], text + have, sizeof text - 1 - have)) > 0) have += (size_t)r;
    text[have] = '\0';
    check(r == 0 && strcmp(text, "HELLO PIPE\nSECOND LINE\n") == 0, "read the child's stdout to end of file: upper-cased");
    close(out[0]);
    check(waitpid(kid, &status, 0) == kid && WIFEXITED(status) && WEXITSTATUS(status) == 2, "waitpid: pupper saw 2 lines");

    /* Redirections: stdin from a file on /disk, stdout to a file in /tmp (opened by the child). */
    fd = open("/disk/in.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    check(fd >= 0 && write(fd, "redirected\n", 11) == 11 && close(fd) == 0, "write /disk/in.txt");
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/disk/in.txt", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/tmp/out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    rc = posix_spawn(&kid, "/bin/pupper", &fa, NULL, uargs, NULL);
    posix_spawn_file_actions_destroy(&fa);
    check(rc == 0 && waitpid(kid, &status, 0) == kid && WIFEXITED(status) && WEXITSTATUS(status) == 1, "posix_spawn pupper < /disk/in.txt > /tmp/out.txt");
    f = fopen("/tmp/out.txt", "r");
    check(f && fgets(line, sizeof line, f) && strcmp(line, "REDIRECTED\n") == 0, "/tmp/out.txt holds the upper-cased file");
    if (f) fclose(f);
    unlink("/disk/in.txt");
    unlink("/tmp/out.txt");

    /* A write to a pipe nobody reads any more: EPIPE. */
    check(pipe(in) == 0 && close(in[0]) == 0 && write(in[1], "x", 1) == -1 && errno == EPIPE, "write to a pipe without readers fails with EPIPE");
    close(in[1]);

    printf("ptest: done (%d failures)\n", failures);
    return failures ? 1 : 0;
}
