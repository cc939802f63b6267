# SPDX-License-Identifier: BSD-2-Clause
#
# Kernel and library configuration shared by every platform, then the platform's own file
# (sel4-config/platforms/<NEPTUNE_PLATFORM>.cmake). Included by the top-level CMakeLists.txt
# before project(): the kernel's platform settings choose the cross compiler (toolchain file).
#
# The kernel configuration comes from the system description (`kernel` in system.ts, see
# codegen/src/model/kernel.ts): `neptune-gen build` passes NEPTUNE_KERNEL_MCS, NEPTUNE_KERNEL_HYP,
# NEPTUNE_BUILD and NEPTUNE_KERNEL_PRINTING, and compiles the system for the same settings (the
# capability layout differs on MCS). Setting KernelIsMCS & co. directly is overridden here.
#
# NEPTUNE_BUILD selects the flavour:
#   debug    (default) kernel printing and debug syscalls: seL4_DebugPutChar, fault names
#   release  optimised, no kernel printing (benchmarks)
# NEPTUNE_KERNEL_PRINTING=ON keeps the kernel's debug console (seL4_DebugPutChar, so printf) in a
# release build without its debug facilities: the IPC benchmark prints its figures that way. The
# IPC fast path has no printing in it.

include_guard(GLOBAL)

set(NEPTUNE_PLATFORM "qemu-arm-virt" CACHE STRING "Target platform (a file in sel4-config/platforms/)")
set_property(CACHE NEPTUNE_PLATFORM PROPERTY STRINGS qemu-arm-virt rpi3 rpi4 x86_64 qemu-riscv-virt)
set(NEPTUNE_BUILD "debug" CACHE STRING "debug or release")
set_property(CACHE NEPTUNE_BUILD PROPERTY STRINGS debug release)
option(NEPTUNE_KERNEL_PRINTING "Kernel debug console in a release build (benchmark output)" OFF)
option(NEPTUNE_KERNEL_MCS "seL4's MCS kernel (scheduling contexts, reply objects)" OFF)
option(NEPTUNE_KERNEL_HYP "Kernel at EL2 (KernelArmHypervisorSupport; QEMU virtualization=on)" OFF)

set(_neptune_platform_file "${CMAKE_CURRENT_LIST_DIR}/platforms/${NEPTUNE_PLATFORM}.cmake")
if(NOT EXISTS "${_neptune_platform_file}")
    file(GLOB _known RELATIVE "${CMAKE_CURRENT_LIST_DIR}/platforms" "${CMAKE_CURRENT_LIST_DIR}/platforms/*.cmake")
    string(REPLACE ".cmake" "" _known "${_known}")
    message(FATAL_ERROR "neptune: unknown NEPTUNE_PLATFORM '${NEPTUNE_PLATFORM}' (known: ${_known})")
endif()

include(application_settings)

# The platform file sets PLATFORM (cmake-tool's name), the arch flag (AARCH64, ...), and the
# simulator command line, then may override anything below.
include("${_neptune_platform_file}")

# Before the kernel's platform settings: qemu-arm-virt extracts its device tree from QEMU there,
# with virtualization=on (a GIC with its virtual CPU interface) only for an EL2 kernel.
if(NEPTUNE_KERNEL_HYP)
    set(KernelArmHypervisorSupport ON CACHE BOOL "" FORCE)
endif()

correct_platform_strings()
find_package(seL4 REQUIRED)
sel4_configure_platform_settings()

# --- kernel -----------------------------------------------------------------------------------
set(KernelIsMCS ${NEPTUNE_KERNEL_MCS} CACHE BOOL "" FORCE)
if(KernelArchARM)
    set(KernelArmHypervisorSupport ${NEPTUNE_KERNEL_HYP} CACHE BOOL "" FORCE)
elseif(NEPTUNE_KERNEL_HYP)
    message(FATAL_ERROR "neptune: NEPTUNE_KERNEL_HYP needs an ARM platform")
endif()
set(KernelMaxNumNodes 1 CACHE STRING "" FORCE)
set(KernelNumDomains 1 CACHE STRING "" FORCE)
# Room in the root server's CNode for the boot-info caps (untypeds, device frames) plus every
# object it creates for the servers.
set(KernelRootCNodeSizeBits 14 CACHE STRING "" FORCE)
if(KernelSel4ArchAarch64)
    set(KernelArmTLSReg tpidru CACHE STRING "" FORCE)
endif()
if(KernelArchARM)
    # Cycle counter readable from user mode (the IPC benchmark).
    set(KernelArmExportPMUUser ON CACHE BOOL "" FORCE)
    # Generic timer's virtual counter readable from user mode: the root server's clock for its
    # restart rate limit (rootserver/target.c).
    set(KernelArmExportVCNTUser ON CACHE BOOL "" FORCE)
endif()

if(NEPTUNE_BUILD STREQUAL "release")
    ApplyCommonReleaseVerificationSettings(TRUE FALSE)
    if(NEPTUNE_KERNEL_PRINTING)
        set(KernelPrinting ON CACHE BOOL "" FORCE)
    endif()
else()
    ApplyCommonReleaseVerificationSettings(FALSE FALSE)
endif()

# --- libraries ---------------------------------------------------------------------------------
# No static morecore area in every ELF: each server's malloc uses the heap its layout maps
# (rootserver/support/server_heap.c), the root server its own (rootserver/heap.c).
set(LibSel4MuslcSysMorecoreBytes 0 CACHE STRING "" FORCE)
# Keep unreferenced sections: the root server's tables are found through one symbol.
set(UserLinkerGCSections OFF CACHE BOOL "" FORCE)
set(LibSel4MuslcSysArchPutcharWeak ON CACHE BOOL "" FORCE)
set(LibSel4MuslcSysDebugHalt OFF CACHE BOOL "" FORCE)
