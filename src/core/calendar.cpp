// Business-time searches over the exact open set of calendar_walk. A regular week (no
// holiday on any of its days or the day before, one UTC offset throughout) holds exactly
// the weekly open time, so runs of regular weeks are skipped arithmetically and only the
// weeks around holidays and offset changes are walked: a minute a week and a timeout of a
// day (1440 weeks) costs a few dozen short walks, not 10,000 days.

#include "core/calendar.hpp"

#include <algorithm>

#include "core/calendar_walk.hpp"

namespace router::core {

namespace {

using date::days;
using date::local_days;
using date::local_seconds;

constexpr Duration k_week = days{7};

Plan plan_of(const Schedule& schedule) {
  return {&schedule.hours, &schedule.holidays, schedule.zone};
}

local_seconds to_local(Time t, const Period& p) {
  return local_seconds{(t + p.offset).time_since_epoch()};
}

Time to_utc(local_seconds l, const Period& p) {
  return Time{(l - p.offset).time_since_epoch()};
}

// What every search of one call needs: the open time of a regular week and the instants
// between which the plan can be open.
struct Reach {
  Duration week;
  Time first;
  Time last;
};

Reach reach_of(const Plan& plan) {
  return {week_open_time(*plan.hours), k_calendar_begin,
          end_of_openings(plan, k_calendar_begin, k_calendar_end)};
}

// Whole weeks that can be skipped from `cursor` with `remaining` (> 0) still to find: each
// must hold less than all of it, lie within `end` (the period's) and consist of regular
// days from the one before the first to the one the skip ends in (before `holiday`).
Duration::rep weeks_ahead(const Reach& reach, Duration remaining, Time cursor, Time end,
                          local_seconds lc, std::optional<local_days> holiday) {
  if (reach.week <= Duration{0} || remaining <= reach.week) {
    return 0;
  }
  Duration::rep k = std::min((end - cursor) / k_week, (remaining - Duration{1}) / reach.week);
  if (holiday) {
    const Duration room = local_seconds{*holiday} - lc - Duration{1};
    k = room < Duration{0} ? 0 : std::min(k, room / k_week);
  }
  return k;
}

// The earliest r with `remaining` (>= 0) of open time in [cursor, r); remaining == 0 gives
// the next opening. Skips regular weeks, walks the rest a week (or a holiday) at a time.
std::optional<Time> forward(const Plan& plan, const Reach& reach, Time cursor, Duration remaining) {
  while (cursor < reach.last) {
    const Period p = period_at(plan.zone, cursor);
    const Time end = std::min(p.end, reach.last);
    const local_seconds lc = to_local(cursor, p);
    const auto holiday = next_holiday(plan, date::floor<days>(lc) - days{1});
    if (const Duration::rep k = weeks_ahead(reach, remaining, cursor, end, lc, holiday); k > 0) {
      cursor += k * k_week;
      remaining -= k * reach.week;
      continue;
    }
    // No weekly hours: nothing opens before the next holiday.
    if (const Time quiet = holiday ? to_utc(*holiday, p) : end;
        reach.week <= Duration{0} && quiet > cursor) {
      cursor = std::min(quiet, end);
      continue;
    }
    // Walk a week, or past a holiday close ahead (its ranges reach into the next day).
    Time target = cursor + k_week;
    if (holiday && local_seconds{*holiday} < lc + k_week + days{1}) {
      target = std::max(target, to_utc(*holiday + days{2}, p));
    }
    target = std::min(target, end);
    std::optional<Time> due;
    walk(plan, cursor, target, [&](Time begin, Time finish) {
      if (finish - begin >= remaining) {
        due = begin + remaining;
        return false;
      }
      remaining -= finish - begin;
      return true;
    });
    if (due) {
      return due;
    }
    cursor = target;
  }
  return std::nullopt;
}

// The mirror of forward: the latest r with `remaining` (> 0) of open time in [r, cursor).
std::optional<Time> backward(const Plan& plan, const Reach& reach, Time cursor,
                             Duration remaining) {
  std::vector<Interval> intervals;
  cursor = std::min(cursor, reach.last);
  while (cursor > reach.first) {
    const Period p = period_at(plan.zone, cursor - Duration{1});
    const Time start = std::max(p.begin, reach.first);
    const local_seconds lc = to_local(cursor, p);
    // Skipping back to lc - k weeks needs regular days from the one before that on.
    const auto holiday = previous_holiday(plan, date::floor<days>(lc - Duration{1}));
    const auto clear = holiday ? std::optional<local_days>{*holiday + days{2}} : std::nullopt;
    Duration::rep k = 0;
    if (reach.week > Duration{0} && remaining > reach.week) {
      k = std::min((cursor - start) / k_week, (remaining - Duration{1}) / reach.week);
      if (clear) {
        const Duration room = lc - local_seconds{*clear};
        k = room < Duration{0} ? 0 : std::min(k, room / k_week);
      }
    }
    if (k > 0) {
      cursor -= k * k_week;
      remaining -= k * reach.week;
      continue;
    }
    // No weekly hours: nothing is open after the last holiday's ranges end.
    if (const Time quiet = clear ? to_utc(*clear, p) : start;
        reach.week <= Duration{0} && quiet < cursor) {
      cursor = std::max(quiet, start);
      continue;
    }
    Time target = cursor - k_week;
    if (holiday && local_seconds{*clear} + days{1} > lc - k_week) {
      target = std::min(target, to_utc(*holiday, p));
    }
    target = std::max(target, start);
    intervals.clear();
    walk(plan, target, cursor, [&](Time begin, Time finish) {
      intervals.push_back({begin, finish});
      return true;
    });
    for (auto it = intervals.rbegin(); it != intervals.rend(); ++it) {
      if (it->end - it->begin >= remaining) {
        return it->end - remaining;
      }
      remaining -= it->end - it->begin;
    }
    cursor = target;
  }
  return std::nullopt;
}

}  // namespace

bool is_open(const Schedule& schedule, Time t) {
  return open_at(plan_of(schedule), t);
}

std::optional<Time> next_open(const Schedule& schedule, Time t) {
  const Plan plan = plan_of(schedule);
  return forward(plan, reach_of(plan), t, Duration{0});
}

std::optional<Time> add_business_time(const Schedule& schedule, Time t, Duration d) {
  const Plan plan = plan_of(schedule);
  return forward(plan, reach_of(plan), t, std::max(d, Duration{0}));
}

std::optional<Time> subtract_business_time(const Schedule& schedule, Time t, Duration d) {
  if (d <= Duration{0}) {
    return t;
  }
  const Plan plan = plan_of(schedule);
  return backward(plan, reach_of(plan), t, d);
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

Duration weekly_open_time(const Schedule& schedule) {
  return week_open_time(schedule.hours);
}

bool opens_for_ever(const Schedule& schedule) {
  return end_of_openings(plan_of(schedule), k_calendar_begin, k_calendar_end) == k_calendar_end;
}

std::optional<Duration> longest_wall_time(const Schedule& schedule, Duration d) {
  // The regular week alone: the weekly hours in UTC, no holidays.
  Schedule regular;
  regular.hours = schedule.hours;
  if (week_open_time(regular.hours) <= Duration{0}) {
    return std::nullopt;
  }
  // The slowest start is a closing time: from one, only closed time passes first.
  const Time monday{date::sys_days{date::year{2001} / 1 / 1}};
  const auto intervals = open_intervals(regular, monday, monday + 2 * k_week);
  Duration longest = d;
  for (const Interval& i : intervals) {
    if (i.end < monday + 2 * k_week) {
      const auto due = add_business_time(regular, i.end, d);
      if (!due) {
        return std::nullopt;
      }
      longest = std::max(longest, *due - i.end);
    }
  }
  return longest;
}

bool within_hours(const WeeklyHours& hours, const util::Zone* zone, Time t) {
  return open_at({&hours, nullptr, zone}, t);
}

std::optional<Time> next_within_hours(const WeeklyHours& hours, const util::Zone* zone, Time t) {
  const Plan plan{&hours, nullptr, zone};
  return forward(plan, reach_of(plan), t, Duration{0});
}

}  // namespace router::core
