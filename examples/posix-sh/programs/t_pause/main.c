/* SPDX-License-Identifier: BSD-2-Clause */
/* The shell test's long-running job: waits until it is killed. Plain POSIX C. */
#include <unistd.h>

int main(void)
{
    for (;;) pause();
}
