#pragma once
// Demand against capacity (SPEC §11, `coverage --since`): the leads that reached a pool in
// each hour of the week over a past period, next to who is on duty in that hour of the
// regular week, and the days on which more leads arrived than the daily limits of everyone
// on duty that day allow. Pure: the arrival times are passed in.
//
// The judgement, per day of the period (a local date in the pool's zone): the members on
// duty that day are those on shift in some hour of that weekday while the pool is open (the
// regular week: weekly hours and shifts, no holidays, leaves or presence). Their capacity is
// the sum of their daily limits; one of them without a limit makes the day unlimited, and a
// day with nobody on duty is not judged (that is a coverage gap, reported as such). A day on
// which more leads arrived than its capacity is over the limits from the hour of the first
// lead beyond it: routing can give that lead and every later one of the day to nobody on
// duty without going over a limit.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace router::core {

// Who is on duty on one weekday, and what their daily limits add up to.
struct DayCapacity {
  std::vector<std::string> on_duty;  // members on shift while open that day, member order
  std::vector<int> limits;           // their daily limits, 0 = none
  std::optional<int> limit;          // sum of daily limits; nullopt: unlimited or nobody
  // True when the day is judged: somebody is on duty and all of them have a limit.
  bool limited() const { return !on_duty.empty() && limit.has_value(); }
};

// A day of the period on which the arrivals exceeded the daily limits.
struct OverLimit {
  date::local_days date;  // in the pool's zone
  int weekday = 0;        // 0 = Monday
  int hour = 0;           // local hour of the first lead beyond the limits
  int arrivals = 0;       // leads that arrived that day
  int limit = 0;          // the day's capacity
  bool operator==(const OverLimit&) const = default;
};

// A pool's arrivals and capacity over a period.
struct PoolDemand {
  int total = 0;                                  // leads that arrived in the period
  std::array<std::array<int, 24>, 7> arrivals{};  // by local weekday (Monday first) and hour
  // The members on shift in each hour of the regular week while the pool is open.
  std::array<std::array<std::vector<std::string>, 24>, 7> on_duty;
  std::array<DayCapacity, 7> days;  // by weekday
  std::vector<OverLimit> over;      // in date order
};

// Who is on duty in each hour of `pool`'s regular week and each weekday's capacity (the
// `on_duty` and `days` of a PoolDemand, nothing counted).
PoolDemand pool_capacity(const Config& config, const Pool& pool);

// The demand of `pool`: `arrivals` (the received_at of its leads, any order) counted by
// hour of the week in the pool's zone and judged against the capacity as above.
PoolDemand pool_demand(const Config& config, const Pool& pool, std::vector<Time> arrivals);

}  // namespace router::core
