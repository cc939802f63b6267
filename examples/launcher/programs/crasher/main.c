/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A spawned child that dereferences NULL: its spawner learns of it as a vm fault at 0. (The
 * store is left to the MMU, not to UBSan, on the host target's sanitized build.)
 */
#include <stdio.h>

__attribute__((no_sanitize("null"))) static void crash(volatile int *p)
{
    *p = 42;
}

int main(void)
{
    printf("crasher: about to dereference NULL\n");
    crash(NULL);
    return 0;
}
