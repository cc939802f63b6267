# SPDX-License-Identifier: BSD-2-Clause
#
# Warnings that matter on code built against generated headers, as errors, for the seL4 build
# (cmake/neptune-server.cmake) and the host build (runtime/host/system) alike:
#   - NEPTUNE_SERVER_ERROR_FLAGS on every server's own sources: a call of a stub the IDL no
#     longer has, a handler whose signature no longer matches the ops table, a missing return;
#   - neptune_gen_check(<target> <server> <libs>...): the server's generated wrapper header
#     (server_gen.h, and every interface header it includes) compiled alone with
#     -Wall -Wextra -Werror, so that a redefined macro or type in generated code stops the build
#     (gcc has no -Werror= for macro redefinition).

include_guard(GLOBAL)

set(NEPTUNE_SERVER_ERROR_FLAGS
    -Werror=implicit-function-declaration -Werror=implicit-int -Werror=incompatible-pointer-types
    -Werror=int-conversion -Werror=return-type)

function(neptune_gen_check target name)
    if("${NEPTUNE_GEN_DIR}" STREQUAL "" OR NOT EXISTS "${NEPTUNE_GEN_DIR}/servers/${name}/server_gen.h")
        return()
    endif()
    set(src "${CMAKE_CURRENT_BINARY_DIR}/${name}_gen_check.c")
    file(CONFIGURE OUTPUT "${src}" CONTENT "/* Generated code alone, compiled with -Werror. */\n#include \"server_gen.h\"\n")
    add_library(${target}.gen_check OBJECT EXCLUDE_FROM_ALL "${src}")
    get_target_property(dirs ${target} INCLUDE_DIRECTORIES)
    target_include_directories(${target}.gen_check PRIVATE ${dirs})
    if(ARGN)
        target_link_libraries(${target}.gen_check PRIVATE ${ARGN})
    endif()
    target_compile_options(${target}.gen_check PRIVATE -Wall -Wextra -Werror)
    add_dependencies(${target} ${target}.gen_check)
endfunction()
