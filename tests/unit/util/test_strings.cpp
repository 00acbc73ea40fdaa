#include <doctest/doctest.h>

#include "util/strings.hpp"

using namespace router::util;

TEST_SUITE("util.strings") {
  TEST_CASE("edit distance counts insertions, deletions and substitutions") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "abc") == 0);
    CHECK(edit_distance("round_robin", "round_robn") == 1);
    CHECK(edit_distance("kitten", "sitting") == 3);
  }

  TEST_CASE("did you mean suggests only near names") {
    const std::vector<std::string> names{"round_robin", "random", "broadcast"};
    CHECK(did_you_mean("round_robn", names) == " (did you mean 'round_robin'?)");
    CHECK(did_you_mean("Broadcast", names) == " (did you mean 'broadcast'?)");
    CHECK(did_you_mean("zzzzzzzz", names).empty());
  }

  TEST_CASE("case-insensitive comparison and trimming") {
    CHECK(iequals("Toyota", "TOYOTA"));
    CHECK_FALSE(iequals("Toyota", "Toyot"));
    CHECK(trim("  a b \t") == "a b");
    CHECK(split("a,,b", ',').size() == 3);
  }
}
