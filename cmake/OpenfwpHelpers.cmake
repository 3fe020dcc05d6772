# SPDX-License-Identifier: Apache-2.0
# One helper per target kind (Abseil style): warnings, include root and sanitizers are set here
# once, so module CMakeLists.txt never call add_library/add_executable directly.

set(OPENFWP_WARNINGS
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    -Wimplicit-fallthrough -Werror)
# GCC 12 reports -Wmaybe-uninitialized through std::variant moves at -O2 (GCC bugs 105593,
# 107138): false positives in library code, so the warning is off for GCC. clang builds (the
# fuzz preset) and -O0 builds keep every other check.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND OPENFWP_WARNINGS -Wno-maybe-uninitialized)
endif()
# Widths are semantics in these modules (weights are u64, ports u16): conversions must be explicit.
set(OPENFWP_STRICT_CONVERSION_MODULES common model classify engine)

function(_openfwp_common_flags target)
  target_compile_options(${target} PRIVATE ${OPENFWP_WARNINGS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  if(OPENFWP_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# openfwp_library(NAME <module> SRCS ... DEPS ... [STRICT])
function(openfwp_library)
  cmake_parse_arguments(ARG "STRICT" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(openfwp_${ARG_NAME} STATIC ${ARG_SRCS})
  _openfwp_common_flags(openfwp_${ARG_NAME})
  if(ARG_STRICT)
    target_compile_options(openfwp_${ARG_NAME} PRIVATE -Wconversion -Wsign-conversion)
  endif()
  target_link_libraries(openfwp_${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# openfwp_executable(NAME <name> SRCS ... DEPS ...)
function(openfwp_executable)
  cmake_parse_arguments(ARG "" "NAME;OUTPUT_DIR" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  _openfwp_common_flags(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
  if(ARG_OUTPUT_DIR)
    set_target_properties(${ARG_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
  endif()
endfunction()

# openfwp_test(NAME <name> SRCS ... DEPS ... [LABELS ...])
function(openfwp_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  _openfwp_common_flags(${ARG_NAME})
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${ARG_NAME}
                             PRIVATE OPENFWP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  include(GoogleTest)
  gtest_discover_tests(${ARG_NAME} PROPERTIES LABELS "unit;${ARG_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()

# openfwp_fuzz(NAME <name> SRCS ... DEPS ... CORPUS <dir>)
# With OPENFWP_FUZZ (clang) this is a libFuzzer binary. Otherwise the same entry point is linked
# with a small driver that replays the checked-in corpus, and that replay is a ctest.
function(openfwp_fuzz)
  cmake_parse_arguments(ARG "" "NAME;CORPUS" "SRCS;DEPS" ${ARGN})
  if(OPENFWP_FUZZ)
    add_executable(${ARG_NAME} ${ARG_SRCS})
    target_compile_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer,address,undefined)
  else()
    add_executable(${ARG_NAME} ${ARG_SRCS} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
  endif()
  _openfwp_common_flags(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
  if(NOT OPENFWP_FUZZ AND OPENFWP_BUILD_TESTS)
    add_test(NAME ${ARG_NAME}_corpus COMMAND ${ARG_NAME} ${ARG_CORPUS})
    set_tests_properties(${ARG_NAME}_corpus PROPERTIES LABELS "fuzz")
  endif()
endfunction()

# openfwp_bench(NAME <name> SRCS ... DEPS ...)
function(openfwp_bench)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  find_package(benchmark REQUIRED)
  add_executable(${ARG_NAME} ${ARG_SRCS})
  _openfwp_common_flags(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} benchmark::benchmark)
endfunction()
