/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host test of the shell's line editor (edit.c): typed bytes go into a pipe on descriptor 0,
 * what the editor echoes is read back from a pipe on descriptor 1, and both the line it returns
 * and the echo are compared with the expected ones (backspace, DEL, ^U, ^C, ^D, escape
 * sequences, type-ahead, and lines without echo when the input is not a terminal).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../sh.h"

sh_state_t SH;

static int failures;

/* Feeds typed to the editor; returns what one sh_edit_line call gave and echoed. */
static int edit(const char *typed, size_t len, int tty, char *line, char *echoed, size_t size)
{
    int in[2], out[2];
    if (pipe(in) || pipe(out)) return -2;
    if (write(in[1], typed, len) != (ssize_t)len) return -2;
    close(in[1]);
    int saved0 = dup(0), saved1 = dup(1);
    dup2(in[0], 0);
    dup2(out[1], 1);
    int r = sh_edit_line(line, size, "$ ", tty);
    dup2(saved0, 0);
    dup2(saved1, 1);
    close(saved0);
    close(saved1);
    close(in[0]);
    close(out[1]);
    ssize_t n = read(out[0], echoed, size - 1);
    echoed[n > 0 ? n : 0] = '\0';
    close(out[0]);
    return r;
}

static void check(const char *what, const char *typed, size_t len, int tty, int want_r, const char *want_line, const char *want_echo)
{
    char line[128], echoed[256];
    int r = edit(typed, len, tty, line, echoed, sizeof line);
    int ok = r == want_r && (r < 0 || strcmp(line, want_line) == 0) && strcmp(echoed, want_echo) == 0;
    printf("edit_test: %s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) {
        printf("  returned %d, line \"%s\", echo \"%s\"\n", r, r >= 0 ? line : "", echoed);
        failures++;
    }
}

#define T(s) s, sizeof s - 1

int main(void)
{
    check("plain line", T("echo hi\n"), 1, 7, "echo hi", "$ echo hi\n");
    check("carriage return ends a line", T("pwd\r"), 1, 3, "pwd", "$ pwd\n");
    check("DEL and backspace erase", T("ls\x7f\x7f" "ec\bcho\n"), 1, 4, "echo", "$ ls\b \b\b \bec\b \bcho\n");
    check("backspace on an empty line does nothing", T("\x7fx\n"), 1, 1, "x", "$ x\n");
    check("^U kills the line", T("abc\x15xyz\n"), 1, 3, "xyz", "$ abc\b \b\b \b\b \bxyz\n");
    check("^C discards the line", T("abc\x03" "def\n"), 1, 3, "def", "$ abc^C\n$ def\n");
    check("^D on an empty line ends the input", T("\x04"), 1, -1, "", "$ \n");
    check("^D inside a line is ignored", T("ab\x04" "c\n"), 1, 3, "abc", "$ abc\n");
    check("escape sequences (arrow keys) are ignored", T("a\x1b[Db\x1b[1;5C\n"), 1, 2, "ab", "$ ab\n");
    check("other control characters are ignored", T("a\x01\x02" "b\n"), 1, 2, "ab", "$ ab\n");
    check("end of input ends a last line", T("last"), 1, 4, "last", "$ last");
    check("end of input on an empty line", T(""), 1, -1, "", "$ ");
    check("not a terminal: no prompt, no echo", T("one\ntwo\n"), 0, 3, "one", "");
    check("not a terminal: bytes as they are", T("a\x7f" "b\n"), 0, 3, "a\x7f" "b", "");
    sh_edit_typeahead('x');
    check("type-ahead comes first", T("y\n"), 1, 2, "xy", "$ xy\n");
    printf("edit_test: %d failures\n", failures);
    return failures != 0;
}
