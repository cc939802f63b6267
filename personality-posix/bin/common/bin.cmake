# SPDX-License-Identifier: BSD-2-Clause
# A utility of personality-posix/bin: its main.c, the shared helpers of common/ (util.c, tree.c)
# and the POSIX layer (personality-posix/libc/posix.cmake). From bin/<name>/CMakeLists.txt:
#
#   include("${CMAKE_CURRENT_LIST_DIR}/../common/bin.cmake")
#   neptune_posix_utility(<name>)
include("${CMAKE_CURRENT_LIST_DIR}/../../libc/posix.cmake")
set(NEPTUNE_POSIX_BIN_COMMON "${CMAKE_CURRENT_LIST_DIR}")

function(neptune_posix_utility name)
    neptune_posix_program(${name}
        SOURCES "${CMAKE_CURRENT_LIST_DIR}/main.c" "${NEPTUNE_POSIX_BIN_COMMON}/util.c" "${NEPTUNE_POSIX_BIN_COMMON}/tree.c"
        INCLUDES "${NEPTUNE_POSIX_BIN_COMMON}")
endfunction()
