/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reads the console as standard input, one byte at a time as a shell's line editor does: a line,
 * then a Ctrl-C. Plain POSIX C.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    char line[128];
    size_t n = 0;
    char c;
    printf("pconsole: isatty(0) = %d; type a line\n", isatty(0));
    while (n < sizeof line - 1 && read(0, &c, 1) == 1 && c != '\n' && c != '\r') line[n++] = c;
    line[n] = '\0';
    printf("pconsole: got \"%s\"\n", line);
    while (read(0, &c, 1) == 1 && c != 0x03) {
    }
    printf("pconsole: got ^C (0x03)\n");
    printf("pconsole: done\n");
    return 0;
}
