#include <doctest/doctest.h>

#include <cctype>
#include <string>

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

  TEST_CASE("case is folded for the 26 ASCII letters only, as the C locale folds it") {
    // The characters just outside A-Z and a-z, and the bytes of UTF-8, stay as they are.
    CHECK(to_lower("@AZ[`az{") == "@az[`az{");
    CHECK(to_upper("@AZ[`az{") == "@AZ[`AZ{");
    CHECK_FALSE(iequals("@", "`"));
    CHECK_FALSE(iequals("[", "{"));
    CHECK(iequals("Citro\xc3\xabn BERLINGO", "citro\xc3\xabn berlingo"));
    CHECK_FALSE(iequals("\xc3\xa9", "\xc3\x89"));  // é and É: UTF-8 is not folded
    CHECK(to_lower("\xc3\x89X") == "\xc3\x89x");
    for (int c = 0; c < 256; ++c) {
      const auto ch = static_cast<char>(c);
      const std::string one(1, ch);
      INFO("byte " << c);
      CHECK(to_lower(one)[0] == static_cast<char>(std::tolower(c)));
      CHECK(to_upper(one)[0] == static_cast<char>(std::toupper(c)));
    }
  }
}
