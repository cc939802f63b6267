/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command prompt's command lines (pure: the host unit test compiles line.c alone): words
 * separated by blanks, "double quotes" keep blanks inside a word (the quotes are dropped), and
 * the text after the command word for `echo` and for a program's command line.
 */
#ifndef CMD_LINE_H
#define CMD_LINE_H

#include <stddef.h>

#define CMD_MAX_ARGS 16

/* Splits `line` in place into at most `max` words; their count. */
int cmd_split(char *line, char **argv, int max);

/* The text after the first word of `line` and the blanks that follow it ("" if none). */
const char *cmd_rest(const char *line);

/* `line` without leading and trailing blanks, in place. */
char *cmd_trim(char *line);

/* Case-insensitive ASCII comparison (command names: DIR, dir, Dir). */
int cmd_word_is(const char *word, const char *name);

#endif
