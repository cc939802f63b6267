/* SPDX-License-Identifier: BSD-2-Clause */
/* The shell's test cases (cases.c), run by shtest (main.c). */
#ifndef SHTEST_CASES_H
#define SHTEST_CASES_H

typedef enum {
    RUN_SCRIPT, /* sh /tmp/case.sh ARGS: script is the file */
    RUN_DASH_C, /* sh -c SCRIPT */
    RUN_STDIN   /* sh, with script written into its standard input (a pipe) */
} run_how_t;

typedef struct {
    const char *name;
    run_how_t how;
    const char *args;   /* RUN_SCRIPT: arguments after the script, space-separated */
    const char *script;
    const char *expect; /* stdout and stderr together; "%PID%" stands for the shell's pid */
    int status;         /* the shell's exit status */
} shtest_case_t;

extern const shtest_case_t shtest_cases[];
extern const int shtest_ncases;

#endif
