/* SPDX-License-Identifier: BSD-2-Clause */
/* Spawned by ptest and killed by it: waits until then. Plain POSIX C. */
#include <unistd.h>

int main(void)
{
    for (;;) pause();
}
