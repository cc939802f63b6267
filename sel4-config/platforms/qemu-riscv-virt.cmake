# SPDX-License-Identifier: BSD-2-Clause
#
# QEMU `virt` machine, RISC-V 64 (rv64imafdc), PLIC, 3 GiB of RAM. The image is OpenSBI (v1.4,
# OPENSBI_PATH; `neptune-gen deps` clones it into <workspace>/tools/opensbi) with the elfloader,
# kernel and root server as its payload; the kernel prints through OpenSBI's console (the same
# 16550 UART the uart driver uses). The kernel's build dumps QEMU's device tree, so
# qemu-system-riscv64 must be installed to build.
# Run: qemu-system-riscv64 -machine virt -cpu rv64 -m size=3072M -nographic -bios none -kernel <image>

set(PLATFORM "qemu-riscv-virt" CACHE STRING "" FORCE)
set(KernelSel4Arch "riscv64" CACHE STRING "" FORCE)
set(RISCV64 ON CACHE BOOL "" FORCE)
set(SIMULATION ON CACHE BOOL "" FORCE)

set(NEPTUNE_QEMU_COMMAND
    "qemu-system-riscv64 -machine virt -cpu rv64 -m size=3072M -nographic -bios none -kernel @IMAGE@"
    CACHE INTERNAL "")
