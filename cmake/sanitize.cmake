# Sanitizer builds: -DCINESUB_SANITIZE=address,undefined | thread (empty: off). scripts/sanitize-tests.sh
# (make asan / make tsan) configures, builds and runs the tests in such a build.
#
# Sets two lists, used by CMakeLists.txt and cmake/whisper.cmake:
#   CINESUB_SANITIZE_FLAGS       compile + link flags for cinesub's own code (src, tools, tests, bench, fuzz)
#   CINESUB_SANITIZE_DEPS_FLAGS  compile + link flags for whisper.cpp and ggml
#
# What is instrumented where, and why:
#   address    cinesub and whisper.cpp/ggml: cinesub hands its buffers (audio, params, token arrays) to
#              whisper.cpp, so an out-of-bounds read caused by cinesub happens inside whisper.cpp's code.
#   undefined  cinesub only, and every report aborts (-fno-sanitize-recover=all) so the test fails. Not in
#              whisper.cpp/ggml: their own UB (SIMD kernels, fp16 tricks) is not ours to fix and would abort
#              every test that touches a model.
#   thread     cinesub, whisper.cpp and ggml's core (ggml, ggml-base): TSan needs the memory that threads
#              share instrumented, or it misses races (the one it found: whisper_init_state writing ggml's
#              global log callback from two workers, src/asr/whisper_log.hpp). ggml-cpu's compute kernels
#              are left out: they touch only tensor memory of one whisper_state, which cinesub reads after
#              whisper_full returns on the same thread, and instrumenting them made each engine test take
#              ~350 s (a race there would be ggml's, not ours). ggml's OpenMP thread pool (libgomp is not
#              instrumented) gives false positives, so ggml is built with GGML_OPENMP=OFF and uses its own
#              std::thread/atomic pool instead (same results, whisper.cpp's fallback).
#
# Optimisation: whisper.cpp/ggml are compiled with at least -O2 whatever the build type: at -O0 their SIMD
# kernels are an order of magnitude slower, and under ASan a test that decodes or runs Silero then takes
# minutes. cinesub's own code gets -O1 in a Debug sanitizer build (ASan's advice for usable speed; the
# stacks stay exact with -fno-omit-frame-pointer): at -O0 under ASan, scanning an hour of audio for digital
# silence alone takes 10 s (SileroTest.OneHourOfSilenceIsQuick bounds the whole VAD at 5 s).
set(CINESUB_SANITIZE "" CACHE STRING "Sanitizer build: address,undefined | address | undefined | thread (empty: off)")
set_property(CACHE CINESUB_SANITIZE PROPERTY STRINGS "" "address,undefined" "address" "undefined" "thread")

set(CINESUB_SANITIZE_FLAGS "")
set(CINESUB_SANITIZE_DEPS_FLAGS "")
if(CINESUB_SANITIZE)
  string(REPLACE "," ";" _sanitizers "${CINESUB_SANITIZE}")
  list(REMOVE_DUPLICATES _sanitizers)
  foreach(s IN LISTS _sanitizers)
    if(NOT s MATCHES "^(address|undefined|thread)$")
      message(FATAL_ERROR "CINESUB_SANITIZE: unknown sanitizer '${s}' (use address,undefined or thread)")
    endif()
  endforeach()
  if("thread" IN_LIST _sanitizers AND "address" IN_LIST _sanitizers)
    message(FATAL_ERROR "CINESUB_SANITIZE: thread and address cannot be combined (two build trees: make asan, make tsan)")
  endif()
  if(MSVC)
    message(FATAL_ERROR "CINESUB_SANITIZE: GCC or Clang only")
  endif()

  string(REPLACE ";" "," _list "${_sanitizers}")
  set(CINESUB_SANITIZE_FLAGS -fsanitize=${_list} -fno-omit-frame-pointer)
  if("undefined" IN_LIST _sanitizers)
    list(APPEND CINESUB_SANITIZE_FLAGS -fno-sanitize-recover=all)
  endif()
  # After CMAKE_CXX_FLAGS_DEBUG on the command line, so it wins there; other build types keep theirs.
  list(APPEND CINESUB_SANITIZE_FLAGS $<$<CONFIG:Debug>:-O1>)
  # GCC 12's -Wmaybe-uninitialized misfires on instrumented code (std::regex's std::function members in
  # src/jobs/store.cpp at -O1 + ASan); the plain -Werror build keeps the warning.
  list(APPEND CINESUB_SANITIZE_FLAGS $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-Wno-maybe-uninitialized>)

  set(_deps "")
  foreach(s IN ITEMS address thread)
    if(s IN_LIST _sanitizers)
      list(APPEND _deps ${s})
    endif()
  endforeach()
  if(_deps)
    string(REPLACE ";" "," _deps "${_deps}")
    set(CINESUB_SANITIZE_DEPS_FLAGS -fsanitize=${_deps} -fno-omit-frame-pointer)
  endif()
  # Before CMAKE_<LANG>_FLAGS_<CONFIG> on the command line: Debug ("-g") keeps -O2, Release its -O3.
  list(APPEND CINESUB_SANITIZE_DEPS_FLAGS -O2)
  message(STATUS "cinesub: sanitizers: cinesub '${CINESUB_SANITIZE_FLAGS}', whisper.cpp/ggml '${CINESUB_SANITIZE_DEPS_FLAGS}'")
endif()
