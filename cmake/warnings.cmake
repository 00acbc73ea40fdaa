# router_set_warnings(target): the project's warning set, clean by policy.
function(router_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough)
  if(ROUTER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
