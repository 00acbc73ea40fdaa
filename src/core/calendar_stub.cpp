// TEMPORARY stand-in for the calendar helper's implementation so the routing core links and
// its tests run. Naive minute walking, weekly hours plus whole-day holidays and special
// hours. DELETE THIS FILE when src/core/calendar.cpp is merged.

#include "core/calendar.hpp"

namespace router::core {
namespace {

const date::time_zone* zone_or_utc(const date::time_zone* zone) {
  return zone ? zone : date::locate_zone("UTC");
}

bool in_ranges(const std::vector<TimeRange>& ranges, int minute, bool from_yesterday) {
  for (const auto& r : ranges) {
    if (from_yesterday) {
      if (r.crosses_midnight() && minute < r.end) {
        return true;
      }
    } else if (r.crosses_midnight() ? minute >= r.start : minute >= r.start && minute < r.end) {
      return true;
    }
  }
  return false;
}

const std::vector<TimeRange>* holiday_hours(const Schedule* s, date::year_month_day day,
                                            bool& closed) {
  closed = false;
  if (!s) {
    return nullptr;
  }
  for (const auto& h : s->holidays) {
    const bool hit =
        (h.date && *h.date == day) ||
        (h.every_year && h.every_year->month() == day.month() && h.every_year->day() == day.day());
    if (hit) {
      closed = !h.hours;
      return h.hours ? &*h.hours : nullptr;
    }
  }
  return nullptr;
}

bool open_at(const WeeklyHours& hours, const Schedule* s, const date::time_zone* zone, Time t) {
  const auto local = zone_or_utc(zone)->to_local(t);
  const auto day = date::floor<date::days>(local);
  const int minute =
      static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  const auto ymd = date::year_month_day{day};
  const unsigned wd = date::weekday{day}.iso_encoding() - 1;
  bool closed = false;
  if (const auto* special = holiday_hours(s, ymd, closed)) {
    return in_ranges(*special, minute, false);
  }
  if (!closed && in_ranges(hours.days[wd], minute, false)) {
    return true;
  }
  return in_ranges(hours.days[(wd + 6) % 7], minute, true);
}

Time next_minute(Time t) {
  return std::chrono::floor<std::chrono::minutes>(t) + std::chrono::minutes{1};
}

constexpr int k_search_minutes = 60 * 24 * 400;

}  // namespace

bool is_open(const Schedule& schedule, Time t) {
  return open_at(schedule.hours, &schedule, schedule.zone, t);
}

std::optional<Time> next_open(const Schedule& schedule, Time t) {
  for (int i = 0; i < k_search_minutes; ++i) {
    if (is_open(schedule, t)) {
      return t;
    }
    t = next_minute(t);
  }
  return std::nullopt;
}

std::optional<Time> add_business_time(const Schedule& schedule, Time t, Duration d) {
  auto start = next_open(schedule, t);
  if (!start) {
    return std::nullopt;
  }
  t = *start;
  while (d > Duration::zero()) {
    if (is_open(schedule, t)) {
      const Duration step = std::min(d, Duration{next_minute(t) - t});
      d -= step;
      t += step;
    } else {
      auto again = next_open(schedule, t);
      if (!again) {
        return std::nullopt;
      }
      t = *again;
    }
  }
  return t;
}

Duration business_time_between(const Schedule& schedule, Time a, Time b) {
  Duration total{0};
  while (a < b) {
    const Time step = std::min(b, Time{next_minute(a)});
    if (is_open(schedule, a)) {
      total += step - a;
    }
    a = step;
  }
  return total;
}

std::vector<Interval> open_intervals(const Schedule& schedule, Time from, Time to) {
  std::vector<Interval> out;
  while (from < to) {
    const Time step = std::min(to, Time{next_minute(from)});
    if (is_open(schedule, from)) {
      if (!out.empty() && out.back().end == from) {
        out.back().end = step;
      } else {
        out.push_back({from, step});
      }
    }
    from = step;
  }
  return out;
}

bool within_hours(const WeeklyHours& hours, const date::time_zone* zone, Time t) {
  return open_at(hours, nullptr, zone, t);
}

}  // namespace router::core
