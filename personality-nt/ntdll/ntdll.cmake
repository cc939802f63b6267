# SPDX-License-Identifier: BSD-2-Clause
# A server or program of the NT personality: its own sources plus ntdll (the native API over
# idl/ntexec.idl) and the personality's shared headers. From its CMakeLists.txt:
#
#   include("${CMAKE_CURRENT_LIST_DIR}/<path to>/personality-nt/ntdll/ntdll.cmake")
#   neptune_nt_server(hello SOURCES main.c [INCLUDES dirs...])
include_guard(GLOBAL)

function(neptune_nt_server name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;INCLUDES")
    set(ntdll "${CMAKE_CURRENT_FUNCTION_LIST_DIR}")
    neptune_server(${name}
        SOURCES ${ARG_SOURCES} "${ntdll}/ntdll.c" "${ntdll}/rtl.c"
        INCLUDES ${ARG_INCLUDES} "${ntdll}/include" "${ntdll}/../include")
    # The host target (no sel4muslcsys): a spawned program's environment comes from the host
    # root server (ntdll.c), not from libc.
    if(NOT TARGET sel4muslcsys AND TARGET ${name})
        target_compile_definitions(${name} PRIVATE NTDLL_HOST=1)
    endif()
endfunction()
