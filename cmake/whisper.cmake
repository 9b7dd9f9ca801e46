# Fetches whisper.cpp v1.9.1 (with ggml) from the npm package nodejs-whisper@0.3.1, verifies the
# tarball against a pinned sha256, unpacks it under the build tree and adds it as a subproject.
# Nothing of whisper.cpp is committed to this repository.

set(CINESUB_WHISPER_NPM_PACKAGE "nodejs-whisper@0.3.1")
set(CINESUB_WHISPER_NPM_SHA256 "92041caf2b26c74b7f489fedf37bd093f216eebd61df512045ec2d19d0531d37")
set(CINESUB_DEPS_DIR "${CMAKE_BINARY_DIR}/_deps" CACHE PATH "Where third-party sources are fetched and unpacked")
set(CINESUB_WHISPER_TARBALL "" CACHE FILEPATH "Use this nodejs-whisper-0.3.1.tgz instead of running npm pack")

set(_tgz "${CINESUB_DEPS_DIR}/nodejs-whisper-0.3.1.tgz")
set(_src "${CINESUB_DEPS_DIR}/whisper.cpp")
set(_stamp "${_src}/.cinesub-${CINESUB_WHISPER_NPM_SHA256}")

if(NOT EXISTS "${_stamp}")
  file(MAKE_DIRECTORY "${CINESUB_DEPS_DIR}")
  if(CINESUB_WHISPER_TARBALL)
    file(COPY_FILE "${CINESUB_WHISPER_TARBALL}" "${_tgz}")
  elseif(NOT EXISTS "${_tgz}")
    find_program(NPM_EXECUTABLE npm REQUIRED)
    message(STATUS "cinesub: fetching whisper.cpp with 'npm pack ${CINESUB_WHISPER_NPM_PACKAGE}'")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "${CINESUB_WHISPER_NPM_PACKAGE}" --silent
      WORKING_DIRECTORY "${CINESUB_DEPS_DIR}"
      RESULT_VARIABLE _rc OUTPUT_QUIET)
    if(NOT _rc EQUAL 0 OR NOT EXISTS "${_tgz}")
      message(FATAL_ERROR "cinesub: 'npm pack ${CINESUB_WHISPER_NPM_PACKAGE}' failed (rc=${_rc}); "
                          "pass -DCINESUB_WHISPER_TARBALL=/path/to/nodejs-whisper-0.3.1.tgz when offline")
    endif()
  endif()
  file(SHA256 "${_tgz}" _sum)
  if(NOT _sum STREQUAL CINESUB_WHISPER_NPM_SHA256)
    file(REMOVE "${_tgz}")
    message(FATAL_ERROR "cinesub: ${_tgz} has sha256 ${_sum}, expected ${CINESUB_WHISPER_NPM_SHA256}; refusing to build it")
  endif()
  set(_tmp "${CINESUB_DEPS_DIR}/unpack.tmp")
  file(REMOVE_RECURSE "${_tmp}" "${_src}")
  file(ARCHIVE_EXTRACT INPUT "${_tgz}" DESTINATION "${_tmp}" PATTERNS "package/cpp/whisper.cpp/*")
  file(RENAME "${_tmp}/package/cpp/whisper.cpp" "${_src}")
  file(REMOVE_RECURSE "${_tmp}")
  file(TOUCH "${_stamp}")
endif()

# whisper.cpp / ggml options: a static, self-contained build; CUDA is one flag.
set(BUILD_SHARED_LIBS OFF CACHE BOOL "" FORCE)
set(WHISPER_BUILD_TESTS OFF CACHE BOOL "" FORCE)
set(WHISPER_BUILD_SERVER OFF CACHE BOOL "" FORCE)
set(WHISPER_BUILD_EXAMPLES ON CACHE BOOL "" FORCE)   # whisper-cli for bench/, built only on request
set(WHISPER_SDL2 OFF CACHE BOOL "" FORCE)
set(WHISPER_CURL OFF CACHE BOOL "" FORCE)
set(GGML_CCACHE OFF CACHE BOOL "" FORCE)
if(CINESUB_CUDA)
  set(GGML_CUDA ON CACHE BOOL "" FORCE)
endif()
if(CINESUB_SANITIZE MATCHES "thread")
  # libgomp is not instrumented: TSan reports false races in ggml's OpenMP pool (cmake/sanitize.cmake).
  set(GGML_OPENMP OFF CACHE BOOL "" FORCE)
endif()

block()
  # Sanitizer builds (cmake/sanitize.cmake): whisper.cpp and ggml get their share of the flags; the
  # block keeps them out of cinesub's own directories, which get theirs in CMakeLists.txt.
  if(CINESUB_SANITIZE_DEPS_FLAGS AND NOT CINESUB_SANITIZE MATCHES "thread")
    list(JOIN CINESUB_SANITIZE_DEPS_FLAGS " " _flags)
    string(APPEND CMAKE_C_FLAGS " ${_flags}")
    string(APPEND CMAKE_CXX_FLAGS " ${_flags}")
    string(APPEND CMAKE_EXE_LINKER_FLAGS " ${_flags}")
    string(APPEND CMAKE_SHARED_LINKER_FLAGS " ${_flags}")
  endif()
  add_subdirectory("${_src}" "${CMAKE_BINARY_DIR}/whisper.cpp" EXCLUDE_FROM_ALL SYSTEM)
  if(CINESUB_SANITIZE_DEPS_FLAGS AND CINESUB_SANITIZE MATCHES "thread")
    # TSan: whisper.cpp and ggml's core (contexts, states, the log callback, the thread pool's
    # bookkeeping), not ggml-cpu's compute kernels (cmake/sanitize.cmake says why).
    foreach(_t IN ITEMS whisper ggml ggml-base)
      target_compile_options(${_t} PRIVATE ${CINESUB_SANITIZE_DEPS_FLAGS})
    endforeach()
  endif()
endblock()
set(CINESUB_WHISPER_SOURCE_DIR "${_src}")
