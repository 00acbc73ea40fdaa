// Coverage: the gaps are found exactly, not by stepping: every instant at which anything
// judged can change (an opening or closing of the pool, of a member's shift, the end of a
// leave) cuts the period, and between two cuts the answer is that of the first instant.
// The regular week is the same computation on a model without holidays, in UTC standing
// for the pool's local time, three weeks long so that the middle one sees its neighbours.

#include "core/coverage.hpp"

#include <algorithm>

namespace router::core {
namespace {

using date::days;

// A Monday (2001-01-01) at 00:00: the regular week's middle week begins here.
constexpr Time k_cover_monday{date::sys_days{date::year{2001} / 1 / 1}};
constexpr Duration k_cover_week{days{7}};

// True when t lies in one of the sorted, disjoint intervals.
bool in_intervals(const std::vector<Interval>& intervals, Time t) {
  const auto it = std::upper_bound(intervals.begin(), intervals.end(), t,
                                   [](Time v, const Interval& i) { return v < i.begin; });
  return it != intervals.begin() && t < std::prev(it)->end;
}

// The open intervals of [from, to): the schedule's, or all of it without one.
std::vector<Interval> open_or_all(const Schedule* schedule, Time from, Time to) {
  return schedule ? open_intervals(*schedule, from, to) : std::vector<Interval>{{from, to}};
}

// The weekly hours alone (no holidays) with UTC standing for local time.
Schedule weekly_only(const WeeklyHours& hours) {
  Schedule s;
  s.hours = hours;
  return s;
}

// What is left of `gaps` outside the sorted, disjoint `cut` intervals.
std::vector<Gap> subtract_intervals(const std::vector<Gap>& gaps,
                                    const std::vector<Interval>& cut) {
  std::vector<Gap> out;
  for (const Gap& g : gaps) {
    Time cursor = g.begin;
    for (const Interval& c : cut) {
      if (c.end <= cursor || c.begin >= g.end) {
        continue;
      }
      if (c.begin > cursor) {
        out.push_back({cursor, c.begin, g.reason, g.leaves});
      }
      cursor = std::max(cursor, c.end);
    }
    if (cursor < g.end) {
      out.push_back({cursor, g.end, g.reason, g.leaves});
    }
  }
  return out;
}

// The gaps of the pseudo-local frame that fall in the week from k_cover_monday, as minutes of the
// week; a gap running from Sunday into Monday is one gap (its end past the week).
std::vector<WeeklyGap> fold_week(const std::vector<Gap>& gaps) {
  std::vector<WeeklyGap> out;
  const Time end = k_cover_monday + k_cover_week;
  for (const Gap& g : gaps) {
    const Time b = std::max(g.begin, k_cover_monday);
    const Time e = std::min(g.end, end);
    if (b < e) {
      out.push_back({static_cast<int>((b - k_cover_monday).count() / 60),
                     static_cast<int>((e - k_cover_monday).count() / 60), g.reason, g.leaves});
    }
  }
  if (out.size() > 1 && out.front().begin == 0 && out.back().end == k_week_minutes &&
      out.front().reason == out.back().reason && out.front().leaves == out.back().leaves) {
    out.back().end = k_week_minutes + out.front().end;
    out.erase(out.begin());
  }
  return out;
}

// The instants of [from, to) whose local time in `zone` falls in a weekly gap.
std::vector<Interval> occurrences(const std::vector<WeeklyGap>& weekly, const util::Zone* zone,
                                  Time from, Time to) {
  Schedule s;
  s.zone = zone;
  for (const WeeklyGap& g : weekly) {
    for (int m = g.begin; m < g.end;) {
      const int day = m / 1440;
      const int stop = std::min(g.end, (day + 1) * 1440);
      s.hours.days[static_cast<std::size_t>(day % 7)].push_back(
          {m - day * 1440, stop - day * 1440});
      m = stop;
    }
  }
  return open_intervals(s, from, to);
}

// Splits the actual gaps into the regular week's and the dated rest.
GapReport gap_report_of(std::vector<WeeklyGap> weekly, const std::vector<Gap>& actual,
                        const util::Zone* zone, Time from, Time to) {
  GapReport r;
  r.dated = subtract_intervals(actual, occurrences(weekly, zone, from, to));
  r.weekly = std::move(weekly);
  return r;
}

// Closed-pool gaps: `during` open minus the pool open, over [from, to).
std::vector<Gap> closed_gaps(const std::vector<Interval>& during,
                             const std::vector<Interval>& open) {
  std::vector<Gap> windows;
  windows.reserve(during.size());
  for (const Interval& i : during) {
    windows.push_back({i.begin, i.end, GapReason::closed, {}});
  }
  return subtract_intervals(windows, open);
}

Duration zone_offset_at(const util::Zone* zone, Time t) {
  return zone ? zone->get_info(t).offset : Duration{0};
}

// The rule's gaps: its regular week in the pool's local time (the rule's zone at the offset
// it has against the pool's at `from`) and the dated rest.
std::optional<RuleCoverage> rule_coverage(const Rule& rule, const Schedule& during,
                                          const Schedule& pool_schedule, const util::Zone* zone,
                                          Time from, Time to) {
  const std::vector<Gap> actual =
      closed_gaps(open_intervals(during, from, to), open_intervals(pool_schedule, from, to));
  const Duration shift = zone_offset_at(zone, from) - zone_offset_at(during.zone, from);
  const Time a = k_cover_monday - k_cover_week - days{1};
  const Time b = k_cover_monday + 2 * k_cover_week + days{1};
  std::vector<Interval> window = open_intervals(weekly_only(during.hours), a - shift, b - shift);
  for (Interval& i : window) {
    i.begin += shift;
    i.end += shift;
  }
  const auto weekly =
      fold_week(closed_gaps(window, open_intervals(weekly_only(pool_schedule.hours), a, b)));
  GapReport report = gap_report_of(weekly, actual, zone, from, to);
  if (report.empty()) {
    return std::nullopt;
  }
  return RuleCoverage{rule.name, *rule.during, std::move(report)};
}

// The regular week's hours as grid cells.
std::array<std::array<HourCell, 24>, 7> grid_of(const Schedule* schedule,
                                                const std::vector<WeeklyGap>& weekly) {
  std::vector<char> open(k_week_minutes, 0);
  std::vector<char> gap(k_week_minutes, 0);
  const Schedule plain = schedule ? weekly_only(schedule->hours) : Schedule{};
  for (const Interval& i :
       open_or_all(schedule ? &plain : nullptr, k_cover_monday, k_cover_monday + k_cover_week)) {
    for (auto m = (i.begin - k_cover_monday).count() / 60;
         m < (i.end - k_cover_monday).count() / 60; ++m) {
      open[static_cast<std::size_t>(m)] = 1;
    }
  }
  for (const WeeklyGap& g : weekly) {
    for (int m = g.begin; m < g.end; ++m) {
      gap[static_cast<std::size_t>(m % k_week_minutes)] = 1;
    }
  }
  std::array<std::array<HourCell, 24>, 7> grid{};
  for (std::size_t h = 0; h < grid.size() * 24; ++h) {
    int opened = 0;
    int missing = 0;
    for (std::size_t m = h * 60; m < h * 60 + 60; ++m) {
      opened += open[m];
      missing += gap[m];
    }
    HourCell cell = opened > 0 ? HourCell::covered : HourCell::closed;
    if (missing > 0) {
      cell = missing == 60 ? HourCell::gap : HourCell::partial;
    }
    grid[h / 24][h % 24] = cell;
  }
  return grid;
}

}  // namespace

std::vector<Gap> pool_gaps(const Pool& pool, const Schedule* schedule, const util::Zone* shift_zone,
                           const std::vector<Leave>& leaves, Time from, Time to) {
  std::vector<Gap> out;
  if (to <= from) {
    return out;
  }
  const std::vector<Interval> open = open_or_all(schedule, from, to);
  std::vector<Time> cuts{from, to};
  for (const Interval& i : open) {
    cuts.insert(cuts.end(), {i.begin, i.end});
  }
  struct Times {
    std::vector<Interval> on;
    const Leave* leave = nullptr;
  };
  std::vector<Times> members;
  members.reserve(pool.members.size());
  for (const Member& member : pool.members) {
    Times m;
    if (member.shifts) {
      Schedule shifts = weekly_only(*member.shifts);
      shifts.zone = shift_zone;
      m.on = open_intervals(shifts, from, to);
    } else {
      m.on = {{from, to}};
    }
    const auto leave = std::find_if(leaves.begin(), leaves.end(),
                                    [&](const Leave& l) { return l.agent == member.agent; });
    if (leave != leaves.end() && (!leave->until || *leave->until > from)) {
      m.leave = &*leave;
      if (leave->until && *leave->until < to) {
        cuts.push_back(*leave->until);
      }
    } else if (!member.shifts) {
      return out;  // always there: no gap at all
    }
    for (const Interval& i : m.on) {
      cuts.insert(cuts.end(), {i.begin, i.end});
    }
    members.push_back(std::move(m));
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const Time a = cuts[k];
    if (!in_intervals(open, a)) {
      continue;
    }
    Gap g{a, cuts[k + 1], GapReason::nobody_on_shift, {}};
    bool free = false;
    for (const Times& m : members) {
      if (!in_intervals(m.on, a)) {
        continue;
      }
      if (!m.leave || (m.leave->until && *m.leave->until <= a)) {
        free = true;
        break;
      }
      g.reason = GapReason::everyone_on_leave;
      g.leaves.push_back(*m.leave);
    }
    if (free) {
      continue;
    }
    if (!out.empty() && out.back().end == a && out.back().reason == g.reason &&
        out.back().leaves == g.leaves) {
      out.back().end = g.end;
    } else {
      out.push_back(std::move(g));
    }
  }
  return out;
}

PoolCoverage pool_coverage(const Config& config, const Pool& pool, const std::vector<Leave>& leaves,
                           Time from, Time to) {
  PoolCoverage c;
  c.pool = pool.name;
  c.zone = config.pool_zone(pool);
  const Schedule* schedule = pool.schedule ? config.find_schedule(*pool.schedule) : nullptr;
  const std::vector<Gap> actual = pool_gaps(pool, schedule, c.zone, leaves, from, to);
  // The regular week knows only the leaves without an end.
  std::vector<Leave> lasting;
  std::copy_if(leaves.begin(), leaves.end(), std::back_inserter(lasting),
               [](const Leave& l) { return !l.until; });
  const Schedule plain = schedule ? weekly_only(schedule->hours) : Schedule{};
  const auto weekly =
      fold_week(pool_gaps(pool, schedule ? &plain : nullptr, nullptr, lasting,
                          k_cover_monday - k_cover_week, k_cover_monday + 2 * k_cover_week));
  c.gaps = gap_report_of(weekly, actual, c.zone, from, to);
  c.grid = grid_of(schedule, c.gaps.weekly);
  if (!schedule) {
    return c;  // always open: no rule sends to it while closed
  }
  for (const Rule& rule : config.rules) {
    const Schedule* during = rule.during ? config.find_schedule(*rule.during) : nullptr;
    if (rule.pool != pool.name || !during) {
      continue;
    }
    if (auto r = rule_coverage(rule, *during, *schedule, c.zone, from, to)) {
      c.rules.push_back(std::move(*r));
    }
  }
  return c;
}

std::pair<int, int> local_week_minute(const util::Zone* zone, Time t) {
  const auto local = date::local_seconds{(t + zone_offset_at(zone, t)).time_since_epoch()};
  const auto day = date::floor<days>(local);
  const int weekday = static_cast<int>(date::weekday{day}.iso_encoding()) - 1;
  return {weekday, static_cast<int>((local - day).count() / 60)};
}

}  // namespace router::core
