/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What every utility of personality-posix/bin shares: error lines in the usual form
 * (`ls: /nope: No such file or directory` on stderr), flag parsing for single-letter flags
 * (`-la`, `--` ends them), writing and copying whole buffers, and path joining. Plain POSIX C.
 */
#ifndef BIN_COMMON_UTIL_H
#define BIN_COMMON_UTIL_H

#include <stddef.h>

/* Path and name buffers: the pathname manager takes paths of up to 256 bytes (idl/pathmgr.idl
 * MAX_PATH), and a program's stack is 16 KiB by default, too small for PATH_MAX (4096) buffers
 * in every level of a recursive copy. */
#define UTIL_PATH 512
#define UTIL_NAME 256

/** The program's name for messages (set by flags_parse or by the program itself). */
extern const char *util_prog;

/** Prints "<prog>: <what>: <strerror(errno)>" on stderr; returns 1 (the failure status). */
int util_fail(const char *what);

/** Prints "<prog>: <what>" on stderr; returns 1. */
int util_say(const char *what);

/** Prints "usage: <text>" on stderr; returns 2 (the usage status). */
int util_usage(const char *text);

/**
 * Parses the leading flags of argv: every letter of `allowed` may appear, alone or grouped
 * (`-la`); "--" ends the flags, as does "-" or the first operand. seen[c] is set for each
 * letter c. Returns the index of the first operand, or -1 after printing
 * "<prog>: unknown option -- x" for a letter not in `allowed`.
 */
int util_flags(int argc, char **argv, const char *allowed, char seen[128]);

/** Writes all of buf to fd; 0, or -1 with errno. */
int util_write_all(int fd, const void *buf, size_t len);

/** Copies fd `in` to its end onto fd `out`; 0, or -1 with errno. */
int util_copy_fd(int in, int out);

/** dir + "/" + name into out (size bytes); 0, or -1 with ENAMETOOLONG. */
int util_join(char *out, size_t size, const char *dir, const char *name);

/** The last component of a path ("a/b/" gives "b"), copied into out. */
void util_basename(char *out, size_t size, const char *path);

#endif
