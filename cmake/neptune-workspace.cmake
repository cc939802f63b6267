# SPDX-License-Identifier: BSD-2-Clause
#
# Finds the seL4 workspace (kernel, seL4_tools, sel4runtime, musllibc, seL4_libs, util_libs) the
# project builds against and puts each repository's CMake find module and cmake-tool's helpers
# on CMAKE_MODULE_PATH, as sel4test's settings.cmake does. The workspace is given by the cache
# variable NEPTUNE_SEL4_WORKSPACE or the environment variable of the same name; each repository
# can also be pointed at on its own (NEPTUNE_SEL4_KERNEL_DIR, ...). Nothing of seL4 lives in
# this tree. Included before project(): it only sets variables.

include_guard(GLOBAL)

set(NEPTUNE_SEL4_WORKSPACE "$ENV{NEPTUNE_SEL4_WORKSPACE}"
    CACHE PATH "seL4 workspace: kernel/, tools/seL4/, projects/{sel4runtime,musllibc,seL4_libs,util_libs}")

function(_neptune_find_repo var rel marker)
    if(NOT "${${var}}" STREQUAL "")
        set(dir "${${var}}")
    elseif(NOT "${NEPTUNE_SEL4_WORKSPACE}" STREQUAL "")
        set(dir "${NEPTUNE_SEL4_WORKSPACE}/${rel}")
    else()
        message(FATAL_ERROR
            "neptune: no seL4 workspace given.\n"
            "Pass -DNEPTUNE_SEL4_WORKSPACE=<dir> (or set the environment variable of that name) "
            "to a folder holding kernel/, tools/seL4/ and projects/{sel4runtime,musllibc,seL4_libs,util_libs} "
            "at the commits in sel4-config/manifest.json.")
    endif()
    get_filename_component(dir "${dir}" ABSOLUTE)
    if(NOT EXISTS "${dir}/${marker}")
        message(FATAL_ERROR "neptune: ${dir}/${marker} not found: ${var} (or NEPTUNE_SEL4_WORKSPACE) "
                            "does not point at a checkout of the expected repository.")
    endif()
    set(${var} "${dir}" CACHE PATH "Checkout of ${rel}" FORCE)
endfunction()

_neptune_find_repo(NEPTUNE_SEL4_KERNEL_DIR kernel FindseL4.cmake)
_neptune_find_repo(NEPTUNE_SEL4_TOOLS_DIR tools/seL4 cmake-tool/helpers/rootserver.cmake)
_neptune_find_repo(NEPTUNE_SEL4RUNTIME_DIR projects/sel4runtime Findsel4runtime.cmake)
_neptune_find_repo(NEPTUNE_MUSLLIBC_DIR projects/musllibc Findmusllibc.cmake)
_neptune_find_repo(NEPTUNE_SEL4_LIBS_DIR projects/seL4_libs FindseL4_libs.cmake)
_neptune_find_repo(NEPTUNE_UTIL_LIBS_DIR projects/util_libs Findutil_libs.cmake)

list(APPEND CMAKE_MODULE_PATH
    "${NEPTUNE_SEL4_KERNEL_DIR}"
    "${NEPTUNE_SEL4_TOOLS_DIR}/cmake-tool/helpers"
    "${NEPTUNE_SEL4_TOOLS_DIR}/elfloader-tool"
    "${NEPTUNE_SEL4RUNTIME_DIR}"
    "${NEPTUNE_MUSLLIBC_DIR}"
    "${NEPTUNE_SEL4_LIBS_DIR}"
    "${NEPTUNE_UTIL_LIBS_DIR}")

# Warn (do not fail) when a checkout is not at the pinned commit: other commits may work, but
# only the pinned set is known good.
function(neptune_check_pinned_commits manifest)
    find_package(Git QUIET)
    if(NOT GIT_FOUND)
        return()
    endif()
    file(READ "${manifest}" json)
    string(JSON count LENGTH "${json}" repositories)
    math(EXPR last "${count} - 1")
    set(dirs_seL4 "${NEPTUNE_SEL4_KERNEL_DIR}")
    set(dirs_seL4_tools "${NEPTUNE_SEL4_TOOLS_DIR}")
    set(dirs_sel4runtime "${NEPTUNE_SEL4RUNTIME_DIR}")
    set(dirs_musllibc "${NEPTUNE_MUSLLIBC_DIR}")
    set(dirs_seL4_libs "${NEPTUNE_SEL4_LIBS_DIR}")
    set(dirs_util_libs "${NEPTUNE_UTIL_LIBS_DIR}")
    set(dirs_opensbi "${OPENSBI_PATH}")
    foreach(i RANGE ${last})
        string(JSON name GET "${json}" repositories ${i} name)
        string(JSON pinned GET "${json}" repositories ${i} commit)
        set(dir "${dirs_${name}}")
        # Repositories the build does not use (OpenSBI off RISC-V) have no folder here.
        if("${dir}" STREQUAL "")
            continue()
        endif()
        execute_process(
            COMMAND "${GIT_EXECUTABLE}" -C "${dir}" rev-parse HEAD
            OUTPUT_VARIABLE head
            OUTPUT_STRIP_TRAILING_WHITESPACE
            ERROR_QUIET
            RESULT_VARIABLE rc)
        if(rc EQUAL 0 AND NOT "${head}" STREQUAL "${pinned}")
            message(WARNING "neptune: ${name} at ${dir} is at ${head}, not the pinned ${pinned} "
                            "(sel4-config/manifest.json)")
        endif()
    endforeach()
endfunction()
