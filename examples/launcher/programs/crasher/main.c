/* SPDX-License-Identifier: BSD-2-Clause */
/* A spawned child that dereferences NULL: its spawner learns of it as a vm fault at 0. */
#include <stdio.h>

int main(void)
{
    printf("crasher: about to dereference NULL\n");
    volatile int *p = NULL;
    *p = 42;
    return 0;
}
