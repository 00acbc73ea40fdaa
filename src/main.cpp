// router: decides which salesperson gets each incoming lead. See README.md.
#include <exception>
#include <iostream>

#include "cli/app.hpp"
#include "cli/print.hpp"
#include "util/heap.hpp"

int main(int argc, char** argv) {
  router::util::prefer_huge_heap_pages();
  // router never mixes C stdio with iostreams: unsynchronised streams read large imports faster.
  std::ios::sync_with_stdio(false);
  try {
    return router::cli::run(argc, argv, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << router::cli::error_priority() << "router: internal error: " << e.what() << '\n';
    return 70;  // EX_SOFTWARE
  }
}
