# SPDX-License-Identifier: BSD-2-Clause
#
# QEMU `virt` machine, RISC-V 64. Not yet tried (needs OpenSBI in the workspace: tools/opensbi).

set(PLATFORM "qemu-riscv-virt" CACHE STRING "" FORCE)
set(KernelSel4Arch "riscv64" CACHE STRING "" FORCE)
set(RISCV64 ON CACHE BOOL "" FORCE)
set(SIMULATION ON CACHE BOOL "" FORCE)

set(NEPTUNE_QEMU_COMMAND
    "qemu-system-riscv64 -machine virt -nographic -m size=3G -bios none -kernel @IMAGE@"
    CACHE INTERNAL "")
