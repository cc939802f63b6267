/* SPDX-License-Identifier: BSD-2-Clause */
/* Exits at once with status 0 (pbench's posix_spawn + waitpid). Plain POSIX C. */
int main(void)
{
    return 0;
}
