#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "util/permanent.hpp"

using namespace router::util;

namespace {

std::uintptr_t address(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p);
}

}  // namespace

// Each scope reserves one of the few blocks a process may have: these cases use five of them,
// and the last one uses up the rest in a child process. Under AddressSanitizer scopes are inert,
// and the cases that need one working are skipped (and counted as skipped).
TEST_SUITE("util.permanent") {
  TEST_CASE("allocations in a scope are taken in turn from its block, and never given back" *
            doctest::skip(!PermanentAllocations::supported())) {
    PermanentAllocations scope(1 << 16);
    CHECK(scope.used() == 0);
    auto* a = new std::string(100, 'a');  // the object, then its 101 bytes
    const std::size_t after_a = scope.used();
    CHECK(after_a == 32 + 112);
    auto* b = new std::vector<int>(10, 7);
    CHECK(scope.used() == after_a + 32 + 48);
    CHECK(address(b) == address(a) + 32 + 112);
    CHECK(address(b->data()) == address(b) + 32);
    CHECK((a->size() == 100 && a->back() == 'a'));  // (a temporary string would take 112 more)
    CHECK((*b)[9] == 7);
    delete a;  // does nothing: the next allocation does not reuse it
    auto* c = new std::string(100, 'c');
    CHECK(address(c) > address(b));
    CHECK(scope.used() == after_a + 32 + 48 + 32 + 112);
    delete b;
    delete c;
  }

  TEST_CASE("what the block cannot hold, and what comes after the scope, is malloc's" *
            doctest::skip(!PermanentAllocations::supported())) {
    std::uintptr_t first = 0;
    std::unique_ptr<std::string> kept;
    {
      PermanentAllocations scope(256);
      kept = std::make_unique<std::string>(100, 'k');
      first = address(kept.get());
      CHECK(scope.used() == 32 + 112);
      const auto big = std::make_unique<char[]>(1000);  // more than is left
      CHECK(scope.used() == 32 + 112);
      CHECK((address(big.get()) < first || address(big.get()) >= first + 256));
    }  // `big` freed by malloc's free: it is not the block's
    const auto after = std::make_unique<std::string>(100, 'a');
    CHECK((address(after.get()) < first || address(after.get()) >= first + 256));
    kept.reset();  // memory of an ended scope: deleting it still does nothing
    const auto again = std::make_unique<int>(5);
    CHECK(*again == 5);
  }

  TEST_CASE("a scope inside another is inert" * doctest::skip(!PermanentAllocations::supported())) {
    PermanentAllocations outer(4096);
    {
      PermanentAllocations inner(4096);
      const auto s = std::make_unique<std::string>(50, 's');
      CHECK(inner.used() == 0);
      CHECK(outer.used() == 32 + 64);
    }
    const auto t = std::make_unique<std::string>(50, 't');
    CHECK(outer.used() == 2 * (32 + 64));
  }

  TEST_CASE("under AddressSanitizer every scope is inert") {
    PermanentAllocations scope(4096);
    const auto s = std::make_unique<std::string>(50, 's');
    CHECK(scope.used() == (PermanentAllocations::supported() ? 32 + 64 : 0));
  }

  // In a child process: using up the blocks there leaves this process's for the other cases,
  // whatever order they run in.
  TEST_CASE("once the blocks are all reserved, a scope is inert" *
            doctest::skip(!PermanentAllocations::supported())) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      int scopes = 0;  // working scopes before the first inert one
      for (; scopes <= 8; ++scopes) {
        PermanentAllocations scope(64);
        const auto i = std::make_unique<int>(1);
        if (scope.used() == 0) {
          break;
        }
      }
      ::_exit(scopes);  // 9: none was inert
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) >= 1);
    CHECK(WEXITSTATUS(status) <= 8);
    PermanentAllocations mine(64);  // this process still has blocks
    const auto i = std::make_unique<int>(1);
    CHECK(mine.used() == 16);
  }
}
