# SEGX_UNITY_BUILD: compile each of segx's targets in batches of 16 source files (CMake's unity
# build). From scratch that takes under half the CPU time (the shared headers, nlohmann/json and
# doctest above all, are parsed and instantiated once a batch instead of once a file), which is
# what CI and a fresh set-up need: .ci/build and .ci/fuzz turn it on. An edit then recompiles its
# whole batch, so a plain configure leaves it off for edit-compile loops.
#
# It holds while no two sources of a target define the same internal name: library files give
# their file-local helpers distinct names, and each test file keeps everything it defines in a
# namespace named after its path (tests/core/run/run_test.cpp: namespace core_run_run_test).
option(SEGX_UNITY_BUILD "compile segx's targets in batches of sources (faster from scratch)" OFF)
if(SEGX_UNITY_BUILD)
  set(CMAKE_UNITY_BUILD ON)
  set(CMAKE_UNITY_BUILD_BATCH_SIZE 16)
endif()
