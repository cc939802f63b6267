/* SPDX-License-Identifier: BSD-2-Clause */
/* The shell's builtins (builtins.c): commands that change the shell itself, run in it. */
#ifndef SH_BUILTINS_H
#define SH_BUILTINS_H

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
} sh_builtin_t;

/* The builtin called name, NULL if there is none. */
const sh_builtin_t *sh_builtin_find(const char *name);

#endif
