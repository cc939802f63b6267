/* SPDX-License-Identifier: BSD-2-Clause */
/* The shell test's filter: copies its standard input to its standard output in upper case. */
#include <ctype.h>
#include <unistd.h>

int main(void)
{
    char buf[256];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
        if (write(1, buf, (size_t)n) != n) return 1;
    }
    return n < 0 ? 1 : 0;
}
