/* SPDX-License-Identifier: BSD-2-Clause */
/* The smallest program: exits at once with status 7 (the spawn/reap loop and the benchmark). */
int main(void)
{
    return 7;
}
