/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console output for the root server and every server: the C library's stdout goes to the
 * kernel's debug console (seL4_DebugPutChar) on debug builds, and nowhere on release builds.
 * Nothing maps the UART for this, so a UART driver server can own the device. Overrides the
 * weak __arch_write of sel4platsupport (LibSel4MuslcSysArchPutcharWeak).
 */
#include <stddef.h>

#include <autoconf.h>
#include <sel4/sel4.h>

size_t __arch_write(char *data, size_t count);
void __arch_putchar(int c);

void __arch_putchar(int c)
{
#ifdef CONFIG_PRINTING
    seL4_DebugPutChar((char)c);
#else
    (void)c;
#endif
}

size_t __arch_write(char *data, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        __arch_putchar(data[i]);
    }
    return count;
}
