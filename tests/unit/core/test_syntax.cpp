#include <doctest/doctest.h>

#include "core/syntax.hpp"

using namespace router::core;
using Ranges = std::vector<TimeRange>;

TEST_SUITE("core.syntax") {
  TEST_CASE("durations combine units from largest to smallest") {
    const struct {
      const char* text;
      long long seconds;
    } good[] = {{"90s", 90},         {"15m", 900},  {"2h", 7200},    {"1d", 86400}, {"1h30m", 5400},
                {"1d2h3m4s", 93784}, {" 5m ", 300}, {"0h30m", 1800}, {"2H", 7200}};
    for (const auto& g : good) {
      CAPTURE(g.text);
      const auto d = parse_duration(g.text);
      REQUIRE(d);
      CHECK(d.value->count() == g.seconds);
      CHECK(d.error.empty());
    }
  }

  TEST_CASE("bad durations say what is wrong") {
    CHECK(parse_duration("").error == "empty duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m");
    CHECK(parse_duration("15").error ==
          "'15' is not a duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m");
    CHECK(parse_duration("m").error ==
          "'m' is not a duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m");
    CHECK(parse_duration("1w").error ==
          "'1w' is not a duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m");
    CHECK(parse_duration("-5m").error ==
          "'-5m' is not a duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m");
    CHECK(parse_duration("1.5h").error ==
          "'1.5h' is not a duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m");
    CHECK(parse_duration("1h 30m").error ==
          "'1h 30m' is not a duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m");
    CHECK(parse_duration("30m1h").error ==
          "'30m1h': units must go from largest to smallest, each once (d h m s)");
    CHECK(parse_duration("1h1h").error ==
          "'1h1h': units must go from largest to smallest, each once (d h m s)");
    CHECK(parse_duration("0s").error == "'0s': a duration must be longer than zero");
    CHECK_FALSE(parse_duration("999999999999s"));
  }

  TEST_CASE("day sets: single days, ranges that may wrap, lists, daily") {
    CHECK(parse_days("mon").value == DaySet{"0000001"});
    CHECK(parse_days("Sun").value == DaySet{"1000000"});
    CHECK(parse_days("mon-fri").value == DaySet{"0011111"});
    CHECK(parse_days("mon,wed,fri").value == DaySet{"0010101"});
    CHECK(parse_days("sat-sun").value == DaySet{"1100000"});
    CHECK(parse_days("fri-mon").value == DaySet{"1110001"});
    CHECK(parse_days("mon-mon").value == DaySet{"0000001"});
    CHECK(parse_days("mon - wed, sat").value == DaySet{"0100111"});
    CHECK(parse_days("daily").value == DaySet{"1111111"});
    CHECK(parse_days("Daily").value == DaySet{"1111111"});
    CHECK(parse_days("DAily").value == DaySet{"1111111"});
  }

  TEST_CASE("bad day sets are refused, and so is a day named twice") {
    const std::string expected_tail =
        " is not a day set; expected e.g. mon, mon-fri, mon,wed,fri or daily";
    for (const char* bad : {"", "monday", "mon,,fri", "mon-", "-fri", "mon-fri-sat", "weekdays"}) {
      CAPTURE(bad);
      const auto d = parse_days(bad);
      CHECK_FALSE(d);
      CHECK(d.error == "'" + std::string(bad) + "'" + expected_tail);
    }
    CHECK(parse_days("mon-fri,wed").error == "'mon-fri,wed' names wed twice");
    CHECK(parse_days("mon,mon").error == "'mon,mon' names mon twice");
    CHECK(parse_days("fri-mon,sat-sun").error == "'fri-mon,sat-sun' names sat twice");
  }

  TEST_CASE("hours: several ranges, crossing midnight, midnight as an end") {
    CHECK(parse_hours("09:00-17:30").value == Ranges{{540, 1050}});
    CHECK(parse_hours("09:00-12:30, 13:30-17:30").value == Ranges{{540, 750}, {810, 1050}});
    CHECK(parse_hours(" 09:00 - 12:30 ,13:30-17:30 ").value == Ranges{{540, 750}, {810, 1050}});
    const auto night = parse_hours("22:00-06:00");
    REQUIRE(night);
    CHECK(*night.value == Ranges{{1320, 360}});
    CHECK(night.value->front().crosses_midnight());
    CHECK(parse_hours("00:00-24:00").value == Ranges{{0, 1440}});
    CHECK(parse_hours("18:00-24:00").value == Ranges{{1080, 1440}});
    const auto to_midnight = parse_hours("18:00-00:00");
    CHECK(to_midnight.value == Ranges{{1080, 1440}});
    CHECK_FALSE(to_midnight.value->front().crosses_midnight());
    CHECK(parse_hours("23:59-00:01").value == Ranges{{1439, 1}});
  }

  TEST_CASE("bad hours are refused") {
    const std::string tail = " is not a list of hours; expected HH:MM-HH:MM, comma-separated "
                             "(e.g. \"09:00-12:30, 13:30-17:30\")";
    for (const char* bad : {"9-17", "09:00", "09:00-", "24:00-06:00", "09:60-10:00", "25:00-26:00",
                            "09:00-17:00,", "9:00-17:00", "09:00-17:00-18:00"}) {
      CAPTURE(bad);
      const auto h = parse_hours(bad);
      CHECK_FALSE(h);
      CHECK(h.error == "'" + std::string(bad) + "'" + tail);
    }
    CHECK(parse_hours("").error ==
          "empty hours; expected e.g. \"09:00-17:30\" or \"09:00-12:30, 13:30-17:30\"");
    CHECK(parse_hours("09:00-09:00").error == "'09:00-09:00': the range 09:00-09:00 is empty");
    CHECK(parse_hours("00:00-00:00").error == "'00:00-00:00': the range 00:00-00:00 is empty");
  }

  TEST_CASE("dates must exist") {
    CHECK(parse_date("2026-12-25").value == date::year{2026} / 12 / 25);
    CHECK(parse_date("2028-02-29").value == date::year{2028} / 2 / 29);
    CHECK(parse_date("2026-02-30").error == "'2026-02-30' is not a real date");
    CHECK(parse_date("2026-02-29").error == "'2026-02-29' is not a real date");
    CHECK(parse_date("2026-13-01").error == "'2026-13-01' is not a real date");
    CHECK(parse_date("2026-00-10").error == "'2026-00-10' is not a real date");
    for (const char* bad : {"2026-1-01", "26-12-25", "2026/12/25", "2026-12-2x", ""}) {
      CAPTURE(bad);
      CHECK(parse_date(bad).error ==
            "'" + std::string(bad) + "' is not a date; expected YYYY-MM-DD");
    }
  }

  TEST_CASE("yearly dates allow 29 February, not 30") {
    CHECK(parse_month_day("12-25").value == date::month{12} / 25);
    CHECK(parse_month_day("02-29").value == date::month{2} / 29);
    CHECK(parse_month_day("02-30").error == "'02-30' is not a real day of the year");
    CHECK(parse_month_day("13-01").error == "'13-01' is not a real day of the year");
    CHECK(parse_month_day("2026-12-25").error ==
          "'2026-12-25' is not a yearly date; expected MM-DD (e.g. 12-25)");
    CHECK(parse_month_day("1-01").error ==
          "'1-01' is not a yearly date; expected MM-DD (e.g. 12-25)");
  }
}
