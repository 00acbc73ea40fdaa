# ROUTER_SANITIZE=ON builds everything with ASan and UBSan; any finding aborts the test.
# ROUTER_FUZZ=ON (clang only) adds libFuzzer's coverage instrumentation to everything and
# builds the harnesses of tests/fuzz/; it implies ROUTER_SANITIZE.
if(ROUTER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ROUTER_FUZZ needs clang: configure with CXX=clang++")
  endif()
  set(ROUTER_SANITIZE ON)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(ROUTER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false maybe-uninitialized warnings inside <regex> when sanitizing.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  add_link_options(-fsanitize=address,undefined)
endif()
