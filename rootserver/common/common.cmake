# SPDX-License-Identifier: BSD-2-Clause
#
# The root servers' shared half (plain C, no seL4 header): both the seL4 root server
# (rootserver/CMakeLists.txt) and the host one (runtime/host/system/CMakeLists.txt) include this
# file and compile these sources into their executable, with their own libc.
#
#   NEPTUNE_ROOTSERVER_COMMON_SOURCES  the .c files
#   NEPTUNE_ROOTSERVER_COMMON_INCLUDE  the folder that holds <rootserver/common.h>

include_guard(GLOBAL)

set(NEPTUNE_ROOTSERVER_COMMON_SOURCES
    "${CMAKE_CURRENT_LIST_DIR}/validate.c"
    "${CMAKE_CURRENT_LIST_DIR}/restart.c"
    "${CMAKE_CURRENT_LIST_DIR}/report.c")
set(NEPTUNE_ROOTSERVER_COMMON_INCLUDE "${CMAKE_CURRENT_LIST_DIR}/include")
