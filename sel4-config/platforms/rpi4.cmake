# SPDX-License-Identifier: BSD-2-Clause
#
# Raspberry Pi 4 (bcm2711), AArch64, real hardware only (no QEMU machine). Not yet tried.

set(PLATFORM "rpi4" CACHE STRING "" FORCE)
set(KernelSel4Arch "aarch64" CACHE STRING "" FORCE)
set(AARCH64 ON CACHE BOOL "" FORCE)
set(SIMULATION OFF CACHE BOOL "" FORCE)
# The Pi 4 variant with 4 GiB; change for other boards.
set(RPI4_MEMORY "4096" CACHE STRING "")

set(NEPTUNE_QEMU_COMMAND "" CACHE INTERNAL "")
