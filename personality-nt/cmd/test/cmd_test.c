/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit test of the command prompt's pure parts (codegen/test/nt.test.ts builds it with
 * ASan and UBSan): path resolution against the current directory, NT names, command-line
 * words, sizes with thousands separators and dump lines. Prints each failure and a count.
 */
#include <stdio.h>
#include <string.h>

#include "../format.h"
#include "../line.h"
#include "../path.h"

static int failures;

static void expect_str(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        printf("FAILED %s: got \"%s\", want \"%s\"\n", what, got, want);
        failures++;
    }
}

static void expect_int(const char *what, long got, long want)
{
    if (got != want) {
        printf("FAILED %s: got %ld, want %ld\n", what, got, want);
        failures++;
    }
}

static void resolve(const char *cwd, const char *arg, const char *want)
{
    char out[CMD_PATH_MAX + 1], what[128];
    snprintf(what, sizeof what, "resolve(%s, %s)", cwd, arg);
    int r = cmd_path_resolve(cwd, arg, out, sizeof out);
    if (want == NULL) {
        expect_int(what, r, -1);
        return;
    }
    expect_int(what, r, 0);
    if (r == 0) expect_str(what, out, want);
}

static void paths(void)
{
    resolve("C:\\", "readme.txt", "C:\\readme.txt");
    resolve("C:\\docs", "readme.txt", "C:\\docs\\readme.txt");
    resolve("C:\\docs", "..\\a\\.\\b", "C:\\a\\b");
    resolve("C:\\docs", "..\\..\\..", "C:\\");
    resolve("C:\\docs\\sub", "\\x", "C:\\x");
    resolve("C:\\docs", "d:\\y\\", "D:\\y");
    resolve("C:\\docs", "D:y", "D:\\y");
    resolve("C:\\docs", "c:y", "C:\\docs\\y");
    resolve("C:\\docs", "C:", "C:\\docs");
    resolve("C:\\docs", "/a//b/", "C:\\a\\b");
    resolve("C:\\docs", ".", "C:\\docs");
    resolve("C:\\docs", "..", "C:\\");
    resolve("C:\\", "..", "C:\\");
    resolve("C:\\", "", NULL);
    resolve("C:\\", "1:x", "C:\\1:x");
    resolve("C:\\", ":x", NULL);
    char big[400];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    resolve("C:\\", big, NULL);

    char out[CMD_PATH_MAX + 8];
    expect_int("nt", cmd_path_nt("C:\\a\\b", out, sizeof out), 0);
    expect_str("nt", out, "\\??\\C:\\a\\b");
    expect_int("nt too long", cmd_path_nt("C:\\abc", out, 8), -1);
    expect_int("volume", cmd_path_volume('c', out, sizeof out), 0);
    expect_str("volume", out, "\\??\\C:");
    expect_int("drive only", cmd_path_drive_only("e:"), 'E');
    expect_int("drive only with path", cmd_path_drive_only("e:\\"), 0);
    expect_str("base", cmd_path_base("C:\\a\\b.txt"), "b.txt");
    expect_str("base of a root", cmd_path_base("C:\\"), "");
    expect_int("join", cmd_path_join("C:\\", "x", out, sizeof out), 0);
    expect_str("join at the root", out, "C:\\x");
    expect_int("join", cmd_path_join("C:\\a", "x", out, sizeof out), 0);
    expect_str("join", out, "C:\\a\\x");
    expect_int("join too long", cmd_path_join("C:\\a", "xyz", out, 6), -1);
    expect_int("wildcard", cmd_path_has_wildcard("*.txt"), 1);
    expect_int("no wildcard", cmd_path_has_wildcard("a.txt"), 0);
}

static void lines(void)
{
    char line[] = "  copy  \"C:\\my file.txt\"   D:\\x  ";
    char *argv[CMD_MAX_ARGS];
    int argc = cmd_split(line, argv, CMD_MAX_ARGS);
    expect_int("split count", argc, 3);
    if (argc == 3) {
        expect_str("split 0", argv[0], "copy");
        expect_str("split 1", argv[1], "C:\\my file.txt");
        expect_str("split 2", argv[2], "D:\\x");
    }
    char many[] = "a b c d e";
    expect_int("split max", cmd_split(many, argv, 3), 3);
    char empty[] = "   ";
    expect_int("split empty", cmd_split(empty, argv, CMD_MAX_ARGS), 0);
    expect_str("rest", cmd_rest("  echo   hello  world"), "hello  world");
    expect_str("rest of one word", cmd_rest("echo"), "");
    char t[] = "  dir C:\\ \r\n";
    expect_str("trim", cmd_trim(t), "dir C:\\");
    expect_int("word is", cmd_word_is("DiR", "dir"), 1);
    expect_int("word is not", cmd_word_is("dirx", "dir"), 0);
}

static void formats(void)
{
    char out[CMD_HEX_LINE_MAX + 1];
    cmd_fmt_thousands(0, out, sizeof out);
    expect_str("0", out, "0");
    cmd_fmt_thousands(999, out, sizeof out);
    expect_str("999", out, "999");
    cmd_fmt_thousands(1000, out, sizeof out);
    expect_str("1000", out, "1,000");
    cmd_fmt_thousands(307200, out, sizeof out);
    expect_str("307200", out, "307,200");
    cmd_fmt_thousands(1234567890123ull, out, sizeof out);
    expect_str("big", out, "1,234,567,890,123");
    const uint8_t bytes[] = "one\ntwo\nthree and more";
    cmd_fmt_hex_line(0, bytes, 8, out, sizeof out);
    expect_str("hex 8", out, "00000000  6f 6e 65 0a 74 77 6f 0a                           |one.two.|");
    cmd_fmt_hex_line(0x10, bytes, 16, out, sizeof out);
    expect_str("hex 16", out, "00000010  6f 6e 65 0a 74 77 6f 0a  74 68 72 65 65 20 61 6e  |one.two.three an|");
    cmd_fmt_hex_line(0x20, bytes + 16, 3, out, sizeof out);
    expect_str("hex 3", out, "00000020  64 20 6d                                          |d m|");
}

int main(void)
{
    paths();
    lines();
    formats();
    printf("cmd_test: %d failures\n", failures);
    return failures != 0;
}
