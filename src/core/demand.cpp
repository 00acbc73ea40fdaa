// Demand: the regular week's duty is found minute by minute over one week of the weekly
// hours and shifts, UTC standing for the pool's local time (as coverage's grid does); the
// arrivals are counted in the pool's zone and judged day by day.

#include "core/demand.hpp"

#include <algorithm>
#include <map>

#include "core/calendar.hpp"
#include "core/coverage.hpp"

namespace router::core {
namespace {

using date::days;

// A Monday (2001-01-01) at 00:00, the week the regular week is read from.
constexpr Time k_duty_monday{date::sys_days{date::year{2001} / 1 / 1}};
constexpr Duration k_duty_week{days{7}};

// The minutes of the week from k_duty_monday in `hours` (nullopt: all of them); an overnight range
// from Sunday reaches into Monday morning.
std::vector<char> duty_minutes(const std::optional<WeeklyHours>& hours) {
  std::vector<char> out(k_week_minutes, hours ? 0 : 1);
  if (!hours) {
    return out;
  }
  Schedule s;
  s.hours = *hours;
  for (const Interval& i :
       open_intervals(s, k_duty_monday - k_duty_week, k_duty_monday + 2 * k_duty_week)) {
    for (Time t = std::max(i.begin, k_duty_monday);
         t < std::min(i.end, k_duty_monday + k_duty_week); t += std::chrono::minutes{1}) {
      out[static_cast<std::size_t>((t - k_duty_monday).count() / 60) % k_week_minutes] = 1;
    }
  }
  return out;
}

}  // namespace

PoolDemand pool_capacity(const Config& config, const Pool& pool) {
  PoolDemand d;
  const Schedule* schedule = pool.schedule ? config.find_schedule(*pool.schedule) : nullptr;
  const std::vector<char> open =
      duty_minutes(schedule ? std::optional<WeeklyHours>{schedule->hours} : std::nullopt);
  for (const Member& member : pool.members) {
    const std::vector<char> on = duty_minutes(member.shifts);
    for (std::size_t day = 0; day < 7; ++day) {
      bool that_day = false;
      for (std::size_t hour = 0; hour < 24; ++hour) {
        const std::size_t first = (day * 24 + hour) * 60;
        bool duty = false;
        for (std::size_t m = first; m < first + 60 && !duty; ++m) {
          duty = open[m] != 0 && on[m] != 0;
        }
        if (duty) {
          d.on_duty[day][hour].push_back(member.agent);
          that_day = true;
        }
      }
      if (!that_day) {
        continue;
      }
      DayCapacity& c = d.days[day];
      // The first member on duty starts the sum; one without a limit ends it for good.
      if (member.daily_limit <= 0) {
        c.limit = std::nullopt;
      } else if (c.on_duty.empty() || c.limit) {
        c.limit = c.limit.value_or(0) + member.daily_limit;
      }
      c.on_duty.push_back(member.agent);
      c.limits.push_back(std::max(member.daily_limit, 0));
    }
  }
  return d;
}

PoolDemand pool_demand(const Config& config, const Pool& pool, std::vector<Time> arrivals) {
  PoolDemand d = pool_capacity(config, pool);
  const util::Zone* zone = config.pool_zone(pool);
  std::sort(arrivals.begin(), arrivals.end());
  // The minutes of the day of each arrival, by local date, in time order.
  std::map<date::local_days, std::vector<int>> by_date;
  for (const Time t : arrivals) {
    const auto [weekday, minute] = local_week_minute(zone, t);
    ++d.arrivals[static_cast<std::size_t>(weekday)][static_cast<std::size_t>(minute / 60)];
    ++d.total;
    const Duration offset = zone ? zone->get_info(t).offset : Duration{0};
    by_date[date::floor<days>(date::local_seconds{(t + offset).time_since_epoch()})].push_back(
        minute);
  }
  for (const auto& [date, minutes] : by_date) {
    const int weekday = static_cast<int>(date::weekday{date}.iso_encoding()) - 1;
    const DayCapacity& c = d.days[static_cast<std::size_t>(weekday)];
    const auto count = static_cast<int>(minutes.size());
    if (c.limited() && count > *c.limit) {
      d.over.push_back(
          {date, weekday, minutes[static_cast<std::size_t>(*c.limit)] / 60, count, *c.limit});
    }
  }
  return d;
}

}  // namespace router::core
