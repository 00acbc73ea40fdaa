#pragma once
// Parsers for the small languages inside configuration values (SPEC §2 "Syntax"):
// durations, day sets, hour ranges, dates. Each returns the value or an error message.

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/model.hpp"

namespace router::core {

// A parse result: the value, or a message saying what is wrong (without location).
template <typename T> struct Parsed {
  std::optional<T> value;
  std::string error;
  explicit operator bool() const { return value.has_value(); }
};

// Days of the week; bit 0 = Monday ... bit 6 = Sunday.
using DaySet = std::bitset<7>;

// "90s", "15m", "2h", "1d", "1h30m" (units d h m s, each at most once, in that order). > 0.
Parsed<Duration> parse_duration(std::string_view text);
// "mon", "mon-fri", "mon,wed,fri", "sat-sun", "fri-mon" (wraps), "daily". A day named
// twice ("mon-fri,wed") is an error.
Parsed<DaySet> parse_days(std::string_view text);
// "09:00-12:30, 13:30-17:30"; a range may cross midnight ("22:00-06:00"); an end of 24:00
// or 00:00 means midnight (stored as 1440, not crossing).
Parsed<std::vector<TimeRange>> parse_hours(std::string_view text);
// "2026-12-25"; impossible dates (2026-02-30) are errors.
Parsed<date::year_month_day> parse_date(std::string_view text);
// "12-25" for `every_year`; "02-29" allowed.
Parsed<date::month_day> parse_month_day(std::string_view text);

}  // namespace router::core
