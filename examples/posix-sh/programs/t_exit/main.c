/* SPDX-License-Identifier: BSD-2-Clause */
/* The shell test's exit: `t_exit N` exits with status N (0 without an argument). */
#include <stdlib.h>

int main(int argc, char **argv)
{
    return argc > 1 ? atoi(argv[1]) : 0;
}
