# ROUTER_SANITIZE=ON builds everything with ASan and UBSan; any finding aborts the test.
if(ROUTER_SANITIZE)
  # GCC 12 reports false maybe-uninitialized warnings inside <regex> when sanitizing.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -Wno-maybe-uninitialized
    -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
