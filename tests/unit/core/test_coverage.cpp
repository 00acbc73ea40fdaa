// Coverage gaps against a minute-by-minute oracle: step through the period a minute at a
// time, ask is_open and within_hours directly, and compare with the intervals found; then
// check that the weekly pattern and the dated gaps together say exactly the same. Hand-built
// schedules: London's spring-forward and fall-back, overnight shifts, holidays, special
// hours, a leave ending mid-day, and a rule in another zone during the weeks between the
// two countries' clock changes.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "calendar_support.hpp"
#include "core/coverage.hpp"

using namespace calendar_test;
using namespace std::chrono_literals;
using router::core::Config;
using router::core::Gap;
using router::core::GapReason;
using router::core::is_open;
using router::core::Leave;
using router::core::Member;
using router::core::Pool;
using router::core::PoolCoverage;
using router::core::Rule;
using router::core::WeeklyGap;
using router::core::within_hours;

namespace {

// A member, always on duty without shifts.
Member member(const char* agent, std::optional<WeeklyHours> shifts = std::nullopt) {
  Member m;
  m.agent = agent;
  m.shifts = std::move(shifts);
  return m;
}

// A configuration of one schedule ("office", may be absent) and one pool ("sales").
Config config_of(std::optional<Schedule> office, std::vector<Member> members,
                 const char* zone = "Europe/London") {
  Config c;
  c.timezone = zone;
  c.zone = router::util::zone_by_name(zone);
  Pool p;
  p.name = "sales";
  p.members = std::move(members);
  if (office) {
    office->name = "office";
    c.schedules.push_back(std::move(*office));
    p.schedule = "office";
  }
  c.pools.push_back(std::move(p));
  c.reindex();
  return c;
}

// The oracle's answer at t: nullopt when no gap, else the reason.
std::optional<GapReason> oracle(const Config& c, const std::vector<Leave>& leaves, Time t) {
  const Pool& pool = c.pools.front();
  const Schedule* s = pool.schedule ? c.find_schedule(*pool.schedule) : nullptr;
  if (s && !is_open(*s, t)) {
    return std::nullopt;
  }
  bool on_shift = false;
  for (const Member& m : pool.members) {
    if (m.shifts && !within_hours(*m.shifts, c.pool_zone(pool), t)) {
      continue;
    }
    on_shift = true;
    bool away = false;
    for (const Leave& l : leaves) {
      away = away || (l.agent == m.agent && (!l.until || t < *l.until));
    }
    if (!away) {
      return std::nullopt;
    }
  }
  return on_shift ? GapReason::everyone_on_leave : GapReason::nobody_on_shift;
}

// The gap among `gaps` holding t, or nullptr.
const Gap* holding(const std::vector<Gap>& gaps, Time t) {
  for (const Gap& g : gaps) {
    if (g.begin <= t && t < g.end) {
      return &g;
    }
  }
  return nullptr;
}

// True when the local minute of the week of t lies in a weekly gap (which may wrap).
bool weekly_holds(const PoolCoverage& c, Time t) {
  const auto [day, minute] = router::core::local_week_minute(c.zone, t);
  const int m = day * 1440 + minute;
  for (const WeeklyGap& g : c.gaps.weekly) {
    if ((g.begin <= m && m < g.end) || m + router::core::k_week_minutes < g.end) {
      return true;
    }
  }
  return false;
}

// Checks pool_gaps and pool_coverage minute by minute over [from, to); returns the number
// of gap minutes, so a test can also say how much it expected.
int check_against_oracle(const Config& c, const std::vector<Leave>& leaves, Time from, Time to) {
  const Pool& pool = c.pools.front();
  const Schedule* s = pool.schedule ? c.find_schedule(*pool.schedule) : nullptr;
  const auto gaps = router::core::pool_gaps(pool, s, c.pool_zone(pool), leaves, from, to);
  const PoolCoverage cov = router::core::pool_coverage(c, pool, leaves, from, to);
  for (std::size_t i = 1; i < gaps.size(); ++i) {
    // Merged: touching gaps differ in their reason or the people on leave.
    REQUIRE(gaps[i - 1].end <= gaps[i].begin);
    if (gaps[i - 1].end == gaps[i].begin) {
      CHECK((gaps[i - 1].reason != gaps[i].reason || gaps[i - 1].leaves != gaps[i].leaves));
    }
  }
  int minutes = 0;
  for (Time t = from; t < to; t += 1min) {
    const auto expected = oracle(c, leaves, t);
    const Gap* found = holding(gaps, t);
    INFO(router::util::format_rfc3339(t));
    REQUIRE(expected.has_value() == (found != nullptr));
    const Gap* dated = holding(cov.gaps.dated, t);
    if (!expected) {
      CHECK(dated == nullptr);
      continue;
    }
    ++minutes;
    CHECK(found->reason == *expected);
    // Every gap minute is an occurrence of the weekly pattern or a dated gap, never both.
    CHECK((dated != nullptr) != weekly_holds(cov, t));
  }
  return minutes;
}

}  // namespace

TEST_SUITE("core.coverage") {
  TEST_CASE("a Saturday morning without shifts is a weekly gap and nothing is dated") {
    const Config c = config_of(
        schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}, {"sat", "09:00-13:00"}})),
        {member("ann", week({{"mon-fri", "09:00-17:00"}}))});
    const Time from = at("2026-11-02T00:00:00Z");
    CHECK(check_against_oracle(c, {}, from, from + 28 * 24h) == 4 * 4 * 60);
    const auto cov = router::core::pool_coverage(c, c.pools.front(), {}, from, from + 28 * 24h);
    CHECK(cov.gaps.weekly ==
          std::vector<WeeklyGap>{
              {5 * 1440 + 9 * 60, 5 * 1440 + 13 * 60, GapReason::nobody_on_shift, {}}});
    CHECK(cov.gaps.dated.empty());
    CHECK(cov.grid[5][9] == router::core::HourCell::gap);
    CHECK(cov.grid[5][13] == router::core::HourCell::closed);
    CHECK(cov.grid[0][9] == router::core::HourCell::covered);
  }

  TEST_CASE("a member without shifts covers every open hour") {
    const Config c = config_of(schedule("Europe/London", week({{"daily", "00:00-24:00"}})),
                               {member("ann"), member("bob", week({{"mon", "09:00-10:00"}}))});
    const Time from = at("2026-11-02T00:00:00Z");
    CHECK(check_against_oracle(c, {}, from, from + 14 * 24h) == 0);
  }

  TEST_CASE("a pool without schedule is always open: shifts alone decide") {
    const Config c = config_of(std::nullopt, {member("ann", week({{"mon-fri", "08:00-20:00"}}))});
    const Time from = at("2026-10-19T00:00:00Z");
    // Across London's fall-back on 2026-10-25.
    check_against_oracle(c, {}, from, from + 21 * 24h);
    const auto cov = router::core::pool_coverage(c, c.pools.front(), {}, from, from + 21 * 24h);
    // Friday 20:00 to Monday 08:00 wraps past the end of the week into one gap.
    REQUIRE(cov.gaps.weekly.size() == 5);
    CHECK(cov.gaps.weekly.back() ==
          WeeklyGap{4 * 1440 + 20 * 60, 7 * 1440 + 8 * 60, GapReason::nobody_on_shift, {}});
    CHECK(cov.gaps.dated.empty());
  }

  TEST_CASE("overnight shifts crossing midnight leave the early morning uncovered") {
    const Config c = config_of(schedule("Europe/London", week({{"daily", "18:00-08:00"}})),
                               {member("ann", week({{"mon-fri", "22:00-04:00"}})),
                                member("bob", week({{"sat-sun", "18:00-02:00"}}))});
    const Time from = at("2026-11-02T00:00:00Z");
    check_against_oracle(c, {}, from, from + 14 * 24h);
    const auto cov = router::core::pool_coverage(c, c.pools.front(), {}, from, from + 14 * 24h);
    // Monday 00:00-02:00 is Sunday's shift running past midnight: covered.
    CHECK(cov.grid[0][0] == router::core::HourCell::covered);
    CHECK(cov.grid[0][3] == router::core::HourCell::gap);
    CHECK(cov.grid[0][18] == router::core::HourCell::gap);
    CHECK(cov.grid[0][22] == router::core::HourCell::covered);
    CHECK(cov.gaps.dated.empty());
  }

  TEST_CASE("spring forward: the skipped hour is no gap, the rest is the weekly pattern") {
    // London skips 01:00-02:00 on Sunday 2027-03-28.
    const Config c = config_of(schedule("Europe/London", week({{"daily", "00:30-03:00"}})),
                               {member("ann", week({{"daily", "01:30-02:30"}}))});
    // Fourteen local days, 2027-03-22 to 2027-04-04.
    CHECK(check_against_oracle(c, {}, at("2027-03-22T00:00:00Z"), at("2027-04-04T23:00:00Z")) ==
          // 14 days of 00:30-01:30 and 02:30-03:00, less the skipped 01:00-01:30 on the 28th.
          14 * 90 - 30);
  }

  TEST_CASE("fall back: the repeated hour is a gap both times") {
    // London repeats 01:00-02:00 on Sunday 2026-10-25.
    const Config c = config_of(schedule("Europe/London", week({{"daily", "00:30-03:00"}})),
                               {member("ann", week({{"daily", "02:00-03:00"}}))});
    // Fourteen local days, 2026-10-19 to 2026-11-01.
    const Time from = at("2026-10-18T23:00:00Z");
    const Time to = at("2026-11-02T00:00:00Z");
    CHECK(check_against_oracle(c, {}, from, to) == 14 * 90 + 60);
    const auto cov = router::core::pool_coverage(c, c.pools.front(), {}, from, to);
    CHECK(cov.gaps.dated.empty());
  }

  TEST_CASE("holidays and special hours make dated gaps and remove weekly ones") {
    const Config c =
        config_of(schedule("Europe/London",
                           week({{"mon-fri", "09:00-12:30, 13:30-17:30"}, {"sat", "10:00-14:00"}}),
                           {on("2026-12-25"), on("2026-12-26"), yearly("01-01"),
                            on("2026-12-24", "09:00-13:00"), on("2026-12-27", "10:00-12:00")}),
                  {member("ann", week({{"mon-fri", "09:00-17:30"}, {"sat", "10:00-12:00"}}))});
    const Time from = at("2026-12-14T00:00:00Z");
    check_against_oracle(c, {}, from, from + 28 * 24h);
    const auto cov = router::core::pool_coverage(c, c.pools.front(), {}, from, from + 28 * 24h);
    CHECK(cov.gaps.weekly ==
          std::vector<WeeklyGap>{
              {5 * 1440 + 12 * 60, 5 * 1440 + 14 * 60, GapReason::nobody_on_shift, {}}});
    // Sunday 27th opens 10:00-12:00 with nobody on shift on Sundays.
    REQUIRE(cov.gaps.dated.size() == 1);
    CHECK(utc(cov.gaps.dated[0].begin) == "2026-12-27T10:00:00Z");
    CHECK(utc(cov.gaps.dated[0].end) == "2026-12-27T12:00:00Z");
  }

  TEST_CASE("a leave ending mid-day makes a dated gap up to its end") {
    const Config c = config_of(schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}})),
                               {member("ann"), member("bob", week({{"mon-wed", "13:00-17:00"}}))});
    const std::vector<Leave> leaves{{"ann", at("2026-12-09T11:30:00Z")}};
    const Time from = at("2026-12-07T10:00:00Z");
    CHECK(check_against_oracle(c, leaves, from, from + 14 * 24h) ==
          // Mon 10:00-13:00, Tue 09:00-13:00, Wed 09:00-11:30: bob is on shift from 13:00.
          180 + 240 + 150);
    const auto cov = router::core::pool_coverage(c, c.pools.front(), leaves, from, from + 14 * 24h);
    CHECK(cov.gaps.weekly.empty());
    REQUIRE(cov.gaps.dated.size() == 3);
    CHECK(cov.gaps.dated[2] == Gap{at("2026-12-09T09:00:00Z"),
                                   at("2026-12-09T11:30:00Z"),
                                   GapReason::everyone_on_leave,
                                   {leaves[0]}});
  }

  TEST_CASE("everyone on shift on leave names them; a leave without end is weekly") {
    const Config c = config_of(schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}})),
                               {member("ann", week({{"mon-fri", "09:00-13:00"}})),
                                member("bob", week({{"mon-fri", "12:00-17:00"}}))});
    const std::vector<Leave> leaves{{"ann", std::nullopt}, {"bob", at("2026-12-08T15:00:00Z")}};
    const Time from = at("2026-12-07T00:00:00Z");
    check_against_oracle(c, leaves, from, from + 14 * 24h);
    const auto cov = router::core::pool_coverage(c, c.pools.front(), leaves, from, from + 14 * 24h);
    // Every weekday 09:00-12:00 ann alone is on shift, on leave for ever.
    REQUIRE(cov.gaps.weekly.size() == 5);
    CHECK(cov.gaps.weekly[0] ==
          WeeklyGap{9 * 60, 12 * 60, GapReason::everyone_on_leave, {{"ann", std::nullopt}}});
    // Monday and Tuesday until 15:00 bob is away too.
    REQUIRE(cov.gaps.dated.size() == 4);
    CHECK(cov.gaps.dated[0] == Gap{at("2026-12-07T12:00:00Z"), at("2026-12-07T13:00:00Z"),
                                   GapReason::everyone_on_leave, leaves});
    CHECK(cov.gaps.dated[1] == Gap{at("2026-12-07T13:00:00Z"),
                                   at("2026-12-07T17:00:00Z"),
                                   GapReason::everyone_on_leave,
                                   {leaves[1]}});
  }

  TEST_CASE("a rule in New York's hours reaches a London pool early in the odd week") {
    // From 2026-10-25 (London's change) to 2026-11-01 (New York's) the zones are 4 h apart,
    // not 5: the rule's 04:00 is London's 08:00, before the pool opens.
    Config c =
        config_of(schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}})), {member("ann")});
    Schedule ny = schedule("America/New_York", week({{"mon-fri", "04:00-08:00"}}));
    ny.name = "ny";
    c.schedules.push_back(ny);
    Rule r;
    r.name = "early";
    r.pool = "sales";
    r.during = "ny";
    c.rules.push_back(r);
    c.reindex();
    const Time from = at("2026-10-19T00:00:00Z");
    const auto cov = router::core::pool_coverage(c, c.pools.front(), {}, from, from + 28 * 24h);
    CHECK(cov.gaps.empty());
    REQUIRE(cov.rules.size() == 1);
    CHECK(cov.rules[0].gaps.weekly.empty());
    REQUIRE(cov.rules[0].gaps.dated.size() == 5);
    CHECK(cov.rules[0].gaps.dated[0] ==
          Gap{at("2026-10-26T08:00:00Z"), at("2026-10-26T09:00:00Z"), GapReason::closed, {}});
    CHECK(cov.rules[0].gaps.dated[4].begin == at("2026-10-30T08:00:00Z"));
    // The same rule judged from inside the odd week sees that week as the regular one.
    const auto inside = router::core::pool_coverage(
        c, c.pools.front(), {}, at("2026-10-27T00:00:00Z"), at("2026-10-31T00:00:00Z"));
    REQUIRE(inside.rules.size() == 1);
    CHECK(inside.rules[0].gaps.weekly.size() == 5);
    CHECK(inside.rules[0].gaps.dated.empty());
  }

  TEST_CASE("a rule open past the pool's closing has a weekly gap after it") {
    Config c =
        config_of(schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}})), {member("ann")});
    Schedule late = schedule("Europe/London", week({{"mon-fri", "16:00-18:00"}}));
    late.name = "late";
    c.schedules.push_back(late);
    Rule r;
    r.name = "evening";
    r.pool = "sales";
    r.during = "late";
    c.rules.push_back(r);
    c.reindex();
    const Time from = at("2026-11-02T00:00:00Z");
    const auto cov = router::core::pool_coverage(c, c.pools.front(), {}, from, from + 7 * 24h);
    REQUIRE(cov.rules.size() == 1);
    CHECK(cov.rules[0].gaps.weekly.size() == 5);
    CHECK(cov.rules[0].gaps.weekly[0] == WeeklyGap{17 * 60, 18 * 60, GapReason::closed, {}});
  }
}

namespace {

// A member with a daily limit (0 = none) and shifts (nullopt = always on duty).
Member limited(const char* agent, int limit, std::optional<WeeklyHours> shifts = std::nullopt) {
  Member m = member(agent, std::move(shifts));
  m.daily_limit = limit;
  return m;
}

// `n` arrivals a minute apart from `first`.
std::vector<Time> arrivals_from(const char* first, int n) {
  std::vector<Time> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(at(first) + i * 1min);
  }
  return out;
}

}  // namespace

TEST_SUITE("core.coverage.demand") {
  using router::core::OverLimit;
  using router::core::pool_demand;

  TEST_CASE("the members on duty are those on shift while the pool is open") {
    const Config c = config_of(
        schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}, {"sat", "09:00-13:00"}})),
        {limited("ann", 3, week({{"mon-fri", "09:00-17:00"}})),
         limited("bob", 2, week({{"mon-fri", "12:30-20:00"}, {"sun", "10:00-12:00"}}))});
    const auto d = router::core::pool_capacity(c, c.pools.front());
    CHECK(d.on_duty[0][8].empty());
    CHECK(d.on_duty[0][9] == std::vector<std::string>{"ann"});
    // bob starts at 12:30: on duty some of that hour.
    CHECK(d.on_duty[0][12] == std::vector<std::string>{"ann", "bob"});
    // After closing bob's shift goes on, but the pool is closed.
    CHECK(d.on_duty[0][17].empty());
    CHECK(d.days[0].limit == 5);
    CHECK(d.days[0].limits == std::vector<int>{3, 2});
    // Saturday: open with nobody on shift; Sunday: bob on shift while closed.
    CHECK(d.days[5].on_duty.empty());
    CHECK_FALSE(d.days[5].limited());
    CHECK(d.days[6].on_duty.empty());
  }

  TEST_CASE("a member without a daily limit makes the day unlimited") {
    const Config c = config_of(std::nullopt, {limited("ann", 2), limited("bob", 0)});
    const auto d = pool_demand(c, c.pools.front(), arrivals_from("2026-12-07T10:00:00Z", 50));
    CHECK(d.days[0].on_duty == std::vector<std::string>{"ann", "bob"});
    CHECK_FALSE(d.days[0].limit.has_value());
    CHECK_FALSE(d.days[0].limited());
    CHECK(d.total == 50);
    CHECK(d.over.empty());
  }

  TEST_CASE("a day over the limits is flagged at the hour of the first lead beyond them") {
    const Config c = config_of(schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}})),
                               {limited("ann", 2, week({{"mon-fri", "09:00-13:00"}})),
                                limited("bob", 1, week({{"mon-fri", "13:00-17:00"}}))});
    // Monday 2026-12-07: 3 leads (within 2 + 1); Tuesday: 4, the 4th at 14:05; one at the last
    // minute of Wednesday and one at the first of Thursday, each its own day's.
    std::vector<Time> in = arrivals_from("2026-12-07T09:10:00Z", 3);
    for (const char* t : {"2026-12-08T09:00:00Z", "2026-12-08T10:00:00Z", "2026-12-08T13:00:00Z",
                          "2026-12-08T14:05:00Z", "2026-12-09T23:59:00Z", "2026-12-10T00:00:00Z"}) {
      in.push_back(at(t));
    }
    const auto d = pool_demand(c, c.pools.front(), in);
    CHECK(d.total == 9);
    CHECK(d.arrivals[0][9] == 3);
    CHECK(d.arrivals[1][14] == 1);
    CHECK(d.arrivals[2][23] == 1);
    CHECK(d.arrivals[3][0] == 1);
    CHECK(d.days[1].limit == 3);
    REQUIRE(d.over.size() == 1);
    CHECK(d.over.front() == OverLimit{date::local_days{date::year{2026} / 12 / 8}, 1, 14, 4, 3});
  }

  TEST_CASE("arrivals are counted in the pool's local time, across the clock change") {
    // New York: 2027-03-14 springs forward; the days before are UTC-5, after UTC-4.
    const Config c = config_of(schedule("America/New_York", week({{"daily", "00:00-24:00"}})),
                               {limited("ann", 1)}, "America/New_York");
    const auto d = pool_demand(
        c, c.pools.front(),
        {at("2027-03-13T14:30:00Z"), at("2027-03-15T13:30:00Z"), at("2027-03-15T13:40:00Z")});
    CHECK(d.arrivals[5][9] == 1);  // Saturday 09:30 EST
    CHECK(d.arrivals[0][9] == 2);  // Monday 09:30 and 09:40 EDT
    REQUIRE(d.over.size() == 1);
    CHECK(d.over.front() == OverLimit{date::local_days{date::year{2027} / 3 / 15}, 0, 9, 2, 1});
  }

  TEST_CASE("a day with nobody on duty is not judged") {
    const Config c = config_of(schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}})),
                               {limited("ann", 1, week({{"mon-fri", "09:00-17:00"}}))});
    const auto d = pool_demand(c, c.pools.front(), arrivals_from("2026-12-12T10:00:00Z", 5));
    CHECK(d.arrivals[5][10] == 5);
    CHECK(d.over.empty());
  }
}
