#include <doctest/doctest.h>

#include <string>

#include "util/string_index.hpp"

using router::util::StringIndex;

TEST_SUITE("util.string_index") {
  TEST_CASE("strings are numbered in order of first appearance, the same string alike") {
    StringIndex names;
    CHECK(names.index("tom") == 0);
    CHECK(names.index("sue") == 1);
    CHECK(names.index("tom") == 0);
    CHECK(names.index("") == 2);
    CHECK(names.index(std::string("sue\0x", 5)) == 3);  // not cut at a NUL
    CHECK(names.keys() == std::vector<std::string>{"tom", "sue", "", std::string("sue\0x", 5)});
  }

  TEST_CASE("numbers stay the same while the table grows") {
    StringIndex names;
    for (int i = 0; i < 1000; ++i) {
      REQUIRE(names.index("agent-" + std::to_string(i)) == static_cast<std::size_t>(i));
    }
    for (int i = 999; i >= 0; --i) {
      REQUIRE(names.index("agent-" + std::to_string(i)) == static_cast<std::size_t>(i));
    }
    CHECK(names.keys().size() == 1000);
  }
}
