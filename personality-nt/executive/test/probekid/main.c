/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probekid: a process the probe starts through NtCreateProcess. "probekid fault" dereferences
 * NULL (the executive sees its end at a reaping tick); "probekid block" waits on its own
 * notification until it is terminated. It never calls the executive.
 */
#include <string.h>

#include "server_gen.h"

__attribute__((no_sanitize("null", "undefined"), noinline)) static void crash(volatile int *p)
{
    *p = 42;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "fault") == 0) crash(NULL);
    for (;;) ng_wait(PROBEKID_CAP_NTFN);
    return 0;
}
