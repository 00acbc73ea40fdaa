#include "config/build_hours.hpp"

#include <algorithm>
#include <array>

#include "core/syntax.hpp"

namespace router::config {
namespace {

constexpr int k_day = 1440;
constexpr int k_week = 7 * k_day;
constexpr std::array<const char*, 7> k_days = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string hhmm(int minutes) {
  const auto two = [](int n) {
    return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10);
  };
  return two(minutes / 60) + ":" + two(minutes % 60);
}

// A range placed in the week, in minutes since Monday 00:00, with where it was written.
struct Placed {
  int start;
  int end;
  int day;
  core::TimeRange range;
  core::Location at;
};

Placed place(int day, const core::TimeRange& r, core::Location at) {
  const int start = day * k_day + r.start;
  const int end = day * k_day + (r.crosses_midnight() ? r.end + k_day : r.end);
  return {start, end, day, r, at};
}

bool overlap(const Placed& a, const Placed& b) {
  // Sunday night runs into Monday morning: compare also one week later.
  const auto meets = [](int s1, int e1, int s2, int e2) { return s1 < e2 && s2 < e1; };
  return meets(a.start, a.end, b.start, b.end) ||
         meets(a.start + k_week, a.end + k_week, b.start, b.end) ||
         meets(a.start, a.end, b.start + k_week, b.end + k_week);
}

bool before(core::Location a, core::Location b) {
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

}  // namespace

std::string format_range(const core::TimeRange& r) {
  return hhmm(r.start) + "-" + hhmm(r.end);
}

std::optional<std::vector<core::TimeRange>> read_hours(const Field& f, Sink& sink) {
  if (!f.value.IsScalar()) {
    expect(f, "hours such as \"09:00-12:30, 13:30-17:30\"", sink);
    return std::nullopt;
  }
  auto parsed = core::parse_hours(f.value.Scalar());
  if (!parsed) {
    sink.error(f.value_at(), parsed.error);
    return std::nullopt;
  }
  const auto& ranges = *parsed.value;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (overlap(place(0, ranges[j], {}), place(0, ranges[i], {}))) {
        sink.error(f.value_at(), "the hours " + format_range(ranges[j]) + " and " +
                                     format_range(ranges[i]) + " overlap");
        return std::nullopt;
      }
    }
  }
  return std::move(parsed.value);
}

std::optional<core::WeeklyHours> read_weekly(const Field& f, const std::string& where, Sink& sink) {
  if (!f.value.IsMap()) {
    expect(f, "a mapping of days to hours, such as { mon-fri: \"09:00-17:00\" }", sink);
    return std::nullopt;
  }
  core::WeeklyHours week;
  std::array<core::Location, 7> given{};
  std::vector<Placed> placed;
  bool ok = true;
  const Mapping entries(f.value, nullptr, "in '" + f.key + "' " + where, sink);
  for (const Field& entry : entries.fields()) {
    const auto days = core::parse_days(entry.key);
    if (!days) {
      sink.error(entry.key_at, days.error);
      ok = false;
      continue;
    }
    const auto hours = read_hours(entry, sink);
    for (int d = 0; d < 7; ++d) {
      if (!days.value->test(static_cast<std::size_t>(d))) {
        continue;
      }
      if (given[d].line > 0) {
        sink.error(entry.key_at, std::string(k_days[d]) + " is given twice in '" + f.key + "' " +
                                     where + " (first at " + describe(given[d]) + ")");
        ok = false;
        break;
      }
      given[d] = entry.key_at;
      if (hours) {
        week.days[d] = *hours;
        for (const auto& r : *hours) {
          placed.push_back(place(d, r, entry.key_at));
        }
      }
    }
    ok = ok && hours.has_value();
  }
  // Ranges of different days meet only across midnight; report each entry once.
  std::vector<core::Location> reported;
  for (std::size_t i = 0; i < placed.size(); ++i) {
    for (std::size_t j = 0; j < placed.size(); ++j) {
      const Placed& a = placed[i];
      const Placed& b = placed[j];
      const bool same_entry = a.at.line == b.at.line && a.at.column == b.at.column;
      if (a.day == b.day || before(b.at, a.at) || (same_entry && j < i) || !overlap(a, b)) {
        continue;
      }
      if (std::find_if(reported.begin(), reported.end(), [&](core::Location l) {
            return l.line == b.at.line && l.column == b.at.column;
          }) != reported.end()) {
        continue;
      }
      reported.push_back(b.at);
      sink.error(b.at, "the hours " + format_range(a.range) + " on " + k_days[a.day] +
                           " run into " + format_range(b.range) + " on " + k_days[b.day]);
      ok = false;
    }
  }
  if (!ok) {
    return std::nullopt;
  }
  return week;
}

}  // namespace router::config
