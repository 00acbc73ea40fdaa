#include "core/syntax.hpp"

#include <array>
#include <cctype>
#include <charconv>

#include "util/strings.hpp"

namespace router::core {
namespace {

constexpr std::array<std::string_view, 7> k_day_names = {"mon", "tue", "wed", "thu",
                                                         "fri", "sat", "sun"};

std::string_view strip(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<int> day_index(std::string_view name) {
  std::string lowered;
  for (char c : name) {
    lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (std::size_t i = 0; i < k_day_names.size(); ++i) {
    if (lowered == k_day_names[i]) {
      return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

// Reads exactly n digits.
std::optional<int> number(std::string_view s) {
  if (s.empty()) {
    return std::nullopt;
  }
  int value = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
    if (value > 100000000) {
      return std::nullopt;
    }
  }
  return value;
}

// "HH:MM" → minutes since midnight; 24:00 allowed when `end`.
std::optional<int> clock_time(std::string_view s, bool end) {
  s = strip(s);
  if (s.size() != 5 || s[2] != ':') {
    return std::nullopt;
  }
  const auto h = number(s.substr(0, 2));
  const auto m = number(s.substr(3, 2));
  if (!h || !m || *m > 59) {
    return std::nullopt;
  }
  if (*h == 24 && *m == 0 && end) {
    return 1440;
  }
  if (*h > 23) {
    return std::nullopt;
  }
  return *h * 60 + *m;
}

}  // namespace

Parsed<Duration> parse_duration(std::string_view text) {
  const std::string_view s = strip(text);
  const std::string quoted = "'" + std::string(text) + "'";
  if (s.empty()) {
    return {std::nullopt, "empty duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m"};
  }
  constexpr std::string_view units = "dhms";
  constexpr std::array<long long, 4> seconds_per = {86400, 3600, 60, 1};
  std::size_t next_unit = 0;
  long long total = 0;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      ++pos;
    }
    if (pos == start || pos == s.size()) {
      return {std::nullopt, quoted + " is not a duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m"};
    }
    const auto n = number(s.substr(start, pos - start));
    const std::size_t unit =
        units.find(static_cast<char>(std::tolower(static_cast<unsigned char>(s[pos]))));
    if (!n || unit == std::string_view::npos) {
      return {std::nullopt, quoted + " is not a duration; expected e.g. 90s, 15m, 2h, 1d, 1h30m"};
    }
    if (unit < next_unit) {
      return {std::nullopt,
              quoted + ": units must go from largest to smallest, each once (d h m s)"};
    }
    next_unit = unit + 1;
    total += *n * seconds_per[unit];
    ++pos;
  }
  if (total <= 0) {
    return {std::nullopt, quoted + ": a duration must be longer than zero"};
  }
  return {Duration{total}, {}};
}

Parsed<DaySet> parse_days(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  const std::string_view s = strip(text);
  if (util::iequals(s, "daily")) {
    return {DaySet{}.set(), {}};
  }
  DaySet days;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = s.find(',', start);
    const std::string_view item =
        strip(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start));
    const std::size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      const auto d = day_index(item);
      if (!d) {
        return {std::nullopt, quoted + " is not a day set; expected e.g. mon, mon-fri, "
                                       "mon,wed,fri or daily"};
      }
      if (days.test(static_cast<std::size_t>(*d))) {
        return {std::nullopt, quoted + " names " + std::string(k_day_names[*d]) + " twice"};
      }
      days.set(static_cast<std::size_t>(*d));
    } else {
      const auto from = day_index(strip(item.substr(0, dash)));
      const auto to = day_index(strip(item.substr(dash + 1)));
      if (!from || !to) {
        return {std::nullopt, quoted + " is not a day set; expected e.g. mon, mon-fri, "
                                       "mon,wed,fri or daily"};
      }
      // A range wraps past Sunday: fri-mon is fri, sat, sun, mon.
      for (int d = *from;; d = (d + 1) % 7) {
        if (days.test(static_cast<std::size_t>(d))) {
          return {std::nullopt, quoted + " names " + std::string(k_day_names[d]) + " twice"};
        }
        days.set(static_cast<std::size_t>(d));
        if (d == *to) {
          break;
        }
      }
    }
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return {days, {}};
}

Parsed<std::vector<TimeRange>> parse_hours(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  std::vector<TimeRange> ranges;
  std::size_t start = 0;
  const std::string_view s = strip(text);
  if (s.empty()) {
    return {std::nullopt,
            "empty hours; expected e.g. \"09:00-17:30\" or \"09:00-12:30, 13:30-17:30\""};
  }
  while (true) {
    const std::size_t comma = s.find(',', start);
    const std::string_view item =
        strip(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start));
    const std::size_t dash = item.find('-');
    const auto from =
        dash == std::string_view::npos ? std::nullopt : clock_time(item.substr(0, dash), false);
    const auto to =
        dash == std::string_view::npos ? std::nullopt : clock_time(item.substr(dash + 1), true);
    if (!from || !to) {
      return {std::nullopt, quoted + " is not a list of hours; expected HH:MM-HH:MM, "
                                     "comma-separated (e.g. \"09:00-12:30, 13:30-17:30\")"};
    }
    if (*from == *to) {
      return {std::nullopt, quoted + ": the range " + std::string(item) + " is empty"};
    }
    // A range ending at 00:00 ends at midnight, like 24:00: it does not cross into the next day.
    ranges.push_back({*from, *to == 0 ? 1440 : *to});
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return {ranges, {}};
}

Parsed<date::year_month_day> parse_date(std::string_view text) {
  const std::string_view s = strip(text);
  const std::string quoted = "'" + std::string(text) + "'";
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return {std::nullopt, quoted + " is not a date; expected YYYY-MM-DD"};
  }
  const auto y = number(s.substr(0, 4));
  const auto m = number(s.substr(5, 2));
  const auto d = number(s.substr(8, 2));
  if (!y || !m || !d) {
    return {std::nullopt, quoted + " is not a date; expected YYYY-MM-DD"};
  }
  const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) {
    return {std::nullopt, quoted + " is not a real date"};
  }
  return {ymd, {}};
}

Parsed<date::month_day> parse_month_day(std::string_view text) {
  const std::string_view s = strip(text);
  const std::string quoted = "'" + std::string(text) + "'";
  if (s.size() != 5 || s[2] != '-') {
    return {std::nullopt, quoted + " is not a yearly date; expected MM-DD (e.g. 12-25)"};
  }
  const auto m = number(s.substr(0, 2));
  const auto d = number(s.substr(3, 2));
  if (!m || !d) {
    return {std::nullopt, quoted + " is not a yearly date; expected MM-DD (e.g. 12-25)"};
  }
  const date::month_day md{date::month{static_cast<unsigned>(*m)},
                           date::day{static_cast<unsigned>(*d)}};
  if (!md.ok()) {
    return {std::nullopt, quoted + " is not a real day of the year"};
  }
  return {md, {}};
}

}  // namespace router::core
