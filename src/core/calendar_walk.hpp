#pragma once
// The calendar's exact open set, for calendar.cpp: which local ranges each day has, and the
// open intervals of a UTC span, found one zone period (constant UTC offset) at a time.
// The searches (next opening, adding and subtracting business time) live in calendar.cpp.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/model.hpp"

namespace router::core {

// What the walk needs to know: the hours, the holidays (may be null) and the zone (null:
// UTC).
struct Plan {
  const WeeklyHours* hours = nullptr;
  const std::vector<Holiday>* holidays = nullptr;
  const util::Zone* zone = nullptr;
};

// A stretch of UTC with one offset: [begin, end), local = utc + offset.
struct Period {
  Time begin;
  Time end;
  Duration offset;
};

// Receives an open interval [begin, end); returns false to stop the walk.
using IntervalSink = std::function<bool(Time begin, Time end)>;

// The period of the plan's zone that contains t (all of time for UTC).
Period period_at(const util::Zone* zone, Time t);

// Fills `out` with the ranges that start on local `day`, holidays applied, sorted by start.
void ranges_of(const Plan& plan, date::local_days day, std::vector<TimeRange>& out);

// True when the plan is open at t.
bool open_at(const Plan& plan, Time t);

// Calls emit(begin, end) for disjoint open intervals covering the open instants of
// [from, to), in order (touching intervals may come separately at a period change);
// stops when emit returns false.
void walk(const Plan& plan, Time from, Time to, const IntervalSink& emit);

// How many local days this thread's walks have looked at so far: the measure of a
// search's work, which the unit tests bound (a clock would measure the machine).
std::uint64_t days_walked();

// The open time of a regular week: the weekly hours alone, at one UTC offset. Their open
// set repeats every 7 days, so every 7-day window of regular days holds exactly this much.
Duration week_open_time(const WeeklyHours& hours);

// The first day >= from on which one of the plan's holidays applies.
std::optional<date::local_days> next_holiday(const Plan& plan, date::local_days from);

// The last day <= upto on which one of the plan's holidays applies.
std::optional<date::local_days> previous_holiday(const Plan& plan, date::local_days upto);

// The first instant from which the plan is never open again: the calendar's end when it
// opens every year (weekly hours on a day no yearly holiday closes all day, or yearly
// special hours), else just past its last dated special hours (its begin when none).
Time end_of_openings(const Plan& plan, Time calendar_begin, Time calendar_end);

}  // namespace router::core
