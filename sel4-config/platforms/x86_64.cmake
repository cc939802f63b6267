# SPDX-License-Identifier: BSD-2-Clause
#
# PC (pc99), x86_64, under QEMU `pc` (TCG). The kernel needs cmake-tool's simulation settings there
# (no PCID, FS/GS base through MSRs, FXSAVE, no IOMMU): without them it stops at boot on the CPU
# features QEMU's model lacks. Interrupts go through the I/O APIC (the root server asks for
# handlers with GetIOAPIC); devices are I/O ports (COM1, the PIT), given to drivers as I/O port
# caps. The kernel prints on COM1 too.
# Run: qemu-system-x86_64 -cpu Nehalem,... -nographic -serial mon:stdio -m size=3G
#      -kernel <kernel image> -initrd <root server image>

set(PLATFORM "x86_64" CACHE STRING "" FORCE)
set(KernelSel4Arch "x86_64" CACHE STRING "" FORCE)
set(SIMULATION ON CACHE BOOL "" FORCE)
ApplyCommonSimulationSettings("x86_64")

set(NEPTUNE_QEMU_COMMAND
    "qemu-system-x86_64 -cpu Nehalem,-vme,+pdpe1gb,-xsave,-xsaveopt,-xsavec,-fsgsbase,-invpcid,+syscall,+lm,enforce -nographic -serial mon:stdio -m size=3G -kernel @KERNEL@ -initrd @IMAGE@"
    CACHE INTERNAL "")
