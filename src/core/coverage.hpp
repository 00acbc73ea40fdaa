#pragma once
// Coverage (SPEC §11): when a pool's schedule is open but no member can take a lead, and
// when a rule's `during` sends leads to a pool that is closed. Pure: the leaves known now
// and the period are passed in.
//
// What is judged, following eligibility (core/eligibility.cpp) at every instant t:
// * the pool is open at t (its schedule's is_open; a pool without schedule is always open);
// * a member is on shift at t when they have no shifts, or their shifts cover t in the
//   pool's zone (within_hours: no holidays), as shift_instant() judges them while open;
// * a member on shift can take a lead unless a known leave covers t ([.., until), or for
//   ever without until). Presence (`require_online`), other statuses, limits and tags are
//   not predictable and not judged.
// Gaps come in two kinds: the regular week (weekly hours and shifts alone, no holiday, one
// UTC offset, leaves without an end), as minutes of the week in the pool's local time; and
// the dated gaps of [from, to) that are not an occurrence of a weekly one (holidays, special
// hours, leaves, daylight-saving changes between two zones).

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/demand.hpp"
#include "core/model.hpp"

namespace router::core {

// Minutes in a week.
inline constexpr int k_week_minutes = 7 * 24 * 60;

// A member's leave as the database knows it: unavailable until `until`, for ever without.
struct Leave {
  std::string agent;
  std::optional<Time> until;
  bool operator==(const Leave&) const = default;
};

// Why nobody can take a lead.
enum class GapReason {
  nobody_on_shift,    // open, and no member on shift
  everyone_on_leave,  // open, and every member on shift is on leave
  closed,             // a rule's `during` is open and its pool is closed
};

// A dated gap [begin, end) with its reason; `leaves` names who is on leave
// (everyone_on_leave only), in member order.
struct Gap {
  Time begin;
  Time end;
  GapReason reason = GapReason::nobody_on_shift;
  std::vector<Leave> leaves;
  bool operator==(const Gap&) const = default;
};

// A gap of the regular week in local time: minutes since Monday 00:00, begin in
// [0, k_week_minutes), end > begin; an end past k_week_minutes wraps into the next Monday.
struct WeeklyGap {
  int begin = 0;
  int end = 0;
  GapReason reason = GapReason::nobody_on_shift;
  std::vector<Leave> leaves;
  bool operator==(const WeeklyGap&) const = default;
};

// Gaps split as reported: every week, and dated exceptions within the period.
struct GapReport {
  std::vector<WeeklyGap> weekly;
  std::vector<Gap> dated;
  // True when there is no gap of either kind.
  bool empty() const { return weekly.empty() && dated.empty(); }
};

// One rule with `during` whose window is open while its pool is closed.
struct RuleCoverage {
  std::string rule;
  std::string schedule;  // the rule's `during`
  GapReport gaps;
};

// What one hour of the regular week's grid shows.
enum class HourCell {
  closed,   // the pool is closed the whole hour
  covered,  // open some of the hour, and no gap in it
  partial,  // part of the hour is a gap
  gap,      // the whole hour is a gap
};

// The coverage of one pool over a period.
struct PoolCoverage {
  std::string pool;
  const util::Zone* zone = nullptr;  // the pool's zone (null = UTC)
  GapReport gaps;
  std::array<std::array<HourCell, 24>, 7> grid{};  // the regular week, Monday first
  std::vector<RuleCoverage> rules;                 // rules to this pool with gaps, file order
  std::optional<PoolDemand> demand;                // arrivals against capacity (--since only)
  // True when the pool or one of its rules has a gap.
  bool has_gaps() const { return !gaps.empty() || !rules.empty(); }
  // True when the arrivals exceeded the daily limits on some day.
  bool over_limits() const { return demand && !demand->over.empty(); }
};

// The exact gaps of `pool` over [from, to): open (per `schedule`, null = always open) and
// nobody able to take a lead, merged, split where the reason or the people on leave change.
// Shifts are judged in `shift_zone` (null = UTC); `leaves` may name any agent.
std::vector<Gap> pool_gaps(const Pool& pool, const Schedule* schedule, const util::Zone* shift_zone,
                           const std::vector<Leave>& leaves, Time from, Time to);

// The coverage of `pool` over [from, to), with the leaves known (see above).
PoolCoverage pool_coverage(const Config& config, const Pool& pool, const std::vector<Leave>& leaves,
                           Time from, Time to);

// The local weekday (0 = Monday) and minutes since midnight of t in `zone` (null = UTC).
std::pair<int, int> local_week_minute(const util::Zone* zone, Time t);

}  // namespace router::core
