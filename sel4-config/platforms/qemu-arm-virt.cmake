# SPDX-License-Identifier: BSD-2-Clause
#
# QEMU `virt` machine, AArch64, Cortex-A53, GICv2, 2 GiB of RAM. The default platform.
# Run: qemu-system-aarch64 -machine virt -cpu cortex-a53 -nographic -m size=2G -kernel <image>

set(PLATFORM "qemu-arm-virt" CACHE STRING "" FORCE)
set(KernelSel4Arch "aarch64" CACHE STRING "" FORCE)
set(AARCH64 ON CACHE BOOL "" FORCE)
set(ARM_CPU "cortex-a53" CACHE STRING "" FORCE)
set(QEMU_MEMORY "2048" CACHE STRING "" FORCE)
set(SIMULATION ON CACHE BOOL "" FORCE)

set(NEPTUNE_QEMU_COMMAND
    "qemu-system-aarch64 -machine virt -cpu cortex-a53 -nographic -m size=2G -kernel @IMAGE@"
    CACHE INTERNAL "")
