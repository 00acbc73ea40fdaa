#pragma once
// Builders and formatters shared by the calendar unit tests.

#include <doctest/doctest.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/calendar.hpp"
#include "core/syntax.hpp"
#include "util/time.hpp"

namespace calendar_test {

using router::core::Duration;
using router::core::Holiday;
using router::core::Schedule;
using router::core::Time;
using router::core::TimeRange;
using router::core::WeeklyHours;

// An instant from RFC 3339 text; the test fails when the text is malformed.
inline Time at(const char* text) {
  const auto t = router::util::parse_rfc3339(text);
  REQUIRE_MESSAGE(t, text);
  return *t;
}

// "HH:MM-HH:MM, ..." as ranges.
inline std::vector<TimeRange> hours(const char* text) {
  auto parsed = router::core::parse_hours(text);
  REQUIRE_MESSAGE(parsed, parsed.error);
  return *parsed.value;
}

// Weekly hours from {"mon-fri", "09:00-17:00"} pairs.
inline WeeklyHours week(std::initializer_list<std::pair<const char*, const char*>> spec) {
  WeeklyHours w;
  for (const auto& [days, text] : spec) {
    const auto set = router::core::parse_days(days);
    REQUIRE_MESSAGE(set, set.error);
    for (int d = 0; d < 7; ++d) {
      if (set.value->test(static_cast<std::size_t>(d))) {
        for (const TimeRange& r : hours(text)) {
          w.days[static_cast<std::size_t>(d)].push_back(r);
        }
      }
    }
  }
  return w;
}

// A schedule in `zone` with the given weekly hours and holidays.
inline Schedule schedule(const char* zone, WeeklyHours w, std::vector<Holiday> holidays = {}) {
  Schedule s;
  s.name = "test";
  s.timezone = zone;
  s.zone = router::util::zone_by_name(zone);
  s.hours = std::move(w);
  s.holidays = std::move(holidays);
  return s;
}

// A holiday on one date ("2026-12-25"), closed or with special hours.
inline Holiday on(const char* day, const char* special = nullptr) {
  Holiday h;
  h.date = *router::core::parse_date(day).value;
  if (special != nullptr) {
    h.hours = hours(special);
  }
  return h;
}

// A yearly holiday ("01-01"), closed or with special hours.
inline Holiday yearly(const char* month_day, const char* special = nullptr) {
  Holiday h;
  h.every_year = *router::core::parse_month_day(month_day).value;
  if (special != nullptr) {
    h.hours = hours(special);
  }
  return h;
}

// An instant as RFC 3339 in the zone: "2026-03-29T02:00:00+01:00"; "none" when absent.
inline std::string local(const Schedule& s, std::optional<Time> t) {
  if (!t) {
    return "none";
  }
  return date::format("%FT%T%Ez",
                      date::zoned_time<Duration>{date::locate_zone(s.zone->name()), *t});
}

// An instant as RFC 3339 in UTC; "none" when absent.
inline std::string utc(std::optional<Time> t) {
  return t ? router::util::format_rfc3339(*t) : "none";
}

// Open intervals as "begin/end" in UTC, for readable comparisons.
inline std::vector<std::string> utc(const std::vector<router::core::Interval>& intervals) {
  std::vector<std::string> out;
  for (const auto& i : intervals) {
    out.push_back(utc(i.begin) + "/" + utc(i.end));
  }
  return out;
}

}  // namespace calendar_test
