#pragma once
// Business-time arithmetic on schedules: opening hours in an IANA zone, holidays with
// special hours, daylight-saving changes. Pure: no clock, times are passed in.

#include <optional>
#include <vector>

#include "core/model.hpp"

namespace router::core {

// A half-open span of instants [begin, end).
struct Interval {
  Time begin;
  Time end;
  bool operator==(const Interval&) const = default;
};

// True when the schedule is open at instant t (holidays and special hours applied).
bool is_open(const Schedule& schedule, Time t);

// The first instant >= t at which the schedule is open (t itself when open); nullopt
// when it never opens within about three years (e.g. no hours at all).
std::optional<Time> next_open(const Schedule& schedule, Time t);

// t plus d of business time: the instant at which d of open time has elapsed since t.
// A d of zero gives next_open(t). nullopt when the schedule never opens.
std::optional<Time> add_business_time(const Schedule& schedule, Time t, Duration d);

// Open time between a and b (zero when b <= a).
Duration business_time_between(const Schedule& schedule, Time a, Time b);

// The schedule's open intervals that intersect [from, to), merged and clipped, in order.
std::vector<Interval> open_intervals(const Schedule& schedule, Time from, Time to);

// True when weekly hours (a member's shifts) cover instant t in `zone`; no holidays.
bool within_hours(const WeeklyHours& hours, const date::time_zone* zone, Time t);

}  // namespace router::core
