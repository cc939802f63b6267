# SPDX-License-Identifier: BSD-2-Clause
#
# QEMU `virt` machine, AArch64, Cortex-A53 (Cortex-A57 with virtualization=on for an EL2 kernel),
# GICv2, 2 GiB of RAM. The default platform.
# Run: qemu-system-aarch64 -machine virt -cpu cortex-a53 -nographic -m size=2G -kernel <image>

set(PLATFORM "qemu-arm-virt" CACHE STRING "" FORCE)
set(KernelSel4Arch "aarch64" CACHE STRING "" FORCE)
set(AARCH64 ON CACHE BOOL "" FORCE)
# EL2 kernels (NEPTUNE_KERNEL_HYP) run on a Cortex-A57 with QEMU's virtualization=on, which is
# also what seL4's platform config then extracts the device tree from.
if(NEPTUNE_KERNEL_HYP)
    set(ARM_CPU "cortex-a57" CACHE STRING "" FORCE)
else()
    set(ARM_CPU "cortex-a53" CACHE STRING "" FORCE)
endif()
set(QEMU_MEMORY "2048" CACHE STRING "" FORCE)
set(SIMULATION ON CACHE BOOL "" FORCE)

if(NEPTUNE_KERNEL_HYP)
    set(_machine "virt,virtualization=on")
else()
    set(_machine "virt")
endif()
set(NEPTUNE_QEMU_COMMAND
    "qemu-system-aarch64 -machine ${_machine} -cpu ${ARM_CPU} -nographic -m size=2G -kernel @IMAGE@"
    CACHE INTERNAL "")
