/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command prompt's paths (pure: the host unit test compiles path.c alone). A DOS path is
 * "X:\dir\name": a drive letter (upper case), a backslash, components separated by one
 * backslash, no trailing backslash except the root's. An argument is resolved against the
 * current directory as cmd.exe does: "X:\a" absolute, "\a" from the current drive's root,
 * "X:a" relative to drive X's root (one current directory, not one per drive), "a\b" relative;
 * "." and ".." are applied ("..", at the root, stays there); '/' counts as '\'. No wildcards.
 */
#ifndef CMD_PATH_H
#define CMD_PATH_H

#include <stddef.h>

#define CMD_PATH_MAX 260

/* Resolves `arg` against `cwd` (a DOS path) into out[cap]. 0, or -1 when the result does not
 * fit or the argument names no drive path (an empty argument, a bad drive letter). */
int cmd_path_resolve(const char *cwd, const char *arg, char *out, size_t cap);

/* The NT name of a DOS path: "C:\a" -> "\??\C:\a", "C:\" -> "\??\C:\". 0, or -1 if too long. */
int cmd_path_nt(const char *dos, char *out, size_t cap);

/* The volume's NT name for drive letter `drive`: "\??\C:". */
int cmd_path_volume(char drive, char *out, size_t cap);

/* "X:" (nothing after the colon): the drive letter in upper case, else 0. */
char cmd_path_drive_only(const char *arg);

/* The last component of a DOS path ("" for a root). */
const char *cmd_path_base(const char *dos);

/* dir + '\' + name into out[cap] (no doubled backslash after a root). 0 or -1. */
int cmd_path_join(const char *dir, const char *name, char *out, size_t cap);

/* Whether the text has a '*' or '?'. */
int cmd_path_has_wildcard(const char *s);

#endif
