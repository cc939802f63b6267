# SPDX-License-Identifier: BSD-2-Clause
# The NT driver library for a driver's CMakeLists.txt: DDK_SOURCES (the core, Rtl and the
# transport over the generated ntdrv stubs) and DDK_INCLUDES (its headers and the personality's
# shared nt/ headers).
set(DDK_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(DDK_SOURCES "${DDK_DIR}/core.c" "${DDK_DIR}/rtl.c" "${DDK_DIR}/transport.c")
set(DDK_INCLUDES "${DDK_DIR}/include" "${DDK_DIR}/../include")
