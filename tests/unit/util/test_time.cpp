#include <doctest/doctest.h>

#include <date/date.h>

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

  TEST_CASE("formatting agrees with date::format across eras, leap days and midnight") {
    const std::int64_t samples[] = {0, -1, 59, 86399, 86400, 951782400 /* 2000-02-29 */,
                                    4107542399 /* 2100-02-28T23:59:59 */, -62135596800,
                                    253402300799 /* 9999-12-31T23:59:59 */, 253402300800,
                                    -62135596801};
    for (const auto s : samples) {
      const router::util::Time t{std::chrono::seconds{s}};
      CAPTURE(s);
      CHECK(format_rfc3339(t) == date::format("%Y-%m-%dT%H:%M:%SZ", t));
    }
    for (std::int64_t s = -5000000000; s < 12000000000; s += 7777777) {
      const router::util::Time t{std::chrono::seconds{s}};
      REQUIRE(format_rfc3339(t) == date::format("%Y-%m-%dT%H:%M:%SZ", t));
    }
  }

  TEST_CASE("offsets and fractions are honoured") {
    CHECK(parse_rfc3339("2026-11-23T14:10:00+01:00") == parse_rfc3339("2026-11-23T13:10:00Z"));
    CHECK(parse_rfc3339("2026-11-23T08:10:00-05:00") == parse_rfc3339("2026-11-23T13:10:00Z"));
    CHECK(parse_rfc3339("2026-11-23T13:10:00.123Z") == parse_rfc3339("2026-11-23T13:10:00Z"));
  }

  TEST_CASE("malformed or impossible instants are refused") {
    for (const char* bad :
         {"", "2026-11-23", "2026-11-23T13:10Z", "2026-02-30T00:00:00Z", "2026-11-23T24:00:00Z",
          "2026-11-23T13:10:00", "yesterday", "2026-11-23T13:10:00+1:00",
          "2026-11-23T13:10:00Zjunk", "T25:00", "2026-11-23T25:00:00Z"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_rfc3339(bad));
    }
  }

  TEST_CASE("RFC 3339 instants outside the years 0000 to 9999 in UTC are refused") {
    // Found by fuzzing: an offset carried 9999-12-31 into year 10000, which printed back as
    // "10000-01-01T...", not RFC 3339.
    for (const char* outside : {"9999-12-31T23:30:00-01:00", "9999-12-31T23:59:59-23:59",
                                "0000-01-01T00:30:00+01:00", "0000-01-01T00:00:00+23:59"}) {
      CAPTURE(outside);
      CHECK_FALSE(parse_rfc3339(outside));
      CHECK(router::util::rfc3339_refusal(outside) == "is outside the years 0000 to 9999 in UTC");
    }
    CHECK(router::util::rfc3339_refusal("yesterday") == "is not an RFC 3339 time");
    for (const char* edge : {"9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z",
                             "9999-12-31T23:59:59+01:00", "0000-01-01T00:00:00-01:00"}) {
      CAPTURE(edge);
      const auto t = parse_rfc3339(edge);
      REQUIRE(t);
      CHECK(parse_rfc3339(format_rfc3339(*t)) == t);
    }
  }

  TEST_CASE("durations format compactly") {
    CHECK(format_duration(0) == "0s");
    CHECK(format_duration(90) == "1m30s");
    CHECK(format_duration(5400) == "1h30m");
    CHECK(format_duration(172800) == "2d");
  }
}
