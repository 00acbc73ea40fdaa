// Business-time arithmetic. The open set is built per local day (ranges → local spans)
// and mapped to UTC one zone period (constant UTC offset) at a time: within a period
// local(t) = t + offset is a bijection, so the open instants of the period are the local
// spans shifted back by the offset and clipped to it. Gaps and repeated hours fall out of
// this exactly, and nothing walks minute by minute.

#include "core/calendar.hpp"

#include <algorithm>

namespace router::core {

namespace {

using date::days;
using date::local_days;
using date::local_seconds;
using std::chrono::minutes;

// What the walk needs to know: the hours, the holidays (may be null) and the zone.
struct Plan {
  const WeeklyHours* hours = nullptr;
  const std::vector<Holiday>* holidays = nullptr;
  const date::time_zone* zone = nullptr;
};

// A stretch of UTC with one offset: [begin, end), local = utc + offset.
struct Period {
  Time begin;
  Time end;
  Duration offset;
};

// A span of local wall-clock time [begin, end).
struct LocalSpan {
  local_seconds begin;
  local_seconds end;
};

Plan plan_of(const Schedule& schedule) {
  return {&schedule.hours, &schedule.holidays, schedule.zone};
}

Period period_at(const date::time_zone* zone, Time t) {
  if (zone == nullptr) {
    return {Time::min(), Time::max(), Duration{0}};
  }
  const date::sys_info info = zone->get_info(t);
  return {info.begin, info.end, info.offset};
}

// t + d without overflowing past the end of time.
Time saturating_add(Time t, Duration d) {
  return t > Time::max() - d ? Time::max() : t + d;
}

bool applies(const Holiday& holiday, const date::year_month_day& ymd) {
  if (holiday.date && *holiday.date == ymd) {
    return true;
  }
  return holiday.every_year && holiday.every_year->month() == ymd.month() &&
         holiday.every_year->day() == ymd.day();
}

// The ranges that start on `day`, holidays applied, unsorted: the weekly ones, or the
// union of special hours collected into `special` (empty when closed).
const std::vector<TimeRange>& raw_ranges(const Plan& plan, local_days day,
                                         std::vector<TimeRange>& special) {
  special.clear();
  bool holiday = false;
  if (plan.holidays != nullptr && !plan.holidays->empty()) {
    const date::year_month_day ymd{day};
    for (const Holiday& h : *plan.holidays) {
      if (!applies(h, ymd)) {
        continue;
      }
      holiday = true;
      if (h.hours) {
        special.insert(special.end(), h.hours->begin(), h.hours->end());
      }
    }
  }
  if (holiday) {
    return special;
  }
  return plan.hours->days[date::weekday{day}.iso_encoding() - 1];
}

// Fills `out` with the ranges that start on `day`, holidays applied, sorted by start.
void ranges_of(const Plan& plan, local_days day, std::vector<TimeRange>& out) {
  const std::vector<TimeRange>& ranges = raw_ranges(plan, day, out);
  if (&ranges != &out) {
    out.assign(ranges.begin(), ranges.end());
  }
  std::sort(out.begin(), out.end(),
            [](const TimeRange& a, const TimeRange& b) { return a.start < b.start; });
}

LocalSpan span_of(local_days day, const TimeRange& r) {
  const local_seconds begin = day + minutes{r.start};
  const local_seconds end = day + minutes{r.end} + (r.crosses_midnight() ? days{1} : days{0});
  return {begin, end};
}

// False when no date can ever have a range, so searches can give up at once.
bool can_open(const Plan& plan) {
  if (!plan.hours->empty()) {
    return true;
  }
  if (plan.holidays == nullptr) {
    return false;
  }
  return std::any_of(plan.holidays->begin(), plan.holidays->end(),
                     [](const Holiday& h) { return h.hours && !h.hours->empty(); });
}

// Calls emit(span) for the merged local open spans within [la, lb), in order; stops and
// returns false as soon as emit does.
template <typename Emit>
bool walk_local(const Plan& plan, local_seconds la, local_seconds lb,
                std::vector<TimeRange>& buffer, Emit&& emit) {
  bool pending = false;
  LocalSpan current{};
  // A range is at most a day long, so only the previous day can spill into la's day.
  for (local_days day = date::floor<days>(la) - days{1}; day < lb; day += days{1}) {
    ranges_of(plan, day, buffer);
    for (const TimeRange& r : buffer) {
      LocalSpan s = span_of(day, r);
      if (s.end <= la || s.begin >= lb) {
        continue;
      }
      s.begin = std::max(s.begin, la);
      s.end = std::min(s.end, lb);
      if (pending && s.begin <= current.end) {
        current.end = std::max(current.end, s.end);
        continue;
      }
      if (pending && !emit(current)) {
        return false;
      }
      current = s;
      pending = true;
    }
  }
  return !pending || emit(current);
}

// Calls emit(begin, end) for disjoint open intervals covering the open instants of
// [from, to), in order (touching intervals may come separately at a period change);
// stops when emit returns false.
template <typename Emit> void walk(const Plan& plan, Time from, Time to, Emit&& emit) {
  std::vector<TimeRange> buffer;
  buffer.reserve(8);
  Time t = from;
  while (t < to) {
    const Period p = period_at(plan.zone, t);
    const Time end = std::min(to, p.end);
    const local_seconds la{(t + p.offset).time_since_epoch()};
    const local_seconds lb{(end + p.offset).time_since_epoch()};
    const bool more = walk_local(plan, la, lb, buffer, [&](const LocalSpan& s) {
      return emit(Time{(s.begin - p.offset).time_since_epoch()},
                  Time{(s.end - p.offset).time_since_epoch()});
    });
    if (!more) {
      return;
    }
    t = end;
  }
}

bool open_at(const Plan& plan, Time t) {
  const Period p = period_at(plan.zone, t);
  const local_seconds local{(t + p.offset).time_since_epoch()};
  const local_days today = date::floor<days>(local);
  std::vector<TimeRange> special;  // allocates only on a day with special hours
  for (const local_days day : {today - days{1}, today}) {
    for (const TimeRange& r : raw_ranges(plan, day, special)) {
      const LocalSpan s = span_of(day, r);
      if (s.begin <= local && local < s.end) {
        return true;
      }
    }
  }
  return false;
}

std::optional<Time> first_open(const Plan& plan, Time t) {
  if (!can_open(plan)) {
    return std::nullopt;
  }
  std::optional<Time> found;
  walk(plan, t, saturating_add(t, k_search_horizon), [&](Time begin, Time) {
    found = begin;
    return false;
  });
  return found;
}

}  // namespace

bool is_open(const Schedule& schedule, Time t) {
  return open_at(plan_of(schedule), t);
}

std::optional<Time> next_open(const Schedule& schedule, Time t) {
  return first_open(plan_of(schedule), t);
}

std::optional<Time> add_business_time(const Schedule& schedule, Time t, Duration d) {
  const Plan plan = plan_of(schedule);
  if (d <= Duration{0}) {
    return first_open(plan, t);
  }
  if (!can_open(plan)) {
    return std::nullopt;
  }
  Duration remaining = d;
  std::optional<Time> due;
  walk(plan, t, saturating_add(t, k_search_horizon), [&](Time begin, Time end) {
    if (end - begin >= remaining) {
      due = begin + remaining;
      return false;
    }
    remaining -= end - begin;
    return true;
  });
  return due;
}

Duration business_time_between(const Schedule& schedule, Time a, Time b) {
  Duration total{0};
  walk(plan_of(schedule), a, b, [&](Time begin, Time end) {
    total += end - begin;
    return true;
  });
  return total;
}

std::vector<Interval> open_intervals(const Schedule& schedule, Time from, Time to) {
  std::vector<Interval> out;
  walk(plan_of(schedule), from, to, [&](Time begin, Time end) {
    if (!out.empty() && out.back().end >= begin) {
      out.back().end = std::max(out.back().end, end);
    } else {
      out.push_back({begin, end});
    }
    return true;
  });
  return out;
}

std::vector<TimeRange> day_ranges(const Schedule& schedule, date::local_days day) {
  std::vector<TimeRange> out;
  ranges_of(plan_of(schedule), day, out);
  return out;
}

bool within_hours(const WeeklyHours& hours, const date::time_zone* zone, Time t) {
  return open_at({&hours, nullptr, zone}, t);
}

std::optional<Time> next_within_hours(const WeeklyHours& hours, const date::time_zone* zone,
                                      Time t) {
  return first_open({&hours, nullptr, zone}, t);
}

}  // namespace router::core
