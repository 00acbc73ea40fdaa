#pragma once
// Business-time arithmetic on schedules: opening hours in an IANA zone, holidays with
// special hours, daylight-saving changes. Pure: no clock, times are passed in.
//
// Semantics (the one definition everything below follows):
//
// * Wall clock. An instant t is open when its local wall-clock time in the schedule's zone
//   lies inside a local open span. Each local date D contributes the spans of its ranges:
//   [D + start, D + end) for an ordinary range, [D + start, D+1 + end) for a range that
//   crosses midnight (end <= start; a range belongs to the day it starts on). An end of
//   24:00 is the end of D. Spans may overlap or touch; only their union matters.
// * The ranges of a date D are the weekly hours of D's weekday, unless a holiday entry
//   applies to D (a `date` equal to D, or an `every_year` month-day equal to D's; an
//   every_year 02-29 therefore applies only in leap years). Then:
//     - if any entry applying to D has `hours`, D's ranges are the union of those hours
//       (special hours win over "closed" entries on the same date);
//     - otherwise D has no ranges (closed).
//   A holiday only changes the ranges that START on D: the spill-over past midnight of the
//   previous day's range stays open on a holiday, and a special range that crosses
//   midnight runs into the next day.
// * Daylight saving. Membership is judged on local wall time, so the set of open instants
//   is exactly {t : local(t) is inside a span}. Consequences: local times skipped by a
//   spring-forward gap are never open (a span starting inside the gap opens at the instant
//   the gap ends; a span ending inside it closes there); local times repeated by a
//   fall-back are open both times they occur (a span 01:30-02:00 on a fall-back day is
//   two separate open intervals). A span 00:30-03:00 on a spring-forward day is 1.5 h
//   of business time, on a fall-back day 3.5 h.
// * A null zone means UTC.
// * Searches (next_open, add_business_time, subtract_business_time) are exact however far
//   the answer lies: a run of regular weeks (no holiday on any of their days, one UTC
//   offset) holds exactly weekly_open_time each and is skipped arithmetically, the weeks
//   around holidays and offset changes are walked. They give nullopt only when the answer
//   does not exist: the schedule never opens again after t (no hours; every day of the year
//   a yearly holiday; only dated special hours, all past), or it would lie outside
//   [k_calendar_begin, k_calendar_end].

#include <optional>
#include <vector>

#include "core/model.hpp"

namespace router::core {

// The span of time the searches cover: the years 0001 to 9999 of RFC 3339.
inline constexpr Time k_calendar_begin{date::sys_days{date::year{1} / 1 / 1}};
// The end of that span (the first instant of 9999-12-31).
inline constexpr Time k_calendar_end{date::sys_days{date::year{9999} / 12 / 31}};

// A half-open span of instants [begin, end).
struct Interval {
  Time begin;
  Time end;
  bool operator==(const Interval&) const = default;
};

// True when the schedule is open at instant t (holidays and special hours applied).
bool is_open(const Schedule& schedule, Time t);

// The first instant >= t at which the schedule is open (t itself when open); nullopt
// when it never opens again (e.g. no hours at all).
std::optional<Time> next_open(const Schedule& schedule, Time t);

// t plus d of business time: the earliest instant r such that exactly d of open time lies
// in [t, r) (if closed at t, the clock starts at the next opening; r may be a closing
// time). A d of zero (or negative) gives next_open(t). nullopt when d of open time is
// never available after t (see above).
std::optional<Time> add_business_time(const Schedule& schedule, Time t, Duration d);

// t minus d of business time: the latest instant r such that exactly d of open time lies
// in [r, t) (r may be an opening time). A d of zero (or negative) gives t. nullopt when d of
// open time did not pass between k_calendar_begin and t.
std::optional<Time> subtract_business_time(const Schedule& schedule, Time t, Duration d);

// Open time in [a, b) (zero when b <= a).
Duration business_time_between(const Schedule& schedule, Time a, Time b);

// The schedule's open intervals that intersect [from, to), clipped to it, in order;
// overlapping and touching intervals are merged (also across midnight and across a
// daylight-saving change), so consecutive intervals are separated by closed time.
std::vector<Interval> open_intervals(const Schedule& schedule, Time from, Time to);

// The ranges that start on local date `day` after holidays are applied (see above),
// sorted by start; empty when closed. For explanations and tests.
std::vector<TimeRange> day_ranges(const Schedule& schedule, date::local_days day);

// The open time of a regular week of the schedule: its weekly hours alone, no holiday and
// no change of UTC offset (zero when it has no weekly hours).
Duration weekly_open_time(const Schedule& schedule);

// True when the schedule keeps opening for ever (weekly hours on a day of the year that no
// yearly holiday closes, or yearly special hours); false when it never opens after some
// date (no weekly hours, or yearly holidays closing every day of the year).
bool opens_for_ever(const Schedule& schedule);

// The most wall time d of business time takes on the schedule's regular weeks, over every
// starting instant (the slowest start is a closing time). For validation: holidays and
// daylight saving are left out. nullopt when there are no weekly hours or the answer lies
// past k_calendar_end.
std::optional<Duration> longest_wall_time(const Schedule& schedule, Duration d);

// True when weekly hours (a member's shifts) cover instant t in `zone` (null = UTC), by
// the same wall-clock rule as is_open but without holidays. To judge shifts at another
// moment (e.g. the pool schedule's next opening) pass that instant as t.
bool within_hours(const WeeklyHours& hours, const util::Zone* zone, Time t);

// The first instant >= t at which weekly hours (shifts) cover; nullopt when they are empty.
std::optional<Time> next_within_hours(const WeeklyHours& hours, const util::Zone* zone, Time t);

}  // namespace router::core
