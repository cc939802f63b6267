# SPDX-License-Identifier: BSD-2-Clause
#
# PC (pc99), x86_64. Not yet tried: the root server's device and IRQ paths are ARM-specific.

set(PLATFORM "x86_64" CACHE STRING "" FORCE)
set(SIMULATION ON CACHE BOOL "" FORCE)

set(NEPTUNE_QEMU_COMMAND
    "qemu-system-x86_64 -cpu Nehalem,-vme,+pdpe1gb,-xsave,-xsaveopt,-xsavec,-fsgsbase,-invpcid,+syscall,+lm,enforce -nographic -serial mon:stdio -m size=3G -kernel @KERNEL@ -initrd @IMAGE@"
    CACHE INTERNAL "")
