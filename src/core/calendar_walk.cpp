// The open set, exactly: built per local day (ranges → local spans) and mapped to UTC one
// zone period (constant UTC offset) at a time. Within a period local(t) = t + offset is a
// bijection, so the open instants of the period are the local spans shifted back by the
// offset and clipped to it. Gaps and repeated hours fall out of this exactly, and nothing
// walks minute by minute.

#include "core/calendar_walk.hpp"

#include <algorithm>

namespace router::core {

namespace {

using date::days;
using date::local_days;
using date::local_seconds;
using std::chrono::minutes;

// Days the walks of this thread have looked at (see days_walked).
thread_local std::uint64_t t_days_walked = 0;

// A span of local wall-clock time [begin, end).
struct LocalSpan {
  local_seconds begin;
  local_seconds end;
};

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

LocalSpan span_of(local_days day, const TimeRange& r) {
  const local_seconds begin = day + minutes{r.start};
  const local_seconds end = day + minutes{r.end} + (r.crosses_midnight() ? days{1} : days{0});
  return {begin, end};
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
    ++t_days_walked;
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

// The day a yearly holiday falls on nearest to `day` in the direction `step` (+1 on or
// after, -1 on or before); 02-29 only in leap years, so up to 8 years away.
std::optional<local_days> yearly_near(const date::month_day& md, local_days day, int step) {
  const date::year first = date::year_month_day{day}.year();
  for (int i = 0; i <= 8; ++i) {
    const date::year_month_day ymd = (first + date::years{i * step}) / md.month() / md.day();
    if (ymd.ok() && (step > 0 ? local_days{ymd} >= day : local_days{ymd} <= day)) {
      return local_days{ymd};
    }
  }
  return std::nullopt;
}

// The holiday day nearest to `day` in the direction `step` (see yearly_near).
std::optional<local_days> holiday_near(const Plan& plan, local_days day, int step) {
  std::optional<local_days> best;
  const auto consider = [&](std::optional<local_days> d) {
    const bool ahead = d && (step > 0 ? *d >= day : *d <= day);
    if (ahead && (!best || (step > 0 ? *d < *best : *d > *best))) {
      best = d;
    }
  };
  if (plan.holidays == nullptr) {
    return best;
  }
  for (const Holiday& h : *plan.holidays) {
    if (h.date) {
      consider(local_days{*h.date});
    }
    if (h.every_year) {
      consider(yearly_near(*h.every_year, day, step));
    }
  }
  return best;
}

// True when every month-day (29 February too) is a yearly holiday closed all day.
bool closed_every_day(const std::vector<Holiday>& holidays) {
  std::vector<char> closed(13 * 32, 0);
  const auto slot = [](const date::month_day& md) {
    return static_cast<unsigned>(md.month()) * 32 + static_cast<unsigned>(md.day());
  };
  for (const Holiday& h : holidays) {
    if (h.every_year && (!h.hours || h.hours->empty()) && h.every_year->ok()) {
      closed[slot(*h.every_year)] = 1;
    }
  }
  const local_days leap_year{date::year{2000} / 1 / 1};
  for (local_days d = leap_year; d < leap_year + days{366}; d += days{1}) {
    const date::year_month_day ymd{d};
    if (closed[slot(ymd.month() / ymd.day())] == 0) {
      return false;
    }
  }
  return true;
}

}  // namespace

Period period_at(const util::Zone* zone, Time t) {
  if (zone == nullptr) {
    return {Time::min(), Time::max(), Duration{0}};
  }
  const date::sys_info info = zone->get_info(t);
  return {info.begin, info.end, info.offset};
}

void ranges_of(const Plan& plan, local_days day, std::vector<TimeRange>& out) {
  const std::vector<TimeRange>& ranges = raw_ranges(plan, day, out);
  if (&ranges != &out) {
    out.assign(ranges.begin(), ranges.end());
  }
  std::sort(out.begin(), out.end(),
            [](const TimeRange& a, const TimeRange& b) { return a.start < b.start; });
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

void walk(const Plan& plan, Time from, Time to, const IntervalSink& emit) {
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

std::uint64_t days_walked() {
  return t_days_walked;
}

Duration week_open_time(const WeeklyHours& hours) {
  const Plan regular{&hours, nullptr, nullptr};
  const local_days monday{date::year{2001} / 1 / 1};
  std::vector<TimeRange> buffer;
  Duration total{0};
  walk_local(regular, monday, monday + days{7}, buffer, [&](const LocalSpan& s) {
    total += s.end - s.begin;
    return true;
  });
  return total;
}

std::optional<local_days> next_holiday(const Plan& plan, local_days from) {
  return holiday_near(plan, from, +1);
}

std::optional<local_days> previous_holiday(const Plan& plan, local_days upto) {
  return holiday_near(plan, upto, -1);
}

Time end_of_openings(const Plan& plan, Time calendar_begin, Time calendar_end) {
  const std::vector<Holiday> none;
  const std::vector<Holiday>& holidays = plan.holidays != nullptr ? *plan.holidays : none;
  const bool yearly_hours = std::any_of(holidays.begin(), holidays.end(), [](const Holiday& h) {
    return h.every_year && h.hours && !h.hours->empty();
  });
  if (yearly_hours || (!plan.hours->empty() && !closed_every_day(holidays))) {
    return calendar_end;
  }
  std::optional<local_days> last;
  for (const Holiday& h : holidays) {
    if (h.date && h.hours && !h.hours->empty() && (!last || local_days{*h.date} > *last)) {
      last = local_days{*h.date};
    }
  }
  if (!last) {
    return calendar_begin;
  }
  // A range ends within a day after the day it starts on, and an offset is under a day.
  return std::min(calendar_end, Time{(*last + days{3}).time_since_epoch()});
}

}  // namespace router::core
