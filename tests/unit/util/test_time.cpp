#include <doctest/doctest.h>

#include "util/time.hpp"

using router::util::format_duration;
using router::util::format_rfc3339;
using router::util::parse_rfc3339;

TEST_SUITE("util.time") {
  TEST_CASE("RFC 3339 instants round-trip in UTC") {
    const auto t = parse_rfc3339("2026-11-23T13:10:00Z");
    REQUIRE(t);
    CHECK(t->time_since_epoch().count() == 1795439400);
    CHECK(format_rfc3339(*t) == "2026-11-23T13:10:00Z");
  }

  TEST_CASE("offsets and fractions are honoured") {
    CHECK(parse_rfc3339("2026-11-23T14:10:00+01:00") == parse_rfc3339("2026-11-23T13:10:00Z"));
    CHECK(parse_rfc3339("2026-11-23T08:10:00-05:00") == parse_rfc3339("2026-11-23T13:10:00Z"));
    CHECK(parse_rfc3339("2026-11-23T13:10:00.123Z") == parse_rfc3339("2026-11-23T13:10:00Z"));
  }

  TEST_CASE("malformed or impossible instants are refused") {
    for (const char* bad : {"", "2026-11-23", "2026-11-23T13:10Z", "2026-02-30T00:00:00Z",
                            "2026-11-23T24:00:00Z", "2026-11-23T13:10:00", "yesterday",
                            "2026-11-23T13:10:00+1:00", "2026-11-23T13:10:00Zjunk"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_rfc3339(bad));
    }
  }

  TEST_CASE("durations format compactly") {
    CHECK(format_duration(0) == "0s");
    CHECK(format_duration(90) == "1m30s");
    CHECK(format_duration(5400) == "1h30m");
    CHECK(format_duration(172800) == "2d");
  }
}
