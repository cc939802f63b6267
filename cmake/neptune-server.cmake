# SPDX-License-Identifier: BSD-2-Clause
#
# Declaring server ELFs. A server is an ordinary seL4 user program: sel4runtime's crt0 and TLS
# setup, musllibc, libsel4, and sel4muslcsys (printf through seL4_DebugPutChar in debug builds).
# Its include path holds the portable runtime (runtime/include), the seL4 transport
# (runtime/sel4/include), the generated interface headers (${NEPTUNE_GEN_DIR}/include) and its
# own generated wrapper (${NEPTUNE_GEN_DIR}/servers/<name>). Every server ELF is recorded in the
# global property NEPTUNE_SERVER_ELFS; the root server packs them into its CPIO archive, where
# the root server finds them by target name.
#
#   neptune_server(echo SOURCES main.c echo.c [LIBRARIES extra...] [INCLUDES dirs...])
#       -> CMake target server.echo, ELF (and CPIO entry) echo
#   neptune_add_server_dir(echo "<folder>" [HEAP_VADDR <addr> HEAP_BYTES <n>])
#                                               # what the generated servers.cmake calls

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/neptune-warnings.cmake")

set(NEPTUNE_RUNTIME_DIR "${CMAKE_CURRENT_LIST_DIR}/../runtime")
set(NEPTUNE_SUPPORT_DIR "${CMAKE_CURRENT_LIST_DIR}/../rootserver/support")
get_filename_component(NEPTUNE_SUPPORT_DIR "${NEPTUNE_SUPPORT_DIR}" ABSOLUTE)
get_filename_component(NEPTUNE_RUNTIME_DIR "${NEPTUNE_RUNTIME_DIR}" ABSOLUTE)

function(neptune_server name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;LIBRARIES;INCLUDES")
    if(NOT ARG_SOURCES)
        message(FATAL_ERROR "neptune_server(${name}): no SOURCES")
    endif()
    # The CMake target is server.<name> (a server may well be called `virtio` or `utils`, which
    # are seL4 library targets); the ELF file, and its name in the CPIO archive, is <name>.
    set(target "server.${name}")
    add_executable(${target} EXCLUDE_FROM_ALL ${ARG_SOURCES} "${NEPTUNE_SUPPORT_DIR}/server_heap.c")
    set_target_properties(${target} PROPERTIES OUTPUT_NAME "${name}")
    # The heap the layout maps for it (see neptune_add_server_dir); none if not declared.
    get_property(heap GLOBAL PROPERTY NEPTUNE_HEAP_${name})
    if(heap)
        list(GET heap 0 heap_vaddr)
        list(GET heap 1 heap_bytes)
        target_compile_definitions(${target} PRIVATE
            NEPTUNE_HEAP_VADDR=${heap_vaddr} NEPTUNE_HEAP_BYTES=${heap_bytes})
    endif()
    target_include_directories(${target} PRIVATE
        ${ARG_INCLUDES}
        "${NEPTUNE_RUNTIME_DIR}/include"
        "${NEPTUNE_RUNTIME_DIR}/sel4/include")
    if(NOT "${NEPTUNE_GEN_DIR}" STREQUAL "")
        target_include_directories(${target} PRIVATE
            "${NEPTUNE_GEN_DIR}/include"
            "${NEPTUNE_GEN_DIR}/servers/${name}")
    endif()
    target_link_libraries(${target} PRIVATE
        sel4_autoconf muslc sel4 sel4runtime sel4muslcsys sel4platsupport utils
        neptune_debug_stdio neptune_server_exit ${ARG_LIBRARIES})
    target_compile_options(${target} PRIVATE -Wall -Wextra ${NEPTUNE_SERVER_ERROR_FLAGS})
    neptune_gen_check(${target} ${name} sel4_autoconf muslc sel4)
    set_property(GLOBAL APPEND PROPERTY NEPTUNE_SERVER_ELFS "$<TARGET_FILE:${target}>")
    set_property(GLOBAL APPEND PROPERTY NEPTUNE_SERVER_TARGETS "${target}")
endfunction()

# A server folder with a CMakeLists.txt builds itself (it calls neptune_server); otherwise every
# .c file in it becomes one server named `name`. A relative folder is taken from `base`
# (default: the folder of the file that calls this, i.e. the generated servers.cmake).
function(neptune_add_server_dir name dir)
    cmake_parse_arguments(PARSE_ARGV 2 ARG "" "BASE;HEAP_VADDR;HEAP_BYTES" "")
    if(ARG_HEAP_VADDR AND ARG_HEAP_BYTES)
        set_property(GLOBAL PROPERTY NEPTUNE_HEAP_${name} "${ARG_HEAP_VADDR};${ARG_HEAP_BYTES}")
    endif()
    if(NOT ARG_BASE)
        set(ARG_BASE "${CMAKE_CURRENT_LIST_DIR}")
    endif()
    get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${ARG_BASE}")
    if(NOT IS_DIRECTORY "${dir}")
        message(FATAL_ERROR "neptune: server '${name}': source folder ${dir} does not exist")
    endif()
    if(EXISTS "${dir}/CMakeLists.txt")
        add_subdirectory("${dir}" "${CMAKE_BINARY_DIR}/servers/${name}")
        if(NOT TARGET server.${name})
            message(FATAL_ERROR "neptune: ${dir}/CMakeLists.txt did not declare neptune_server(${name} ...)")
        endif()
    else()
        file(GLOB sources CONFIGURE_DEPENDS "${dir}/*.c")
        if(NOT sources)
            message(FATAL_ERROR "neptune: server '${name}': no .c files in ${dir}")
        endif()
        neptune_server(${name} SOURCES ${sources} INCLUDES "${dir}")
    endif()
endfunction()
