# SPDX-License-Identifier: BSD-2-Clause
#
# Raspberry Pi 3 (bcm2837), AArch64. Boots on real hardware from an SD card (u-boot or the
# firmware loading the binary image) and in QEMU's raspi3b machine; the console is the second
# UART there.

set(PLATFORM "rpi3" CACHE STRING "" FORCE)
set(KernelSel4Arch "aarch64" CACHE STRING "" FORCE)
set(AARCH64 ON CACHE BOOL "" FORCE)
set(SIMULATION OFF CACHE BOOL "" FORCE)

set(NEPTUNE_QEMU_COMMAND
    "qemu-system-aarch64 -machine raspi3b -nographic -serial null -serial mon:stdio -m size=1024M -kernel @IMAGE@"
    CACHE INTERNAL "")
