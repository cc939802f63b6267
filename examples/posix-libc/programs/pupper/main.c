/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Copies its standard input to its standard output in upper case and exits with the number of
 * lines it saw. Plain POSIX C: ptest gives it pipes and files as descriptors 0 and 1.
 */
#include <ctype.h>
#include <unistd.h>

int main(void)
{
    char buf[256];
    int lines = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            lines += buf[i] == '\n';
            buf[i] = (char)toupper((unsigned char)buf[i]);
        }
        if (write(1, buf, (size_t)n) != n) return 100;
    }
    return n < 0 ? 101 : lines;
}
